"""Warning rules and warnings as the API shows them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from louyu_kit.types import InputModel, Money
from metrics.catalogue.definitions import figure

Level = Literal["severe", "major", "minor"]
NoteKind = Literal["viewed", "handling", "handled", "note"]


class WarningRuleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(
        description="规则代码：tax_drop / top_taxpayer_left / occupancy_drop / vacancy_high / "
        "not_reported（数据完整性）"
    )
    name: str
    description: str
    enabled: bool
    threshold: Decimal | None = Field(description="阈值（单位见 threshold_unit）；该规则无阈值时为空")
    threshold_unit: str
    top_n: int | None = Field(description="纳税大户：近12个月纳税排名前 N 名")
    window_days: int | None = Field(description="纳税大户：迁出日期在最近多少天内")
    min_base: Money | None = Field(description="税收下降：上年同期税收低于此值（元）的楼宇不预警")
    is_default: bool
    level: Level = Field(description="严重程度：severe 严重 / major 较重 / minor 一般（区商务局设置）")
    level_name: str = Field(description="严重程度（中文）")
    updated_at: datetime | None
    updated_by: str


class WarningRuleChange(InputModel):
    code: str = Field(description="规则代码")
    enabled: bool | None = None
    threshold: Decimal | None = Field(None, gt=0, le=100, max_digits=14, decimal_places=2)
    top_n: int | None = Field(None, ge=1, le=10_000)
    window_days: int | None = Field(None, ge=1, le=3650)
    min_base: Money | None = Field(None, ge=0, max_digits=20, decimal_places=2)
    level: Level | None = Field(None, description="严重程度：severe 严重 / major 较重 / minor 一般")


class WarningRulesWrite(BaseModel):
    rules: list[WarningRuleChange] = Field(min_length=1, max_length=20, description="要修改的规则（未列出的不变）")


class WarningFigures(BaseModel):
    """The numbers behind a warning (which fields are set depends on the rule; amounts in 元 as
    numbers like every amount (louyu_kit.types.Money), rates as exact decimal text, areas in ㎡)."""

    # tax_drop 税收同比下降
    current: Money | None = figure("tax_total", "税收下降：本期（年初至今）", default=None)
    previous: Money | None = figure("previous_tax_total", "税收下降：上年同期", default=None)
    drop_percent: str | None = Field(default=None, description="税收下降：降幅（%）")
    current_period: str | None = Field(default=None, description="税收下降：本期（如 2025-06-YTD）")
    previous_period: str | None = Field(default=None, description="税收下降：上年同期")
    # top_taxpayer_left 纳税大户迁出
    credit_code: str | None = Field(default=None, description="纳税大户迁出：企业统一社会信用代码")
    enterprise_name: str | None = Field(default=None, description="纳税大户迁出：企业名称")
    rank: int | None = Field(default=None, description="纳税大户迁出：该企业近12个月在本楼的纳税名次")
    tax_12_months: Money | None = figure("tax_total", "纳税大户迁出：近12个月归属本楼", default=None)
    moved_out_on: str | None = Field(default=None, description="纳税大户迁出：迁出日期（YYYY-MM-DD）")
    now_in: list[str] | None = Field(default=None, description="纳税大户迁出：企业现在所在的楼宇编码")
    top_n: int | None = Field(default=None, description="纳税大户迁出：规则的前 N 名")
    window_days: int | None = Field(default=None, description="纳税大户迁出：规则的天数")
    # occupancy_drop 入驻率下降 / vacancy_high 空置率偏高
    rate: str | None = Field(default=None, description="入驻率下降：当前入驻率（0–1）")
    rate_year_ago: str | None = Field(default=None, description="入驻率下降：一年前的入驻率（0–1）")
    drop_points: str | None = Field(default=None, description="入驻率下降：下降的百分点")
    vacancy: str | None = Field(default=None, description="空置率偏高：空置率（0–1）")
    occupied_area: float | None = figure("occupied_area", "预警评估日", default=None)
    occupied_area_year_ago: float | None = figure("occupied_area", "一年前的同日", default=None)
    leasable_area: float | None = figure("leasable_area", default=None)
    vacant_area: float | None = figure("vacant_area", "预警评估日", default=None)
    threshold: str | None = Field(default=None, description="规则阈值（单位见规则）")
    # not_reported 数据完整性
    missing: list[str] | None = Field(
        default=None, description="数据完整性：尚未填报的数据（可出租面积、房源或入驻记录）"
    )


class WarningRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    rule: str = Field(
        description="规则代码：tax_drop / top_taxpayer_left / occupancy_drop / vacancy_high / "
        "not_reported（数据完整性）"
    )
    rule_name: str
    kind: Literal["warning", "data_completeness"] = Field(
        description="类别：warning 预警 / data_completeness 数据完整性提醒"
        "（楼宇尚未填报房源或可出租面积，提醒所在街道）"
    )
    severity: Literal["normal", "low"] = Field(description="类别程度：normal 预警 / low 提醒（数据完整性）")
    level: Level = Field(description="严重程度（按规则设置）：severe 严重 / major 较重 / minor 一般；列表中严重的在前")
    level_name: str = Field(description="严重程度（中文：严重、较重、一般）")
    building_code: str
    building_name: str
    street_code: str
    subject: str = Field(description="相关企业的统一社会信用代码（纳税大户迁出），其他为空")
    title: str
    message: str = Field(description="预警内容及数字（中文）")
    period: str = Field(description="比较的期间")
    figures: WarningFigures = Field(description="预警所依据的数字（随规则不同）")
    first_seen_at: datetime = Field(description="首次出现时间")
    last_seen_at: datetime = Field(description="最近一次评估仍然成立的时间")
    resolved_at: datetime | None = Field(description="解除时间（仍有效时为空）")
    active: bool


class EvaluationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    raised: int = Field(description="新出现的预警数")
    updated: int = Field(description="仍然成立的预警数")
    resolved: int = Field(description="解除的预警数")
    active: int = Field(description="评估后有效的预警数")
    evaluated_at: datetime


class WarningLevelCounts(BaseModel):
    severe: int = Field(description="有效的严重预警数")
    major: int = Field(description="有效的较重预警数")
    minor: int = Field(description="有效的一般预警（含数据完整性提醒）数")


class WarningNoteCreate(InputModel):
    kind: NoteKind = Field(description="类别：viewed 已查看 / handling 处置中 / handled 已处置 / note 备注")
    text: str = Field("", max_length=2000, description="做了什么（已查看之外必填）")


class WarningNoteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    warning_id: int
    kind: NoteKind
    kind_name: str = Field(description="类别（中文）")
    text: str
    author: str = Field(description="记录人（账号）")
    created_at: datetime


class WarningDetail(WarningRead):
    notes: list[WarningNoteRead] = Field(description="处置记录（先后顺序）")
