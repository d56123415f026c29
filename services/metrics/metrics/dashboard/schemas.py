"""Response model of ``GET /dashboard`` (the cockpit's first screen).

Money in 元 as JSON numbers, areas in ㎡, rates as fractions 0–1, ``null`` when not
computable. Every figure is described from the 指标口径 catalogue (``x-metric``); a card's
``key`` and a tier's ``metric`` are catalogue codes. New figures: add the definition to
``metrics/catalogue/definitions.py``, then the field here (or on ``metrics/kpis/schemas.py``
for the rows shared with the KPI routes).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from metrics.catalogue.definitions import figure
from metrics.goals.schemas import GoalRead
from metrics.kpis.schemas import BuildingRow, MonthRow, PeriodInfo, Unattributed
from metrics.stats.schemas import KIND_HELP, RowKind
from metrics.sync.schemas import SyncStatus
from metrics.warnings.schemas import WarningRead


class SyncInfo(BaseModel):
    """How current the figures are."""

    sources: list[SyncStatus] = Field(description="读模型跟随的各变更流（与 GET /sync 相同）")
    rollups_pending: int = Field(description="待重算的汇总（楼宇 × 月）数")
    rollups_refreshed_at: datetime | None = Field(description="汇总最近一次更新的时间")
    rollups_rebuilt_at: datetime | None = Field(description="汇总最近一次全量重建的时间")


class DashboardScope(BaseModel):
    level: Literal["district", "own"] = Field(description="district 全区 / own 本人（街道、楼长）可见的楼宇之和")
    streets: list[str] | None = Field(description="街道用户的街道代码（全区为 null）")
    buildings: int = figure("buildings", "调用者可见的楼宇")


class Card(BaseModel):
    """One KPI card; ``key`` is the figure's code in the 指标口径 catalogue."""

    key: str = Field(description="指标代码（GET /definitions 中的 code）")
    label: str = Field(description="指标名称（取自指标口径目录）")
    unit: str = Field(description="单位（取自指标口径目录）：元、元/㎡/年、㎡、家、栋、比率")
    value: float | None = Field(
        description="本期值（单位见 unit；比率为 0–1 的小数）；无法计算时为 null。指标代码见 key",
        json_schema_extra={"x-metric-field": "key"},
    )
    previous: float | None = Field(description="上年同期值（税收类卡片）", json_schema_extra={"x-metric-field": "key"})
    yoy: float | None = figure("yoy_rate")
    new: int | None = figure("tier_new_buildings", "亿元楼宇卡片：比上年同期新增的栋数")
    note: str = Field(description="说明（如坪效的年化方法）")
    period: str | None = Field(description="分档所用的统计期（亿元楼宇卡片：全年或年初至今）")
    year: int | None = Field(description="认定年度（特色楼宇卡片）")
    on: str | None = Field(default=None, description="存量指标卡片（入驻率、空置面积、在楼企业）的日期（YYYY-MM-DD）")
    buildings: int | None = figure("buildings", "在建载体面积卡片：在建楼宇栋数", default=None)


class StreetBar(BaseModel):
    """One street, or one of the rows that make the column add up (未入楼企业, 其他/未分类), or
    the 合计 row (``tax_by_street_total``)."""

    code: str = Field(
        description="街道代码；_unattributed 未入楼企业、_other 其他/未分类（未填街道或已不在楼宇库的楼宇）、"
        "_total 合计"
    )
    name: str = Field(description="街道名称（或该行的名称）")
    kind: RowKind = Field(description=KIND_HELP)
    buildings: int | None = figure("buildings", "未入楼企业行为 null")
    tax_total: float | None = figure("tax_total")
    tax_district: float | None = figure("tax_district")
    previous_tax_total: float | None = figure("previous_tax_total")
    yoy: float | None = figure("tax_total_yoy")


class ThemeSlice(BaseModel):
    """One theme, or one of the rows that make the column add up (无主题楼宇, 未入楼企业, 减：多主题
    楼宇重复计入), or the 合计 row (``theme_mix_total``)."""

    code: str = Field(
        description="主题代码；_other 无主题楼宇（含已不在楼宇库的楼宇）、_unattributed 未入楼企业、"
        "_duplicates 减：多主题楼宇重复计入（负数）、_total 合计"
    )
    name: str = Field(description="主题名称（或该行的名称）")
    kind: RowKind = Field(description=KIND_HELP)
    buildings: int | None = figure("buildings", "一栋楼宇有两个主题时分别计入；未入楼企业、重复计入行为 null")
    tax_total: float | None = figure("tax_total")
    tax_district: float | None = figure("tax_district")
    share: float | None = figure("tax_share", "主题与无主题楼宇行；其他行为 null")


class TrendSum(BaseModel):
    """A row of the monthly breakdown of the period's figure: the months of the period, what
    was reported for a quarter or a year (not split into months), and the 合计."""

    code: str = Field(description="_months 统计期各月之和、_other 其他/未分类（按季度或全年报送的数）、_total 合计")
    name: str = Field(description="行名称")
    kind: RowKind = Field(description=KIND_HELP)
    tax_total: float | None = figure("tax_total")
    tax_district: float | None = figure("tax_district")
    previous_tax_total: float | None = figure("previous_tax_total")
    previous_tax_district: float | None = figure("previous_tax_district")


class TierCount(BaseModel):
    key: Literal["qianwan", "wuqianwan", "yiyuan", "shiyi", "yueyi"] = Field(description="档位")
    metric: str = Field(description="该档计数的指标代码（如 yiyuan_buildings）")
    label: str = Field(description="档位名称")
    threshold: float = Field(description="门槛（元，全口径税收达到即计入）")
    count: int = Field(
        description="达到该档的楼宇栋数（达到即计入，含更高档），指标代码见 metric",
        json_schema_extra={"x-metric-field": "metric"},
    )
    new: int | None = figure("tier_new_buildings", "月亿楼为 null")
    period: str = Field(description="分档所用的统计期（月、季度用其年初至今）")


class DashboardWarning(WarningRead):
    street_name: str = Field(description="街道名称")


class FeaturedCount(BaseModel):
    year: int = Field(description="认定年度")
    count: int = figure("featured_buildings")


class Dashboard(BaseModel):
    """Everything the cockpit's first screen shows for a period, in one answer."""

    period: PeriodInfo
    as_of: str | None = Field(description="有数据的最近月份（YYYY-MM）")
    years: list[int] = Field(description="有数据的年度")
    scope: DashboardScope
    sync: SyncInfo
    cards: list[Card] = Field(description="指标卡（key 为指标代码）")
    unattributed: Unattributed | None = Field(description="未入楼企业的数字（仅全区）")
    goals: list[GoalRead] = Field(description="本年度目标及进度（仅全区可见的用户）")
    tax_by_street: list[StreetBar] = Field(
        description="各街道税收（按全口径从高到低；全区时含没有楼宇的街道，数值为 0），其后为未入楼企业（仅全区）"
        "和其他/未分类行；各行之和等于 tax_by_street_total"
    )
    tax_by_street_total: StreetBar = Field(
        description="合计行（code _total）= 同一统计期、同一口径的指标卡（全区或本人范围）"
    )
    monthly_trend: list[MonthRow] = Field(description="统计期所在年度 12 个月的税收")
    monthly_summary: list[TrendSum] = Field(
        description="统计期的逐月合计：统计期各月之和、其他/未分类（按季度或全年报送）、合计（= 指标卡）；"
        "前两行之和等于合计"
    )
    theme_mix: list[ThemeSlice] = Field(
        description="特色主题构成：各主题，其后为无主题楼宇、未入楼企业（仅全区）、减：多主题楼宇重复计入；"
        "各行之和等于 theme_mix_total"
    )
    theme_mix_total: ThemeSlice = Field(description="合计行（code _total）= 同一统计期、同一口径的指标卡")
    tiers: list[TierCount] = Field(description="楼宇分档计数")
    top_buildings: list[BuildingRow] = Field(description="重点楼宇（按全口径税收前 10）")
    warnings: list[DashboardWarning] = Field(
        description="有效预警：严重的在前（严重、较重、一般），同一程度新的在前；数据完整性提醒在同一程度的预警之后"
    )
    featured: FeaturedCount
    is_demo: bool = Field(description="数字为演示数据")
