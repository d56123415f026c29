"""待办 and 通知: the notification outbox, its deliveries and send attempts; bulletins' recipients
(the four bodies of 工作要求(三) for bulletins issued before) and their send log

Revision ID: tasks_inbox
Revises: tasks_goals_forms
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import louyu_kit.db

revision: str = "tasks_inbox"
down_revision: str | None = "tasks_goals_forms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("event_key", sa.String(length=150), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=True),
        sa.Column("email_to", sa.String(length=500), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=False),
        sa.Column("dispatched", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("event_key", name=op.f("uq_notification_event_key")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_dispatched"), ["dispatched"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_event"), ["event"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_unit_code"), ["unit_code"], unique=False)

    op.create_table(
        "bulletin_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bulletin_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bulletin_id"],
            ["bulletin.id"],
            name=op.f("fk_bulletin_recipient_bulletin_id_bulletin"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulletin_recipient")),
        sa.UniqueConstraint("bulletin_id", "name", name=op.f("uq_bulletin_recipient_bulletin_id")),
    )
    with op.batch_alter_table("bulletin_recipient", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bulletin_recipient_bulletin_id"), ["bulletin_id"], unique=False)

    op.create_table(
        "notification_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=False),
        sa.Column("created_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notification.id"],
            name=op.f("fk_notification_delivery_notification_id_notification"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_delivery")),
        sa.UniqueConstraint("notification_id", "channel", name=op.f("uq_notification_delivery_notification_id")),
    )
    with op.batch_alter_table("notification_delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_delivery_next_attempt_at"), ["next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_delivery_notification_id"), ["notification_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_delivery_status"), ["status"], unique=False)

    op.create_table(
        "bulletin_send",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bulletin_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bulletin_id"], ["bulletin.id"], name=op.f("fk_bulletin_send_bulletin_id_bulletin"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notification.id"],
            name=op.f("fk_bulletin_send_notification_id_notification"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["bulletin_recipient.id"],
            name=op.f("fk_bulletin_send_recipient_id_bulletin_recipient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulletin_send")),
    )
    with op.batch_alter_table("bulletin_send", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bulletin_send_bulletin_id"), ["bulletin_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bulletin_send_recipient_id"), ["recipient_id"], unique=False)

    op.create_table(
        "notification_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", sa.String(length=300), nullable=False),
        sa.Column("attempted_at", louyu_kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["notification_delivery.id"],
            name=op.f("fk_notification_attempt_delivery_id_notification_delivery"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_attempt")),
    )
    with op.batch_alter_table("notification_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_attempt_delivery_id"), ["delivery_id"], unique=False)

    # Bulletins issued before name the four bodies 工作要求(三) reports to.
    for position, name in enumerate(("领导小组办公室", "区政府督查室", "区人大财经委", "区人大常委会预算工委")):
        op.execute(
            sa.text(
                "INSERT INTO bulletin_recipient (bulletin_id, name, email, position) "
                "SELECT id, :name, '', :position FROM bulletin"
            ).bindparams(name=name, position=position)
        )


def downgrade() -> None:
    with op.batch_alter_table("notification_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_attempt_delivery_id"))

    op.drop_table("notification_attempt")
    with op.batch_alter_table("bulletin_send", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bulletin_send_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_bulletin_send_bulletin_id"))

    op.drop_table("bulletin_send")
    with op.batch_alter_table("notification_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_delivery_status"))
        batch_op.drop_index(batch_op.f("ix_notification_delivery_notification_id"))
        batch_op.drop_index(batch_op.f("ix_notification_delivery_next_attempt_at"))

    op.drop_table("notification_delivery")
    with op.batch_alter_table("bulletin_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bulletin_recipient_bulletin_id"))

    op.drop_table("bulletin_recipient")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_unit_code"))
        batch_op.drop_index(batch_op.f("ix_notification_event"))
        batch_op.drop_index(batch_op.f("ix_notification_dispatched"))

    op.drop_table("notification")
