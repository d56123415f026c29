"""招商线索: a company that wants space, found on a visit or elsewhere, and its pipeline."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from tasks.db import Base

STAGES = {"new": "新线索", "contacted": "已接洽", "negotiating": "洽谈中", "signed": "已签约", "lost": "已流失"}


class Lead(Base):
    """An investment lead. ``contact_phone`` is stored whole and shown masked."""

    __tablename__ = "lead"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_name: Mapped[str] = mapped_column(String(200), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18))
    industry: Mapped[str] = mapped_column(String(100), default="")
    area_wanted: Mapped[float | None] = mapped_column(Float)
    source_visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id", ondelete="SET NULL"), index=True)
    building_code: Mapped[str | None] = mapped_column(String(20), index=True)
    street_code: Mapped[str | None] = mapped_column(String(12), index=True)
    owner_unit_code: Mapped[str | None] = mapped_column(ForeignKey("unit.code"), index=True)
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(20), default="new", index=True)
    stage_date: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}


class LeadStep(Base):
    """One move of a lead along the pipeline (append-only), with the date it happened."""

    __tablename__ = "lead_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"), index=True)
    stage_before: Mapped[str | None] = mapped_column(String(20))
    stage_after: Mapped[str] = mapped_column(String(20))
    step_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
