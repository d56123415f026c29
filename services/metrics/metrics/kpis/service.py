"""KPIs of a building, street, theme, zone or the district for a range of months.

Definitions (also in the API documentation):
- 税收: 全口径 ``tax_total`` and 区级 ``tax_district``, the sum of the attributed figures of the
  range (see ``metrics.rollups.attribution``); the district adds figures of enterprises in
  no building. 营业收入 ``revenue`` likewise. 从业人员 ``employees``: the latest month of the
  range that has them (a head count is not added over months).
- 坪效 (元/㎡/年): 全口径 (and 区级) tax of the range ÷ area, **annualised** for ranges shorter
  than a year (× 12 ÷ months; a year-to-date of 6 months counts double), on 建筑面积 (GFA)
  and on 入驻面积 (occupied area at the end of the range).
- 入驻率: occupied area of the stays in force on the figures' date (the registry's 入驻
  records, not the status of spaces) ÷ 可出租面积 (leasable area). 空置面积 = leasable −
  occupied (not below 0). The date (``figures_on``) is the last day of the range, never after
  today, or the ``on`` the caller names. One definition: ``metrics.kpis.occupancy`` (the same
  rule as registry's building answer). 在建 buildings are outside the occupancy, vacancy, 坪效
  and tenant denominators (``under_construction_area`` = 在建载体面积); 未填报 buildings (no
  leasable area, or neither spaces nor stays) are left out of the rates.
- 在楼企业: enterprises with a stay in force on that day (per building; an enterprise in two
  buildings of a street counts in each). 注册率 = those registered in the district ÷ 在楼企业;
  纳统率 = those in the district's statistics roll ÷ 在楼企业.
- 同比: the same months of the previous year; ``rate`` = (this − last) ÷ last.
- 排名: by 全口径 tax of the range among all buildings (and within the street) or streets.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from louyu_kit.errors import Invalid, NotFound
from metrics.access import MetricsAccess
from metrics.kpis import occupancy as occ
from metrics.kpis.cache import AnswerCache, data_version
from metrics.kpis.common import efficiency_note, sum_of, yoy_rate
from metrics.kpis.streets import street_name
from metrics.readmodel.models import RmBuilding, RmEnterprise, RmTheme
from metrics.rollups import queries
from metrics.rollups.periods import PeriodRange, month_key
from metrics.rollups.queries import Figures

LEVELS = ("district", "street", "theme", "zone", "building")
LEVEL_NAMES = {"district": "全区", "street": "街道", "theme": "特色主题", "zone": "功能区", "building": "楼宇"}
MONEY_KINDS = ("tax_total", "tax_district", "revenue")
SORTS = (
    "tax_total",
    "tax_district",
    "revenue",
    "yoy",
    "tax_per_m2_gfa",
    "tax_per_m2_occupied",
    "occupancy_rate",
    "tenants",
)


def money(value: Decimal | None) -> float | None:
    """An amount for JSON (元; computed exactly as Decimal, sent as a number)."""
    return None if value is None else float(value)


def ratio(numerator: float | Decimal | None, denominator: float | Decimal | None, digits: int = 4) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(float(numerator) / float(denominator), digits)


def change(current: Decimal | None, previous: Decimal | None) -> dict[str, Any]:
    """同比: this and last year's value, the difference and the rate (a fraction)."""
    diff = current - previous if current is not None and previous is not None else None
    rate = float(diff / previous) if diff is not None and previous and previous > 0 else None
    return {
        "previous": money(previous),
        "change": money(diff),
        "rate": None if rate is None else round(rate, 4),
    }


@dataclass
class Scope:
    """What a KPI is computed over: a set of buildings (None = all), plus the district's
    figures of enterprises in no building when the level is the district."""

    level: str
    code: str
    name: str
    building_codes: list[str] | None
    include_unattributed: bool = False
    street_code: str | None = None


def _buildings(session: Session, access: MetricsAccess, *conditions: Any) -> list[RmBuilding]:
    stmt = select(RmBuilding).where(RmBuilding.deleted.is_(False), access.building_filter(), *conditions)
    return list(session.scalars(stmt.order_by(RmBuilding.code)))


def theme_names(session: Session) -> dict[str, str]:
    return {code: name for code, name in session.execute(select(RmTheme.code, RmTheme.name))}


def scope_for(session: Session, access: MetricsAccess, *, level: str, code: str | None) -> Scope:
    """The scope of a KPI request, checked against the caller's access (404 / 403 outside it)."""
    code = (code or "").strip()
    if level not in LEVELS:
        raise Invalid(f"统计层级“{level}”不存在（应为 {' / '.join(LEVELS)}）", error="InvalidLevel")
    if level == "district":
        access.require_district()
        return Scope("district", "", "全区", None, include_unattributed=True)
    if not code:
        message = f"请指定{LEVEL_NAMES[level]}代码（code）"
        raise Invalid(message, fields=[{"field": "code", "message": message}])
    if level == "building":
        building = access.get_building(session, code)
        return Scope("building", building.code, building.name, [building.code], street_code=building.street_code)
    if level == "street":
        access.require_street(code)
        codes = [b.code for b in _buildings(session, access, RmBuilding.street_code == code)]
        return Scope("street", code, street_name(code), codes, street_code=code)
    if level == "zone":
        codes = [b.code for b in _buildings(session, access, RmBuilding.zone == code)]
        if not codes and not session.scalar(select(RmBuilding.code).where(RmBuilding.zone == code).limit(1)):
            raise NotFound(f"功能区“{code}”不存在", error="ZoneNotFound")
        return Scope("zone", code, code, codes)
    names = theme_names(session)
    if code not in names:
        raise NotFound(f"特色主题“{code}”不存在", error="ThemeNotFound")
    codes = [b.code for b in _buildings(session, access) if code in (b.themes or [])]
    return Scope("theme", code, names[code], codes)


def _sum_figures(rows: dict[str, Figures]) -> Figures:
    total = Figures()
    for f in rows.values():
        total.add(f)
    total.enterprises = sum(f.enterprises for f in rows.values())
    return total


def efficiency(tax: Decimal | None, area: float, rng: PeriodRange) -> float | None:
    """坪效: annualised tax per m² (元/㎡/年)."""
    if tax is None or not area:
        return None
    return round(float(tax) * rng.annualisation / area, 2)


def period_info(rng: PeriodRange) -> dict[str, Any]:
    return {
        "key": rng.key,
        "label": rng.label,
        "kind": rng.kind,
        "year": rng.year,
        "months": rng.months,
        "start": rng.start_date.isoformat(),
        "end": rng.end_date.isoformat(),
        "previous": rng.previous_year().key,
        "annualisation": round(rng.annualisation, 6),
    }


def building_figures_answer(item: occ.BuildingOccupancy) -> dict[str, Any]:
    """One building's occupancy figures, the same fields and values as registry's ``figures``."""
    f = item.figures
    return {
        "figures_on": f.on.isoformat(),
        "figures_status": f.status,
        "figures_status_label": f.status_label,
        "leasable_area": f.leasable_area,
        "occupied_area": f.occupied_area,
        "vacant_area": f.vacant_area,
        "occupancy_rate": f.occupancy_rate,
        "tenants": f.tenants,
        "registered_tenants": item.registered,
        "statistics_tenants": item.in_statistics,
        "registration_rate": ratio(item.registered, f.tenants),
        "statistics_rate": ratio(item.in_statistics, f.tenants),
    }


def kpis(
    session: Session, *, scope: Scope, rng: PeriodRange, with_rank: bool = True, on: date | None = None
) -> dict[str, Any]:
    """Every KPI of ``scope`` for ``rng`` (occupancy on ``on``, by default the range's end)."""
    codes = scope.building_codes
    include = scope.include_unattributed

    def figures(r: PeriodRange) -> Figures:
        if codes is not None and not codes:
            return Figures()
        return _sum_figures(
            queries.building_figures(session, period=r, building_codes=codes, include_unattributed=include)
        )

    current, previous = figures(rng), figures(rng.previous_year())
    if not include and codes is not None and not codes:
        employees = None
    else:
        employees = queries.employees_at_end(session, period=rng, building_codes=None if include else codes)
    day = occ.figures_date(session, rng, on)
    buildings = occ.buildings_on(session, on=day, codes=codes)
    total = occ.aggregate(buildings.values(), on=day)
    unattributed = queries.unattributed(session, period=rng) if include else Figures()
    # 坪效: the buildings' tax (not that of enterprises in no building) over their area.
    buildings_tax = current.tax_total
    buildings_tax_district = current.tax_district
    if include:
        buildings_tax = _minus(buildings_tax, unattributed.tax_total)
        buildings_tax_district = _minus(buildings_tax_district, unattributed.tax_district)
    occupied = total.occupied_area
    out: dict[str, Any] = {
        "level": scope.level,
        "code": scope.code,
        "name": scope.name,
        "period": period_info(rng),
        "buildings": total.buildings,
        "tax_total": money(current.tax_total),
        "tax_district": money(current.tax_district),
        "revenue": money(current.revenue),
        "employees": money(employees),
        "enterprises_with_figures": current.enterprises,
        "yoy": {kind: change(getattr(current, kind), getattr(previous, kind)) for kind in MONEY_KINDS},
        "gfa": round(total.gfa, 2),
        "stock_month": month_key(day.year, day.month),
        **total.answer(),
        "registered_tenants": total.registered,
        "statistics_tenants": total.in_statistics,
        "registration_rate": ratio(total.registered, total.tenants),
        "statistics_rate": ratio(total.in_statistics, total.tenants),
        "efficiency": {
            "annualised": rng.months != 12,
            "factor": round(rng.annualisation, 6),
            "tax_total_per_m2_gfa": efficiency(buildings_tax, total.gfa, rng),
            "tax_total_per_m2_occupied": efficiency(buildings_tax, occupied, rng),
            "tax_district_per_m2_gfa": efficiency(buildings_tax_district, total.gfa, rng),
            "tax_district_per_m2_occupied": efficiency(buildings_tax_district, occupied, rng),
            "note": efficiency_note(rng),
        },
    }
    if scope.level == "building" and codes and codes[0] in buildings:
        # One building: its own figures (also when 在建 or 未填报), as registry shows them.
        out.update(building_figures_answer(buildings[codes[0]]))
    if include:
        out["unattributed"] = {k: money(getattr(unattributed, k)) for k in MONEY_KINDS}
    if with_rank:
        out["rank"] = rank_of(session, scope=scope, rng=rng)
    return out


def _minus(value: Decimal | None, other: Decimal | None) -> Decimal | None:
    if value is None or other is None:
        return value
    return value - other


def _rank(values: dict[str, Decimal], key: str) -> dict[str, int] | None:
    if key not in values:
        return None
    ordered = sorted(values.values(), reverse=True)
    return {"position": ordered.index(values[key]) + 1, "of": len(ordered)}


def street_totals(session: Session, *, rng: PeriodRange, basis: str = "tax_total") -> dict[str, Decimal]:
    """Tax per street (Σ of its buildings) for a range, every street with figures."""
    street_of = dict(session.execute(select(RmBuilding.code, RmBuilding.street_code)).all())
    totals: dict[str, Decimal] = defaultdict(lambda: Decimal("0"))
    for code, value in queries.building_totals(session, period=rng, basis=basis).items():
        if code in street_of:
            totals[street_of[code]] += value
    return dict(totals)


def rank_of(session: Session, *, scope: Scope, rng: PeriodRange) -> dict[str, Any] | None:
    """Rank by 全口径 tax: a building among all buildings and in its street; a street among streets."""
    if scope.level == "building":
        totals = queries.building_totals(session, period=rng)
        same_street = set(
            session.scalars(select(RmBuilding.code).where(RmBuilding.street_code == (scope.street_code or "")))
        )
        return {
            "district": _rank(totals, scope.code),
            "street": _rank({c: v for c, v in totals.items() if c in same_street}, scope.code),
        }
    if scope.level == "street":
        return {"district": _rank(street_totals(session, rng=rng), scope.code)}
    return None


# ----- rankings ---------------------------------------------------------------------------


def tier_label(tax: Decimal | None) -> str:
    if tax is None:
        return ""
    label = ""
    for _key, name, threshold in queries.TIERS:
        if tax >= threshold:
            label = name
    return label


@dataclass
class RowSet:
    """One row per building (every building), and who owns each (never sent out)."""

    rows: list[dict[str, Any]]
    owners: dict[str, tuple[str, str | None, str | None]]


def _all_rows(session: Session, rng: PeriodRange, on: date) -> RowSet:
    buildings = session.execute(
        select(
            RmBuilding.code,
            RmBuilding.name,
            RmBuilding.street_code,
            RmBuilding.zone,
            RmBuilding.themes,
            RmBuilding.is_demo,
            RmBuilding.gfa,
            RmBuilding.chief_username,
            RmBuilding.liaison_username,
        )
        .where(RmBuilding.deleted.is_(False))
        .order_by(RmBuilding.code)
    ).all()
    current = queries.building_figures(session, period=rng)
    previous = queries.building_figures(session, period=rng.previous_year())
    occupancy = occ.buildings_on(session, on=on)
    annual = rng.kind in ("year", "ytd")
    factor = rng.annualisation
    empty = Figures()
    rows, owners = [], {}
    for code, name, street, zone, themes, is_demo, gfa, chief, liaison in buildings:
        f = current.get(code, empty)
        p = previous.get(code, empty)
        tax = float(f.tax_total) if f.tax_total is not None else None
        before = float(p.tax_total) if p.tax_total is not None else None
        figures = building_figures_answer(occupancy[code])
        occupied = figures["occupied_area"]
        rows.append(
            {
                "code": code,
                "name": name,
                "street_code": street,
                "street_name": street_name(street),
                "zone": zone,
                "themes": list(themes or []),
                "is_demo": is_demo,
                "gfa": gfa,
                "tax_total": tax,
                "tax_district": money(f.tax_district),
                "revenue": money(f.revenue),
                "previous_tax_total": before,
                "previous_tax_district": money(p.tax_district),
                "yoy": round((tax - before) / before, 4) if tax is not None and before else None,
                "tax_per_m2_gfa": round(tax * factor / gfa, 2) if tax is not None and gfa else None,
                "tax_per_m2_occupied": round(tax * factor / occupied, 2) if tax is not None and occupied else None,
                **{k: v for k, v in figures.items() if k not in ("registration_rate", "statistics_rate")},
                "tier": tier_label(f.tax_total) if annual else "",
            }
        )
        owners[code] = (street, chief, liaison)
    return RowSet(rows, owners)


def building_rows(
    session: Session,
    *,
    access: MetricsAccess,
    rng: PeriodRange,
    street: str | None = None,
    theme: str | None = None,
    zone: str | None = None,
    cache: AnswerCache | None = None,
    on: date | None = None,
) -> list[dict[str, Any]]:
    """One row of KPIs per building the caller may read (filtered), unsorted and unranked;
    occupancy on ``on`` (by default the range's end, never after today).

    The rows of every building are computed once per range, date and data version (``cache``)
    and filtered here for the caller."""
    if street:
        access.require_street(street)
    day = occ.figures_date(session, rng, on)
    if cache is None:
        rowset = _all_rows(session, rng, day)
    else:
        rowset = cache.get(
            ("building_rows", rng.key, day.isoformat(), data_version(session)), lambda: _all_rows(session, rng, day)
        )
    out = []
    for row in rowset.rows:
        if street and row["street_code"] != street:
            continue
        if zone and row["zone"] != zone:
            continue
        if theme and theme not in row["themes"]:
            continue
        if not access.reads_all and not access.owns(*rowset.owners[row["code"]]):
            continue
        out.append(dict(row))
    return out


def sort_rows(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    """Largest first (missing values last), ties by code; each row gets its ``rank``."""
    if sort not in SORTS:
        raise Invalid(f"排序字段“{sort}”不存在（可选 {' / '.join(SORTS)}）", error="InvalidSort")
    ordered = sorted(rows, key=lambda r: (r[sort] is None, -(r[sort] or 0), r["code"]))
    for position, row in enumerate(ordered, start=1):
        row["rank"] = position
    return ordered


def ranking(
    session: Session,
    *,
    access: MetricsAccess,
    rng: PeriodRange,
    sort: str,
    street: str | None,
    theme: str | None,
    zone: str | None,
    limit: int,
    offset: int,
    cache: AnswerCache | None = None,
    on: date | None = None,
) -> dict[str, Any]:
    rows = building_rows(session, access=access, rng=rng, street=street, theme=theme, zone=zone, cache=cache, on=on)
    rows = sort_rows(rows, sort)
    page = rows[offset : offset + limit]
    rest = rows[:offset] + rows[offset + limit :]
    return {
        "period": period_info(rng),
        "figures_on": occ.figures_date(session, rng, on).isoformat(),
        "sort": sort,
        "items": page,
        "total": len(rows),
        "limit": limit,
        "offset": offset,
        "rest_row": ranking_sum(rest, "_rest", "其余楼宇", "other") if rest else None,
        "total_row": ranking_sum(rows, "_total", "合计", "total"),
    }


def ranking_sum(rows: list[dict[str, Any]], code: str, name: str, kind: str) -> dict[str, Any]:
    """Σ of ranking rows (其余楼宇 or 合计), to the fen."""
    tax, previous = sum_of(rows, "tax_total"), sum_of(rows, "previous_tax_total")
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "buildings": len(rows),
        "tax_total": tax,
        "tax_district": sum_of(rows, "tax_district"),
        "revenue": sum_of(rows, "revenue"),
        "previous_tax_total": previous,
        "previous_tax_district": sum_of(rows, "previous_tax_district"),
        "yoy": yoy_rate(tax, previous),
    }


# ----- one building -----------------------------------------------------------------------


def monthly_rows(session: Session, *, year: int, building_codes: list[str] | None, include_unattributed: bool):  # type: ignore[no-untyped-def]
    """Each month of ``year`` with both bases and last year's same month."""
    current = queries.monthly_series(
        session, year=year, building_codes=building_codes, include_unattributed=include_unattributed
    )
    previous = queries.monthly_series(
        session, year=year - 1, building_codes=building_codes, include_unattributed=include_unattributed
    )
    rows = []
    for m in range(1, 13):
        key, last = month_key(year, m), month_key(year - 1, m)
        f, p = current.get(key), previous.get(last)
        rows.append(
            {
                "period": key,
                "tax_total": money(f.tax_total) if f else None,
                "tax_district": money(f.tax_district) if f else None,
                "revenue": money(f.revenue) if f else None,
                "previous_tax_total": money(p.tax_total) if p else None,
                "previous_tax_district": money(p.tax_district) if p else None,
            }
        )
    return rows


def top_taxpayers(
    session: Session, *, building_code: str, rng: PeriodRange, limit: int | None = None
) -> list[dict[str, Any]]:
    """The building's tenants by attributed 全口径 tax (enterprise names: people only)."""
    rows = queries.enterprise_figures(session, period=rng, building_code=building_code, limit=limit)
    codes = [cc for cc, _f, _s in rows]
    enterprises = {
        e.credit_code: e for e in session.scalars(select(RmEnterprise).where(RmEnterprise.credit_code.in_(codes)))
    }
    out = []
    for position, (cc, f, share) in enumerate(rows, start=1):
        e = enterprises.get(cc)
        out.append(
            {
                "rank": position,
                "credit_code": cc,
                "name": e.name if e else "",
                "industry_code": e.industry_code if e else None,
                "in_registry": e is not None and not e.deleted,
                "registered_in_district": bool(e and e.registered_in_district),
                "in_statistics": bool(e and e.in_statistics),
                "tax_total": money(f.tax_total),
                "tax_district": money(f.tax_district),
                "revenue": money(f.revenue),
                "share": round(share, 4),
            }
        )
    return out
