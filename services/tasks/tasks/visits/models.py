"""扫楼 visit rounds and visit records (with the space changes, tenants and photos they carry)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from tasks.db import Base

SPACE_STATUSES = {"vacant": "空置", "leased": "已租", "self_use": "自用", "reserved": "预留"}
TENANT_MOVES = {"arrived": "新入驻", "left": "已迁出", "present": "在楼"}


class VisitRound(Base):
    """A 扫楼 campaign (“2025年第二季度扫楼”): a date range and the buildings to cover."""

    __tablename__ = "visit_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class VisitRoundBuilding(Base):
    """A building a round must cover and the 楼长 responsible for it (as registry had it)."""

    __tablename__ = "visit_round_building"

    round_id: Mapped[int] = mapped_column(ForeignKey("visit_round.id", ondelete="CASCADE"), primary_key=True)
    building_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    building_name: Mapped[str] = mapped_column(String(100))
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    street_name: Mapped[str] = mapped_column(String(50), default="")
    chief_username: Mapped[str | None] = mapped_column(String(50), index=True)
    chief_name: Mapped[str] = mapped_column(String(50), default="")


class Visit(Base):
    """One visit of a building. ``client_ref`` is the phone draft's id: a draft sent twice
    (its answer lost) is recognised and not recorded again."""

    __tablename__ = "visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("visit_round.id", ondelete="SET NULL"), index=True)
    building_code: Mapped[str] = mapped_column(String(20), index=True)
    building_name: Mapped[str] = mapped_column(String(100))
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    visit_date: Mapped[date] = mapped_column(Date, index=True)
    chief_username: Mapped[str] = mapped_column(String(100), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    client_ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class VisitUnit(Base):
    """A unit that took part in the visit (the street office, a department's 招商 staff …)."""

    __tablename__ = "visit_unit"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), primary_key=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("unit.code"), primary_key=True, index=True)


class VisitSpaceChange(Base):
    """A space whose status the visit changed in registry (before → after, registry's version)."""

    __tablename__ = "visit_space_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    space_id: Mapped[int] = mapped_column(Integer)
    floor: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(30))
    area: Mapped[float] = mapped_column(Float)
    status_before: Mapped[str] = mapped_column(String(10))
    status_after: Mapped[str] = mapped_column(String(10))
    available_from: Mapped[date | None] = mapped_column(Date)
    registry_version: Mapped[int] = mapped_column(Integer)


class VisitTenant(Base):
    """A tenant the 楼长 saw arrive, leave or present (an observation for registry's clerks)."""

    __tablename__ = "visit_tenant"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    move: Mapped[str] = mapped_column(String(10))
    enterprise_name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18))
    floor: Mapped[int | None] = mapped_column(Integer)
    area: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(String(300), default="")


class VisitPhoto(Base):
    """A photo taken on the visit, kept in the database with the visit: every replica serves it,
    the backups hold it, and a failed request leaves no stray file (the service containers'
    file systems are read-only)."""

    __tablename__ = "visit_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(30))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
