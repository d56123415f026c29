"""The map: every building the caller may read, with its coordinates, tier, themes, vacancy
and tax for a year, plus the district outline — in one answer, from the read model and the
rollups only (metrics never asks registry during a request).

- Year: the current year is read year-to-date (January to the latest month with figures),
  a past year in full; default: the latest year with figures.
- Tier: the year's 全口径 tax against ``rollups.queries.TIERS`` (≥ the threshold, in Decimal),
  the same rule as ``GET /tiers`` and the building page.
- Occupancy: 入驻率, 入驻面积, 空置面积 and 在楼企业 on the figures' date (the end of the range,
  never after today, or ``on``), the one definition (``metrics.kpis.occupancy``) the building
  KPIs, rankings and registry's building answer use; 空置率 = 1 − 入驻率 (null when 未填报).
- Tier band: a building is coloured by the highest tier it reaches; the legend names each
  colour as a band (5000万–1亿元), never as "5000万元楼宇" (which counts every building ≥ 5000万).
- 特色: the themes a building passes in the 特色楼宇 evaluation of that year
  (``metrics.featured``), next to the themes it declares.
- Scope: ``MetricsAccess`` (street users their streets, 楼长 their buildings); a street filter
  outside the caller's buildings and streets answers 404, as the other metrics lists.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.errors import NotFound
from metrics.access import MetricsAccess
from metrics.dashboard.service import years_with_figures
from metrics.featured import service as featured
from metrics.kpis import occupancy, views
from metrics.kpis import service as kpis
from metrics.kpis.cache import AnswerCache, data_version
from metrics.kpis.streets import street_name
from metrics.map import outline as outlines
from metrics.readmodel.models import RmBuilding
from metrics.rollups import queries
from metrics.rollups.periods import PeriodRange

TIER_KEYS = {name: key for key, name, _threshold in queries.TIERS}


def map_range(session: Session, *, year: int | None) -> PeriodRange:
    """The range shown for ``year``: year-to-date for the current year, the full year before it."""
    if year is None:
        year = int(views.default_period(session)[:4])
    key = f"{year}-YTD" if year >= today_in_china().year else str(year)
    return queries.resolve(session, key)


def _featured_themes(
    session: Session, *, access: MetricsAccess, year: int, codes: list[str], cache: AnswerCache | None
) -> dict[str, list[str]]:
    """Code → themes the building qualifies for as 特色楼宇 in ``year``."""
    if not codes:
        return {}

    def compute(building_codes: list[str] | None) -> dict[str, list[str]]:
        verdicts = featured.evaluate(session, year=year, building_codes=building_codes, explain=False)
        return {v.building_code: list(v.themes) for v in verdicts if v.qualifies}

    if access.reads_all:
        if cache is None:
            return compute(None)
        return cache.get(("map-featured", year, data_version(session)), lambda: compute(None))
    return compute(codes)


def _coordinates(session: Session, access: MetricsAccess) -> dict[str, tuple[float | None, float | None]]:
    rows = session.execute(
        select(RmBuilding.code, RmBuilding.lng, RmBuilding.lat).where(
            RmBuilding.deleted.is_(False), access.building_filter()
        )
    )
    return {code: (lng, lat) for code, lng, lat in rows}


def _vacancy(occupancy_rate: float | None) -> float | None:
    return None if occupancy_rate is None else round(max(1.0 - occupancy_rate, 0.0), 4)


def map_view(
    session: Session,
    *,
    access: MetricsAccess,
    year: int | None,
    street: str | None,
    outline_file: Path | None,
    cache: AnswerCache | None = None,
    on: date | None = None,
) -> dict[str, Any]:
    """The map page's answer for the caller."""
    rng = map_range(session, year=year)
    day = occupancy.figures_date(session, rng, on)
    rows = kpis.building_rows(session, access=access, rng=rng, cache=cache, on=day)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["street_code"]] = counts.get(row["street_code"], 0) + 1
    own_streets = set(access.streets) if "street" in access.roles else set()
    street = (street or "").strip() or None
    if street is not None:
        if street not in counts and not access.can_read_street(street):
            raise NotFound(f"街道 {street} 不存在或不在您的管辖范围", error="StreetNotFound")
        rows = [r for r in rows if r["street_code"] == street]
    coordinates = _coordinates(session, access)
    themes_of = _featured_themes(session, access=access, year=rng.year, codes=[r["code"] for r in rows], cache=cache)
    placed, unplaced = [], []
    for row in rows:
        lng, lat = coordinates.get(row["code"], (None, None))
        item = {
            "code": row["code"],
            "name": row["name"],
            "street_code": row["street_code"],
            "street_name": row["street_name"],
            "zone": row["zone"],
            "lng": lng,
            "lat": lat,
            "gfa": row["gfa"],
            "leasable_area": row["leasable_area"],
            "tax_total": row["tax_total"],
            "tax_district": row["tax_district"],
            "tier": TIER_KEYS.get(row["tier"]),
            "tier_label": queries.band_label(TIER_KEYS.get(row["tier"])),
            "themes": row["themes"],
            "featured_themes": themes_of.get(row["code"], []),
            "figures_on": row["figures_on"],
            "figures_status": row["figures_status"],
            "figures_status_label": row["figures_status_label"],
            "occupied_area": row["occupied_area"],
            "vacant_area": row["vacant_area"],
            "occupancy_rate": row["occupancy_rate"],
            "vacancy_rate": _vacancy(row["occupancy_rate"]),
            "tenants": row["tenants"],
            "is_demo": row["is_demo"],
        }
        (placed if lng is not None and lat is not None else unplaced).append(item)
    years = sorted(set(years_with_figures(session)) | {rng.year}, reverse=True)
    streets = [
        {"code": code, "name": street_name(code), "buildings": counts.get(code, 0)}
        for code in sorted(set(counts) | own_streets)
        if code
    ]
    return {
        "year": rng.year,
        "years": years,
        "period": kpis.period_info(rng),
        "stock_month": f"{day.year:04d}-{day.month:02d}",
        "figures_on": day.isoformat(),
        "street": street,
        "streets": streets,
        "themes": [{"code": t.code, "name": t.name} for t in featured.themes(session).values()],
        "tiers": [
            {"key": key, "label": queries.band_label(key), "threshold": float(t), "upper": queries.band_upper(key)}
            for key, _name, t in queries.TIERS
        ],
        "buildings": placed,
        "unplaced": unplaced,
        "total": len(placed) + len(unplaced),
        "outline": outlines.load(outline_file),
    }
