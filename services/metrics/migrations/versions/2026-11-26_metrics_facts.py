"""metrics facts: figures per enterprise and period, revisions, ingest batches

Revision ID: metrics_0002
Revises: metrics_0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import louyu_kit.db

revision: str = "metrics_0002"
down_revision: str | None = "metrics_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("period_kind", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("updated_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact")),
        sa.UniqueConstraint("credit_code", "period", "kind", "source", name=op.f("uq_fact_credit_code")),
    )
    with op.batch_alter_table("fact", schema=None) as batch_op:
        batch_op.create_index("ix_fact_period_kind", ["period", "kind"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # Room on each page for a corrected figure's new version: a correction then updates the
        # row in place (HOT, no new index entries), since no indexed column changes.
        op.execute("ALTER TABLE fact SET (fillfactor = 85)")

    op.create_table(
        "fact_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fact_id", sa.Integer(), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("valid_from", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("replaced_by_batch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_revision")),
    )
    with op.batch_alter_table("fact_revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fact_revision_fact_id"), ["fact_id"], unique=False)

    op.create_table(
        "fact_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submitted_by", sa.String(length=100), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected_count", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.JSON(), nullable=False),
        sa.Column("aggregate_rows", sa.Integer(), nullable=False),
        sa.Column("unregistered_count", sa.Integer(), nullable=False),
        sa.Column("unregistered", sa.JSON(), nullable=False),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("started_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_batch")),
        sa.UniqueConstraint("submitted_by", "idempotency_key", name=op.f("uq_fact_batch_submitted_by")),
    )
    with op.batch_alter_table("fact_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fact_batch_status"), ["status"], unique=False)

    op.create_table(
        "unregistered_taxpayer",
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("first_seen_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("first_batch_id", sa.Integer(), nullable=True),
        sa.Column("last_batch_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("credit_code", name=op.f("pk_unregistered_taxpayer")),
    )


def downgrade() -> None:
    op.drop_table("unregistered_taxpayer")
    with op.batch_alter_table("fact_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fact_batch_status"))
    op.drop_table("fact_batch")
    with op.batch_alter_table("fact_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fact_revision_fact_id"))
    op.drop_table("fact_revision")
    with op.batch_alter_table("fact", schema=None) as batch_op:
        batch_op.drop_index("ix_fact_period_kind")
    op.drop_table("fact")
