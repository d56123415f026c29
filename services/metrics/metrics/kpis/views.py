"""Composite answers built from the KPI functions: streets, one building's page, tiers."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from metrics.access import MetricsAccess
from metrics.featured import service as featured
from metrics.kpis import occupancy, service
from metrics.kpis.cache import AnswerCache
from metrics.kpis.common import jsonable, sum_of, yoy_rate
from metrics.kpis.streets import street_name
from metrics.readmodel.models import RmBuilding
from metrics.rollups import queries
from metrics.rollups.models import RollupBuildingPeriod
from metrics.rollups.periods import PeriodRange

log = logging.getLogger("louyu.metrics.kpis")

TOP_TAXPAYERS = 10


def latest_data_month(session: Session) -> str | None:
    """The latest month with any attributed figure (``YYYY-MM``)."""
    return session.scalar(
        select(func.max(RollupBuildingPeriod.period)).where(RollupBuildingPeriod.period_kind == "month")
    )


def default_period(session: Session) -> str:
    """Year-to-date of the latest year with figures (this year when there are none)."""
    latest = latest_data_month(session)
    return f"{latest[:4]}-YTD" if latest else f"{today_in_china().year}-YTD"


def period_range(session: Session, period: str | None) -> PeriodRange:
    return queries.resolve(session, period or default_period(session))


def streets(
    session: Session,
    *,
    access: MetricsAccess,
    rng: PeriodRange,
    cache: AnswerCache | None = None,
    on: date | None = None,
) -> dict[str, Any]:
    """Every street with buildings the caller may read, with its totals (drill-down level 1);
    a street's occupancy figures are the sums over its buildings (``occupancy.aggregate``)."""
    day = occupancy.figures_date(session, rng, on)
    rows = service.building_rows(session, access=access, rng=rng, cache=cache, on=day)
    by_street: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_street[row["street_code"]].append(row)
    stock = occupancy.buildings_on(session, on=day, codes=[r["code"] for r in rows])
    district_totals = service.street_totals(session, rng=rng)
    ordered = sorted(district_totals.values(), reverse=True)
    items = []
    for code, members in by_street.items():
        current = sum_of(members, "tax_total")
        previous = sum_of(members, "previous_tax_total")
        figures = occupancy.aggregate((stock[r["code"]] for r in members if r["code"] in stock), on=day)
        total = district_totals.get(code)
        items.append(
            {
                "code": code,
                "name": street_name(code),
                "buildings": len(members),
                "tax_total": current,
                "tax_district": sum_of(members, "tax_district"),
                "revenue": sum_of(members, "revenue"),
                "previous_tax_total": previous,
                "yoy": yoy_rate(current, previous),
                **figures.answer(),
                "rank": ordered.index(total) + 1 if total is not None else None,
            }
        )
    items.sort(key=lambda r: (r["tax_total"] is None, -(r["tax_total"] or 0), r["code"]))
    answer: dict[str, Any] = {
        "period": service.period_info(rng),
        "figures_on": day.isoformat(),
        "items": items,
        "total": len(items),
    }
    if access.reads_all:
        unattributed = queries.unattributed(session, period=rng)
        answer["unattributed"] = {k: service.money(getattr(unattributed, k)) for k in service.MONEY_KINDS}
    return answer


def featured_verdict(session: Session, *, code: str, year: int) -> dict[str, Any] | None:
    verdicts = featured.evaluate(session, year=year, building_codes=[code])
    return jsonable(verdicts[0]) if verdicts else None


def building_page(
    session: Session, *, access: MetricsAccess, building: RmBuilding, rng: PeriodRange, on: date | None = None
) -> dict[str, Any]:
    """The building's tax tab (occupancy figures on ``on``, by default the range's end)."""
    scope = service.Scope("building", building.code, building.name, [building.code], street_code=building.street_code)
    kpis = service.kpis(session, scope=scope, rng=rng, on=on)
    annual = rng if rng.kind in ("year", "ytd") else PeriodRange("ytd", rng.year, 1, rng.last_month)
    annual_tax = queries.building_totals(session, period=annual, building_codes=[building.code]).get(building.code)
    return {
        "building": {
            "code": building.code,
            "name": building.name,
            "street_code": building.street_code,
            "street_name": street_name(building.street_code),
            "zone": building.zone,
            "themes": list(building.themes or []),
            "stage": building.stage,
            "gfa": building.gfa,
            "leasable_area": building.leasable_area,
            "is_demo": building.is_demo,
        },
        "period": service.period_info(rng),
        "kpis": kpis,
        "monthly": service.monthly_rows(
            session, year=rng.year, building_codes=[building.code], include_unattributed=False
        ),
        "tier": {
            "period": annual.key,
            "label": service.tier_label(annual_tax),
            "tax_total": service.money(annual_tax),
        },
        "top_taxpayers": (
            service.top_taxpayers(session, building_code=building.code, rng=rng, limit=TOP_TAXPAYERS)
            if access.sees_enterprises
            else None
        ),
        "featured": featured_verdict(session, code=building.code, year=rng.year),
    }


def tiers(session: Session, *, access: MetricsAccess, rng: PeriodRange) -> dict[str, Any]:
    """Tier counts of the buildings the caller may read."""
    codes = access.visible_building_codes(session)
    result = queries.tiers(session, period=rng, building_codes=codes)
    names = dict(session.execute(select(RmBuilding.code, RmBuilding.name)).all())

    def named(items: list[str]) -> list[dict[str, str]]:
        return [{"code": c, "name": names.get(c, c)} for c in items]

    return {
        "period": service.period_info(rng),
        "items": [
            {
                "key": t.key,
                "metric": f"{t.key}_buildings",
                "label": t.name,
                "threshold": float(t.threshold),
                "count": len(t.buildings),
                "buildings": named(t.buildings),
                "new": named(t.new),
            }
            for t in result["tiers"]  # type: ignore[attr-defined]
        ],
        "monthly_yi": {
            "key": "yueyi",
            "metric": "yueyi_buildings",
            "label": "月亿楼",
            "threshold": float(queries.MONTHLY_YI),
            "count": len(result["monthly_yi"]),  # type: ignore[arg-type]
            "buildings": named(result["monthly_yi"]),  # type: ignore[arg-type]
        },
        "rule": "楼宇全口径税收达到门槛即计入该档（含等于：恰好 1 亿元计为亿元楼宇）；“新增”指上年同期未达该档；"
        "月亿楼指统计期内任一月份税收达到 1 亿元。",
    }
