"""工作方案 plans: the document, its outline, phases, goals and the units' written duties."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from louyu_kit.db import UtcDateTime, utcnow
from tasks.db import Base


class Plan(Base):
    """An imported work plan (工作方案) and the document it came from."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(100), default="")
    doc_number: Mapped[str] = mapped_column(String(100), default="", index=True)
    issued_date: Mapped[date | None] = mapped_column(Date)
    lead_unit_code: Mapped[str | None] = mapped_column(ForeignKey("unit.code"), index=True)
    source_text: Mapped[str] = mapped_column(Text, default="")
    warnings: Mapped[list[dict]] = mapped_column(JSON, default=list)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}


class PlanSection(Base):
    """A heading of the document (一、… / （一）…) with its text; the outline as written."""

    __tablename__ = "plan_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plan_section.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(20), default="")
    title: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="other")
    body: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    # Lets an import add the whole outline and flush once (parents inserted first).
    parent: Mapped[PlanSection | None] = relationship(remote_side=[id])


class PlanPhase(Base):
    """A 工作步骤 phase with its date range (inclusive, whole months as written)."""

    __tablename__ = "plan_phase"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    period_text: Mapped[str] = mapped_column(String(100), default="")
    steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)


class PlanGoal(Base):
    """A quantitative goal the metrics service tracks: 新增2栋税收亿元楼宇 → (yiyuan_buildings, increase, 2,
    栋); 入驻率达到90% → (occupancy_rate, at_least, 90, %); 招商共享中心3个 → entered by the bureau."""

    __tablename__ = "plan_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    metric: Mapped[str] = mapped_column(String(50), index=True)
    metric_name: Mapped[str] = mapped_column(String(50), default="")
    # increase (on the value at the end of the year before) / at_least / at_most / equal
    comparison: Mapped[str] = mapped_column(String(10), default="increase")
    target: Mapped[Decimal] = mapped_column(Numeric(20, 2))
    unit: Mapped[str] = mapped_column(String(20), default="")
    baseline: Mapped[str] = mapped_column(String(20), default="previous_year_end")
    measured_by: Mapped[str] = mapped_column(String(10), default="metrics")
    text: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class PlanUnit(Base):
    """主办 / 协办 units of a plan with the duty the document writes for each."""

    __tablename__ = "plan_unit"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), primary_key=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("unit.code"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(10))
    duty: Mapped[str] = mapped_column(Text, default="")
    written_as: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
