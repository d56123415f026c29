"""The notification outbox, its deliveries per channel and the log of send attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from tasks.db import Base

CHANNELS = {"email": "电子邮件", "webhook": "政务微信/钉钉"}
DELIVERY_STATUSES = {"pending": "待发送", "sent": "已发送", "failed": "发送失败"}
EVENTS = {
    "supervision.issued": "新督办单",
    "supervision.overdue": "督办单超期未回复",
    "bulletin.sent": "工作简报报送",
}


class Notification(Base):
    """One event to tell people about (written with the event, in its transaction)."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(40), index=True)
    event_key: Mapped[str] = mapped_column(String(150), unique=True)
    unit_code: Mapped[str | None] = mapped_column(String(32), index=True)
    # E-mail addresses named by the event itself (a bulletin's recipients), comma separated;
    # empty: the configured addresses (LOUYU_TASKS_NOTIFY_EMAIL_TO / _EMAIL_UNITS).
    email_to: Mapped[str] = mapped_column(String(500), default="")
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(300), default="")
    dispatched: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class NotificationDelivery(Base):
    """The event sent through one channel: never twice (unique per event and channel)."""

    __tablename__ = "notification_delivery"
    __table_args__ = (UniqueConstraint("notification_id", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notification.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    target: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class NotificationAttempt(Base):
    """One send attempt (the bureau reads this log)."""

    __tablename__ = "notification_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("notification_delivery.id", ondelete="CASCADE"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str] = mapped_column(String(300), default="")
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
