"""KPIs, rankings, tiers and one building's figures (read from the rollups only).

API note (all under ``/api/metrics``; money in 元 as JSON numbers, areas in ㎡, rates as
fractions 0–1, ``null`` when not computable; ``period`` = ``2025-06`` | ``2025-Q2`` |
``2025`` | ``2025-06-YTD`` | ``2025-YTD``, default: the latest year with figures, to date):

- ``GET /kpis?level=district|street|theme|zone|building&code=&period=`` →
  ``{level, code, name, period: {key, label, kind, year, months, start, end, previous,
  annualisation}, buildings, tax_total, tax_district, revenue, employees,
  enterprises_with_figures, yoy: {tax_total|tax_district|revenue: {previous, change, rate}},
  gfa, leasable_area, stock_month, occupied_area, vacant_area, occupancy_rate, tenants,
  registered_tenants, statistics_tenants, registration_rate, statistics_rate,
  efficiency: {annualised, factor, tax_total_per_m2_gfa, tax_total_per_m2_occupied,
  tax_district_per_m2_gfa, tax_district_per_m2_occupied, note},
  rank: {district: {position, of}, street?: {position, of}} | null,
  unattributed?: {tax_total, tax_district, revenue}}`` (``unattributed`` only for the district).
- ``GET /streets?period=`` → ``{period, items: [{code, name, buildings, tax_total,
  tax_district, revenue, yoy, occupancy_rate, tenants, rank}], unattributed?}`` (drill-down
  level 1; street users see their streets).
- ``GET /rankings/buildings?period=&sort=&street=&theme=&zone=&limit=&offset=`` →
  ``{period, sort, items: [{rank, code, name, street_code, street_name, zone, themes,
  is_demo, gfa, leasable_area, tax_total, tax_district, revenue, previous_tax_total, yoy,
  tax_per_m2_gfa, tax_per_m2_occupied, occupied_area, occupancy_rate, tenants, tier}],
  total, limit, offset, rest_row, total_row}`` (level 2; ``total_row`` = 合计 of every building
  of the filter, equal to the street's or theme's ``/kpis``; ``rest_row`` = those not on the page).
- ``GET /buildings/{code}?period=`` → ``{building: {code, name, street_code, street_name,
  zone, themes, stage, gfa, leasable_area, is_demo}, period, kpis, monthly: [{period,
  tax_total, tax_district, revenue, previous_tax_total, previous_tax_district}] ×12,
  tier, top_taxpayers: [...] | null, featured: <特色 verdict> | null}``.
- ``GET /buildings/{code}/enterprises?period=&limit=&offset=`` → ``{period, building_code,
  items: [{rank, credit_code, name, industry_code, in_registry, registered_in_district,
  in_statistics, tax_total, tax_district, revenue, share}], total}`` (level 3; people only).
- ``GET /tiers?period=2025|2025-YTD|2025-10-YTD`` → ``{period, items: [{key, label,
  threshold, count, buildings: [{code, name}], new: [{code, name}]}], monthly_yi: {key:
  "yueyi", label, count, buildings}, rule}``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from louyu_kit.db import SessionDep
from louyu_kit.errors import Invalid
from metrics.access import PersonAccess, ReadAccess
from metrics.kpis import cache, occupancy, service, views
from metrics.kpis.schemas import BuildingEnterprises, BuildingPage, KpiRead, Ranking, StreetList, TiersRead

router = APIRouter(tags=["指标"])

PeriodQuery = Annotated[
    str | None,
    Query(
        max_length=12,
        description="统计期：2025-06（月）、2025-Q2（季度）、2025（全年）、2025-06-YTD 或 2025-YTD（年初至今）；"
        "默认为有数据的最近一年（年初至今）",
    ),
]
LevelQuery = Annotated[str, Query(description="层级：district / street / theme / zone / building")]
CodeQuery = Annotated[str | None, Query(max_length=50, description="街道代码、主题代码、功能区名称或楼宇编码")]
SortQuery = Annotated[str, Query(description="排序：" + " / ".join(service.SORTS))]
OnQuery = Annotated[
    date | None,
    Query(
        description="入驻率、入驻面积、空置面积、在楼企业数的统计日期（YYYY-MM-DD）；"
        "默认：最新统计期（有数据的最近月份所在期间）为今天，往期为期末"
    ),
]


@router.get("/kpis", response_model=KpiRead)
def read_kpis(
    request: Request,
    session: SessionDep,
    access: ReadAccess,
    level: LevelQuery = "district",
    code: CodeQuery = None,
    period: PeriodQuery = None,
    on: OnQuery = None,
) -> Response:
    """某楼宇、街道、主题、功能区或全区在统计期内的指标（税收两种口径、坪效、入驻率、注册率、纳统率、同比、排名）。"""
    rng = views.period_range(session, period)
    scope = service.scope_for(session, access, level=level, code=code)
    codes = None if scope.building_codes is None else tuple(scope.building_codes)
    day = occupancy.figures_date(session, rng, on)
    key = ("kpis", scope.level, scope.code, codes, rng.key, day.isoformat(), cache.data_version(session))
    return cache.respond(request, key, lambda: service.kpis(session, scope=scope, rng=rng, on=day))


@router.get("/streets", response_model=StreetList)
def list_streets(
    request: Request, session: SessionDep, access: ReadAccess, period: PeriodQuery = None, on: OnQuery = None
) -> StreetList:
    """各街道的税收与入驻情况（下钻第一层；街道用户只看到本街道）。"""
    rng = views.period_range(session, period)
    return StreetList.model_validate(
        views.streets(session, access=access, rng=rng, cache=cache.of(request.app.state), on=on)
    )


@router.get("/rankings/buildings", response_model=Ranking)
def rank_buildings(
    request: Request,
    session: SessionDep,
    access: ReadAccess,
    period: PeriodQuery = None,
    sort: SortQuery = "tax_total",
    street: Annotated[str | None, Query(max_length=12, description="只看某街道")] = None,
    theme: Annotated[str | None, Query(max_length=30, description="只看某特色主题的楼宇")] = None,
    zone: Annotated[str | None, Query(max_length=50, description="只看某功能区")] = None,
    limit: Annotated[int, Query(ge=1, le=2000, description="条数")] = 50,
    offset: Annotated[int, Query(ge=0, description="跳过条数")] = 0,
    on: OnQuery = None,
) -> Ranking:
    """楼宇排行（按税收、同比、坪效、入驻率等排序；可按街道、主题、功能区筛选）。"""
    rng = views.period_range(session, period)
    answer = service.ranking(
        session,
        access=access,
        rng=rng,
        sort=sort,
        street=street,
        theme=theme,
        zone=zone,
        limit=limit,
        offset=offset,
        cache=cache.of(request.app.state),
        on=on,
    )
    return Ranking.model_validate(answer)


@router.get("/buildings/{code}", response_model=BuildingPage)
def read_building(
    code: str, session: SessionDep, access: ReadAccess, period: PeriodQuery = None, on: OnQuery = None
) -> BuildingPage:
    """楼宇税收页：指标、逐月税收（两种口径，含上年同期）、纳税大户（限有权限的用户）和特色楼宇认定。"""
    building = access.get_building(session, code)
    rng = views.period_range(session, period)
    return BuildingPage.model_validate(views.building_page(session, access=access, building=building, rng=rng, on=on))


@router.get("/buildings/{code}/enterprises", response_model=BuildingEnterprises)
def building_enterprises(
    code: str,
    session: SessionDep,
    access: PersonAccess,
    period: PeriodQuery = None,
    limit: Annotated[int, Query(ge=1, le=500, description="条数")] = 50,
    offset: Annotated[int, Query(ge=0, description="跳过条数")] = 0,
) -> BuildingEnterprises:
    """楼宇内各企业归属本楼的税收（下钻到企业；统计局接口不提供）。"""
    access.require_enterprises()
    building = access.get_building(session, code)
    rng = views.period_range(session, period)
    rows = service.top_taxpayers(session, building_code=building.code, rng=rng)
    return BuildingEnterprises.model_validate(
        {
            "period": service.period_info(rng),
            "building_code": building.code,
            "building_name": building.name,
            "items": rows[offset : offset + limit],
            "total": len(rows),
            "limit": limit,
            "offset": offset,
        }
    )


@router.get("/tiers", response_model=TiersRead)
def read_tiers(session: SessionDep, access: ReadAccess, period: PeriodQuery = None) -> TiersRead:
    """千万元、5000万元、亿元、十亿元楼宇和月亿楼（全年或年初至今），及比上年新增的楼宇。"""
    rng = views.period_range(session, period)
    if rng.kind not in ("year", "ytd"):
        message = "楼宇分档按全年（如 2025）或年初至今（如 2025-YTD、2025-10-YTD）统计"
        raise Invalid(message, error="InvalidPeriod", fields=[{"field": "period", "message": message}])
    return TiersRead.model_validate(views.tiers(session, access=access, rng=rng))
