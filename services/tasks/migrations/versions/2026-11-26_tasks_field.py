"""tasks field work: visits, leads, demands, bulletins, assessment

Revision ID: tasks_0003
Revises: tasks_0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

revision: str = "tasks_0003"
down_revision: str | None = "tasks_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
