"""招商线索的需求：面积区间、行业代码、需要入驻的日期、预算、楼层偏好（线索与房源匹配）

Revision ID: tasks_record_lead_needs
Revises: tasks_policy_policies
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import louyu_kit.db

revision: str = "tasks_record_lead_needs"
down_revision: str | None = "tasks_policy_policies"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.add_column(sa.Column("area_min", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("area_max", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("industry_code", sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column("needed_by", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("budget_rent", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("budget_total", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("floor_min", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("floor_max", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_lead_industry_code"), ["industry_code"], unique=False)
    op.create_table(
        "lead_match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("building_code", sa.String(length=20), nullable=False),
        sa.Column("building_name", sa.String(length=100), nullable=False),
        sa.Column("space_label", sa.String(length=60), nullable=False),
        sa.Column("chief_username", sa.String(length=100), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("computed_at", louyu_kit.db.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["lead.id"], name=op.f("fk_lead_match_lead_id_lead"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_match")),
        sa.UniqueConstraint("lead_id", "space_id", name=op.f("uq_lead_match_lead_id")),
    )
    with op.batch_alter_table("lead_match", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lead_match_lead_id"), ["lead_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lead_match_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lead_match_chief_username"), ["chief_username"], unique=False)


def downgrade() -> None:
    op.drop_table("lead_match")
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lead_industry_code"))
        for name in (
            "floor_max",
            "floor_min",
            "budget_total",
            "budget_rent",
            "needed_by",
            "industry_code",
            "area_max",
            "area_min",
        ):
            batch_op.drop_column(name)
