"""stored 特色楼宇 verdicts per building and year, kept with the rollups (featured_verdict,
featured_year)

Revision ID: metrics_scale_verdicts
Revises: metrics_ask
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import louyu_kit.db

revision: str = "metrics_scale_verdicts"
down_revision: str | None = "metrics_ask"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "featured_verdict",
        sa.Column("building_code", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("qualifies", sa.Boolean(), nullable=False),
        sa.Column("themes", sa.String(length=400), nullable=False),
        sa.Column("tenants", sa.Integer(), nullable=False),
        sa.Column("occupied_area", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("building_code", "year", name=op.f("pk_featured_verdict")),
    )
    op.create_table(
        "featured_year",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("computed_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_featured_year")),
    )


def downgrade() -> None:
    op.drop_table("featured_year")
    op.drop_table("featured_verdict")
