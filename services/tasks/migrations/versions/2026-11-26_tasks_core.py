"""tasks core: units and aliases, plans, sections, tasks, updates, supervision

Revision ID: tasks_0002
Revises: tasks_0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

revision: str = "tasks_0002"
down_revision: str | None = "tasks_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
