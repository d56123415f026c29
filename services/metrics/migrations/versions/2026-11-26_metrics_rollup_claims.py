"""metrics rollup claims: the marks a running refresh took, kept apart from new marks

Revision ID: metrics_0006
Revises: metrics_0005
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "metrics_0006"
down_revision: str | None = "metrics_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rollup_claim",
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.PrimaryKeyConstraint("credit_code", "period", name=op.f("pk_rollup_claim")),
    )
    op.create_table(
        "rollup_claim_building",
        sa.Column("building_code", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("building_code", name=op.f("pk_rollup_claim_building")),
    )


def downgrade() -> None:
    op.drop_table("rollup_claim_building")
    op.drop_table("rollup_claim")
