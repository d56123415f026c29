"""责任分解: each responsible unit's part of a task (duty, own progress, own reports), and the
reporting cycle the bureau sets per plan or per task."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from tasks.db import Base


class TaskPart(Base):
    """One responsible unit's part of a task (责任分解): the duty the plan writes for it (section
    四, editable), its own progress and status; ``role`` mirrors the task's unit list."""

    __tablename__ = "task_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("unit.code"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="co")
    duty: Mapped[str] = mapped_column(Text, default="")
    # plan: read from the plan's 责任分解 / edited: changed by the bureau / "": none written
    duty_source: Mapped[str] = mapped_column(String(10), default="")
    weight: Mapped[int] = mapped_column(Integer, default=1)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    last_report_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("task_id", "unit_code", name="uq_task_part_task_unit"),)
    __mapper_args__ = {"version_id_col": version}


class PartReport(Base):
    """A unit's report on its part (append-only). ``update_id`` is the matching entry of the
    task's timeline, which also carries the report's attachments."""

    __tablename__ = "part_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("task_part.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    update_id: Mapped[int | None] = mapped_column(ForeignKey("task_update.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text, default="")
    progress_before: Mapped[int] = mapped_column(Integer, default=0)
    progress_after: Mapped[int] = mapped_column(Integer, default=0)
    status_after: Mapped[str] = mapped_column(String(20), default="in_progress")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class ReportCycle(Base):
    """How often the units report on their parts: every ``months`` months on ``day`` of the
    month, set by the bureau for a whole plan or one task (the task's own wins)."""

    __tablename__ = "report_cycle"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), unique=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), unique=True)
    months: Mapped[int] = mapped_column(Integer, default=1)
    day: Mapped[int] = mapped_column(Integer, default=25)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
