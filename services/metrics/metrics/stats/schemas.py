"""Response models of ``GET /stats/aggregates`` and ``GET /stats/cross-tab`` (JSON; CSV and
xlsx carry the same rows).

Money as JSON numbers in the answer's ``unit`` (元, or 万元 with ``unit=wan``), rates as
fractions 0–1. Figures are described from the
指标口径 catalogue (``x-metric``); a new column needs a catalogue entry first.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from metrics.catalogue.definitions import figure
from metrics.kpis.schemas import PeriodInfo, Unattributed

RowKind = Literal["group", "unattributed", "other", "duplicates", "total"]
KIND_HELP = (
    "行的类别：group 分组 / unattributed 未入楼企业（_unattributed）/ other 其他/未分类（_other）/ "
    "duplicates 减：多主题楼宇重复计入（_duplicates，负数）/ total 合计（_total）"
)
IN_UNIT = "单位见 unit（元或万元）"


class AggregateRow(BaseModel):
    """One group (street, theme, 门类, zone or month), one of the rows that make the column
    add up (未入楼企业, 其他/未分类, 重复计入), or the 合计 row."""

    code: str = Field(
        description="分组代码：街道代码、主题代码、门类字母、功能区名称或月份；"
        "_unattributed 未入楼企业、_other 其他/未分类、_duplicates 重复计入、_total 合计"
    )
    name: str = Field(description="分组名称")
    kind: RowKind = Field(description=KIND_HELP)
    buildings: int | None = figure("buildings", "门类和月份分组为 null")
    enterprises: int | None = figure("enterprises_with_figures", "合计行为 null")
    tax_total: float | None = figure("tax_total", IN_UNIT)
    tax_district: float | None = figure("tax_district", IN_UNIT)
    revenue: float | None = figure("revenue", IN_UNIT)
    previous_tax_total: float | None = figure("previous_tax_total", IN_UNIT)
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
    figures_on: str | None = Field(default=None, description="入驻率、在楼企业数的统计日期（YYYY-MM-DD）")
    under_construction_area: float | None = figure("under_construction_area", default=None)


class Aggregates(BaseModel):
    period: PeriodInfo
    by: Literal["street", "theme", "section", "zone", "month"] = Field(description="分组维度")
    by_name: str = Field(description="分组维度名称")
    unit: Literal["元", "万元"] = Field(description="金额单位（元，或 unit=wan 时为万元）")
    items: list[AggregateRow] = Field(
        description="各分组，其后为未入楼企业、其他/未分类（主题另有重复计入）行；各行之和等于 total_row"
    )
    total: int = Field(description="行数（items 的条数，不含合计行）")
    total_row: AggregateRow = Field(description="合计行（code _total）= 同一统计期、同一口径的全区数")
    district: DistrictTotals
    notes: list[str] = Field(description="口径说明（中文）")


BASIS_HELP = "金额为 basis 所指的指标（tax_total / tax_district / revenue），单位见 unit"


class CrossTabColumn(BaseModel):
    code: str = Field(description="GB/T 4754-2017 门类字母；_other 为行业未知")
    name: str = Field(description="门类名称")


class CrossTabRow(BaseModel):
    code: str = Field(description="街道代码；_unattributed 未入楼企业；_other 其他/未分类（未填街道）")
    name: str = Field(description="行名称")
    kind: RowKind = Field(description=KIND_HELP)
    values: dict[str, float] = Field(description="各门类（键为 columns[].code）的金额；" + BASIS_HELP)
    total: float = Field(description="行合计；" + BASIS_HELP)


class CrossTab(BaseModel):
    """街道 × 行业门类 of one figure (``basis``) with row, column and grand totals."""

    period: PeriodInfo
    basis: Literal["tax_total", "tax_district", "revenue"] = Field(
        description="表中金额的指标（指标口径代码）：tax_total 全口径税收 / tax_district 区级税收 / revenue 营业收入"
    )
    unit: Literal["元", "万元"] = Field(description="金额单位（元，或 unit=wan 时为万元）")
    columns: list[CrossTabColumn] = Field(description="列：各门类，最后为行业未知")
    items: list[CrossTabRow] = Field(description="行：各街道（含无楼宇的街道）、未入楼企业、其他/未分类")
    column_totals: dict[str, float] = Field(description="各列合计（键为 columns[].code）；" + BASIS_HELP)
    grand_total: float = Field(
        description="总计（各行、各列之和）；" + BASIS_HELP, json_schema_extra={"x-metric-field": "basis"}
    )
    district: float | None = Field(
        description="同一统计期、同一口径的全区数（应等于 grand_total）；" + BASIS_HELP,
        json_schema_extra={"x-metric-field": "basis"},
    )
    notes: list[str] = Field(description="口径说明（中文）")
