"""人大代表视察、座谈 (inspections and forums), the 整改意见 the deputies raise, each assigned to
one or more 承办单位, and the files kept with them (photos, evidence, summary attachments)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from tasks.db import Base

KINDS = {"inspection": "视察", "forum": "座谈"}
# An assignment (one unit's share of one opinion): open → answered → closed, or answered →
# returned (sent back with a reason) → answered → …
STATUSES = {"open": "待整改", "answered": "已反馈待确认", "returned": "退回重办", "closed": "已办结"}
# 督办 levels on an overdue assignment, the same words as the 督办单 of tasks.
URGE_LEVELS = {1: "提醒", 2: "督办", 3: "通报"}


class Inspection(Base):
    """A 视察 or 座谈 of the people's deputies on the motion (一号议案)."""

    __tablename__ = "inspection"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="inspection")
    held_on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))
    # Deputies' names are personal data: stored whole, shown masked, revealed on an audited request.
    deputies: Mapped[list[str]] = mapped_column(JSON, default=list)
    attendees: Mapped[str] = mapped_column(Text, default="")
    places: Mapped[list[str]] = mapped_column(JSON, default=list)
    # [{"code": …, "name": …}] as the registry named them when recorded.
    buildings: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    reporting_units: Mapped[list[str]] = mapped_column(JSON, default=list)
    minutes: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Opinion(Base):
    """One 整改意见 raised at an inspection, with the deadline for its 整改."""

    __tablename__ = "inspection_opinion"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer, default=1)
    text: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date] = mapped_column(Date, index=True)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OpinionAssignment(Base):
    """One 承办单位's share of an opinion: its answer (整改措施 and evidence), the bureau's
    confirmation or send-back, and the 督办 level reached while it is overdue."""

    __tablename__ = "opinion_assignment"
    __table_args__ = (UniqueConstraint("opinion_id", "unit_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(ForeignKey("inspection_opinion.id", ondelete="CASCADE"), index=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("unit.code"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[str | None] = mapped_column(String(100))
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    return_reason: Mapped[str] = mapped_column(Text, default="")
    returned_count: Mapped[int] = mapped_column(Integer, default=0)
    returned_by: Mapped[str | None] = mapped_column(String(100))
    returned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(100))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    urge_level: Mapped[int] = mapped_column(Integer, default=0)
    urged_on: Mapped[date | None] = mapped_column(Date)
    urge_note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class OversightFile(Base):
    """A photo of an inspection, evidence of an answer, or an attachment of a unit's summary
    (checked by content like task attachments; kept in the database)."""

    __tablename__ = "oversight_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("opinion_assignment.id", ondelete="CASCADE"), index=True
    )
    summary_id: Mapped[int | None] = mapped_column(ForeignKey("unit_summary.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
