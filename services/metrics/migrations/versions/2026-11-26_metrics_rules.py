"""metrics rules: 特色 theme rules, goals, warnings

Revision ID: metrics_0005
Revises: metrics_0004
Create Date: 2026-11-26
"""

from collections.abc import Sequence

revision: str = "metrics_0005"
down_revision: str | None = "metrics_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
