"""入驻 occupancy: enterprise X occupies area A in building B (optionally in given spaces) from d1 to d2."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from louyu_kit.db import UtcDateTime, utcnow
from registry.db import Base


class Occupancy(Base):
    """One stay of an enterprise in a building; ``end_date`` None means it is still there."""

    __tablename__ = "occupancy"
    # Tenants of buildings on a date (building lists, vacancy) read only this index.
    __table_args__ = (Index("ix_occupancy_building_dates", "building_id", "start_date", "end_date", "enterprise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"), index=True)
    area: Mapped[float] = mapped_column(Float)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(300), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    space_links: Mapped[list[OccupancySpace]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="OccupancySpace.space_id"
    )

    __mapper_args__ = {"version_id_col": version}


class OccupancySpace(Base):
    """The part of one space an occupancy takes (its area within that space)."""

    __tablename__ = "occupancy_space"

    occupancy_id: Mapped[int] = mapped_column(ForeignKey("occupancy.id", ondelete="CASCADE"), primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id"), primary_key=True, index=True)
    area: Mapped[float] = mapped_column(Float)
