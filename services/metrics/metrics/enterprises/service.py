"""Per-enterprise figures from the stored facts (monthly, the preferred source of each month)."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from louyu_kit.errors import NotFound
from metrics.access import MetricsAccess
from metrics.facts.models import SOURCE_PRECEDENCE, Fact
from metrics.readmodel.models import RmBuilding, RmEnterprise, RmOccupancy

KINDS = ("tax_total", "tax_district", "revenue")
CREDIT_CODE = re.compile(r"[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}")


def visible_codes(session: Session, access: MetricsAccess, codes: list[str]) -> set[str]:
    """Which of ``codes`` the caller may read figures of: all for district-wide roles; for a
    street or 楼长 the enterprises with a stay (current or past) in one of their buildings."""
    if access.reads_all:
        return set(codes)
    own = select(RmBuilding.code).where(access.building_filter(), RmBuilding.deleted.is_(False))
    return set(
        session.scalars(
            select(RmOccupancy.credit_code).where(
                RmOccupancy.credit_code.in_(codes), RmOccupancy.deleted.is_(False), RmOccupancy.building_code.in_(own)
            )
        )
    )


def require_enterprise(session: Session, access: MetricsAccess, credit_code: str) -> RmEnterprise:
    enterprise = session.get(RmEnterprise, credit_code)
    if enterprise is None and access.reads_all and CREDIT_CODE.fullmatch(credit_code):
        # Registered moments ago: registry's feed reaches metrics within seconds. A district-wide
        # reader sees what metrics holds for it (nothing yet), not a 404 on a page just opened.
        return RmEnterprise(credit_code=credit_code, name="", is_demo=False, deleted=False)
    if enterprise is None or enterprise.deleted or not visible_codes(session, access, [credit_code]):
        raise NotFound(f"统一社会信用代码为 {credit_code} 的企业不存在或不在您的查看范围", error="EnterpriseNotFound")
    return enterprise


def _monthly(session: Session, codes: list[str], years: tuple[int, ...]) -> tuple[dict[Any, Decimal], bool]:
    """{(code, 'YYYY-MM', kind): value}, one source per cell by precedence."""
    rank = {s: i for i, s in enumerate(SOURCE_PRECEDENCE)}
    chosen: dict[Any, tuple[int, Decimal]] = {}
    synthetic = False
    rows = session.scalars(
        select(Fact).where(
            Fact.credit_code.in_(codes),
            Fact.period_kind == "month",
            Fact.kind.in_(KINDS),
            or_(*(Fact.period.like(f"{y:04d}-%") for y in years)),
        )
    )
    for f in rows:
        key = (f.credit_code, f.period, f.kind)
        r = rank.get(f.source, len(rank))
        if key not in chosen or r < chosen[key][0]:
            chosen[key] = (r, f.value)
        synthetic = synthetic or f.synthetic
    return {k: v for k, (_, v) in chosen.items()}, synthetic


def _f(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def _yoy(now: Decimal | None, before: Decimal | None) -> float | None:
    if now is None or not before:
        return None
    return round(float((now - before) / before), 4)


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def figures(session: Session, *, enterprise: RmEnterprise, year: int) -> dict[str, Any]:
    code = enterprise.credit_code
    cells, synthetic = _monthly(session, [code], (year, year - 1))
    months = []
    for m in range(1, 13):
        now, before = f"{year:04d}-{m:02d}", f"{year - 1:04d}-{m:02d}"
        get = lambda p, k: cells.get((code, p, k))  # noqa: E731
        months.append(
            {
                "month": now,
                "tax_total": _f(get(now, "tax_total")),
                "tax_district": _f(get(now, "tax_district")),
                "revenue": _f(get(now, "revenue")),
                "previous_tax_total": _f(get(before, "tax_total")),
                "previous_tax_district": _f(get(before, "tax_district")),
                "previous_revenue": _f(get(before, "revenue")),
                "tax_total_yoy": _yoy(get(now, "tax_total"), get(before, "tax_total")),
                "revenue_yoy": _yoy(get(now, "revenue"), get(before, "revenue")),
            }
        )
    through = max((p for (_, p, _k) in cells if p.startswith(f"{year:04d}-")), default=None)
    last = int(through[5:]) if through else 0
    ytd_now = _sum([cells.get((code, f"{year:04d}-{m:02d}", "tax_total")) for m in range(1, last + 1)])
    ytd_before = _sum([cells.get((code, f"{year - 1:04d}-{m:02d}", "tax_total")) for m in range(1, last + 1)])
    return {
        "credit_code": code,
        "name": enterprise.name,
        "year": year,
        "synthetic": synthetic or enterprise.is_demo,
        "months": months,
        "ytd": {
            "through": through,
            "tax_total": _f(ytd_now),
            "previous_tax_total": _f(ytd_before),
            "tax_total_yoy": _yoy(ytd_now, ytd_before),
            "tax_district": _f(
                _sum([cells.get((code, f"{year:04d}-{m:02d}", "tax_district")) for m in range(1, last + 1)])
            ),
            "revenue": _f(_sum([cells.get((code, f"{year:04d}-{m:02d}", "revenue")) for m in range(1, last + 1)])),
        },
    }


def latest_month(session: Session, year: int | None = None, *, credit_code: str | None = None) -> str | None:
    """The last month with a 全口径税收 figure (of ``year``, of one enterprise, or at all)."""
    stmt = select(func.max(Fact.period)).where(Fact.period_kind == "month", Fact.kind == "tax_total")
    if year is not None:
        stmt = stmt.where(Fact.period.like(f"{year:04d}-%"))
    if credit_code is not None:
        stmt = stmt.where(Fact.credit_code == credit_code)
    return session.scalar(stmt)


def default_year(session: Session, *, today_year: int, credit_code: str | None = None) -> int:
    """The year of the latest figures (this year when there are none): a page opened in January,
    or on demo data of earlier years, shows figures rather than an empty year."""
    last = latest_month(session, credit_code=credit_code)
    return min(int(last[:4]), today_year) if last else today_year


def tax_list(session: Session, *, access: MetricsAccess, codes: list[str], year: int) -> dict[str, Any]:
    """全口径税收 year to date (through the district's latest month) and the same months last year."""
    visible = sorted(visible_codes(session, access, codes))
    through = latest_month(session, year)
    last = int(through[5:]) if through else 0
    cells, _ = _monthly(session, visible, (year, year - 1)) if visible else ({}, False)
    totals: dict[str, list[list[Decimal]]] = defaultdict(lambda: [[], []])
    for (code, period, kind), value in cells.items():
        if kind != "tax_total" or int(period[5:7]) > last:
            continue
        totals[code][0 if period.startswith(f"{year:04d}") else 1].append(value)
    return {
        "year": year,
        "through": through,
        "items": [
            {
                "credit_code": c,
                "tax_total": _f(_sum(totals[c][0])) if c in totals else None,
                "previous_tax_total": _f(_sum(totals[c][1])) if c in totals else None,
            }
            for c in visible
        ],
    }
