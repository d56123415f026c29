"""The 特色楼宇 rule of each theme, as the bureau set it (a theme without a row uses the defaults)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, Float, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from metrics.db import Base

MEASURES = {"count": "入驻企业数", "area": "入驻面积", "tax": "税收"}
# DOMAIN.md: "theme share ≥ 50–60% of tenants by count, occupied area or tax" and ≥ 10,000 m² GFA.
DEFAULT_MEASURE = "area"
DEFAULT_THRESHOLD = Decimal("50")
DEFAULT_MIN_GFA = Decimal("10000")
DEFAULT_TAX_BASIS = "tax_total"
TAX_BASES = {"tax_total": "全口径", "tax_district": "区级"}


class ThemeRule(Base):
    """特色楼宇认定规则 of one theme: the theme's share of tenants by ``measure`` ≥ ``threshold`` %
    and GFA ≥ ``min_gfa`` m²."""

    __tablename__ = "theme_rule"

    theme_code: Mapped[str] = mapped_column(String(30), primary_key=True)
    measure: Mapped[str] = mapped_column(String(10), default=DEFAULT_MEASURE)
    threshold: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=DEFAULT_THRESHOLD)
    min_gfa: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=DEFAULT_MIN_GFA)
    tax_basis: Mapped[str] = mapped_column(String(20), default=DEFAULT_TAX_BASIS)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100), default="")


class FeaturedVerdict(Base):
    """A building's stored 特色楼宇 verdict for one year (numbers only, no reasons), kept with the
    rollups (``metrics.featured.store``): what the dashboard, the map and the counts read."""

    __tablename__ = "featured_verdict"

    building_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    qualifies: Mapped[bool] = mapped_column(Boolean, default=False)
    themes: Mapped[str] = mapped_column(String(400), default="")  # qualifying theme codes, comma-separated
    tenants: Mapped[int] = mapped_column(Integer, default=0)
    occupied_area: Mapped[float] = mapped_column(Float, default=0)


class FeaturedYear(Base):
    """A year whose verdicts are stored for every building, as of ``as_of`` (the reference date:
    31 December of a past year, the day of the computation for the current year)."""

    __tablename__ = "featured_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    as_of: Mapped[date] = mapped_column(Date)
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
