"""招商线索: a company that wants space, found on a visit or elsewhere, and its pipeline."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
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
    # 需求 (what the company is looking for): matched against available spaces (tasks.leads.matching).
    area_min: Mapped[float | None] = mapped_column(Float)
    area_max: Mapped[float | None] = mapped_column(Float)
    industry_code: Mapped[str | None] = mapped_column(String(4), index=True)
    needed_by: Mapped[date | None] = mapped_column(Date)
    budget_rent: Mapped[float | None] = mapped_column(Float)
    budget_total: Mapped[float | None] = mapped_column(Float)
    floor_min: Mapped[int | None] = mapped_column(Integer)
    floor_max: Mapped[int | None] = mapped_column(Integer)
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


class LeadMatch(Base):
    """A lead matched to an available space at or above the 待办 threshold, kept when the match
    was last computed (on reading the lead's or the space's matches), so the building's 楼长
    finds it in the 待办 (source 线索匹配) without tasks calling registry for every 待办."""

    __tablename__ = "lead_match"
    __table_args__ = (UniqueConstraint("lead_id", "space_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"), index=True)
    space_id: Mapped[int] = mapped_column(Integer, index=True)
    building_code: Mapped[str] = mapped_column(String(20))
    building_name: Mapped[str] = mapped_column(String(100), default="")
    space_label: Mapped[str] = mapped_column(String(60), default="")
    chief_username: Mapped[str | None] = mapped_column(String(100), index=True)
    score: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
