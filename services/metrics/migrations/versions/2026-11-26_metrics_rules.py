"""metrics rules: 特色 theme rules, goals, warnings

Revision ID: metrics_0005
Revises: metrics_0004
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import louyu_kit.db

revision: str = "metrics_0005"
down_revision: str | None = "metrics_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, louyu_kit.db.UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "theme_rule",
        sa.Column("theme_code", sa.String(length=30), nullable=False),
        sa.Column("measure", sa.String(length=10), nullable=False),
        sa.Column("threshold", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("min_gfa", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("tax_basis", sa.String(length=20), nullable=False),
        _at("updated_at"),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("theme_code", name=op.f("pk_theme_rule")),
    )
    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("plan_id", sa.String(length=64), nullable=True),
        sa.Column("plan_title", sa.String(length=300), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("target", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("phase_end_date", sa.Date(), nullable=True),
        sa.Column("manual_value", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("manual_note", sa.String(length=300), nullable=False),
        _at("created_at"),
        _at("updated_at"),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal")),
        sa.UniqueConstraint("source", "external_id", name=op.f("uq_goal_source")),
    )
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_metric"), ["metric"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_year"), ["year"], unique=False)
    op.create_table(
        "goal_sync",
        sa.Column("source", sa.String(length=10), nullable=False),
        _at("last_attempt_at", True),
        _at("last_ok_at", True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_goal_sync")),
    )
    op.create_table(
        "warning_rule",
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("threshold", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("top_n", sa.Integer(), nullable=True),
        sa.Column("window_days", sa.Integer(), nullable=True),
        sa.Column("min_base", sa.Numeric(precision=20, scale=2), nullable=True),
        _at("updated_at"),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_warning_rule")),
    )
    op.create_table(
        "early_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=30), nullable=False),
        sa.Column("building_code", sa.String(length=20), nullable=False),
        sa.Column("building_name", sa.String(length=100), nullable=False),
        sa.Column("street_code", sa.String(length=9), nullable=False),
        sa.Column("subject", sa.String(length=18), nullable=False),
        sa.Column("active_key", sa.String(length=80), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        _at("first_seen_at"),
        _at("last_seen_at"),
        _at("resolved_at", True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_early_warning")),
        sa.UniqueConstraint("active_key", name=op.f("uq_early_warning_active_key")),
    )
    with op.batch_alter_table("early_warning", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_early_warning_building_code"), ["building_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_early_warning_rule"), ["rule"], unique=False)
        batch_op.create_index("ix_early_warning_street_resolved", ["street_code", "resolved_at"], unique=False)


def downgrade() -> None:
    op.drop_table("early_warning")
    op.drop_table("warning_rule")
    op.drop_table("goal_sync")
    op.drop_table("goal")
    op.drop_table("theme_rule")
