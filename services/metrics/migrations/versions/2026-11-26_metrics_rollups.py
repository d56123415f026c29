"""metrics rollups: attribution of figures to buildings by month

Revision ID: metrics_0004
Revises: metrics_0003
Create Date: 2026-11-26
"""

from collections.abc import Sequence

revision: str = "metrics_0004"
down_revision: str | None = "metrics_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
