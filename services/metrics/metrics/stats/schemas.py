"""Response model of ``GET /stats/aggregates`` (JSON; CSV and xlsx carry the same rows).

Money in 元 as JSON numbers, rates as fractions 0–1. Figures are described from the
指标口径 catalogue (``x-metric``); a new column needs a catalogue entry first.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from metrics.catalogue.definitions import figure
from metrics.kpis.schemas import PeriodInfo, Unattributed


class AggregateRow(BaseModel):
    """One group (street, theme, 门类, zone or month)."""

    code: str = Field(description="分组代码：街道代码、主题代码、门类字母（空 = 行业未知）、功能区名称或月份")
    name: str = Field(description="分组名称")
    buildings: int | None = figure("buildings", "门类和月份分组为 null")
    enterprises: int = figure("enterprises_with_figures")
    tax_total: float | None = figure("tax_total")
    tax_district: float | None = figure("tax_district")
    revenue: float | None = figure("revenue")
    previous_tax_total: float | None = figure("previous_tax_total")
    yoy: float | None = figure("tax_total_yoy")


class DistrictTotals(BaseModel):
    """The district's figures for the same period (全区合计)."""

    tax_total: float | None = figure("tax_total", "全区，含未入楼企业")
    tax_district: float | None = figure("tax_district", "全区，含未入楼企业")
    revenue: float | None = figure("revenue", "全区，含未入楼企业")
    unattributed: Unattributed | None = Field(description="未入楼企业的数字")
    buildings: int = figure("buildings")
    occupancy_rate: float | None = figure("occupancy_rate")
    tenants: int | None = figure("tenants")
    registration_rate: float | None = figure("registration_rate")
    statistics_rate: float | None = figure("statistics_rate")


class Aggregates(BaseModel):
    period: PeriodInfo
    by: Literal["street", "theme", "section", "zone", "month"] = Field(description="分组维度")
    by_name: str = Field(description="分组维度名称")
    items: list[AggregateRow]
    total: int = Field(description="行数")
    district: DistrictTotals
    notes: list[str] = Field(description="口径说明（中文）")
