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
    code: str = Field(description="街道代码")
    name: str = Field(description="街道名称")
    buildings: int = figure("buildings")
    tax_total: float | None = figure("tax_total")
    tax_district: float | None = figure("tax_district")
    previous_tax_total: float | None = figure("previous_tax_total")
    yoy: float | None = figure("tax_total_yoy")


class ThemeSlice(BaseModel):
    code: str = Field(description="主题代码（空 = 未设主题的楼宇）")
    name: str = Field(description="主题名称")
    buildings: int = figure("buildings", "一栋楼宇有两个主题时分别计入")
    tax_total: float | None = figure("tax_total")
    tax_district: float | None = figure("tax_district")
    share: float | None = figure("tax_share")


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
    tax_by_street: list[StreetBar] = Field(description="各街道税收（按全口径从高到低）")
    monthly_trend: list[MonthRow] = Field(description="统计期所在年度 12 个月的税收")
    theme_mix: list[ThemeSlice] = Field(description="特色主题构成")
    tiers: list[TierCount] = Field(description="楼宇分档计数")
    top_buildings: list[BuildingRow] = Field(description="重点楼宇（按全口径税收前 10）")
    warnings: list[DashboardWarning] = Field(description="有效预警（最新在前）")
    featured: FeaturedCount
    is_demo: bool = Field(description="数字为演示数据")
