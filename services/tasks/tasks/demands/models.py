"""诉求: a problem an enterprise raised, the unit that must answer it, and its timeline."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from tasks.db import Base

CATEGORIES = {
    "parking": "停车",
    "permits": "审批证照",
    "policy": "政策咨询",
    "talent": "人才服务",
    "property": "物业管理",
    "finance": "融资金融",
    "tax": "税务",
    "other": "其他",
}
STATUSES = {
    "submitted": "已提交",
    "assigned": "已交办",
    "in_progress": "办理中",
    "answered": "已答复",
    "closed": "已办结",
    "reopened": "已重办",
}
OPEN_STATUSES = ("submitted", "assigned", "in_progress", "reopened")


class Demand(Base):
    """An enterprise demand. ``due_date`` follows from the category (reset when reopened)."""

    __tablename__ = "demand"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_name: Mapped[str] = mapped_column(String(200), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), index=True)
    building_code: Mapped[str | None] = mapped_column(String(20), index=True)
    street_code: Mapped[str | None] = mapped_column(String(12), index=True)
    source_visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id", ondelete="SET NULL"), index=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    text: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    unit_code: Mapped[str | None] = mapped_column(ForeignKey("unit.code"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[str | None] = mapped_column(String(100))
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}


class DemandStep(Base):
    """One entry of a demand's timeline (append-only)."""

    __tablename__ = "demand_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demand.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    status_before: Mapped[str | None] = mapped_column(String(20))
    status_after: Mapped[str] = mapped_column(String(20))
    unit_code: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
