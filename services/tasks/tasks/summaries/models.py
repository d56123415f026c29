"""总结验收: each responsible unit's year summary of a plan, and the 办理情况报告 as issued."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from tasks.db import Base

# draft → submitted → accepted, or submitted → returned (with comments) → submitted → …
STATUSES = {
    "missing": "未提交",
    "draft": "草稿",
    "submitted": "已提交待审核",
    "returned": "已退回修改",
    "accepted": "已验收",
}
RATINGS = {"done": "已完成", "mostly": "基本完成", "partly": "部分完成", "not_done": "未完成"}


class UnitSummary(Base):
    """A unit's 年度工作总结 on a plan, with a self-assessment per task it is responsible for."""

    __tablename__ = "unit_summary"
    __table_args__ = (UniqueConstraint("plan_id", "unit_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("unit.code"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    # [{"task_id": 1, "rating": "done", "note": "…"}]
    assessments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_by: Mapped[str | None] = mapped_column(String(100))
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class ReportIssue(Base):
    """An issued 办理情况报告: version n of a plan's report, its content as compiled (never changed)."""

    __tablename__ = "report_issue"
    __table_args__ = (UniqueConstraint("plan_id", "version_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    issued_by: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
