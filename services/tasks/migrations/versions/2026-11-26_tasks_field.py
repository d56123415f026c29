"""tasks field work: 扫楼 rounds and visits (units, space changes, tenants, photos), leads,
demands, bulletins, assessment rules and scores

Revision ID: tasks_0003
Revises: tasks_0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import louyu_kit.db

revision: str = "tasks_0003"
down_revision: str | None = "tasks_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assessment_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("metrics_available", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_run")),
    )
    with op.batch_alter_table("assessment_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_run_period"), ["period"], unique=False)

    op.create_table(
        "bulletin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("issue_no", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("metrics_available", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulletin")),
        sa.UniqueConstraint("year", "issue_no", name=op.f("uq_bulletin_year")),
    )
    with op.batch_alter_table("bulletin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bulletin_period"), ["period"], unique=False)

    op.create_table(
        "scoring_rule",
        sa.Column("target", sa.String(length=40), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("target", name=op.f("pk_scoring_rule")),
    )
    op.create_table(
        "visit_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_round")),
        sa.UniqueConstraint("name", name=op.f("uq_visit_round_name")),
    )
    op.create_table(
        "assessment_score",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("breakdown", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["assessment_run.id"],
            name=op.f("fk_assessment_score_run_id_assessment_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["unit_code"], ["unit.code"], name=op.f("fk_assessment_score_unit_code_unit")),
        sa.PrimaryKeyConstraint("run_id", "unit_code", name=op.f("pk_assessment_score")),
    )
    op.create_table(
        "visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("building_code", sa.String(length=20), nullable=False),
        sa.Column("building_name", sa.String(length=100), nullable=False),
        sa.Column("street_code", sa.String(length=12), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("chief_username", sa.String(length=100), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("client_ref", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["visit_round.id"], name=op.f("fk_visit_round_id_visit_round"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
        sa.UniqueConstraint("client_ref", name=op.f("uq_visit_client_ref")),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_building_code"), ["building_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_chief_username"), ["chief_username"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_round_id"), ["round_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_street_code"), ["street_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_visit_date"), ["visit_date"], unique=False)

    op.create_table(
        "visit_round_building",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("building_code", sa.String(length=20), nullable=False),
        sa.Column("building_name", sa.String(length=100), nullable=False),
        sa.Column("street_code", sa.String(length=12), nullable=False),
        sa.Column("street_name", sa.String(length=50), nullable=False),
        sa.Column("chief_username", sa.String(length=50), nullable=True),
        sa.Column("chief_name", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["visit_round.id"],
            name=op.f("fk_visit_round_building_round_id_visit_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "building_code", name=op.f("pk_visit_round_building")),
    )
    with op.batch_alter_table("visit_round_building", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_round_building_chief_username"), ["chief_username"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_round_building_street_code"), ["street_code"], unique=False)

    op.create_table(
        "demand",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("building_code", sa.String(length=20), nullable=True),
        sa.Column("street_code", sa.String(length=12), nullable=True),
        sa.Column("source_visit_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("contact_name", sa.String(length=50), nullable=False),
        sa.Column("contact_phone", sa.String(length=20), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.String(length=100), nullable=True),
        sa.Column("answered_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_visit_id"], ["visit.id"], name=op.f("fk_demand_source_visit_id_visit"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["unit_code"], ["unit.code"], name=op.f("fk_demand_unit_code_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand")),
    )
    with op.batch_alter_table("demand", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_demand_building_code"), ["building_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_credit_code"), ["credit_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_enterprise_name"), ["enterprise_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_source_visit_id"), ["source_visit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_street_code"), ["street_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "lead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=False),
        sa.Column("area_wanted", sa.Float(), nullable=True),
        sa.Column("source_visit_id", sa.Integer(), nullable=True),
        sa.Column("building_code", sa.String(length=20), nullable=True),
        sa.Column("street_code", sa.String(length=12), nullable=True),
        sa.Column("owner_unit_code", sa.String(length=32), nullable=True),
        sa.Column("contact_name", sa.String(length=50), nullable=False),
        sa.Column("contact_phone", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("stage_date", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_unit_code"], ["unit.code"], name=op.f("fk_lead_owner_unit_code_unit")),
        sa.ForeignKeyConstraint(
            ["source_visit_id"], ["visit.id"], name=op.f("fk_lead_source_visit_id_visit"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead")),
    )
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lead_building_code"), ["building_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_lead_company_name"), ["company_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_lead_owner_unit_code"), ["owner_unit_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_lead_source_visit_id"), ["source_visit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lead_stage"), ["stage"], unique=False)
        batch_op.create_index(batch_op.f("ix_lead_street_code"), ["street_code"], unique=False)

    op.create_table(
        "visit_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=30), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_visit_photo_visit_id_visit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_photo")),
    )
    with op.batch_alter_table("visit_photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_photo_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "visit_space_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("floor", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=30), nullable=False),
        sa.Column("area", sa.Float(), nullable=False),
        sa.Column("status_before", sa.String(length=10), nullable=False),
        sa.Column("status_after", sa.String(length=10), nullable=False),
        sa.Column("available_from", sa.Date(), nullable=True),
        sa.Column("registry_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_visit_space_change_visit_id_visit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_space_change")),
    )
    with op.batch_alter_table("visit_space_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_space_change_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "visit_tenant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("move", sa.String(length=10), nullable=False),
        sa.Column("enterprise_name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("floor", sa.Integer(), nullable=True),
        sa.Column("area", sa.Float(), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_visit_tenant_visit_id_visit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_tenant")),
    )
    with op.batch_alter_table("visit_tenant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_tenant_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "visit_unit",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["unit_code"], ["unit.code"], name=op.f("fk_visit_unit_unit_code_unit")),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_visit_unit_visit_id_visit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("visit_id", "unit_code", name=op.f("pk_visit_unit")),
    )
    with op.batch_alter_table("visit_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_unit_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "demand_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("demand_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("status_before", sa.String(length=20), nullable=True),
        sa.Column("status_after", sa.String(length=20), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["demand_id"], ["demand.id"], name=op.f("fk_demand_step_demand_id_demand"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand_step")),
    )
    with op.batch_alter_table("demand_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_demand_step_demand_id"), ["demand_id"], unique=False)

    op.create_table(
        "lead_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("stage_before", sa.String(length=20), nullable=True),
        sa.Column("stage_after", sa.String(length=20), nullable=False),
        sa.Column("step_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["lead.id"], name=op.f("fk_lead_step_lead_id_lead"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_step")),
    )
    with op.batch_alter_table("lead_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lead_step_lead_id"), ["lead_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lead_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lead_step_lead_id"))

    op.drop_table("lead_step")
    with op.batch_alter_table("demand_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demand_step_demand_id"))

    op.drop_table("demand_step")
    with op.batch_alter_table("visit_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_unit_unit_code"))

    op.drop_table("visit_unit")
    with op.batch_alter_table("visit_tenant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_tenant_visit_id"))

    op.drop_table("visit_tenant")
    with op.batch_alter_table("visit_space_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_space_change_visit_id"))

    op.drop_table("visit_space_change")
    with op.batch_alter_table("visit_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_photo_visit_id"))

    op.drop_table("visit_photo")
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lead_street_code"))
        batch_op.drop_index(batch_op.f("ix_lead_stage"))
        batch_op.drop_index(batch_op.f("ix_lead_source_visit_id"))
        batch_op.drop_index(batch_op.f("ix_lead_owner_unit_code"))
        batch_op.drop_index(batch_op.f("ix_lead_company_name"))
        batch_op.drop_index(batch_op.f("ix_lead_building_code"))

    op.drop_table("lead")
    with op.batch_alter_table("demand", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demand_unit_code"))
        batch_op.drop_index(batch_op.f("ix_demand_street_code"))
        batch_op.drop_index(batch_op.f("ix_demand_status"))
        batch_op.drop_index(batch_op.f("ix_demand_source_visit_id"))
        batch_op.drop_index(batch_op.f("ix_demand_enterprise_name"))
        batch_op.drop_index(batch_op.f("ix_demand_due_date"))
        batch_op.drop_index(batch_op.f("ix_demand_credit_code"))
        batch_op.drop_index(batch_op.f("ix_demand_created_at"))
        batch_op.drop_index(batch_op.f("ix_demand_category"))
        batch_op.drop_index(batch_op.f("ix_demand_building_code"))

    op.drop_table("demand")
    with op.batch_alter_table("visit_round_building", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_round_building_street_code"))
        batch_op.drop_index(batch_op.f("ix_visit_round_building_chief_username"))

    op.drop_table("visit_round_building")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_visit_date"))
        batch_op.drop_index(batch_op.f("ix_visit_street_code"))
        batch_op.drop_index(batch_op.f("ix_visit_round_id"))
        batch_op.drop_index(batch_op.f("ix_visit_chief_username"))
        batch_op.drop_index(batch_op.f("ix_visit_building_code"))

    op.drop_table("visit")
    op.drop_table("assessment_score")
    op.drop_table("visit_round")
    op.drop_table("scoring_rule")
    with op.batch_alter_table("bulletin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bulletin_period"))

    op.drop_table("bulletin")
    with op.batch_alter_table("assessment_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_run_period"))

    op.drop_table("assessment_run")
