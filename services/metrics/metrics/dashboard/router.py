"""GET /dashboard: the 驾驶舱's first screen for a period, in one call.

API note (money in 元 as JSON numbers, rates as fractions, ``null`` when not computable):
``GET /api/metrics/dashboard?period=2025|2025-06|2025-Q2|2025-YTD|2025-06-YTD`` →

- ``period``: ``{key, label, kind, year, months, start, end, previous, annualisation}``;
  ``as_of``: the latest month with figures; ``years``: years with figures;
- ``scope``: ``{level: district|own, streets, buildings}`` (street users and 楼长 see sums of
  their own buildings only); ``sync``: ``{sources: [{source, cursor, head, lag, last_ok_at,
  current_at, last_error, …}], rollups_pending, rollups_refreshed_at, rollups_rebuilt_at}``;
- ``cards``: ``[{key, label, value, unit?, previous?, yoy?, new?, note?}]`` for keys
  tax_total, tax_district, yiyuan_buildings, featured_buildings, tax_per_m2_gfa,
  tax_per_m2_occupied, occupancy_rate, vacant_area, tenants, registration_rate,
  statistics_rate, buildings; ``unattributed``: figures of enterprises in no building
  (district only);
- ``goals``: the goals part's progress rows (+ ``current``, ``baseline``, ``how``);
- ``tax_by_street``: ``[{code, name, kind, buildings, tax_total, tax_district,
  previous_tax_total, yoy}]``: every street (the district's, with zeros where no building;
  a street user's own), then ``_unattributed`` 未入楼企业 (district only) and ``_other``
  其他/未分类 (no street, or no longer in the registry); ``tax_by_street_total`` is the 合计
  row (= the cards), and the rows add up to it (DOMAIN.md → 指标口径: totals add up);
- ``monthly_trend``: 12 × ``{period, tax_total, tax_district, revenue, previous_tax_total,
  previous_tax_district}`` of the period's year; ``monthly_summary``: the period's months
  (``_months``) + figures reported for a quarter or a year (``_other``) = 合计 (``_total``);
- ``theme_mix``: ``[{code, name, kind, buildings, tax_total, tax_district, share}]`` (a
  building with two themes counts in both), then ``_other`` 无主题楼宇, ``_unattributed``
  未入楼企业 and ``_duplicates`` 减：多主题楼宇重复计入 (negative); ``theme_mix_total`` = the cards;
- ``tiers``: ``[{key: qianwan|wuqianwan|yiyuan|shiyi, label, threshold, count, new,
  period}, {key: yueyi, label, threshold, count}]`` (a month or quarter uses its year to date);
- ``top_buildings``: the first 10 rows of ``/rankings/buildings`` by 全口径 tax;
- ``warnings``: active warnings, the most severe first (``level``: severe 严重 / major 较重 /
  minor 一般, set per rule by the bureau), 数据完整性 reminders (``kind: data_completeness``,
  ``severity: low``) after the others of their level (``{id, rule, kind, severity, title, message, building_code,
  building_name, street_code, street_name, first_seen_at, appeared_on, figures, …}``);
- ``featured``: ``{year, count}``; ``is_demo``: the figures are demo data.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from louyu_kit.db import SessionDep
from metrics.access import ScreenAccess
from metrics.dashboard import service
from metrics.dashboard.schemas import Dashboard
from metrics.kpis import cache, views

router = APIRouter(tags=["驾驶舱"])


@router.get("/dashboard", response_model=Dashboard)
def read_dashboard(
    request: Request,
    session: SessionDep,
    access: ScreenAccess,
    period: Annotated[
        str | None,
        Query(
            max_length=12,
            description="统计期：2025、2025-06、2025-Q2、2025-YTD、2025-06-YTD；默认为有数据的最近一年（年初至今）",
        ),
    ] = None,
) -> Response:
    """驾驶舱首屏：指标卡（含目标进度）、各街道税收、逐月走势、主题构成、楼宇分档、重点楼宇、预警、数据同步情况。"""
    rng = views.period_range(session, period)
    # Kept serialised with an ETag (If-None-Match → 304); the sync part is in the key: always current.
    sync = cache.sync_version(session)
    key = ("dashboard", cache.scope_key(access), rng.key, cache.data_version(session), sync)
    return cache.respond(
        request, key, lambda: service.dashboard(session, access=access, rng=rng, cache=cache.of(request.app.state))
    )
