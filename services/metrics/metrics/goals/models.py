"""Goals of the work plan (copied from the tasks service or entered by hand) and the state of
the last copy, so the dashboard never calls tasks."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from metrics.db import Base

SOURCES = {"tasks": "工作方案（任务服务）", "manual": "手工录入"}
COMPARISONS = {"increase": "较上年末新增", "at_least": "达到（≥）", "at_most": "不高于（≤）", "equal": "等于（=）"}


class Goal(Base):
    """一个量化目标: ``target`` of ``metric`` for ``year`` (e.g. +2 亿元楼宇 in 2025)."""

    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("source", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(10))
    # The tasks service's goal id ("tasks" goals); null for goals entered by hand.
    external_id: Mapped[str | None] = mapped_column(String(64))
    plan_id: Mapped[str | None] = mapped_column(String(64))
    plan_title: Mapped[str] = mapped_column(String(300), default="")
    metric: Mapped[str] = mapped_column(String(40), index=True)
    # The plan's name for a figure metrics does not know (a count only the bureau keeps).
    metric_name: Mapped[str] = mapped_column(String(50), default="")
    comparison: Mapped[str] = mapped_column(String(10), default="increase")
    target: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    unit: Mapped[str] = mapped_column(String(20), default="")
    text: Mapped[str] = mapped_column(String(500), default="")
    year: Mapped[int] = mapped_column(Integer, index=True)
    phase_end_date: Mapped[date | None] = mapped_column(Date)
    # Current value entered by the bureau (goals no figure in metrics can measure, e.g. 共享中心).
    manual_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    manual_note: Mapped[str] = mapped_column(String(300), default="")
    manual_as_of: Mapped[date | None] = mapped_column(Date)  # the day the entered value is true on
    manual_by: Mapped[str] = mapped_column(String(100), default="")  # who entered it
    manual_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # when it was entered
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100), default="")


class GoalSync(Base):
    """The last copy of the goals from one source (one row, ``source="tasks"``)."""

    __tablename__ = "goal_sync"

    source: Mapped[str] = mapped_column(String(10), primary_key=True)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_ok_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    items: Mapped[int] = mapped_column(Integer, default=0)
