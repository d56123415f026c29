"""goals of every form (comparison, the plan's metric name) and the bureau's entered value
with its date and who entered it

Revision ID: metrics_goals_forms
Revises: metrics_0006
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import louyu_kit.db

revision: str = "metrics_goals_forms"
down_revision: str | None = "metrics_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("metric_name", sa.String(length=50), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("comparison", sa.String(length=10), nullable=False, server_default="increase"))
        batch_op.add_column(sa.Column("manual_as_of", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("manual_by", sa.String(length=100), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("manual_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=True))
    # Values entered before: entered by the goal's last editor, on the day of that edit.
    op.execute("UPDATE goal SET manual_by = updated_by, manual_at = updated_at WHERE manual_value IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_column("manual_at")
        batch_op.drop_column("manual_by")
        batch_op.drop_column("manual_as_of")
        batch_op.drop_column("comparison")
        batch_op.drop_column("metric_name")
