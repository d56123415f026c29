"""The cockpit's first screen in one answer, read from the rollups (no call to another service).

Scope: leader, bureau and department see the district (its cards include the figures of
enterprises in no building); a street user sees the sum of its streets' buildings, a 楼长
the sum of his buildings; goals (district goals) only for district-wide readers.

特色楼宇 counts and goal progress are computed by the 特色 and goals parts; they are costly at
city scale, so the answer keeps them per year for ``CACHE_SECONDS`` (and recomputes sooner
when the rollups or the read model changed).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from metrics.access import MetricsAccess
from metrics.catalogue import definitions as catalogue
from metrics.featured import service as featured_service
from metrics.goals import service as goals_service
from metrics.kpis import occupancy
from metrics.kpis import service as kpis
from metrics.kpis.cache import AnswerCache, data_version
from metrics.kpis.common import add, as_decimal, efficiency_note, jsonable, sum_of, yoy_rate
from metrics.kpis.streets import street_name, street_names
from metrics.readmodel.models import RmBuilding, RmTheme, SyncState
from metrics.rollups import queries
from metrics.rollups import service as rollups
from metrics.rollups.models import RollupBuildingPeriod, RollupState
from metrics.rollups.periods import PeriodRange
from metrics.rollups.queries import Figures
from metrics.stats.service import (
    DUPLICATES,
    DUPLICATES_CODE,
    GROUP,
    OTHER,
    OTHER_CODE,
    OTHER_NAMES,
    TOTAL,
    TOTAL_CODE,
    TOTAL_NAME,
    UNATTRIBUTED,
    UNATTRIBUTED_CODE,
    UNATTRIBUTED_NAME,
)
from metrics.sync import service as sync_service
from metrics.warnings import service as warnings_service
from metrics.warnings.schemas import WarningRead

TOP_BUILDINGS = 10
WARNINGS = 20
CACHE_SECONDS = 30.0
NO_THEME = ("", "未设主题")
DUPLICATES_NAME = "减：多主题楼宇重复计入"


def sync_info(session: Session) -> dict[str, Any]:
    """How current the figures are: each feed of the read model (as ``GET /sync`` shows it) and
    the rollups' pending work."""
    state = session.get(RollupState, 1)
    sources = [sync_service.status(session, source=source) for source in session.scalars(select(SyncState.source))]
    return jsonable(
        {
            "sources": sorted(sources, key=lambda s: s.source),
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


def _card(key: str, value: Any, **extra: Any) -> dict[str, Any]:
    """A KPI card: ``key`` is the figure's catalogue code; name and unit come from the catalogue."""
    definition = catalogue.get(key)
    card = {
        "key": key,
        "label": definition.name,
        "unit": definition.unit,
        "value": value,
        "previous": None,
        "yoy": None,
        "new": None,
        "note": "",
        "period": None,
        "year": None,
    }
    card.update(extra)
    return card


def _featured_codes(session: Session, cache: AnswerCache, year: int) -> set[str]:
    return cache.get(
        ("featured", year, data_version(session)), lambda: featured_service.qualifying_codes(session, year=year)
    )


def _goals(session: Session, cache: AnswerCache, year: int) -> list[dict[str, Any]]:
    # Goals edited by hand show within CACHE_SECONDS.
    return cache.get(
        ("goals", year, data_version(session)), lambda: jsonable(goals_service.goal_progress(session, year=year))
    )


def _warnings(session: Session, access: MetricsAccess, visible: set[str] | None) -> list[dict[str, Any]]:
    streets = None
    if visible is not None:
        streets = sorted(
            {s for s in session.scalars(select(RmBuilding.street_code).where(RmBuilding.code.in_(visible)))}
        )
    found = warnings_service.active_warnings(
        session, street_codes=streets, limit=WARNINGS * (1 if visible is None else 5)
    )
    items = []
    for warning in found:
        if visible is not None and warning.building_code not in visible:
            continue
        row = jsonable(WarningRead.model_validate(warning, from_attributes=True))
        row["street_name"] = street_name(row["street_code"])
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
        {
            "key": key,
            "metric": f"{key}_buildings",
            "label": name,
            "threshold": float(threshold),
            "count": count,
            "new": new,
            "period": annual.key,
        }
        for key, name, threshold, count, new in counts
    ]
    items.append(
        {
            "key": "yueyi",
            "metric": "yueyi_buildings",
            "label": "月亿楼",
            "threshold": float(queries.MONTHLY_YI),
            "count": monthly,
            "new": None,
            "period": annual.key,
        }
    )
    return items


def _money_row(current: Figures, previous: Figures) -> dict[str, float | None]:
    return {
        "tax_total": kpis.money(current.tax_total),
        "tax_district": kpis.money(current.tax_district),
        "previous_tax_total": kpis.money(previous.tax_total),
        "previous_tax_district": kpis.money(previous.tax_district),
    }


@dataclass
class Extras:
    """What the cards count beyond the visible buildings' rows (the district only): figures of
    enterprises in no building, and of buildings no longer in the registry (其他/未分类)."""

    unattributed: Figures | None = None
    previous_unattributed: Figures | None = None
    orphans: Figures | None = None
    previous_orphans: Figures | None = None
    orphan_codes: int = 0


def _orphans(session: Session, rng: PeriodRange, known: set[str]) -> tuple[Figures, int]:
    """Figures attributed to buildings that are no longer in the read model (deleted buildings)."""
    total, count = Figures(), 0
    for code, f in queries.building_figures(session, period=rng).items():
        if code not in known:
            total.add(f)
            count += 1
    return total, count


def _zeros(row: dict[str, Any], total: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """A row without a figure shows 0 where the 合计 has one (a street without buildings)."""
    for key in keys:
        if row.get(key) is None and total.get(key) is not None:
            row[key] = 0.0
    return row


def _theme_mix(
    session: Session, rows: list[dict[str, Any]], *, total: dict[str, Any], extras: Extras, district: bool
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Theme rows (a building with two themes counts in both), 无主题楼宇, 未入楼企业 and 减：多主题
    楼宇重复计入, so the rows add up to ``total`` (the cards' figures)."""
    names = {
        code: name
        for code, name in session.execute(select(RmTheme.code, RmTheme.name).where(RmTheme.deleted.is_(False)))
    }
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    duplicated: list[dict[str, Any]] = []
    for row in rows:
        themes = [t for t in row["themes"] if t in names] or [NO_THEME[0]]
        for i, theme in enumerate(themes):
            groups[theme].append(row)
            if i > 0:
                duplicated.append(row)
    buildings_total = sum_of(rows, "tax_total") or 0.0

    def slice_of(code: str, name: str, kind: str, members: list[dict[str, Any]], count: int | None) -> dict:  # type: ignore[type-arg]
        tax = sum_of(members, "tax_total")
        share = round(tax / buildings_total, 4) if tax is not None and buildings_total else None
        return _row(code, name, kind, count, tax_total=tax, tax_district=sum_of(members, "tax_district"), share=share)

    codes = sorted(names) if district else sorted(c for c in groups if c)
    mix = [slice_of(c, names[c], GROUP, groups.get(c, []), len(groups.get(c, []))) for c in codes]
    mix.sort(key=lambda m: (-(m["tax_total"] or 0), m["code"]))
    other = slice_of(OTHER_CODE, OTHER_NAMES["theme"], OTHER, groups.get(NO_THEME[0], []), 0)
    other["buildings"] = len(groups.get(NO_THEME[0], [])) + extras.orphan_codes
    if extras.orphans is not None:
        other["tax_total"] = add(other["tax_total"], kpis.money(extras.orphans.tax_total))
        other["tax_district"] = add(other["tax_district"], kpis.money(extras.orphans.tax_district))
    mix.append(other)
    if district and extras.unattributed is not None:
        u = extras.unattributed
        mix.append(
            _row(
                UNATTRIBUTED_CODE,
                UNATTRIBUTED_NAME,
                UNATTRIBUTED,
                None,
                tax_total=kpis.money(u.tax_total),
                tax_district=kpis.money(u.tax_district),
                share=None,
            )
        )
    if duplicated:
        dup_total, dup_district = sum_of(duplicated, "tax_total"), sum_of(duplicated, "tax_district")
        mix.append(
            _row(
                DUPLICATES_CODE,
                DUPLICATES_NAME,
                DUPLICATES,
                None,
                tax_total=None if dup_total is None else -dup_total,
                tax_district=None if dup_district is None else -dup_district,
                share=None,
            )
        )
    total_row = _row(
        TOTAL_CODE,
        TOTAL_NAME,
        TOTAL,
        len(rows) + extras.orphan_codes,
        tax_total=total["tax_total"],
        tax_district=total["tax_district"],
        share=None,
    )
    return [_zeros(m, total_row, ("tax_total", "tax_district")) for m in mix], total_row


def _row(code: str, name: str, kind: str, buildings: int | None, **figures: Any) -> dict[str, Any]:
    """One row of a breakdown: what it is (code, name, kind), its buildings and its figures."""
    return {"code": code, "name": name, "kind": kind, "buildings": buildings, **figures}


def _streets(
    rows: list[dict[str, Any]], *, streets: list[str], total: dict[str, Any], extras: Extras, district: bool
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One row per street (``streets`` listed even without buildings, with zeros), then
    未入楼企业 (district) and 其他/未分类 (buildings without a street, or no longer in the
    registry), so the rows add up to ``total`` (the cards' figures)."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["street_code"] or ""].append(row)
    keys = ("tax_total", "tax_district", "previous_tax_total")

    def with_yoy(
        code: str, name: str, kind: str, count: int | None, tax: Any, district: Any, previous: Any
    ) -> dict[str, Any]:
        return _row(
            code,
            name,
            kind,
            count,
            tax_total=tax,
            tax_district=district,
            previous_tax_total=previous,
            yoy=yoy_rate(tax, previous),
        )

    total_row = with_yoy(
        TOTAL_CODE,
        TOTAL_NAME,
        TOTAL,
        len(rows) + extras.orphan_codes,
        total["tax_total"],
        total["tax_district"],
        total["previous_tax_total"],
    )

    def bar(code: str, name: str, kind: str, members: list[dict[str, Any]], count: int | None) -> dict[str, Any]:
        tax, previous = sum_of(members, "tax_total"), sum_of(members, "previous_tax_total")
        return with_yoy(code, name, kind, count, tax, sum_of(members, "tax_district"), previous)

    out = [
        bar(c, street_name(c), GROUP, groups.get(c, []), len(groups.get(c, [])))
        for c in sorted(set(streets) | (set(groups) - {""}))
    ]
    out.sort(key=lambda s: (s["tax_total"] is None, -(s["tax_total"] or 0), s["code"]))
    if district and extras.unattributed is not None:
        u, before = extras.unattributed, extras.previous_unattributed or Figures()
        out.append(
            with_yoy(
                UNATTRIBUTED_CODE,
                UNATTRIBUTED_NAME,
                UNATTRIBUTED,
                None,
                kpis.money(u.tax_total),
                kpis.money(u.tax_district),
                kpis.money(before.tax_total),
            )
        )
    other = bar(OTHER_CODE, OTHER_NAMES["street"], OTHER, groups.get("", []), len(groups.get("", [])))
    if extras.orphans is not None:
        before = extras.previous_orphans or Figures()
        other["buildings"] += extras.orphan_codes
        other["tax_total"] = add(other["tax_total"], kpis.money(extras.orphans.tax_total))
        other["tax_district"] = add(other["tax_district"], kpis.money(extras.orphans.tax_district))
        other["previous_tax_total"] = add(other["previous_tax_total"], kpis.money(before.tax_total))
        other["yoy"] = yoy_rate(other["tax_total"], other["previous_tax_total"])
    if district or other["buildings"]:
        out.append(other)
    return [_zeros(r, total_row, keys) for r in out], total_row


def _not_monthly(session: Session, rng: PeriodRange, codes: list[str] | None, district: bool) -> Figures:
    """Figures of the range reported for a quarter or a year (not split into months)."""
    keys = [k for k in rng.stored_periods() if k not in set(rng.month_keys())]
    if not keys or (codes is not None and not codes):
        return Figures()
    stmt = select(
        *[func.sum(getattr(RollupBuildingPeriod, k)) for k in ("tax_total", "tax_district", "revenue")]
    ).where(RollupBuildingPeriod.period.in_(keys))
    if codes is not None:
        stmt = stmt.where(RollupBuildingPeriod.building_code.in_(codes))
    elif not district:
        stmt = stmt.where(RollupBuildingPeriod.building_code != queries.NO_BUILDING)
    row = session.execute(stmt).one()
    return Figures(tax_total=row[0], tax_district=row[1], revenue=row[2])


def _monthly_summary(
    session: Session,
    rng: PeriodRange,
    trend: list[dict[str, Any]],
    *,
    codes: list[str] | None,
    district: bool,
    total: dict[str, Any],
) -> list[dict[str, Any]]:
    """The period's months (of ``trend``), what was reported for a quarter or a year, and the
    合计 (the cards): the first two add up to the third."""
    inside = [r for r in trend if r["period"] in set(rng.month_keys())]
    months = {
        "code": "_months",
        "name": f"{rng.label}各月之和",
        "kind": GROUP,
        **{k: sum_of(inside, k) for k in ("tax_total", "tax_district", "previous_tax_total", "previous_tax_district")},
    }
    rest = _money_row(
        _not_monthly(session, rng, codes, district), _not_monthly(session, rng.previous_year(), codes, district)
    )
    other = {"code": OTHER_CODE, "name": "其他/未分类（按季度或全年报送的数）", "kind": OTHER, **rest}
    total_row = {"code": TOTAL_CODE, "name": TOTAL_NAME, "kind": TOTAL, **total}
    keys = ("tax_total", "tax_district", "previous_tax_total", "previous_tax_district")
    return [_zeros(months, total_row, keys), _zeros(other, total_row, keys), total_row]


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
    tax_total, tax_district = sum_of(rows, "tax_total"), sum_of(rows, "tax_district")
    previous_total, previous_district = sum_of(rows, "previous_tax_total"), sum_of(rows, "previous_tax_district")
    unattributed = None
    extras = Extras()
    if district:
        current_u = queries.unattributed(session, period=rng)
        previous_u = queries.unattributed(session, period=rng.previous_year())
        unattributed = {k: kpis.money(getattr(current_u, k)) for k in kpis.MONEY_KINDS}
        # Figures of buildings no longer in the registry stay in the district (其他/未分类).
        known = {r["code"] for r in rows}
        orphans, orphan_codes = _orphans(session, rng, known)
        previous_orphans, _ = _orphans(session, rng.previous_year(), known)
        extras = Extras(current_u, previous_u, orphans, previous_orphans, orphan_codes)
        for extra, before in ((current_u, previous_u), (orphans, previous_orphans)):
            tax_total = add(tax_total, kpis.money(extra.tax_total))
            tax_district = add(tax_district, kpis.money(extra.tax_district))
            previous_total = add(previous_total, kpis.money(before.tax_total))
            previous_district = add(previous_district, kpis.money(before.tax_district))
    total = {
        "tax_total": tax_total,
        "tax_district": tax_district,
        "previous_tax_total": previous_total,
        "previous_tax_district": previous_district,
    }
    gfa = stock.gfa
    occupied = stock.occupied_area
    tenants = stock.tenants
    buildings_tax = sum_of(rows, "tax_total")
    tiers = _tiers(session, rows, rng, visible_list)
    featured = _featured_codes(session, cache, rng.year)
    featured_count = len(featured if visible is None else featured & visible)
    yiyuan = next(t for t in tiers if t["key"] == "yiyuan")
    note = efficiency_note(rng)
    cards = [
        _card("tax_total", tax_total, previous=previous_total, yoy=yoy_rate(tax_total, previous_total)),
        _card("tax_district", tax_district, previous=previous_district, yoy=yoy_rate(tax_district, previous_district)),
        _card("yiyuan_buildings", yiyuan["count"], new=yiyuan["new"], period=yiyuan["period"]),
        _card("featured_buildings", featured_count, year=rng.year),
        _card("tax_per_m2_gfa", kpis.efficiency(as_decimal(buildings_tax), gfa, rng), note=note),
        _card("tax_per_m2_occupied", kpis.efficiency(as_decimal(buildings_tax), occupied or 0.0, rng), note=note),
        _card("occupancy_rate", stock.occupancy_rate, on=day.isoformat()),
        _card("vacant_area", round(stock.vacant_area, 2), on=day.isoformat()),
        _card("tenants", tenants, on=day.isoformat()),
        _card("registration_rate", kpis.ratio(stock.registered, tenants) if tenants else None),
        _card("statistics_rate", kpis.ratio(stock.in_statistics, tenants) if tenants else None),
        _card("under_construction_area", round(stock.under_construction_area, 2), buildings=stock.under_construction),
        _card("buildings", len(rows)),
    ]
    top = kpis.sort_rows([dict(r) for r in rows], "tax_total")[:TOP_BUILDINGS]
    if district:
        streets = sorted(street_names())
    elif "street" in access.roles and access.streets:
        streets = sorted(access.streets)
    else:
        streets = []
    by_street, street_total = _streets(rows, streets=streets, total=total, extras=extras, district=district)
    themes, theme_total = _theme_mix(session, rows, total=total, extras=extras, district=district)
    trend = kpis.monthly_rows(session, year=rng.year, building_codes=visible_list, include_unattributed=district)
    summary = _monthly_summary(session, rng, trend, codes=visible_list, district=district, total=total)
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
        "tax_by_street": by_street,
        "tax_by_street_total": street_total,
        "monthly_trend": trend,
        "monthly_summary": summary,
        "theme_mix": themes,
        "theme_mix_total": theme_total,
        "tiers": tiers,
        "top_buildings": top,
        "warnings": _warnings(session, access, visible),
        "featured": {"year": rng.year, "count": featured_count},
        "is_demo": any(r["is_demo"] for r in rows),
    }
