"""Goals as the API shows them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class GoalBuilding(BaseModel):
    code: str
    name: str
    street_code: str


class GoalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    source: str = Field(description="tasks 来自工作方案（任务服务） / manual 手工录入")
    source_name: str
    metric: str = Field(
        description="指标代码（指标口径）：yiyuan_buildings 亿元楼宇 / featured_buildings 特色楼宇 / "
        "occupancy_rate 入驻率 / registration_rate 注册率 / statistics_rate 纳统率 / sharing_centres 招商共享中心 等"
    )
    metric_name: str = Field(description="指标名称（中文）")
    comparison: Comparison = Field(
        description="比较方式：increase 较上年末新增 / at_least 达到（≥）/ at_most 不高于（≤）/ equal 等于"
    )
    comparison_name: str = Field(description="比较方式（中文）")
    kind: Literal["count", "rate"] = Field(description="count 数量 / rate 比率（目标值和当前值以百分数计）")
    measured_by: Literal["metrics", "bureau"] = Field(
        description="metrics 由税收和登记数据计算 / bureau 由区商务局填报当前值"
    )
    plan_id: str | None
    plan_title: str
    text: str = Field(description="目标原文")
    unit: str
    year: int = Field(description="目标年度")
    phase_end_date: date | None
    target: Decimal = Field(description="目标值")
    baseline_year: int | None = Field(description="基线年度（新增类目标：上一年，取其年末的值）")
    baseline_value: Decimal | None = Field(description="基线值（如上一年的亿元楼宇数；比率以百分数计）")
    current_value: Decimal | None = Field(
        description="当前值：新增类目标为较基线的增量，其余为当前的值（比率以百分数计）；无法计算或尚未填报时为空"
    )
    progress: Decimal | None = Field(description="完成比例（%，一位小数；可超过 100）")
    achieved: bool = Field(description="是否已达成目标")
    computed: bool = Field(description="true：由税收和登记数据计算；false：区商务局填报")
    computation: str = Field(description="计算方法及数字（中文，使用指标名称）")
    buildings: list[GoalBuilding] = Field(description="楼宇类目标：新增的楼宇（新增类）或当前达标的楼宇")
    manual_note: str = Field(description="填报说明")
    manual_as_of: date | None = Field(description="填报值对应的日期（截至）")
    manual_by: str = Field(description="填报人")
    manual_at: datetime | None = Field(description="填报时间")
    updated_at: datetime | None


class GoalSyncRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    last_attempt_at: datetime | None = Field(description="最近一次向任务服务同步的时间")
    last_ok_at: datetime | None = Field(description="最近一次同步成功的时间（当前目标即此时的版本）")
    last_error: str | None = Field(description="最近一次同步失败的原因（成功后清空）")
    items: int = Field(description="最近一次同步取得的目标数")


class GoalList(BaseModel):
    items: list[GoalRead]
    total: int
    year: int
    sync: GoalSyncRead | None = Field(description="与任务服务的同步状态（从未同步时为空）")


Comparison = Literal["increase", "at_least", "at_most", "equal"]


class GoalCreate(BaseModel):
    metric: str = Field(min_length=2, max_length=40, pattern=r"^[a-z][a-z0-9_]*$", description="指标代码")
    metric_name: str = Field("", max_length=50, description="指标名称（指标口径之外的指标必填，如 招商共享中心）")
    comparison: Comparison = Field("increase", description="increase 新增 / at_least ≥ / at_most ≤ / equal =")
    target: Decimal = Field(gt=0, max_digits=14, decimal_places=2, description="目标值")
    unit: str = Field("", max_length=20, description="单位，如 栋、个")
    text: str = Field(min_length=2, max_length=500, description="目标说明")
    year: int = Field(ge=2000, le=2100, description="目标年度")
    plan_title: str = Field("", max_length=300, description="所属方案（可空）")
    manual_value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2, description="当前值（填报）")
    manual_note: str = Field("", max_length=300, description="当前值的说明")
    manual_as_of: date | None = Field(None, description="填报值对应的日期（默认今天）")


class GoalUpdate(BaseModel):
    metric: str | None = Field(None, min_length=2, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")
    metric_name: str | None = Field(None, max_length=50)
    comparison: Comparison | None = None
    target: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    unit: str | None = Field(None, max_length=20)
    text: str | None = Field(None, min_length=2, max_length=500)
    year: int | None = Field(None, ge=2000, le=2100)
    plan_title: str | None = Field(None, max_length=300)
    manual_value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2, description="当前值（填报）")
    manual_note: str | None = Field(None, max_length=300)
    manual_as_of: date | None = Field(None, description="填报值对应的日期（默认今天）")


class GoalValue(BaseModel):
    """The bureau's current value of a goal metrics cannot compute (招商共享中心 …)."""

    value: Decimal | None = Field(
        ge=0, max_digits=14, decimal_places=2, description="当前值（新增类目标为已新增的数量）；null 撤销填报"
    )
    as_of: date | None = Field(None, description="该值对应的日期（截至哪天，默认今天，不能晚于今天）")
    note: str = Field("", max_length=300, description="说明，如 已建成的中心名称")


class SyncResult(BaseModel):
    synced: int = Field(description="取得的目标数")
    sync: GoalSyncRead
