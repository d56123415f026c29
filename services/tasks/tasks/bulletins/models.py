"""A 工作简报 as issued: its period and the figures it was written from (a snapshot, so a
bulletin printed again next month says what it said when it was issued)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from tasks.db import Base


class Bulletin(Base):
    """One issue of the bulletin (第 ``issue_no`` 期) for ``period``."""

    __tablename__ = "bulletin"
    __table_args__ = (UniqueConstraint("year", "issue_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    issue_no: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(10), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    metrics_available: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


# The four bodies the plan's 工作要求(三) names: bulletins go "向领导小组办公室、区政府督查室、
# 区人大财经委、区人大常委会预算工委汇报".
DEFAULT_RECIPIENTS = ("领导小组办公室", "区政府督查室", "区人大财经委", "区人大常委会预算工委")
SEND_METHODS = {"outbox": "系统发送", "printed": "已打印送达"}


class BulletinRecipient(Base):
    """A body a bulletin is reported to (an e-mail address when it is sent through the outbox)."""

    __tablename__ = "bulletin_recipient"
    __table_args__ = (UniqueConstraint("bulletin_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletin.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class BulletinSend(Base):
    """The send log: sent through the notification outbox, or printed and delivered (by hand)."""

    __tablename__ = "bulletin_send"

    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletin.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("bulletin_recipient.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(10))
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notification.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(300), default="")
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
