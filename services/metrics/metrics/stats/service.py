"""Aggregates for the statistics bureau: by period, street, theme, GB/T 4754 门类 or zone, and
the street × 门类 cross-tab.

Only sums and counts leave here: no enterprise name, credit code or person.

Totals add up (DOMAIN.md → 指标口径): every breakdown ends with a 合计 row equal to the district
figure of the same range and 口径 (``metrics.kpis.service.kpis`` at the district level), and
the rows before it always sum to it:

- street / zone: one row per street of the district (a street without buildings shows zeros)
  or zone, then **未入楼企业** (figures of enterprises in no building) and **其他/未分类**
  (buildings without a street or zone, and figures of buildings no longer in the registry);
- theme: one row per theme (a building with several themes counts in each), **无主题楼宇**,
  未入楼企业, and **减：多主题楼宇重复计入** (negative: what the theme rows counted more than
  once), so the column still adds up;
- 门类: every enterprise of the district by the 门类 of its industry code (未入楼企业 are inside
  their 门类), **行业未知** being the 其他/未分类 row;
- month: each month of the range (the district's figures of that month).

Amounts are exact ``Decimal`` 元 (two decimals) or 万元 (six decimals, ``unit=wan``); the unit is
named in the answer, in every money header of the CSV / xlsx and in the notes.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from metrics.kpis.service import Scope, kpis, theme_names
from metrics.kpis.streets import street_name, street_names
from metrics.readmodel.models import RmBuilding
from metrics.rollups import queries
from metrics.rollups.models import RollupBuildingPeriod, RollupEnterprise
from metrics.rollups.periods import PeriodRange
from metrics.rollups.queries import NO_BUILDING, Figures
from metrics.rollups.sections import UNKNOWN_NAME, sections

DIMENSIONS = ("street", "theme", "section", "zone", "month")
DIMENSION_NAMES = {"street": "街道", "theme": "特色主题", "section": "行业门类", "zone": "功能区", "month": "月份"}
MONEY = ("tax_total", "tax_district", "revenue", "previous_tax_total")
UNITS = {"yuan": ("元", Decimal("1"), Decimal("0.01")), "wan": ("万元", Decimal("10000"), Decimal("0.000001"))}

# Row kinds: a group of the dimension, or one of the rows that make the column add up.
GROUP, UNATTRIBUTED, OTHER, DUPLICATES, TOTAL = "group", "unattributed", "other", "duplicates", "total"
UNATTRIBUTED_CODE, OTHER_CODE, DUPLICATES_CODE, TOTAL_CODE = "_unattributed", "_other", "_duplicates", "_total"
UNATTRIBUTED_NAME, TOTAL_NAME = "未入楼企业", "合计"
OTHER_NAMES = {"street": "其他/未分类（未填街道）", "zone": "其他/未分类（未划入功能区）", "theme": "无主题楼宇"}

HEADERS = {
    "code": "代码",
    "name": "名称",
    "buildings": "楼宇数",
    "enterprises": "有数据的企业数",
    "tax_total": "全口径税收",
    "tax_district": "区级税收",
    "revenue": "营业收入",
    "previous_tax_total": "上年同期全口径税收",
    "yoy": "全口径税收同比（%）",
}


def _yoy(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    if current is None or not previous:
        return None
    return ((current - previous) / previous * 100).quantize(Decimal("0.01"))


def _row(
    code: str, name: str, current: Figures, previous: Figures, buildings: int | None, kind: str = GROUP
) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "buildings": buildings,
        "enterprises": current.enterprises,
        "tax_total": current.tax_total,
        "tax_district": current.tax_district,
        "revenue": current.revenue,
        "previous_tax_total": previous.tax_total,
        "yoy": _yoy(current.tax_total, previous.tax_total),
    }


def _negated(f: Figures) -> Figures:
    out = Figures()
    for kind in ("tax_total", "tax_district", "revenue"):
        value = getattr(f, kind)
        setattr(out, kind, None if value is None else -value)
    return out


def _by_buildings(session: Session, rng: PeriodRange, by: str) -> list[dict[str, Any]]:
    """Street, zone or theme rows, then 未入楼企业, 其他/未分类 (and the themes' duplicates)."""
    buildings = list(session.scalars(select(RmBuilding).where(RmBuilding.deleted.is_(False))))
    known = {b.code: b for b in buildings}
    current = queries.building_figures(session, period=rng, include_unattributed=True)
    previous = queries.building_figures(session, period=rng.previous_year(), include_unattributed=True)

    def groups_of(b: RmBuilding | None) -> list[str]:
        if b is None:
            return []
        if by == "theme":
            return [t for t in (b.themes or []) if isinstance(t, str)]
        return [value] if (value := (b.street_code if by == "street" else b.zone) or "") else []

    sums: dict[str, Figures] = defaultdict(Figures)
    before: dict[str, Figures] = defaultdict(Figures)
    counts: dict[str, int] = defaultdict(int)
    other, other_before, other_count = Figures(), Figures(), 0
    extra, extra_before = Figures(), Figures()  # counted more than once (several themes)
    for b in buildings:
        groups = groups_of(b)
        if not groups:
            other_count += 1
        for group in groups:
            counts[group] += 1
    for figures, target, target_other, target_extra in (
        (current, sums, other, extra),
        (previous, before, other_before, extra_before),
    ):
        for code, f in figures.items():
            if code == NO_BUILDING:
                continue
            groups = groups_of(known.get(code))
            if not groups:
                target_other.add(f)
                if target is sums:
                    target_other.enterprises += f.enterprises
                continue
            for i, group in enumerate(groups):
                target[group].add(f)
                if target is sums:
                    target[group].enterprises += f.enterprises
                if i > 0:
                    target_extra.add(f)
    if by == "street":
        codes = sorted(set(street_names()) | set(counts))
        names = {c: street_name(c) for c in codes}
    elif by == "theme":
        names = theme_names(session)
        codes = sorted(set(names) | set(counts))
    else:
        codes = sorted(counts)
        names = {c: c for c in codes}
    rows = [_row(c, names.get(c, c), sums.get(c, Figures()), before.get(c, Figures()), counts.get(c, 0)) for c in codes]
    unattributed = current.get(NO_BUILDING, Figures())
    rows.append(
        _row(
            UNATTRIBUTED_CODE,
            UNATTRIBUTED_NAME,
            unattributed,
            previous.get(NO_BUILDING, Figures()),
            None,
            UNATTRIBUTED,
        )
    )
    rows.append(_row(OTHER_CODE, OTHER_NAMES[by], other, other_before, other_count, OTHER))
    if by == "theme":
        rows.append(
            _row(
                DUPLICATES_CODE,
                "减：多主题楼宇重复计入",
                _negated(extra),
                _negated(extra_before),
                None,
                DUPLICATES,
            )
        )
    return rows


def _by_section(session: Session, rng: PeriodRange) -> list[dict[str, Any]]:
    current = queries.section_figures(session, period=rng)
    previous = queries.section_figures(session, period=rng.previous_year())
    rows = []
    for s in sections():
        rows.append(_row(s.code, s.name, current.get(s.code, Figures()), previous.get(s.code, Figures()), None))
    rows.append(
        _row(
            OTHER_CODE,
            f"其他/未分类（{UNKNOWN_NAME}）",
            current.get("", Figures()),
            previous.get("", Figures()),
            None,
            OTHER,
        )
    )
    return rows


def _total(rows: dict[str, Figures]) -> Figures:
    total = Figures()
    for f in rows.values():
        total.add(f)
    total.enterprises = sum(f.enterprises for f in rows.values())
    return total


def _not_monthly(session: Session, rng: PeriodRange) -> Figures:
    """Figures of the range reported for a quarter or a year (not to be split into months)."""
    keys = [k for k in rng.stored_periods() if k not in set(rng.month_keys())]
    if not keys:
        return Figures()
    row = session.execute(
        select(*[func.sum(getattr(RollupBuildingPeriod, k)) for k in ("tax_total", "tax_district", "revenue")]).where(
            RollupBuildingPeriod.period.in_(keys)
        )
    ).one()
    return Figures(tax_total=row[0], tax_district=row[1], revenue=row[2])


def _by_month(session: Session, rng: PeriodRange) -> list[dict[str, Any]]:
    rows = []
    for month in rng.monthly():
        current = queries.building_figures(session, period=month, include_unattributed=True)
        previous = queries.building_figures(session, period=month.previous_year(), include_unattributed=True)
        rows.append(_row(month.key, month.label, _total(current), _total(previous), None))
    rows.append(
        _row(
            OTHER_CODE,
            "其他/未分类（按季度或全年报送的数）",
            _not_monthly(session, rng),
            _not_monthly(session, rng.previous_year()),
            None,
            OTHER,
        )
    )
    return rows


def _dec(value: float | Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def aggregates(session: Session, *, rng: PeriodRange, by: str) -> dict[str, Any]:
    """Rows of one dimension for a range, the rows that make them add up, and the 合计 row
    (= the district's figures of the same range and 口径). Amounts in 元 (Decimal)."""
    if by == "section":
        rows = _by_section(session, rng)
    elif by == "month":
        rows = _by_month(session, rng)
    else:
        rows = _by_buildings(session, rng, by)
    district = kpis(
        session, scope=Scope("district", "", "全区", None, include_unattributed=True), rng=rng, with_rank=False
    )
    previous = district["yoy"]["tax_total"]["previous"]
    total_row = {
        "code": TOTAL_CODE,
        "name": TOTAL_NAME,
        "kind": TOTAL,
        "buildings": district["buildings"],
        "enterprises": None,
        "tax_total": _dec(district["tax_total"]),
        "tax_district": _dec(district["tax_district"]),
        "revenue": _dec(district["revenue"]),
        "previous_tax_total": _dec(previous),
        "yoy": _yoy(_dec(district["tax_total"]), _dec(previous)),
    }
    # A row without figures shows zeros where the district has a figure (a street without
    # buildings, a 门类 without enterprises), so every column adds up visibly.
    for row in rows:
        for key in MONEY:
            if row[key] is None and total_row[key] is not None:
                row[key] = Decimal("0.00")
    return {
        "period": district["period"],
        "by": by,
        "by_name": DIMENSION_NAMES[by],
        "items": rows,
        "total": len(rows),
        "total_row": total_row,
        "district": {
            "tax_total": district["tax_total"],
            "tax_district": district["tax_district"],
            "revenue": district["revenue"],
            "unattributed": district["unattributed"],
            "buildings": district["buildings"],
            "occupancy_rate": district["occupancy_rate"],
            "tenants": district["tenants"],
            "registration_rate": district["registration_rate"],
            "statistics_rate": district["statistics_rate"],
            "figures_on": district["figures_on"],
            "under_construction_area": district["under_construction_area"],
        },
        "notes": _notes(by),
    }


def _notes(by: str) -> list[str]:
    notes = [
        "税收按企业入驻楼宇的面积×天数分摊到楼宇；不在任何楼宇的企业计入“未入楼企业”行。",
        "各行之和等于“合计”行，“合计”即同一统计期、同一口径的全区数。",
    ]
    if by == "street":
        notes.append("没有楼宇的街道也列出（数值为空）；未填街道的楼宇及已不在楼宇库中的楼宇计入“其他/未分类”。")
    if by == "zone":
        notes.append("未划入功能区的楼宇计入“其他/未分类”。")
    if by == "theme":
        notes.append("一栋楼宇有多个主题时分别计入各主题，“减：多主题楼宇重复计入”行扣除重复部分，使各行之和等于合计。")
    if by == "month":
        notes.append("按季度或全年报送、不能分到月份的数计入“其他/未分类”。")
    if by == "section":
        notes.append(
            "行业门类按 GB/T 4754-2017，由企业行业代码的前两位（大类）确定；含不在楼宇的企业；"
            "行业代码缺失的计入“其他/未分类”。"
        )
    return notes


def cross_tab(session: Session, *, rng: PeriodRange, basis: str = "tax_total") -> dict[str, Any]:
    """街道 × 门类: the attributed figures of ``basis`` per street (rows, plus 未入楼企业 and
    其他/未分类) and GB/T 4754 门类 (columns, plus 行业未知), with row, column and grand totals;
    the grand total is the district figure."""
    if basis not in ("tax_total", "tax_district", "revenue"):
        raise ValueError(basis)
    column = getattr(RollupEnterprise, basis)
    stmt = (
        select(RollupEnterprise.building_code, RollupEnterprise.section, func.sum(column))
        .where(RollupEnterprise.period.in_(rng.stored_periods()))
        .group_by(RollupEnterprise.building_code, RollupEnterprise.section)
    )
    street_of = {
        code: street
        for code, street in session.execute(
            select(RmBuilding.code, RmBuilding.street_code).where(RmBuilding.deleted.is_(False))
        )
    }
    cells: dict[tuple[str, str], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for building, section, value in session.execute(stmt):
        if value is None:
            continue
        if building == NO_BUILDING:
            row = UNATTRIBUTED_CODE
        else:
            row = street_of.get(building) or OTHER_CODE
        cells[(row, section or OTHER_CODE)] += Decimal(value)
    columns = [{"code": s.code, "name": s.name} for s in sections()] + [
        {"code": OTHER_CODE, "name": f"其他/未分类（{UNKNOWN_NAME}）"}
    ]
    row_defs = [{"code": c, "name": street_name(c), "kind": GROUP} for c in sorted(street_names())]
    extra_streets = sorted({r for r, _ in cells} - {d["code"] for d in row_defs} - {UNATTRIBUTED_CODE, OTHER_CODE})
    row_defs += [{"code": c, "name": street_name(c), "kind": GROUP} for c in extra_streets]
    row_defs += [
        {"code": UNATTRIBUTED_CODE, "name": UNATTRIBUTED_NAME, "kind": UNATTRIBUTED},
        {"code": OTHER_CODE, "name": OTHER_NAMES["street"], "kind": OTHER},
    ]
    rows = []
    column_totals: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for d in row_defs:
        values = {c["code"]: cells.get((d["code"], c["code"]), Decimal("0.00")) for c in columns}
        for key, value in values.items():
            column_totals[key] += value
        rows.append({**d, "values": values, "total": sum(values.values(), Decimal("0.00"))})
    grand = sum(column_totals.values(), Decimal("0.00"))
    district = kpis(
        session, scope=Scope("district", "", "全区", None, include_unattributed=True), rng=rng, with_rank=False
    )
    return {
        "period": district["period"],
        "basis": basis,
        "columns": columns,
        "items": rows,
        "column_totals": {k: column_totals[k] for k in (c["code"] for c in columns)},
        "grand_total": grand,
        "district": _dec(district[basis]),
        "notes": [
            "行：街道（含无楼宇的街道）、未入楼企业、其他/未分类；列：GB/T 4754-2017 门类及行业未知。",
            "各行、各列之和等于合计，合计即同一统计期、同一口径的全区数。",
        ],
    }


def scaled(value: Decimal | None, unit: str) -> Decimal | None:
    """An amount in 元 → the unit's (元 to the fen, 万元 to six decimals: still exact)."""
    if value is None:
        return None
    _label, divisor, quantum = UNITS[unit]
    return (Decimal(value) / divisor).quantize(quantum)


def unit_label(unit: str) -> str:
    return UNITS[unit][0]


def table(answer: dict[str, Any], *, unit: str = "yuan") -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of an aggregate answer for CSV / xlsx, with the 合计 row; amounts exact
    in the unit named in each money header."""
    keys = list(HEADERS)
    label = unit_label(unit)
    headers = []
    for k in keys:
        if k == "name":
            headers.append(answer["by_name"])
        elif k in MONEY:
            headers.append(f"{HEADERS[k]}（{label}）")
        else:
            headers.append(HEADERS[k])
    out = []
    for row in [*answer["items"], answer["total_row"]]:
        out.append([scaled(row[k], unit) if k in MONEY else row[k] for k in keys])
    return headers, out


def cross_tab_table(answer: dict[str, Any], *, unit: str = "yuan") -> tuple[list[str], list[list[Any]]]:
    label = unit_label(unit)
    headers = ["代码", "街道", *[c["name"] for c in answer["columns"]], f"合计（{label}）"]
    rows = []
    for row in answer["items"]:
        rows.append(
            [
                row["code"],
                row["name"],
                *[scaled(row["values"][c["code"]], unit) for c in answer["columns"]],
                scaled(row["total"], unit),
            ]
        )
    rows.append(
        [
            TOTAL_CODE,
            TOTAL_NAME,
            *[scaled(answer["column_totals"][c["code"]], unit) for c in answer["columns"]],
            scaled(answer["grand_total"], unit),
        ]
    )
    return headers, rows


def _number(value: Any, unit: str) -> Any:
    if isinstance(value, Decimal):
        return float(scaled(value, unit))  # type: ignore[arg-type]
    return value


def jsonable(answer: dict[str, Any], *, unit: str = "yuan") -> dict[str, Any]:
    """The JSON answer: amounts as numbers in ``unit`` (``unit`` named), 同比 as a fraction."""

    def row_json(row: dict[str, Any]) -> dict[str, Any]:
        out = {k: (_number(v, unit) if k in MONEY else v) for k, v in row.items()}
        if out.get("yoy") is not None:
            out["yoy"] = round(float(out["yoy"]) / 100, 4)
        return out

    out = dict(answer)
    out["unit"] = unit_label(unit)
    out["items"] = [row_json(r) for r in answer["items"]]
    out["total_row"] = row_json(answer["total_row"])
    return out


def cross_tab_json(answer: dict[str, Any], *, unit: str = "yuan") -> dict[str, Any]:
    out = dict(answer)
    out["unit"] = unit_label(unit)
    out["items"] = [
        {
            **r,
            "values": {k: _number(v, unit) for k, v in r["values"].items()},
            "total": _number(r["total"], unit),
        }
        for r in answer["items"]
    ]
    out["column_totals"] = {k: _number(v, unit) for k, v in answer["column_totals"].items()}
    out["grand_total"] = _number(answer["grand_total"], unit)
    out["district"] = _number(answer["district"], unit)
    return out
