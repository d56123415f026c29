"""Goals as the API shows them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from louyu_kit.types import InputModel


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
        description="指标：yiyuan_buildings 新增亿元楼宇 / featured_buildings 新增特色楼宇 / sharing_centres 等"
    )
    metric_name: str
    plan_id: str | None
    plan_title: str
    text: str = Field(description="目标原文")
    unit: str
    year: int = Field(description="目标年度")
    phase_end_date: date | None
    target: Decimal = Field(description="目标值")
    baseline_year: int | None = Field(description="基线年度（上一年）")
    baseline_value: Decimal | None = Field(description="基线值（如上一年的亿元楼宇数）")
    current_value: Decimal | None = Field(description="当前值（新增数，或填报值）")
    progress: Decimal | None = Field(description="完成比例（%）")
    achieved: bool
    computed: bool = Field(description="true：由税收和登记数据计算；false：人工填报")
    computation: str = Field(description="计算方法及数字（中文）")
    buildings: list[GoalBuilding] = Field(description="新增的楼宇（计算类目标）")
    manual_note: str
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


class GoalCreate(InputModel):
    metric: str = Field(min_length=2, max_length=40, pattern=r"^[a-z][a-z0-9_]*$", description="指标代码")
    target: Decimal = Field(gt=0, max_digits=14, decimal_places=2, description="目标值")
    unit: str = Field("", max_length=20, description="单位，如 栋、个")
    text: str = Field(min_length=2, max_length=500, description="目标说明")
    year: int = Field(ge=2000, le=2100, description="目标年度")
    plan_title: str = Field("", max_length=300, description="所属方案（可空）")
    manual_value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2, description="当前值（填报）")
    manual_note: str = Field("", max_length=300, description="当前值的说明")


class GoalUpdate(InputModel):
    metric: str | None = Field(None, min_length=2, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")
    target: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    unit: str | None = Field(None, max_length=20)
    text: str | None = Field(None, min_length=2, max_length=500)
    year: int | None = Field(None, ge=2000, le=2100)
    plan_title: str | None = Field(None, max_length=300)
    manual_value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2, description="当前值（填报）")
    manual_note: str | None = Field(None, max_length=300)


class SyncResult(BaseModel):
    synced: int = Field(description="取得的目标数")
    sync: GoalSyncRead
