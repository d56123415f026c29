"""metrics read model of registry: buildings, spaces, enterprises, occupancy, themes, sync state

Revision ID: metrics_0003
Revises: metrics_0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "metrics_0003"
down_revision: str | None = "metrics_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tombstone() -> list[sa.Column]:
    return [
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "rm_building",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("street_code", sa.String(length=9), nullable=False),
        sa.Column("zone", sa.String(length=50), nullable=False),
        sa.Column("gfa", sa.Float(), nullable=True),
        sa.Column("leasable_area", sa.Float(), nullable=True),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("lng", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("chief_username", sa.String(length=50), nullable=True),
        sa.Column("liaison_username", sa.String(length=50), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        *_tombstone(),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_rm_building")),
    )
    with op.batch_alter_table("rm_building", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rm_building_street_code"), ["street_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_rm_building_zone"), ["zone"], unique=False)
        batch_op.create_index(batch_op.f("ix_rm_building_chief_username"), ["chief_username"], unique=False)
        batch_op.create_index(batch_op.f("ix_rm_building_liaison_username"), ["liaison_username"], unique=False)

    op.create_table(
        "rm_space",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("building_code", sa.String(length=20), nullable=False),
        sa.Column("area", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        *_tombstone(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rm_space")),
    )
    with op.batch_alter_table("rm_space", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rm_space_building_code"), ["building_code"], unique=False)

    op.create_table(
        "rm_enterprise",
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("industry_code", sa.String(length=4), nullable=True),
        sa.Column("registered_in_district", sa.Boolean(), nullable=False),
        sa.Column("taxed_in_district", sa.Boolean(), nullable=False),
        sa.Column("in_statistics", sa.Boolean(), nullable=False),
        sa.Column("above_scale", sa.Boolean(), nullable=False),
        sa.Column("is_key", sa.Boolean(), nullable=False),
        sa.Column("hq_level", sa.String(length=20), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        *_tombstone(),
        sa.PrimaryKeyConstraint("credit_code", name=op.f("pk_rm_enterprise")),
    )
    with op.batch_alter_table("rm_enterprise", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rm_enterprise_industry_code"), ["industry_code"], unique=False)

    op.create_table(
        "rm_occupancy",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("building_code", sa.String(length=20), nullable=False),
        sa.Column("area", sa.Float(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("spaces", sa.JSON(), nullable=False),
        *_tombstone(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rm_occupancy")),
    )
    with op.batch_alter_table("rm_occupancy", schema=None) as batch_op:
        batch_op.create_index("ix_rm_occupancy_credit_dates", ["credit_code", "start_date", "end_date"], unique=False)
        batch_op.create_index(
            "ix_rm_occupancy_building_dates", ["building_code", "start_date", "end_date", "credit_code"], unique=False
        )

    op.create_table(
        "rm_theme",
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("industry_prefixes", sa.JSON(), nullable=False),
        *_tombstone(),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_rm_theme")),
    )

    op.create_table(
        "sync_state",
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
        sa.Column("head", sa.BigInteger(), nullable=True),
        sa.Column("lag", sa.BigInteger(), nullable=False),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_ok_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("current_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_sync_state")),
    )


def downgrade() -> None:
    op.drop_table("sync_state")
    op.drop_table("rm_theme")
    with op.batch_alter_table("rm_occupancy", schema=None) as batch_op:
        batch_op.drop_index("ix_rm_occupancy_building_dates")
        batch_op.drop_index("ix_rm_occupancy_credit_dates")
    op.drop_table("rm_occupancy")
    with op.batch_alter_table("rm_enterprise", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rm_enterprise_industry_code"))
    op.drop_table("rm_enterprise")
    with op.batch_alter_table("rm_space", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rm_space_building_code"))
    op.drop_table("rm_space")
    with op.batch_alter_table("rm_building", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rm_building_liaison_username"))
        batch_op.drop_index(batch_op.f("ix_rm_building_chief_username"))
        batch_op.drop_index(batch_op.f("ix_rm_building_zone"))
        batch_op.drop_index(batch_op.f("ix_rm_building_street_code"))
    op.drop_table("rm_building")
