"""Tasks (plan → section → task → sub-task / milestone), their units, timeline and attachments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from louyu_kit.db import UtcDateTime, utcnow
from tasks.db import Base

KINDS = {"section": "任务分组", "task": "任务", "subtask": "子任务", "milestone": "节点"}
STATUSES = {"not_started": "未开始", "in_progress": "推进中", "done": "已完成", "suspended": "暂停"}
ROLES = {"lead": "牵头单位", "co": "配合单位"}


class Task(Base):
    """One node of a plan's work tree. ``kind`` section groups tasks (主要任务 （一）…)."""

    __tablename__ = "task"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("plan_section.id", ondelete="SET NULL"))
    phase_id: Mapped[int | None] = mapped_column(ForeignKey("plan_phase.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="task")
    number: Mapped[str] = mapped_column(String(30), default="")
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    lead_unit_code: Mapped[str | None] = mapped_column(ForeignKey("unit.code"), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="not_started", index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    # The lowest progress among the task's unfinished parts (tasks.parts.derive): the light is
    # read from it, so a lagging co-unit turns the task yellow or red. None: no parts.
    weakest_progress: Mapped[int | None] = mapped_column(Integer)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    # For building a tree in memory and flushing it at once (an import).
    parent: Mapped[Task | None] = relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": version}


class TaskUnit(Base):
    """A unit responsible for a task: ``lead`` (one) or ``co``; ``written_as`` is the name the
    document used (各街道办事处 for each of the streets it stands for)."""

    __tablename__ = "task_unit"

    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), primary_key=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("unit.code"), primary_key=True)
    role: Mapped[str] = mapped_column(String(10), default="co")
    written_as: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_task_unit_unit_task", "unit_code", "task_id"),)


class TaskUpdate(Base):
    """One entry of a task's timeline (append-only: never updated or deleted by the service)."""

    __tablename__ = "task_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    author: Mapped[str] = mapped_column(String(100))
    unit_code: Mapped[str | None] = mapped_column(ForeignKey("unit.code"))
    text: Mapped[str] = mapped_column(Text, default="")
    progress_before: Mapped[int | None] = mapped_column(Integer)
    progress_after: Mapped[int | None] = mapped_column(Integer)
    status_before: Mapped[str | None] = mapped_column(String(20))
    status_after: Mapped[str | None] = mapped_column(String(20))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class TaskAttachment(Base):
    """A photo or PDF attached to a timeline entry (stored in the database, checked by content)."""

    __tablename__ = "task_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("task_update.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
