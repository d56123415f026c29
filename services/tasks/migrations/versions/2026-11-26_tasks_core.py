"""tasks core: units and aliases, plans, sections, tasks, updates, supervision

Revision ID: tasks_0002
Revises: tasks_0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import louyu_kit.db

revision: str = "tasks_0002"
down_revision: str | None = "tasks_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unit",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("short_name", sa.String(length=50), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("expands_kind", sa.String(length=20), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_unit")),
        sa.UniqueConstraint("name", name=op.f("uq_unit_name")),
    )
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_kind"), ["kind"], unique=False)

    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("issuer", sa.String(length=100), nullable=False),
        sa.Column("doc_number", sa.String(length=100), nullable=False),
        sa.Column("issued_date", sa.Date(), nullable=True),
        sa.Column("lead_unit_code", sa.String(length=32), nullable=True),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["lead_unit_code"], ["unit.code"], name=op.f("fk_plan_lead_unit_code_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
    )
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_doc_number"), ["doc_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_lead_unit_code"), ["lead_unit_code"], unique=False)

    op.create_table(
        "unit_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_code"], ["unit.code"], name=op.f("fk_unit_alias_unit_code_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_alias")),
        sa.UniqueConstraint("key", name=op.f("uq_unit_alias_key")),
    )
    with op.batch_alter_table("unit_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_alias_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "plan_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=50), nullable=False),
        sa.Column("target", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_plan_goal_plan_id_plan"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_goal")),
    )
    with op.batch_alter_table("plan_goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_goal_metric"), ["metric"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_goal_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_phase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("period_text", sa.String(length=100), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_plan_phase_plan_id_plan"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_phase")),
    )
    with op.batch_alter_table("plan_phase", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_phase_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["plan_section.id"], name=op.f("fk_plan_section_parent_id_plan_section"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_plan_section_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_section")),
    )
    with op.batch_alter_table("plan_section", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_section_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_section_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_unit",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("duty", sa.Text(), nullable=False),
        sa.Column("written_as", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_plan_unit_plan_id_plan"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_code"], ["unit.code"], name=op.f("fk_plan_unit_unit_code_unit")),
        sa.PrimaryKeyConstraint("plan_id", "unit_code", name=op.f("pk_plan_unit")),
    )
    with op.batch_alter_table("plan_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_unit_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("phase_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("lead_unit_code", sa.String(length=32), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("completed_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["lead_unit_code"], ["unit.code"], name=op.f("fk_task_lead_unit_code_unit")),
        sa.ForeignKeyConstraint(["parent_id"], ["task.id"], name=op.f("fk_task_parent_id_task"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["phase_id"], ["plan_phase.id"], name=op.f("fk_task_phase_id_plan_phase"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_task_plan_id_plan"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["section_id"], ["plan_section.id"], name=op.f("fk_task_section_id_plan_section"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task")),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_lead_unit_code"), ["lead_unit_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_phase_id"), ["phase_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_status"), ["status"], unique=False)

    op.create_table(
        "supervision_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("light", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("rule_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("respond_by", sa.Date(), nullable=False),
        sa.Column("issued_by", sa.String(length=100), nullable=False),
        sa.Column("issued_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("escalated_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("responded_by", sa.String(length=100), nullable=True),
        sa.Column("responded_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=100), nullable=True),
        sa.Column("closed_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_supervision_notice_task_id_task"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_code"], ["unit.code"], name=op.f("fk_supervision_notice_unit_code_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_notice")),
        sa.UniqueConstraint("task_id", "rule_date", name="uq_supervision_notice_task_rule_date"),
    )
    with op.batch_alter_table("supervision_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supervision_notice_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervision_notice_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervision_notice_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "task_unit",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("written_as", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_task_unit_task_id_task"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_code"], ["unit.code"], name=op.f("fk_task_unit_unit_code_unit")),
        sa.PrimaryKeyConstraint("task_id", "unit_code", name=op.f("pk_task_unit")),
    )
    with op.batch_alter_table("task_unit", schema=None) as batch_op:
        batch_op.create_index("ix_task_unit_unit_task", ["unit_code", "task_id"], unique=False)

    op.create_table(
        "task_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("progress_before", sa.Integer(), nullable=True),
        sa.Column("progress_after", sa.Integer(), nullable=True),
        sa.Column("status_before", sa.String(length=20), nullable=True),
        sa.Column("status_after", sa.String(length=20), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_task_update_task_id_task"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_code"], ["unit.code"], name=op.f("fk_task_update_unit_code_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_update")),
    )
    with op.batch_alter_table("task_update", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_update_task_id"), ["task_id"], unique=False)

    op.create_table(
        "task_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=50), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_task_attachment_task_id_task"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["update_id"], ["task_update.id"], name=op.f("fk_task_attachment_update_id_task_update"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_attachment")),
    )
    with op.batch_alter_table("task_attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_attachment_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_attachment_update_id"), ["update_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_attachment_update_id"))
        batch_op.drop_index(batch_op.f("ix_task_attachment_task_id"))

    op.drop_table("task_attachment")
    with op.batch_alter_table("task_update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_update_task_id"))

    op.drop_table("task_update")
    with op.batch_alter_table("task_unit", schema=None) as batch_op:
        batch_op.drop_index("ix_task_unit_unit_task")

    op.drop_table("task_unit")
    with op.batch_alter_table("supervision_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_notice_unit_code"))
        batch_op.drop_index(batch_op.f("ix_supervision_notice_task_id"))
        batch_op.drop_index(batch_op.f("ix_supervision_notice_status"))

    op.drop_table("supervision_notice")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_status"))
        batch_op.drop_index(batch_op.f("ix_task_plan_id"))
        batch_op.drop_index(batch_op.f("ix_task_phase_id"))
        batch_op.drop_index(batch_op.f("ix_task_parent_id"))
        batch_op.drop_index(batch_op.f("ix_task_lead_unit_code"))
        batch_op.drop_index(batch_op.f("ix_task_due_date"))

    op.drop_table("task")
    with op.batch_alter_table("plan_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_unit_unit_code"))

    op.drop_table("plan_unit")
    with op.batch_alter_table("plan_section", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_section_plan_id"))
        batch_op.drop_index(batch_op.f("ix_plan_section_parent_id"))

    op.drop_table("plan_section")
    with op.batch_alter_table("plan_phase", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_phase_plan_id"))

    op.drop_table("plan_phase")
    with op.batch_alter_table("plan_goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_goal_plan_id"))
        batch_op.drop_index(batch_op.f("ix_plan_goal_metric"))

    op.drop_table("plan_goal")
    with op.batch_alter_table("unit_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_alias_unit_code"))

    op.drop_table("unit_alias")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_lead_unit_code"))
        batch_op.drop_index(batch_op.f("ix_plan_doc_number"))

    op.drop_table("plan")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_kind"))

    op.drop_table("unit")
