"""The cockpit's first screen in one answer, read from the rollups (no call to another service).

Scope: leader, bureau and department see the district (its cards include the figures of
enterprises in no building); a street user sees the sum of its streets' buildings, a 楼长
the sum of his buildings; goals (district goals) only for district-wide readers.

特色楼宇 counts and goal progress are computed by the 特色 and goals parts; they are costly at
city scale, so the answer keeps them per year for ``CACHE_SECONDS`` (and recomputes sooner
when the rollups or the read model changed).
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from metrics.access import MetricsAccess
from metrics.kpis import occupancy
from metrics.kpis import service as kpis
from metrics.kpis.cache import AnswerCache, data_version
from metrics.kpis.streets import street_name
from metrics.kpis.views import jsonable
from metrics.readmodel.models import RmBuilding, RmTheme, SyncState
from metrics.rollups import queries
from metrics.rollups import service as rollups
from metrics.rollups.models import RollupBuildingPeriod, RollupState
from metrics.rollups.periods import PeriodRange

TOP_BUILDINGS = 10
WARNINGS = 20
CACHE_SECONDS = 30.0
NO_THEME = ("", "未设主题")


def _optional(module: str) -> Any | None:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def sync_info(session: Session) -> dict[str, Any]:
    """How current the figures are: the read model's feeds and the rollups' pending work."""
    state = session.get(RollupState, 1)
    sources = [
        {
            "source": row.source,
            "cursor": row.cursor,
            "head": row.head,
            "lag": max(0, (row.head or 0) - row.cursor),
            "last_event_at": row.last_event_at,
            "last_ok_at": row.last_ok_at,
            "current_at": row.current_at,
            "last_error": row.last_error,
        }
        for row in session.scalars(select(SyncState).order_by(SyncState.source))
    ]
    return jsonable(
        {
            "sources": sources,
            "rollups_pending": rollups.pending(session),
            "rollups_refreshed_at": state.refreshed_at if state else None,
            "rollups_rebuilt_at": state.rebuilt_at if state else None,
        }
    )


def years_with_figures(session: Session) -> list[int]:
    first, last = session.execute(
        select(func.min(RollupBuildingPeriod.period), func.max(RollupBuildingPeriod.period)).where(
            RollupBuildingPeriod.period_kind == "month"
        )
    ).one()
    if not first or not last:
        return []
    return list(range(int(first[:4]), int(last[:4]) + 1))


def _sum(rows: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return round(sum(values), 2) if values else None


def _card(key: str, label: str, value: Any, **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": label, "value": value, **extra}


def _yoy(current: float | None, previous: float | None) -> float | None:
    if current is None or not previous:
        return None
    return round((current - previous) / previous, 4)


def _featured_codes(session: Session, cache: AnswerCache, year: int) -> set[str] | None:
    featured = _optional("metrics.featured.service")
    if featured is None:
        return None
    return cache.get(("featured", year, data_version(session)), lambda: featured.qualifying_codes(session, year=year))


def _goals(session: Session, cache: AnswerCache, year: int) -> list[dict[str, Any]]:
    goals = _optional("metrics.goals.service")
    if goals is None:
        return []

    def compute() -> list[dict[str, Any]]:
        out = []
        for goal in jsonable(goals.goal_progress(session, year=year)):
            # The cockpit reads current / baseline / how; the goals part names them in full.
            goal.setdefault("current", goal.get("current_value"))
            goal.setdefault("baseline", goal.get("baseline_value"))
            goal.setdefault("how", goal.get("computation"))
            out.append(goal)
        return out

    # Goals edited by hand show within CACHE_SECONDS.
    return cache.get(("goals", year, data_version(session)), compute)


def _warnings(session: Session, access: MetricsAccess, visible: set[str] | None) -> list[dict[str, Any]]:
    module = _optional("metrics.warnings.service")
    if module is None:
        return []
    streets = None
    if visible is not None:
        streets = sorted(
            {s for s in session.scalars(select(RmBuilding.street_code).where(RmBuilding.code.in_(visible)))}
        )
    found = module.active_warnings(session, street_codes=streets, limit=WARNINGS * (1 if visible is None else 5))
    schemas = _optional("metrics.warnings.schemas")
    items = []
    for warning in found:
        if visible is not None and warning.building_code not in visible:
            continue
        if schemas is not None and hasattr(schemas, "WarningRead"):
            row = jsonable(schemas.WarningRead.model_validate(warning, from_attributes=True))
        else:
            row = jsonable({c.key: getattr(warning, c.key) for c in warning.__table__.columns})
        row.setdefault("kind", row.get("rule"))
        row.setdefault("appeared_on", row.get("first_seen_at"))
        row.setdefault("street_name", street_name(row.get("street_code")))
        items.append(row)
    return items[:WARNINGS]


def _tiers(session: Session, rows: list[dict[str, Any]], rng: PeriodRange, visible: list[str] | None) -> list[dict]:  # type: ignore[type-arg]
    """Tier counts from the ranking rows (a year or year-to-date; other ranges use their year to date)."""
    annual = rng if rng.kind in ("year", "ytd") else PeriodRange("ytd", rng.year, 1, rng.last_month)
    if annual != rng:
        result = queries.tiers(session, period=annual, building_codes=visible)
        counts = [(t.key, t.name, t.threshold, len(t.buildings), len(t.new)) for t in result["tiers"]]  # type: ignore[attr-defined]
        monthly = len(result["monthly_yi"])  # type: ignore[arg-type]
    else:
        counts = []
        for key, name, threshold in queries.TIERS:
            now = [r for r in rows if r["tax_total"] is not None and Decimal(str(r["tax_total"])) >= threshold]
            new = [
                r for r in now if r["previous_tax_total"] is None or Decimal(str(r["previous_tax_total"])) < threshold
            ]
            counts.append((key, name, threshold, len(now), len(new)))
        monthly = len(queries.tiers_monthly_yi(session, rng=rng, building_codes=visible))
    items = [
        {"key": key, "label": name, "threshold": float(threshold), "count": count, "new": new, "period": annual.key}
        for key, name, threshold, count, new in counts
    ]
    items.append({"key": "yueyi", "label": "月亿楼", "threshold": float(queries.MONTHLY_YI), "count": monthly})
    return items


def _theme_mix(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = {
        code: name
        for code, name in session.execute(select(RmTheme.code, RmTheme.name).where(RmTheme.deleted.is_(False)))
    }
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        themes = [t for t in row["themes"] if t in names] or [NO_THEME[0]]
        for theme in themes:
            groups[theme].append(row)
    total = _sum(rows, "tax_total") or 0.0
    mix = []
    for code, members in groups.items():
        tax = _sum(members, "tax_total")
        mix.append(
            {
                "code": code,
                "name": names.get(code, NO_THEME[1]),
                "buildings": len(members),
                "tax_total": tax,
                "tax_district": _sum(members, "tax_district"),
                "share": round(tax / total, 4) if tax is not None and total else None,
            }
        )
    mix.sort(key=lambda m: (m["code"] == "", -(m["tax_total"] or 0), m["code"]))
    return mix


def _streets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["street_code"]].append(row)
    out = []
    for code, members in groups.items():
        tax, previous = _sum(members, "tax_total"), _sum(members, "previous_tax_total")
        out.append(
            {
                "code": code,
                "name": street_name(code),
                "buildings": len(members),
                "tax_total": tax,
                "tax_district": _sum(members, "tax_district"),
                "previous_tax_total": previous,
                "yoy": _yoy(tax, previous),
            }
        )
    out.sort(key=lambda s: (s["tax_total"] is None, -(s["tax_total"] or 0), s["code"]))
    return out


def dashboard(session: Session, *, access: MetricsAccess, rng: PeriodRange, cache: AnswerCache) -> dict[str, Any]:
    """Everything the cockpit's first screen shows for ``rng`` (the same answer for everyone
    with the same scope, kept until the data changes or for ``CACHE_SECONDS`` at most)."""
    scope = ("all",) if access.reads_all else (access.username, tuple(sorted(access.roles)), access.streets)
    key = ("dashboard", scope, rng.key, data_version(session))
    answer = dict(cache.get(key, lambda: _dashboard(session, access=access, rng=rng, cache=cache)))
    answer["sync"] = sync_info(session)  # always current
    return answer


def _dashboard(session: Session, *, access: MetricsAccess, rng: PeriodRange, cache: AnswerCache) -> dict[str, Any]:
    district = access.reads_all
    visible_list = access.visible_building_codes(session)
    visible = None if visible_list is None else set(visible_list)
    day = occupancy.figures_date(session, rng)
    rows = kpis.building_rows(session, access=access, rng=rng, cache=cache, on=day)
    # Occupancy of the visible buildings: 在建 and 未填报 outside the rates (one definition).
    stock = occupancy.aggregate(
        occupancy.buildings_on(session, on=day, codes=[r["code"] for r in rows]).values(), on=day
    )
    tax_total, tax_district = _sum(rows, "tax_total"), _sum(rows, "tax_district")
    previous_total, previous_district = _sum(rows, "previous_tax_total"), _sum(rows, "previous_tax_district")
    unattributed = None
    if district:
        current_u = queries.unattributed(session, period=rng)
        previous_u = queries.unattributed(session, period=rng.previous_year())
        unattributed = {k: kpis.money(getattr(current_u, k)) for k in kpis.MONEY_KINDS}
        tax_total = _add(tax_total, kpis.money(current_u.tax_total))
        tax_district = _add(tax_district, kpis.money(current_u.tax_district))
        previous_total = _add(previous_total, kpis.money(previous_u.tax_total))
        previous_district = _add(previous_district, kpis.money(previous_u.tax_district))
    gfa = stock.gfa
    occupied = stock.occupied_area
    tenants = stock.tenants
    buildings_tax = _sum(rows, "tax_total")
    tiers = _tiers(session, rows, rng, visible_list)
    featured = _featured_codes(session, cache, rng.year)
    featured_count = None if featured is None else len(featured if visible is None else featured & visible)
    yiyuan = next(t for t in tiers if t["key"] == "yiyuan")
    cards = [
        _card(
            "tax_total",
            "全口径税收",
            tax_total,
            previous=previous_total,
            yoy=_yoy(tax_total, previous_total),
            unit="元",
        ),
        _card(
            "tax_district",
            "区级税收",
            tax_district,
            previous=previous_district,
            yoy=_yoy(tax_district, previous_district),
            unit="元",
        ),
        _card("yiyuan_buildings", "亿元楼宇", yiyuan["count"], new=yiyuan["new"], period=yiyuan["period"]),
        _card("featured_buildings", "特色楼宇", featured_count, year=rng.year),
        _card(
            "tax_per_m2_gfa",
            "坪效（按建筑面积）",
            kpis.efficiency(_dec(buildings_tax), gfa, rng),
            unit="元/㎡/年",
            note=kpis._efficiency_note(rng),
        ),
        _card(
            "tax_per_m2_occupied",
            "坪效（按入驻面积）",
            kpis.efficiency(_dec(buildings_tax), occupied or 0.0, rng),
            unit="元/㎡/年",
            note=kpis._efficiency_note(rng),
        ),
        _card("occupancy_rate", "入驻率", stock.occupancy_rate, on=day.isoformat()),
        _card("vacant_area", "空置面积", round(stock.vacant_area, 2), unit="㎡", on=day.isoformat()),
        _card("tenants", "在楼企业", tenants, unit="家", on=day.isoformat()),
        _card("registration_rate", "注册率", kpis.ratio(stock.registered, tenants) if tenants else None),
        _card("statistics_rate", "纳统率", kpis.ratio(stock.in_statistics, tenants) if tenants else None),
        _card(
            "under_construction_area",
            "在建载体面积",
            round(stock.under_construction_area, 2),
            unit="㎡",
            buildings=stock.under_construction,
        ),
        _card("buildings", "楼宇", len(rows), unit="栋"),
    ]
    top = kpis.sort_rows([dict(r) for r in rows], "tax_total")[:TOP_BUILDINGS]
    latest = session.scalar(
        select(func.max(RollupBuildingPeriod.period)).where(RollupBuildingPeriod.period_kind == "month")
    )
    return {
        "period": kpis.period_info(rng),
        "as_of": latest,
        "years": years_with_figures(session),
        "scope": {
            "level": "district" if district else "own",
            "streets": list(access.streets) if not district else None,
            "buildings": len(rows),
        },
        "cards": cards,
        "unattributed": unattributed,
        "goals": _goals(session, cache, rng.year) if district else [],
        "tax_by_street": _streets(rows),
        "monthly_trend": kpis.monthly_rows(
            session, year=rng.year, building_codes=visible_list, include_unattributed=district
        ),
        "theme_mix": _theme_mix(session, rows),
        "tiers": tiers,
        "top_buildings": top,
        "warnings": _warnings(session, access, visible),
        "featured": {"year": rng.year, "count": featured_count},
        "is_demo": any(r["is_demo"] for r in rows),
    }


def _add(a: float | None, b: float | None) -> float | None:
    if a is None and b is None:
        return None
    return round((a or 0.0) + (b or 0.0), 2)


def _dec(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))
