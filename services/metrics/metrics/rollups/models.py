"""Rollup tables: enterprise figures attributed to buildings, and their sums the KPIs read.

- ``rollup_enterprise``: one row per enterprise, stored period and building it is attributed
  to (``building_code = ''`` for figures of an enterprise in no building that period), with
  its share and the attributed values. Drill-down to enterprises reads it by building.
- ``rollup_building_period``: sums per building and stored period (``building_code = ''``
  holds the district's figures that belong to no building). Dashboard, rankings and KPIs
  read only this table and ``rollup_building_stock``.
- ``rollup_section_period``: sums per GB/T 4754 门类 and stored period (statistics bureau).
- ``rollup_building_stock``: per building and month, the occupancy in force on the
  month's last day (occupied area, tenants, registered in the district, in statistics).
- ``rollup_dirty`` / ``rollup_dirty_building``: what changed and is not yet rolled up.
- ``rollup_period``: calendar of stored period keys (bounds and days) the SQL joins.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Float, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from metrics.db import Base

MONEY = Numeric(20, 2)


class RollupPeriod(Base):
    """A stored period key (month, quarter or year) with its first and last day."""

    __tablename__ = "rollup_period"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    period_kind: Mapped[str] = mapped_column(String(8))
    year: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    months: Mapped[int] = mapped_column(Integer)


class RollupEnterprise(Base):
    """An enterprise's figures of one stored period attributed to one building (or to none)."""

    __tablename__ = "rollup_enterprise"
    __table_args__ = (
        Index("ix_rollup_enterprise_building", "building_code", "period"),
        Index("ix_rollup_enterprise_period", "period", "section"),
    )

    credit_code: Mapped[str] = mapped_column(String(18), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    building_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    period_kind: Mapped[str] = mapped_column(String(8))
    section: Mapped[str] = mapped_column(String(1), default="")
    share: Mapped[float] = mapped_column(Float)
    tax_total: Mapped[Decimal | None] = mapped_column(MONEY)
    tax_district: Mapped[Decimal | None] = mapped_column(MONEY)
    revenue: Mapped[Decimal | None] = mapped_column(MONEY)
    employees: Mapped[Decimal | None] = mapped_column(MONEY)


class RollupBuildingPeriod(Base):
    """Sums of the attributed figures of one building (``''`` = no building) and stored period."""

    __tablename__ = "rollup_building_period"
    __table_args__ = (Index("ix_rollup_building_period_period", "period", "building_code"),)

    building_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    period_kind: Mapped[str] = mapped_column(String(8))
    tax_total: Mapped[Decimal | None] = mapped_column(MONEY)
    tax_district: Mapped[Decimal | None] = mapped_column(MONEY)
    revenue: Mapped[Decimal | None] = mapped_column(MONEY)
    employees: Mapped[Decimal | None] = mapped_column(MONEY)
    enterprises: Mapped[int] = mapped_column(Integer, default=0)


class RollupSectionPeriod(Base):
    """Sums of all figures of one GB/T 4754 门类 (``''`` = unknown industry) and stored period."""

    __tablename__ = "rollup_section_period"

    section: Mapped[str] = mapped_column(String(1), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    period_kind: Mapped[str] = mapped_column(String(8))
    tax_total: Mapped[Decimal | None] = mapped_column(MONEY)
    tax_district: Mapped[Decimal | None] = mapped_column(MONEY)
    revenue: Mapped[Decimal | None] = mapped_column(MONEY)
    employees: Mapped[Decimal | None] = mapped_column(MONEY)
    enterprises: Mapped[int] = mapped_column(Integer, default=0)


class RollupBuildingStock(Base):
    """Occupancy of a building in force on the last day of a month."""

    __tablename__ = "rollup_building_stock"
    __table_args__ = (Index("ix_rollup_building_stock_month", "month", "building_code"),)

    building_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    occupied_area: Mapped[float] = mapped_column(Float, default=0)
    tenants: Mapped[int] = mapped_column(Integer, default=0)
    registered: Mapped[int] = mapped_column(Integer, default=0)
    in_statistics: Mapped[int] = mapped_column(Integer, default=0)


class RollupDirty(Base):
    """An enterprise's stored period whose attribution must be recomputed."""

    __tablename__ = "rollup_dirty"

    credit_code: Mapped[str] = mapped_column(String(18), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)


class RollupDirtyBuilding(Base):
    """A building whose monthly occupancy (``rollup_building_stock``) must be recomputed."""

    __tablename__ = "rollup_dirty_building"

    building_code: Mapped[str] = mapped_column(String(32), primary_key=True)


class RollupClaim(Base):
    """An enterprise-period the running refresh took from ``rollup_dirty`` (PostgreSQL): the
    worker moves the marks here in a short transaction of its own, so a hook marking the same
    key meanwhile never waits for the long recompute; deleted when the recompute commits (kept,
    and done again, if it fails)."""

    __tablename__ = "rollup_claim"

    credit_code: Mapped[str] = mapped_column(String(18), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)


class RollupClaimBuilding(Base):
    """A building the running refresh took from ``rollup_dirty_building`` (see ``RollupClaim``)."""

    __tablename__ = "rollup_claim_building"

    building_code: Mapped[str] = mapped_column(String(32), primary_key=True)


class RollupDirtyBuildingPeriod(Base):
    """Work list during a refresh: building sums to recompute (empty between refreshes)."""

    __tablename__ = "rollup_dirty_building_period"

    building_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)


class RollupDirtySectionPeriod(Base):
    """Work list during a refresh: 门类 sums to recompute (empty between refreshes)."""

    __tablename__ = "rollup_dirty_section_period"

    section: Mapped[str] = mapped_column(String(1), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)


class RollupState(Base):
    """One row: when the rollups were last rebuilt and refreshed, and the months of stock kept."""

    __tablename__ = "rollup_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    rebuilt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    refreshed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=utcnow)
    stock_from: Mapped[str | None] = mapped_column(String(7))
    stock_to: Mapped[str | None] = mapped_column(String(7))
