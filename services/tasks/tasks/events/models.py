"""楼宇活动 (building events): the event, its organising units, its invitees and its outcomes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from tasks.db import Base

# The kinds of event the bureau and the streets hold, with the words they use for them.
EVENT_KINDS = {
    "gov_enterprise_forum": "政企座谈会",
    "innovation_roundtable": "楼宇创新圆桌会",
    "yangtze_council": "长江楼宇议事厅",
    "promotion": "专场推介",
    "bank_enterprise": "银企对接",
    "policy_briefing": "政策宣讲",
    "other": "其他活动",
}
INVITEE_CATEGORIES = {
    "enterprise": "企业",
    "deputy": "人大代表",
    "member": "政协委员",
    "bank": "银行",
    "other": "其他",
}
OUTCOME_KINDS = {"lead": "招商线索", "demand": "企业诉求"}


class BuildingEvent(Base):
    """A 楼宇活动 held on a date in a building (registry code, name kept as registry had it) or a
    place; ``street_code`` is the building's street, or the street named for a place (none for a
    district-wide event the bureau holds elsewhere)."""

    __tablename__ = "building_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    title: Mapped[str] = mapped_column(String(200))
    event_date: Mapped[date] = mapped_column(Date, index=True)
    building_code: Mapped[str | None] = mapped_column(String(20), index=True)
    building_name: Mapped[str] = mapped_column(String(100), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    street_code: Mapped[str | None] = mapped_column(String(12), index=True)
    attendance: Mapped[int | None] = mapped_column(Integer)
    policies: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)


class EventUnit(Base):
    """An organising unit of the event (units of the directory: the bureau, a street, a department)."""

    __tablename__ = "event_unit"

    event_id: Mapped[int] = mapped_column(ForeignKey("building_event.id", ondelete="CASCADE"), primary_key=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("unit.code"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class EventInvitee(Base):
    """Someone invited: an enterprise (with its credit code when known), a 人大代表 or 政协委员, a bank."""

    __tablename__ = "event_invitee"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("building_event.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18))


class EventOutcome(Base):
    """A lead created or a demand raised at the event (tasks' own leads and demands)."""

    __tablename__ = "event_outcome"

    event_id: Mapped[int] = mapped_column(ForeignKey("building_event.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    ref_id: Mapped[int] = mapped_column(Integer, primary_key=True)
