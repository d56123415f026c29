"""预警 严重程度 per rule (and on each warning) and 处置 notes.

Revision ID: metrics_screen_warning_levels
Revises: metrics_scale_verdicts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from louyu_kit.db import UtcDateTime

revision: str = "metrics_screen_warning_levels"
down_revision: str | None = "metrics_scale_verdicts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("warning_rule", schema=None) as batch_op:
        batch_op.add_column(sa.Column("level", sa.String(length=10), nullable=True))
    with op.batch_alter_table("early_warning", schema=None) as batch_op:
        batch_op.add_column(sa.Column("level", sa.String(length=10), nullable=False, server_default="minor"))
        batch_op.create_index(batch_op.f("ix_early_warning_level"), ["level"], unique=False)
    # The defaults: a big taxpayer leaving and a large tax drop are 严重, an occupancy drop 较重.
    op.execute("UPDATE early_warning SET level = 'severe' WHERE rule IN ('tax_drop', 'top_taxpayer_left')")
    op.execute("UPDATE early_warning SET level = 'major' WHERE rule = 'occupancy_drop'")
    op.create_table(
        "warning_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["warning_id"], ["early_warning.id"], name=op.f("fk_warning_note_warning_id_early_warning")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_note")),
    )
    op.create_index(op.f("ix_warning_note_warning_id"), "warning_note", ["warning_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_warning_note_warning_id"), table_name="warning_note")
    op.drop_table("warning_note")
    with op.batch_alter_table("early_warning", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_early_warning_level"))
        batch_op.drop_column("level")
    with op.batch_alter_table("warning_rule", schema=None) as batch_op:
        batch_op.drop_column("level")
