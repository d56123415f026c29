"""metrics read model of registry: buildings, spaces, enterprises, occupancy, themes, sync state

Revision ID: metrics_0003
Revises: metrics_0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

revision: str = "metrics_0003"
down_revision: str | None = "metrics_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
