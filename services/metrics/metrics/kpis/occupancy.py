"""Occupancy of buildings on a date, from the read model of registry's stays — the one
definition (``louyu_kit.occupancy``, DOMAIN.md → 指标口径), the same figures registry's building
answer gives for the same date. Every metrics screen reads its occupancy figures here: the
building KPIs and tax tab, the rankings, the map, the street and district KPIs, the dashboard
and the warnings.

The date: ``on`` when the caller names one; for the latest period — a range that reaches the
latest month with figures (the screens' default period) or the current month — today, the date
registry's building answer shows by default, so the building header, its tax tab, the map and
the cockpit agree without being told a date; for an earlier range its last day (期末).

Aggregates (street, theme, zone, district) sum the **reported** buildings only: 在建 buildings
are outside the occupancy, vacancy, 坪效 and tenant denominators (their area is 在建载体面积)
and 未填报 ones are left out of the rates (counted as such).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.occupancy import UNDER_CONSTRUCTION, OccupancyFigures, occupancy_figures
from metrics.readmodel.models import RmBuilding, RmEnterprise, RmOccupancy, RmSpace
from metrics.rollups.models import RollupBuildingPeriod
from metrics.rollups.periods import MONTH, PeriodRange, month_key


def latest_month(session: Session) -> str | None:
    """The latest month with any attributed figure (``YYYY-MM``)."""
    return session.scalar(
        select(func.max(RollupBuildingPeriod.period)).where(RollupBuildingPeriod.period_kind == MONTH)
    )


def figures_date(session: Session, rng: PeriodRange | None = None, on: date | None = None) -> date:
    """The day a range's occupancy figures are read at."""
    if on is not None:
        return on
    today = today_in_china()
    if rng is None:
        return today
    latest = latest_month(session)
    current = month_key(today.year, today.month)
    if rng.end_month >= min(latest or current, current):
        return today
    return rng.end_date


@dataclass(frozen=True)
class BuildingOccupancy:
    code: str
    figures: OccupancyFigures
    gfa: float | None
    registered: int
    in_statistics: int


def buildings_on(session: Session, *, on: date, codes: Collection[str] | None = None) -> dict[str, BuildingOccupancy]:
    """Every (non-deleted) building's occupancy on ``on`` (all, or ``codes``)."""
    buildings = select(RmBuilding.code, RmBuilding.stage, RmBuilding.leasable_area, RmBuilding.gfa).where(
        RmBuilding.deleted.is_(False)
    )
    stays = (
        select(
            RmOccupancy.building_code,
            func.sum(case((RmOccupancy.area > 0, RmOccupancy.area), else_=0)),
            func.count(func.distinct(RmOccupancy.credit_code)),
            func.count(func.distinct(case((RmEnterprise.registered_in_district.is_(True), RmOccupancy.credit_code)))),
            func.count(func.distinct(case((RmEnterprise.in_statistics.is_(True), RmOccupancy.credit_code)))),
        )
        .outerjoin(RmEnterprise, RmEnterprise.credit_code == RmOccupancy.credit_code)
        .where(
            RmOccupancy.deleted.is_(False),
            RmOccupancy.start_date <= on,
            or_(RmOccupancy.end_date.is_(None), RmOccupancy.end_date >= on),
        )
        .group_by(RmOccupancy.building_code)
    )
    spaced = select(RmSpace.building_code).where(RmSpace.deleted.is_(False)).distinct()
    stayed = select(RmOccupancy.building_code).where(RmOccupancy.deleted.is_(False)).distinct()
    if codes is not None:
        wanted = list(codes)
        if not wanted:
            return {}
        buildings = buildings.where(RmBuilding.code.in_(wanted))
        stays = stays.where(RmOccupancy.building_code.in_(wanted))
        spaced = spaced.where(RmSpace.building_code.in_(wanted))
        stayed = stayed.where(RmOccupancy.building_code.in_(wanted))
    in_force = {code: (float(a or 0), int(n), int(r), int(s)) for code, a, n, r, s in session.execute(stays)}
    recorded = set(session.scalars(spaced)) | set(session.scalars(stayed))
    out = {}
    for code, stage, leasable, gfa in session.execute(buildings):
        occupied, tenants, registered, statistics = in_force.get(code, (0.0, 0, 0, 0))
        figures = occupancy_figures(
            on=on,
            stage=stage,
            leasable_area=leasable,
            recorded=code in recorded,
            occupied_area=occupied,
            tenants=tenants,
        )
        out[code] = BuildingOccupancy(code, figures, gfa, registered, statistics)
    return out


@dataclass
class Aggregate:
    """Occupancy of a set of buildings: the reported ones summed; 在建 and 未填报 counted apart."""

    on: date
    buildings: int = 0
    reported: int = 0
    not_reported: int = 0
    under_construction: int = 0
    leasable_area: float = 0.0
    occupied_area: float = 0.0
    vacant_area: float = 0.0
    tenants: int = 0
    registered: int = 0
    in_statistics: int = 0
    gfa: float = 0.0  # 坪效 denominator: GFA of the buildings not under construction
    under_construction_area: float = 0.0  # 在建载体面积: GFA (else leasable area) of 在建 buildings

    @property
    def occupancy_rate(self) -> float | None:
        return round(self.occupied_area / self.leasable_area, 4) if self.leasable_area else None

    def answer(self) -> dict[str, object]:
        return {
            "figures_on": self.on.isoformat(),
            "leasable_area": round(self.leasable_area, 2),
            "occupied_area": round(self.occupied_area, 2),
            "vacant_area": round(self.vacant_area, 2),
            "occupancy_rate": self.occupancy_rate,
            "tenants": self.tenants,
            "reported_buildings": self.reported,
            "not_reported_buildings": self.not_reported,
            "under_construction_buildings": self.under_construction,
            "under_construction_area": round(self.under_construction_area, 2),
        }


def aggregate(items: Iterable[BuildingOccupancy], *, on: date) -> Aggregate:
    total = Aggregate(on=on)
    for item in items:
        f = item.figures
        total.buildings += 1
        if f.status == UNDER_CONSTRUCTION:
            total.under_construction += 1
            total.under_construction_area += item.gfa or f.leasable_area or 0.0
            continue
        total.gfa += item.gfa or 0.0
        if not f.counts_in_rates:
            total.not_reported += 1
            continue
        total.reported += 1
        total.leasable_area += f.leasable_area or 0.0
        total.occupied_area += f.occupied_area
        total.vacant_area += f.vacant_area or 0.0
        total.tenants += f.tenants
        total.registered += item.registered
        total.in_statistics += item.in_statistics
    return total
