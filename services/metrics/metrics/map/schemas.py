"""Shapes of ``GET /map`` (money in 元 as JSON numbers, areas in ㎡, rates as fractions 0–1)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class MapBuilding(BaseModel):
    """One building on the map (or in the list of buildings without coordinates)."""

    code: str = Field(description="楼宇编码")
    name: str = Field(description="楼宇名称")
    street_code: str = Field(description="所在街道代码（统计用区划代码）")
    street_name: str = Field(description="所在街道名称")
    zone: str = Field(description="所在功能区（可为空）")
    lng: float | None = Field(description="经度（十进制度）；未标注坐标时为 null")
    lat: float | None = Field(description="纬度（十进制度）；未标注坐标时为 null")
    gfa: float | None = Field(description="建筑面积（㎡）")
    leasable_area: float | None = Field(description="可出租面积（㎡）")
    tax_total: float | None = Field(description="统计期全口径税收（元）；无数据时为 null")
    tax_district: float | None = Field(description="统计期区级税收（元）")
    tier: str | None = Field(
        description="税收层级：qianwan（千万元）/ wuqianwan（5000万元）/ yiyuan（亿元）/ shiyi（十亿元）；"
        "未达千万元为 null。按全口径税收“达到即计入”（≥ 门槛）"
    )
    tier_label: str = Field(
        description="所在税收区间（按达到的最高层级着色，区间写明上下限，如“5000万–1亿元”；未达千万元为空）"
    )
    themes: list[str] = Field(description="楼宇申报的特色主题代码")
    featured_themes: list[str] = Field(description="经测算认定为特色楼宇的主题代码（该年度）")
    figures_on: str = Field(description="入驻率、入驻面积、空置面积、在楼企业数的统计日期（YYYY-MM-DD）")
    figures_status: str = Field(description="reported 已填报 / not_reported 未填报 / under_construction 在建")
    figures_status_label: str = Field(description="已填报 / 未填报 / 在建")
    occupied_area: float = Field(description="入驻面积（㎡，统计日期当日有效的入驻记录）")
    vacant_area: float | None = Field(description="空置面积（㎡）= 可出租面积 − 入驻面积；未填报为 null")
    occupancy_rate: float | None = Field(description="入驻率（入驻面积 ÷ 可出租面积，统计日期当日）；未填报为 null")
    vacancy_rate: float | None = Field(description="空置率（1 − 入驻率，不低于 0）；未填报为 null")
    tenants: int | None = Field(description="统计日期当日在楼企业数")
    is_demo: bool = Field(description="演示数据")


class MapStreet(BaseModel):
    code: str = Field(description="街道代码")
    name: str = Field(description="街道名称")
    buildings: int = Field(description="本街道中调用者可见的楼宇数")


class MapTheme(BaseModel):
    code: str = Field(description="特色主题代码")
    name: str = Field(description="特色主题名称")


class MapTier(BaseModel):
    key: str = Field(description="层级代码")
    label: str = Field(description="区间名称（如“5000万–1亿元”：地图按楼宇达到的最高层级着色）")
    threshold: float = Field(description="区间下限（元，全口径税收达到即计入）")
    upper: float | None = Field(None, description="区间上限（元，不含；最高一档为 null）")


class MapView(BaseModel):
    """Everything the map page shows, in one call."""

    year: int = Field(description="年度")
    years: list[int] = Field(description="有税收数据的年度（新的在前）")
    period: dict[str, Any] = Field(description="统计期（当年为年初至今，往年为全年）")
    stock_month: str | None = Field(description="入驻率、空置率的统计日期所在月份")
    figures_on: str = Field(description="入驻率、空置率、在楼企业数的统计日期（YYYY-MM-DD）")
    street: str | None = Field(description="筛选的街道代码")
    streets: list[MapStreet] = Field(description="可筛选的街道（调用者可见楼宇所在的街道）")
    themes: list[MapTheme] = Field(description="特色主题")
    tiers: list[MapTier] = Field(description="税收层级及门槛（由低到高）")
    buildings: list[MapBuilding] = Field(description="有坐标的楼宇")
    unplaced: list[MapBuilding] = Field(description="未标注坐标的楼宇")
    total: int = Field(description="楼宇总数（有坐标 + 未标注坐标）")
    outline: dict[str, Any] = Field(
        description="区界（GeoJSON FeatureCollection）；approximate 为 true 时是随产品提供的"
        "示意边界（近似，非标准地图），label 为图上应标注的说明"
    )
