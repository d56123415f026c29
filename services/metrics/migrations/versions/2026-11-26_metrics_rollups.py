"""metrics rollups: attribution of figures to buildings by month

Revision ID: metrics_0004
Revises: metrics_0003
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import louyu_kit.db

revision: str = "metrics_0004"
down_revision: str | None = "metrics_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=20, scale=2)


def _values() -> list[sa.Column]:
    return [
        sa.Column("tax_total", MONEY, nullable=True),
        sa.Column("tax_district", MONEY, nullable=True),
        sa.Column("revenue", MONEY, nullable=True),
        sa.Column("employees", MONEY, nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "rollup_period",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("period_kind", sa.String(length=8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("period", name=op.f("pk_rollup_period")),
    )
    op.create_table(
        "rollup_enterprise",
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("building_code", sa.String(length=32), nullable=False),
        sa.Column("period_kind", sa.String(length=8), nullable=False),
        sa.Column("section", sa.String(length=1), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        *_values(),
        sa.PrimaryKeyConstraint("credit_code", "period", "building_code", name=op.f("pk_rollup_enterprise")),
    )
    with op.batch_alter_table("rollup_enterprise", schema=None) as batch_op:
        batch_op.create_index("ix_rollup_enterprise_building", ["building_code", "period"], unique=False)
        batch_op.create_index("ix_rollup_enterprise_period", ["period", "section"], unique=False)

    op.create_table(
        "rollup_building_period",
        sa.Column("building_code", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("period_kind", sa.String(length=8), nullable=False),
        *_values(),
        sa.Column("enterprises", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("building_code", "period", name=op.f("pk_rollup_building_period")),
    )
    with op.batch_alter_table("rollup_building_period", schema=None) as batch_op:
        batch_op.create_index("ix_rollup_building_period_period", ["period", "building_code"], unique=False)

    op.create_table(
        "rollup_section_period",
        sa.Column("section", sa.String(length=1), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("period_kind", sa.String(length=8), nullable=False),
        *_values(),
        sa.Column("enterprises", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("section", "period", name=op.f("pk_rollup_section_period")),
    )
    op.create_table(
        "rollup_building_stock",
        sa.Column("building_code", sa.String(length=32), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("occupied_area", sa.Float(), nullable=False),
        sa.Column("tenants", sa.Integer(), nullable=False),
        sa.Column("registered", sa.Integer(), nullable=False),
        sa.Column("in_statistics", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("building_code", "month", name=op.f("pk_rollup_building_stock")),
    )
    with op.batch_alter_table("rollup_building_stock", schema=None) as batch_op:
        batch_op.create_index("ix_rollup_building_stock_month", ["month", "building_code"], unique=False)

    op.create_table(
        "rollup_dirty",
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.PrimaryKeyConstraint("credit_code", "period", name=op.f("pk_rollup_dirty")),
    )
    op.create_table(
        "rollup_dirty_building",
        sa.Column("building_code", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("building_code", name=op.f("pk_rollup_dirty_building")),
    )
    op.create_table(
        "rollup_dirty_building_period",
        sa.Column("building_code", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.PrimaryKeyConstraint("building_code", "period", name=op.f("pk_rollup_dirty_building_period")),
    )
    op.create_table(
        "rollup_dirty_section_period",
        sa.Column("section", sa.String(length=1), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.PrimaryKeyConstraint("section", "period", name=op.f("pk_rollup_dirty_section_period")),
    )
    op.create_table(
        "rollup_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("rebuilt_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("refreshed_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("stock_from", sa.String(length=7), nullable=True),
        sa.Column("stock_to", sa.String(length=7), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_state")),
    )


def downgrade() -> None:
    for table in (
        "rollup_state",
        "rollup_dirty_section_period",
        "rollup_dirty_building_period",
        "rollup_dirty_building",
        "rollup_dirty",
        "rollup_building_stock",
        "rollup_section_period",
        "rollup_building_period",
        "rollup_enterprise",
        "rollup_period",
    ):
        op.drop_table(table)
