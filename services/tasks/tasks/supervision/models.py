"""督办 supervision notices on lagging (yellow) or overdue (red) tasks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from tasks.db import Base

LEVELS = {1: "提醒", 2: "督办", 3: "通报"}
STATUSES = {"open": "待回复", "responded": "已回复", "closed": "已办结"}


class SupervisionNotice(Base):
    """A 督办单 issued by the bureau (督办单位) to one 承办单位 about its part of one task; the
    unit must respond by ``respond_by``.
    The daily rule writes ``rule_date`` so running it twice on one day issues nothing new."""

    __tablename__ = "supervision_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("unit.code"), index=True)
    level: Mapped[int] = mapped_column(Integer, default=1)
    light: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(10), default="manual")
    rule_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    respond_by: Mapped[date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    response: Mapped[str] = mapped_column(Text, default="")
    responded_by: Mapped[str | None] = mapped_column(String(100))
    responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(100))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    # One rule notice per part (task, 承办单位) per source per day: a lagging co-unit and the
    # lead can both be supervised on the same day; ``source`` rule (light) or report (missed report).
    __table_args__ = (
        UniqueConstraint("task_id", "unit_code", "source", "rule_date", name="uq_supervision_notice_part_rule_date"),
    )
    __mapper_args__ = {"version_id_col": version}
