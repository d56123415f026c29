"""metrics facts: figures per enterprise and period, revisions, ingest batches

Revision ID: metrics_0002
Revises: metrics_0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

revision: str = "metrics_0002"
down_revision: str | None = "metrics_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
