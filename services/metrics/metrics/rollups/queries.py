"""Read side of the rollups (for the KPIs, the dashboard, 特色 evaluation and warnings).

Everything here reads the small rollup tables (``rollup_building_period``,
``rollup_building_stock``, ``rollup_section_period``), never the raw facts. Amounts are
``Decimal`` (money is never a float); areas are m² floats.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from metrics.rollups.attribution import KINDS
from metrics.rollups.models import (
    RollupBuildingPeriod,
    RollupBuildingStock,
    RollupEnterprise,
    RollupSectionPeriod,
)
from metrics.rollups.periods import MONTH, PeriodRange, month_key, parse_range, ytd_year

NO_BUILDING = ""
ZERO = Decimal("0.00")

# Tiers of 楼宇 by the year's (or year-to-date) 全口径 tax. A building is in a tier when its
# tax is **greater than or equal to** the threshold: exactly 100,000,000.00 元 is 亿元楼宇,
# 99,999,999.99 元 is not. 月亿楼: ≥ 100,000,000.00 元 in one month.
TIERS: tuple[tuple[str, str, Decimal], ...] = (
    ("qianwan", "千万元楼宇", Decimal("10000000")),
    ("wuqianwan", "5000万元楼宇", Decimal("50000000")),
    ("yiyuan", "亿元楼宇", Decimal("100000000")),
    ("shiyi", "十亿元楼宇", Decimal("1000000000")),
)
MONTHLY_YI = Decimal("100000000")
# A band is the tiers' range between a threshold and the next one: the map colours a building
# by the highest tier it reaches, and such a colour is always named as a band (5000万–1亿元),
# never by the tier's name ("5000万元楼宇" counts every building ≥ 5000万, 亿元 ones included).
BAND_LABELS = {
    "qianwan": "1000万–5000万元",
    "wuqianwan": "5000万–1亿元",
    "yiyuan": "1亿–10亿元",
    "shiyi": "10亿元及以上",
}


def band_label(key: str | None) -> str:
    """The band's label for a tier key ('' below the lowest tier)."""
    return BAND_LABELS.get(key or "", "")


def band_upper(key: str) -> float | None:
    """The band's upper bound (元, exclusive; None for the top band)."""
    keys = [k for k, _n, _t in TIERS]
    position = keys.index(key)
    return float(TIERS[position + 1][2]) if position + 1 < len(TIERS) else None


@dataclass
class Figures:
    """Sums of attributed figures (None when nothing was reported)."""

    tax_total: Decimal | None = None
    tax_district: Decimal | None = None
    revenue: Decimal | None = None
    employees: Decimal | None = None
    enterprises: int = 0

    def add(self, other: Figures) -> None:
        """Add the amounts (``enterprises`` is the caller's to count)."""
        for kind in ("tax_total", "tax_district", "revenue"):
            mine, theirs = getattr(self, kind), getattr(other, kind)
            if theirs is not None:
                setattr(self, kind, (mine or ZERO) + theirs)

    def value(self, basis: str) -> Decimal | None:
        return getattr(self, basis)


@dataclass
class Stock:
    """Occupancy of buildings on a month's last day."""

    occupied_area: float = 0.0
    tenants: int = 0
    registered: int = 0
    in_statistics: int = 0

    def add(self, other: Stock) -> None:
        self.occupied_area += other.occupied_area
        self.tenants += other.tenants
        self.registered += other.registered
        self.in_statistics += other.in_statistics


@dataclass
class TierCount:
    key: str
    name: str
    threshold: Decimal
    buildings: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)


def resolve(session: Session, period: str | PeriodRange) -> PeriodRange:
    """A range from its text; ``YYYY-YTD`` runs to the latest month of that year with figures."""
    if isinstance(period, PeriodRange):
        return period
    year = ytd_year(period)
    return parse_range(period, latest_month=latest_month(session, year) if year else None)


def latest_month(session: Session, year: int) -> int | None:
    """The latest month of ``year`` with any attributed figure (None when the year has none)."""
    last = session.scalar(
        select(func.max(RollupBuildingPeriod.period)).where(
            RollupBuildingPeriod.period >= month_key(year, 1),
            RollupBuildingPeriod.period <= month_key(year, 12),
        )
    )
    return int(last[5:7]) if last else None


def _sum_columns(model: type) -> list:  # type: ignore[type-arg]
    return [func.sum(getattr(model, k)).label(k) for k in ("tax_total", "tax_district", "revenue")]


def building_figures(
    session: Session,
    *,
    period: str | PeriodRange,
    building_codes: Collection[str] | None = None,
    include_unattributed: bool = False,
) -> dict[str, Figures]:
    """Figures per building for a range (``''`` = no building, only with ``include_unattributed``)."""
    rng = resolve(session, period)
    query = (
        select(
            RollupBuildingPeriod.building_code,
            *_sum_columns(RollupBuildingPeriod),
            func.max(RollupBuildingPeriod.enterprises),
        )
        .where(RollupBuildingPeriod.period.in_(rng.stored_periods()))
        .group_by(RollupBuildingPeriod.building_code)
    )
    if building_codes is not None:
        query = query.where(RollupBuildingPeriod.building_code.in_(list(building_codes)))
    elif not include_unattributed:
        query = query.where(RollupBuildingPeriod.building_code != NO_BUILDING)
    return {
        code: Figures(tax_total=t, tax_district=d, revenue=r, enterprises=int(n or 0))
        for code, t, d, r, n in session.execute(query)
    }


def building_totals(
    session: Session,
    *,
    period: str | PeriodRange,
    basis: str = "tax_total",
    building_codes: Collection[str] | None = None,
) -> dict[str, Decimal]:
    """Tax (or revenue) per building for a range; buildings without figures are absent."""
    if basis not in KINDS:
        raise ValueError(f"unknown basis {basis}")
    figures = building_figures(session, period=period, building_codes=building_codes)
    return {code: value for code, f in figures.items() if (value := f.value(basis)) is not None}


def unattributed(session: Session, *, period: str | PeriodRange) -> Figures:
    """Figures of enterprises that occupied no building (the district's, but no building's)."""
    return building_figures(session, period=period, building_codes=[NO_BUILDING]).get(NO_BUILDING, Figures())


def employees_at_end(
    session: Session, *, period: str | PeriodRange, building_codes: Collection[str] | None = None
) -> Decimal | None:
    """从业人员 of the latest month of the range that has them (a head count is not summed over months)."""
    rng = resolve(session, period)
    query = (
        select(RollupBuildingPeriod.period, func.sum(RollupBuildingPeriod.employees))
        .where(RollupBuildingPeriod.period.in_(rng.month_keys()), RollupBuildingPeriod.employees.is_not(None))
        .group_by(RollupBuildingPeriod.period)
        .order_by(RollupBuildingPeriod.period.desc())
        .limit(1)
    )
    if building_codes is not None:
        query = query.where(RollupBuildingPeriod.building_code.in_(list(building_codes)))
    row = session.execute(query).first()
    return row[1] if row else None


def monthly_series(
    session: Session, *, year: int, building_codes: Collection[str] | None = None, include_unattributed: bool = False
) -> dict[str, Figures]:
    """Sums per month of ``year`` over the buildings (all, or ``building_codes``)."""
    query = (
        select(RollupBuildingPeriod.period, *_sum_columns(RollupBuildingPeriod), func.count())
        .where(RollupBuildingPeriod.period >= month_key(year, 1), RollupBuildingPeriod.period <= month_key(year, 12))
        .where(RollupBuildingPeriod.period_kind == MONTH)
        .group_by(RollupBuildingPeriod.period)
    )
    if building_codes is not None:
        query = query.where(RollupBuildingPeriod.building_code.in_(list(building_codes)))
    elif not include_unattributed:
        query = query.where(RollupBuildingPeriod.building_code != NO_BUILDING)
    return {
        period: Figures(tax_total=t, tax_district=d, revenue=r, enterprises=int(n))
        for period, t, d, r, n in session.execute(query)
    }


def stock(session: Session, *, month: str, building_codes: Collection[str] | None = None) -> dict[str, Stock]:
    """Occupancy per building in force on the last day of ``month`` (buildings with tenants)."""
    query = select(
        RollupBuildingStock.building_code,
        RollupBuildingStock.occupied_area,
        RollupBuildingStock.tenants,
        RollupBuildingStock.registered,
        RollupBuildingStock.in_statistics,
    ).where(RollupBuildingStock.month == month)
    if building_codes is not None:
        query = query.where(RollupBuildingStock.building_code.in_(list(building_codes)))
    return {
        code: Stock(float(area or 0), tenants, reg, stat) for code, area, tenants, reg, stat in session.execute(query)
    }


def stock_available(session: Session, *, month: str) -> bool:
    from metrics.rollups.models import RollupState

    state = session.get(RollupState, 1)
    return bool(state and state.stock_from and state.stock_from <= month <= (state.stock_to or ""))


def section_figures(session: Session, *, period: str | PeriodRange) -> dict[str, Figures]:
    """Figures per GB/T 4754 门类 (``''`` = industry unknown), every enterprise of the district."""
    rng = resolve(session, period)
    query = (
        select(
            RollupSectionPeriod.section, *_sum_columns(RollupSectionPeriod), func.max(RollupSectionPeriod.enterprises)
        )
        .where(RollupSectionPeriod.period.in_(rng.stored_periods()))
        .group_by(RollupSectionPeriod.section)
    )
    return {
        section: Figures(tax_total=t, tax_district=d, revenue=r, enterprises=int(n or 0))
        for section, t, d, r, n in session.execute(query)
    }


def enterprise_figures(
    session: Session, *, period: str | PeriodRange, building_code: str, limit: int | None = None
) -> list[tuple[str, Figures, float]]:
    """Tenants' attributed figures in one building for a range, largest 全口径 tax first:
    ``(credit_code, figures, latest share)``."""
    rng = resolve(session, period)
    total = func.sum(RollupEnterprise.tax_total)
    query = (
        select(
            RollupEnterprise.credit_code,
            *_sum_columns(RollupEnterprise),
            func.max(RollupEnterprise.share),
        )
        .where(RollupEnterprise.building_code == building_code, RollupEnterprise.period.in_(rng.stored_periods()))
        .group_by(RollupEnterprise.credit_code)
        .order_by(func.coalesce(total, 0).desc(), RollupEnterprise.credit_code)
    )
    if limit:
        query = query.limit(limit)
    return [
        (cc, Figures(tax_total=t, tax_district=d, revenue=r), float(share or 0))
        for cc, t, d, r, share in session.execute(query)
    ]


def tiers(
    session: Session,
    *,
    period: str | PeriodRange,
    building_codes: Collection[str] | None = None,
) -> dict[str, object]:
    """亿元楼宇 and the other tiers for a year or year-to-date range, which buildings are new in
    each tier compared with the same range of the previous year, and the 月亿楼 of the range."""
    rng = resolve(session, period)
    current = building_totals(session, period=rng, building_codes=building_codes)
    previous = building_totals(session, period=rng.previous_year(), building_codes=building_codes)
    counts = []
    for key, name, threshold in TIERS:
        inside = sorted(code for code, value in current.items() if value >= threshold)
        before = {code for code, value in previous.items() if value >= threshold}
        counts.append(TierCount(key, name, threshold, inside, [c for c in inside if c not in before]))
    return {
        "range": rng,
        "tiers": counts,
        "monthly_yi": tiers_monthly_yi(session, rng=rng, building_codes=building_codes),
    }


def tiers_monthly_yi(session: Session, *, rng: PeriodRange, building_codes: Collection[str] | None = None) -> list[str]:
    """月亿楼: buildings with ≥ 100,000,000.00 元 全口径 tax in at least one month of the range."""
    monthly = (
        select(RollupBuildingPeriod.building_code)
        .where(
            RollupBuildingPeriod.period.in_(rng.month_keys()),
            RollupBuildingPeriod.building_code != NO_BUILDING,
            RollupBuildingPeriod.tax_total >= MONTHLY_YI,
        )
        .distinct()
    )
    if building_codes is not None:
        monthly = monthly.where(RollupBuildingPeriod.building_code.in_(list(building_codes)))
    return sorted(session.scalars(monthly))
