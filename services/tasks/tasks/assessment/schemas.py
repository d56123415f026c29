"""Assessment rules and scores as the API accepts and shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from louyu_kit.types import InputModel


class ScoringWeights(BaseModel):
    """Points of one rule (negative numbers are penalties)."""

    base: float = Field(100, ge=0, le=1000, description="基础分")
    task_on_time: float = Field(2, ge=0, le=100, description="牵头任务按期完成，每项加分")
    task_overdue: float = Field(-3, ge=-100, le=0, description="牵头任务逾期（期末未完成或逾期完成），每项扣分")
    co_share: float = Field(0.5, ge=0, le=1, description="配合单位按牵头单位分值的比例计分")
    notice_answered: float = Field(1, ge=0, le=100, description="督办单按期回复，每份加分")
    notice_unanswered: float = Field(-2, ge=-100, le=0, description="督办单逾期未回复或逾期回复，每份扣分")
    demand_on_time: float = Field(1, ge=0, le=100, description="交办的企业诉求按期答复，每件加分")
    demand_overdue: float = Field(-2, ge=-100, le=0, description="交办的企业诉求超期，每件扣分")
    yiyuan_bonus: float = Field(5, ge=0, le=100, description="街道新增亿元楼宇，每栋加分（来自指标分析服务）")
    featured_bonus: float = Field(3, ge=0, le=100, description="街道新增特色楼宇，每栋加分（来自指标分析服务）")
    event_held: float = Field(
        0.5,
        ge=0,
        le=100,
        description="举办楼宇活动（政企座谈会等），每场加分：组织单位各计一场，街道另计本街道举办的活动",
    )


class RuleRead(BaseModel):
    target: str = Field(description="适用对象：* 全部单位 / kind:street 某类单位 / 单位编码")
    target_name: str = Field(description="适用对象的中文说明")
    weights: ScoringWeights = Field(description="各计分项分值")
    version: int = Field(description="版本（0 为系统默认、尚未修改）")
    updated_by: str | None = Field(description="最后修改人（系统默认为空）")
    updated_at: datetime | None = Field(description="最后修改时间")


class RunCreate(InputModel):
    period: str = Field(max_length=10, description="考核期间：2025（全年）、2025-Q2（季度）或 2025-06（月份）")


class BreakdownItem(BaseModel):
    key: str = Field(description="计分项")
    label: str = Field(description="计分项名称")
    count: int | None = Field(description="项数")
    points_each: float | None = Field(description="每项分值")
    points: float = Field(description="得分（负数为扣分）")
    detail: str = Field("", description="说明")


class ScoreRead(BaseModel):
    unit_code: str = Field(description="单位编码")
    unit_name: str = Field(description="单位名称")
    unit_kind: str = Field(description="department 部门 / street 街道")
    score: float = Field(description="得分（分）")
    rank: int = Field(description="名次（同类单位内）")
    rule: str = Field(description="适用的计分规则")
    breakdown: list[BreakdownItem] = Field(description="计分明细")


class RunRead(BaseModel):
    run_id: int = Field(description="计算编号")
    period: str = Field(description="考核期间：2025、2025-Q2 或 2025-06")
    start_date: date = Field(description="期间起始日期")
    end_date: date = Field(description="期间结束日期")
    created_by: str = Field(description="计算人")
    created_at: datetime = Field(description="计算时间")
    metrics_available: bool = Field(description="计算时指标分析服务是否可用（不可用时街道加分未计入）")
    items: list[ScoreRead] = Field(description="各单位得分（同类单位按名次）")


Kind = Literal["department", "street"]
