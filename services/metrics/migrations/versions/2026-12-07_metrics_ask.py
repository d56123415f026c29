"""问数: the bureau's synonyms, the questions asked (history, unanswered), and buildings'
aliases in the read model (registry's change events carry them), enterprises found by name

Revision ID: metrics_ask
Revises: metrics_goals_forms
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import louyu_kit.db

revision: str = "metrics_ask"
down_revision: str | None = "metrics_goals_forms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rm_building", schema=None) as batch_op:
        batch_op.add_column(sa.Column("aliases", sa.JSON(), nullable=False, server_default="[]"))
    op.create_index("ix_rm_enterprise_name", "rm_enterprise", ["name"], unique=False)
    op.create_table(
        "ask_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("question", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reading", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("asked_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ask_question")),
    )
    op.create_index("ix_ask_question_status_asked", "ask_question", ["status", "asked_at"], unique=False)
    op.create_index("ix_ask_question_user_asked", "ask_question", ["username", "asked_at"], unique=False)
    op.create_table(
        "ask_synonym",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("word", sa.String(length=50), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ask_synonym")),
        sa.UniqueConstraint("word", name=op.f("uq_ask_synonym_word")),
    )


def downgrade() -> None:
    op.drop_table("ask_synonym")
    op.drop_index("ix_ask_question_user_asked", table_name="ask_question")
    op.drop_index("ix_ask_question_status_asked", table_name="ask_question")
    op.drop_table("ask_question")
    op.drop_index("ix_rm_enterprise_name", table_name="rm_enterprise")
    with op.batch_alter_table("rm_building", schema=None) as batch_op:
        batch_op.drop_column("aliases")
