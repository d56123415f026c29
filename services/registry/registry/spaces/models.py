"""空间 / 房源: floors and units of a building, with status and availability."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from registry.db import Base

SPACE_STATUSES = {"vacant": "空置", "leased": "已租", "self_use": "自用", "reserved": "预留"}


class Space(Base):
    """A floor or suite; ``available_from`` is when it can be let (None: now, if vacant)."""

    __tablename__ = "space"
    __table_args__ = (UniqueConstraint("building_id", "floor", "unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"), index=True)
    floor: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(30))
    area: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default="vacant", index=True)
    available_from: Mapped[date | None] = mapped_column(Date, index=True)
    asking_rent: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(String(300), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}
