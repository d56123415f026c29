"""GET /map: the buildings the caller may read, placed on the district map, in one call.

API note (under ``/api/metrics``): ``GET /map?year=2025&street=420106001`` →
``{year, years, period, stock_month, street, streets: [{code, name, buildings}],
themes: [{code, name}], tiers: [{key, label, threshold}], buildings: [{code, name,
street_code, street_name, zone, lng, lat, gfa, leasable_area, tax_total, tax_district, tier,
tier_label, themes, featured_themes, occupancy_rate, vacancy_rate, tenants, is_demo}],
unplaced: [...same, lng/lat null], total, outline: GeoJSON FeatureCollection}``.
People with a read role only (a bureau system gets 403); street users and 楼长 see their own
buildings; a street outside them answers 404.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request

from louyu_kit.db import SessionDep
from metrics.access import ScreenAccess
from metrics.kpis import cache
from metrics.map import service
from metrics.map.schemas import MapView
from metrics.rollups.periods import MAX_YEAR, MIN_YEAR

router = APIRouter(tags=["地图"])


@router.get("/map", response_model=MapView, responses={403: {}, 404: {}, 422: {}})
def read_map(
    request: Request,
    session: SessionDep,
    access: ScreenAccess,
    year: Annotated[
        int | None,
        Query(ge=MIN_YEAR, le=MAX_YEAR, description="年度（当年按年初至今，往年按全年）；默认为有数据的最近一年"),
    ] = None,
    street: Annotated[str | None, Query(max_length=12, description="只看某街道（街道代码）")] = None,
    on: Annotated[
        date | None,
        Query(
            description="入驻率等数字的统计日期（YYYY-MM-DD）；"
            "默认：最新统计期（有数据的最近月份所在期间）为今天，往期为期末"
        ),
    ] = None,
) -> MapView:
    """楼宇地图：可见楼宇的坐标、税收层级、特色主题、空置率与税收，以及区界轮廓和未标注坐标的楼宇。"""
    answer = service.map_view(
        session,
        access=access,
        year=year,
        street=street,
        outline_file=request.app.state.settings.metrics_map_outline_file,
        cache=cache.of(request.app.state),
        on=on,
    )
    return MapView.model_validate(answer)
