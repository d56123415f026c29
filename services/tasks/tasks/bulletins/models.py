"""A 工作简报 as issued: its period and the figures it was written from (a snapshot, so a
bulletin printed again next month says what it said when it was issued)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, String, UniqueConstraint
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
