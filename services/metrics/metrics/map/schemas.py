"""Shapes of ``GET /map`` (money in 元 as JSON numbers, areas in ㎡, rates as fractions 0–1)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, JsonValue

from metrics.catalogue.definitions import figure
from metrics.kpis.schemas import PeriodInfo


class MapBuilding(BaseModel):
    """One building on the map (or in the list of buildings without coordinates)."""

    code: str = Field(description="楼宇编码")
    name: str = Field(description="楼宇名称")
    street_code: str = Field(description="所在街道代码（统计用区划代码）")
    street_name: str = Field(description="所在街道名称")
    zone: str = Field(description="所在功能区（可为空）")
    lng: float | None = Field(description="经度（十进制度）；未标注坐标时为 null")
    lat: float | None = Field(description="纬度（十进制度）；未标注坐标时为 null")
    gfa: float | None = figure("gfa")
    leasable_area: float | None = figure("leasable_area")
    tax_total: float | None = figure("tax_total", "无数据时为 null")
    tax_district: float | None = figure("tax_district")
    tier: str | None = Field(
        description="税收层级：qianwan（千万元）/ wuqianwan（5000万元）/ yiyuan（亿元）/ shiyi（十亿元）；"
        "未达千万元为 null。按全口径税收“达到即计入”（≥ 门槛）"
    )
    tier_label: str = Field(
        description="所在税收区间（按达到的最高层级着色，区间写明上下限，如“5000万–1亿元”；未达千万元为空）"
    )
    themes: list[str] = Field(description="楼宇申报的特色主题代码")
    featured_themes: list[str] = Field(description="经测算认定为特色楼宇的主题代码（该年度）")
    figures_on: str | None = Field(
        default=None, description="入驻率、入驻面积、空置面积、在楼企业数的统计日期（YYYY-MM-DD）"
    )
    occupancy_rate: float | None = figure("occupancy_rate")
    vacancy_rate: float | None = figure("vacancy_rate")
    tenants: int | None = figure("tenants")
    occupied_area: float | None = figure("occupied_area", default=None)
    vacant_area: float | None = figure("vacant_area", default=None)
    figures_status: Literal["reported", "not_reported", "under_construction"] | None = Field(
        default=None,
        description="存量指标的状态：reported 已填报 / not_reported 未填报（不计入比率）/ under_construction 在建",
    )
    figures_status_label: str | None = Field(default=None, description="状态名称（中文）")
    is_demo: bool = Field(description="演示数据")


class MapStreet(BaseModel):
    code: str = Field(description="街道代码")
    name: str = Field(description="街道名称")
    buildings: int = figure("buildings", "本街道中调用者可见的楼宇")


class MapTheme(BaseModel):
    code: str = Field(description="特色主题代码")
    name: str = Field(description="特色主题名称")


class MapTier(BaseModel):
    key: str = Field(description="层级代码")
    label: str = Field(description="区间名称（如“5000万–1亿元”：地图按楼宇达到的最高层级着色）")
    threshold: float = Field(description="区间下限（元，全口径税收达到即计入）")
    upper: float | None = Field(None, description="区间上限（元，不含；最高一档为 null）")


class OutlineGeometry(BaseModel):
    type: Literal["Polygon", "MultiPolygon"] = Field(description="Polygon 或 MultiPolygon")
    coordinates: list[list[list[float]]] | list[list[list[list[float]]]] = Field(
        description="经纬度坐标（[经度, 纬度]，WGS-84 / CGCS2000），Polygon 为环的数组，MultiPolygon 为面的数组"
    )


class OutlineFeature(BaseModel):
    type: Literal["Feature"] = Field(description="Feature")
    properties: dict[str, JsonValue] = Field(description="原文件中该面的属性（原样）")
    geometry: OutlineGeometry


class Outline(BaseModel):
    """The district outline (GeoJSON FeatureCollection of polygons)."""

    type: Literal["FeatureCollection"] = Field(description="FeatureCollection")
    features: list[OutlineFeature] = Field(description="区界的面")
    approximate: bool = Field(description="true：随产品提供的示意边界（近似，非标准地图）")
    label: str = Field(description="图上应标注的说明（示意边界时为“示意边界（近似，非标准地图）”）")
    note: str | None = Field(description="示意边界文件的说明")


class MapView(BaseModel):
    """Everything the map page shows, in one call."""

    year: int = Field(description="年度")
    years: list[int] = Field(description="有税收数据的年度（新的在前）")
    period: PeriodInfo = Field(description="统计期（当年为年初至今，往年为全年）")
    stock_month: str | None = Field(description="入驻率、空置率的统计月份（该月末）；未统计时为 null")
    figures_on: str | None = Field(default=None, description="入驻率、空置率、在楼企业数的统计日期（YYYY-MM-DD）")
    street: str | None = Field(description="筛选的街道代码")
    streets: list[MapStreet] = Field(description="可筛选的街道（调用者可见楼宇所在的街道）")
    themes: list[MapTheme] = Field(description="特色主题")
    tiers: list[MapTier] = Field(description="税收层级及门槛（由低到高）")
    buildings: list[MapBuilding] = Field(description="有坐标的楼宇")
    unplaced: list[MapBuilding] = Field(description="未标注坐标的楼宇")
    total: int = Field(description="楼宇总数（有坐标 + 未标注坐标）")
    outline: Outline = Field(
        description="区界（GeoJSON FeatureCollection）；approximate 为 true 时是随产品提供的"
        "示意边界（近似，非标准地图），label 为图上应标注的说明"
    )
