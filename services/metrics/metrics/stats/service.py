"""Aggregates for the statistics bureau: by period, street, theme, GB/T 4754 门类 or zone.

Only sums and counts leave here: no enterprise name, credit code or person. Street, theme
and zone sums are those of the buildings (figures of enterprises in no building belong to
no street); the 门类 sums and the period rows cover every enterprise of the district.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from metrics.kpis.service import Scope, kpis, theme_names
from metrics.kpis.streets import street_name
from metrics.readmodel.models import RmBuilding
from metrics.rollups import queries
from metrics.rollups.periods import PeriodRange
from metrics.rollups.queries import Figures
from metrics.rollups.sections import UNKNOWN_NAME, sections

DIMENSIONS = ("street", "theme", "section", "zone", "month")
DIMENSION_NAMES = {"street": "街道", "theme": "特色主题", "section": "行业门类", "zone": "功能区", "month": "月份"}
MONEY = ("tax_total", "tax_district", "revenue")
COLUMNS = {"street": "street_code", "zone": "zone"}

HEADERS = {
    "code": "代码",
    "name": "名称",
    "buildings": "楼宇数",
    "enterprises": "有数据的企业数",
    "tax_total": "全口径税收（元）",
    "tax_district": "区级税收（元）",
    "revenue": "营业收入（元）",
    "previous_tax_total": "上年同期全口径税收（元）",
    "yoy": "全口径税收同比（%）",
}


def _yoy(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    if current is None or not previous:
        return None
    return ((current - previous) / previous * 100).quantize(Decimal("0.01"))


def _row(code: str, name: str, current: Figures, previous: Figures, buildings: int | None) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "buildings": buildings,
        "enterprises": current.enterprises,
        "tax_total": current.tax_total,
        "tax_district": current.tax_district,
        "revenue": current.revenue,
        "previous_tax_total": previous.tax_total,
        "yoy": _yoy(current.tax_total, previous.tax_total),
    }


def _group_buildings(
    session: Session, rng: PeriodRange, key: str
) -> tuple[dict[str, Figures], dict[str, Figures], dict[str, int]]:
    buildings = list(session.scalars(select(RmBuilding).where(RmBuilding.deleted.is_(False))))
    current = queries.building_figures(session, period=rng)
    previous = queries.building_figures(session, period=rng.previous_year())
    sums: dict[str, Figures] = defaultdict(Figures)
    before: dict[str, Figures] = defaultdict(Figures)
    counts: dict[str, int] = defaultdict(int)
    for b in buildings:
        groups = (
            [t for t in (b.themes or []) if isinstance(t, str)] if key == "theme" else [getattr(b, COLUMNS[key]) or ""]
        )
        for group in groups:
            counts[group] += 1
            if b.code in current:
                sums[group].add(current[b.code])
                sums[group].enterprises += current[b.code].enterprises
            if b.code in previous:
                before[group].add(previous[b.code])
    return sums, before, counts


def aggregates(session: Session, *, rng: PeriodRange, by: str) -> dict[str, Any]:
    """Rows of one dimension for a range, plus the district's total."""
    rows: list[dict[str, Any]] = []
    if by == "section":
        current = queries.section_figures(session, period=rng)
        previous = queries.section_figures(session, period=rng.previous_year())
        for s in [*sections(), None]:
            code = s.code if s else ""
            if code not in current and code not in previous:
                continue
            name = s.name if s else UNKNOWN_NAME
            rows.append(_row(code, name, current.get(code, Figures()), previous.get(code, Figures()), None))
    elif by == "month":
        for month in rng.monthly():
            current = queries.building_figures(session, period=month, include_unattributed=True)
            previous = queries.building_figures(session, period=month.previous_year(), include_unattributed=True)
            rows.append(_row(month.key, month.label, _total(current), _total(previous), None))
    else:
        sums, before, counts = _group_buildings(session, rng, by)
        names = theme_names(session) if by == "theme" else {}
        for code in sorted(counts):
            name = street_name(code) if by == "street" else names.get(code, code) if by == "theme" else code
            rows.append(
                _row(code, name or "（未填写）", sums.get(code, Figures()), before.get(code, Figures()), counts[code])
            )
    district = kpis(
        session, scope=Scope("district", "", "全区", None, include_unattributed=True), rng=rng, with_rank=False
    )
    return {
        "period": district["period"],
        "by": by,
        "by_name": DIMENSION_NAMES[by],
        "items": rows,
        "total": len(rows),
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
        },
        "notes": [
            "金额单位：元；税收按企业入驻楼宇的面积×天数分摊到楼宇，不在任何楼宇的企业只计入全区合计。",
            "行业门类按 GB/T 4754-2017，由企业行业代码的前两位（大类）确定；门类合计含不在楼宇的企业。",
            "主题：一栋楼宇有多个主题时分别计入各主题。",
        ],
    }


def _total(rows: dict[str, Figures]) -> Figures:
    total = Figures()
    for f in rows.values():
        total.add(f)
    total.enterprises = sum(f.enterprises for f in rows.values())
    return total


def table(answer: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of an aggregate answer for CSV / xlsx (amounts stay exact Decimals)."""
    keys = list(HEADERS)
    headers = [HEADERS[k] if k != "name" else f"{answer['by_name']}" for k in keys]
    rows = [[row[k] for k in keys] for row in answer["items"]]
    district = answer["district"]
    rows.append(
        [
            "",
            "全区合计",
            district["buildings"],
            None,
            _dec(district["tax_total"]),
            _dec(district["tax_district"]),
            _dec(district["revenue"]),
            None,
            None,
        ]
    )
    return headers, rows


def _dec(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def jsonable(answer: dict[str, Any]) -> dict[str, Any]:
    items = []
    for row in answer["items"]:
        items.append({k: (float(v) if isinstance(v, Decimal) else v) for k, v in row.items()})
    out = dict(answer)
    out["items"] = items
    for row in out["items"]:
        if row.get("yoy") is not None:
            row["yoy"] = round(row["yoy"] / 100, 4)
    return out
