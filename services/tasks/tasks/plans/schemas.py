"""The parsed structure of a plan document (the answer of an import, preview or saved), the
import request, and plans as the API shows them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from tasks.plans.goals import BY_CODE

SectionRole = Literal["goals", "tasks", "duties", "phases", "requirements", "other"]
NodeKind = Literal["section", "task", "subtask", "milestone"]
UnitRole = Literal["lead", "co"]


class ParseWarning(BaseModel):
    level: Literal["warning", "info"] = Field(description="warning 需要处理 / info 已自动处理，供核对")
    code: str = Field(description="问题类别，如 unknown_unit、no_units、date_repaired")
    message: str = Field(description="中文说明")
    line: int | None = Field(None, description="原文行号（从 1 开始）")
    where: str | None = Field(None, description="所在位置，如 任务 三(一)1")


class SectionNode(BaseModel):
    key: str = Field(description="节点在本文件中的编号，如 s3、s3.1")
    number: str = Field(description="原文序号，如 三、（一）")
    title: str = Field(description="标题")
    role: SectionRole = Field(
        description="章节作用：tasks 主要任务 / duties 责任分解 / phases 工作步骤 / goals 工作目标 …"
    )
    body: str = Field("", description="标题下的正文")
    line: int | None = Field(None, description="原文行号")
    children: list[SectionNode] = Field(default_factory=list, description="下级标题")


class UnitAssignment(BaseModel):
    written: str = Field(description="原文写法（如 各街道办事处）")
    code: str | None = Field(description="识别出的单位编码；未识别时为 null（保存时忽略并保留提示）")
    name: str | None = Field(None, description="单位名称")
    role: UnitRole = Field("co", description="lead 牵头 / co 配合")
    matched_by: str = Field("exact", description="exact / variant / near（近似，需核对）/ unknown / manual（人工更正）")


class TaskNode(BaseModel):
    key: str = Field(description="节点编号，如 t3.1、t3.1.2")
    kind: NodeKind = Field(description="section 任务分组 / task 任务 / subtask 子任务 / milestone 节点")
    number: str = Field("", description="原文序号，如 （一）、1.")
    title: str = Field(min_length=1, max_length=300, description="标题")
    body: str = Field("", description="正文（不含责任单位）")
    units: list[UnitAssignment] = Field(default_factory=list, description="责任单位（按原文顺序；统称已展开）")
    units_text: str = Field("", description="责任单位原文")
    phase_key: str | None = Field(None, description="所属阶段（phases[].key）")
    due_date: date | None = Field(None, description="完成时限；为空时取所属阶段的结束日期")
    line: int | None = Field(None, description="原文行号")
    children: list[TaskNode] = Field(default_factory=list, description="下级任务")


class PlanUnitNode(BaseModel):
    written: str = Field(description="原文写法")
    code: str | None = Field(description="单位编码")
    name: str | None = Field(None, description="单位名称")
    role: UnitRole = Field(description="lead 主办单位 / co 协办单位")
    duty: str = Field("", description="职责（原文）")


class PhaseNode(BaseModel):
    key: str = Field(description="阶段编号，如 p1")
    name: str = Field(min_length=1, max_length=100, description="阶段名称，如 动员部署阶段")
    start_date: date | None = Field(description="开始日期")
    end_date: date | None = Field(description="结束日期")
    period_text: str = Field("", description="原文时间写法，如 20253月至9月")
    steps: list[str] = Field(default_factory=list, description="阶段内的工作事项")

    @model_validator(mode="after")
    def _ordered(self) -> PhaseNode:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError(f"阶段“{self.name}”的结束日期早于开始日期")
        return self


GoalComparison = Literal["increase", "at_least", "at_most", "equal"]
GoalBaseline = Literal["previous_year_end", "none"]
GoalMeasuredBy = Literal["metrics", "bureau"]
COMPARISON_WORDS = {"increase": "新增", "at_least": "≥", "at_most": "≤", "equal": "="}


class GoalNode(BaseModel):
    """One quantitative goal, whatever form the plan wrote it in: 新增2栋亿元楼宇 (increase on the
    value at the end of the year before the plan's year), 亿元楼宇达到35栋 (at_least 35),
    入驻率不低于90% (at_least 90 %), 空置率不高于10% (at_most), 招商共享中心3个 (entered by the bureau)."""

    metric: str = Field(
        pattern=r"^[a-z][a-z0-9_]{1,49}$", description="指标代码（指标口径），如 yiyuan_buildings、occupancy_rate"
    )
    metric_name: str = Field("", max_length=50, description="指标名称，如 亿元楼宇、入驻率（为空时按指标代码补全）")
    comparison: GoalComparison = Field(
        "increase",
        description="比较方式：increase 较基线新增 / at_least 达到（≥）/ at_most 不高于（≤）/ equal 等于",
    )
    target: Decimal = Field(ge=0, le=Decimal("1e12"), description="目标值（比率以百分数计，如 90 表示 90%）")
    unit: str = Field("", max_length=20, description="计量单位，如 栋、个、%")
    baseline: GoalBaseline = Field(
        "previous_year_end",
        description="基线规则：previous_year_end 方案年度上一年年末的值（仅新增类目标）/ none 无基线",
    )
    measured_by: GoalMeasuredBy = Field(
        "metrics", description="metrics 由指标服务按税收和登记数据计算 / bureau 由区商务局填报当前值"
    )
    text: str = Field("", max_length=300, description="原文")

    @model_validator(mode="after")
    def _complete(self) -> GoalNode:
        known = BY_CODE.get(self.metric)
        if not self.metric_name:
            self.metric_name = known.name if known else self.metric
        # A metric the metrics service does not compute is entered by the bureau.
        self.measured_by = known.measured_by if known is not None else "bureau"
        self.baseline = "previous_year_end" if self.comparison == "increase" else "none"
        return self


class ParsedPlan(BaseModel):
    """The whole structure of one plan document."""

    title: str = Field(min_length=1, max_length=200, description="方案标题")
    issuer: str = Field("", max_length=100, description="发文机关")
    doc_number: str = Field("", max_length=100, description="文号，如 武昌政办〔2025〕3号")
    issued_date: date | None = Field(None, description="成文或发布日期")
    lead_unit: PlanUnitNode | None = Field(None, description="主办单位")
    units: list[PlanUnitNode] = Field(default_factory=list, description="主办、协办单位及其职责")
    sections: list[SectionNode] = Field(default_factory=list, description="章节目录（原文结构）")
    tasks: list[TaskNode] = Field(default_factory=list, description="任务树：分组 → 任务 → 子任务 / 节点")
    phases: list[PhaseNode] = Field(default_factory=list, description="工作步骤")
    goals: list[GoalNode] = Field(default_factory=list, description="量化目标")
    warnings: list[ParseWarning] = Field(default_factory=list, description="无法理解或自动修正的内容")


class ImportRequest(BaseModel):
    text: str = Field(min_length=1, max_length=300_000, description="方案全文（纯文本）")
    save: bool = Field(False, description="false 只预览不保存；true 保存为新方案")
    plan: ParsedPlan | None = Field(
        None,
        description="预览后更正过的结构（可选）。给出时按此结构校验（预览）或保存，原文仅存档",
    )
    is_demo: bool = Field(False, description="演示数据")


class ImportResult(ParsedPlan):
    plan_id: int | None = Field(None, description="保存后的方案编号；预览时为 null")
    saved: bool = Field(description="是否已保存")


class PlanSummary(BaseModel):
    id: int = Field(description="方案编号")
    title: str = Field(description="标题")
    issuer: str = Field(description="发文机关")
    doc_number: str = Field(description="文号")
    issued_date: date | None = Field(description="成文日期")
    lead_unit_code: str | None = Field(description="主办单位编码")
    is_demo: bool = Field(description="演示数据")
    created_by: str = Field(description="导入人")
    created_at: datetime = Field(description="导入时间")

    model_config = {"from_attributes": True}


class PlanListItem(PlanSummary):
    task_count: int = Field(description="方案导入的任务数（含子任务和节点，不含分组）")


class PlanRead(PlanSummary):
    version: int = Field(description="版本号")
    lead_unit_name: str | None = Field(description="主办单位名称")
    units: list[PlanUnitNode] = Field(description="主办、协办单位及其职责")
    sections: list[SectionNode] = Field(description="章节目录")
    phases: list[PhaseNode] = Field(description="工作步骤")
    goals: list[GoalNode] = Field(description="量化目标")
    warnings: list[ParseWarning] = Field(description="导入时的提示")


class GoalRead(BaseModel):
    id: int = Field(description="目标编号")
    plan_id: int = Field(description="方案编号")
    plan_title: str = Field(description="方案标题")
    metric: str = Field(
        description="指标代码（指标口径）：yiyuan_buildings 亿元楼宇 / featured_buildings 特色楼宇 / "
        "occupancy_rate 入驻率 / sharing_centres 招商共享中心 …"
    )
    metric_name: str = Field(description="指标名称")
    comparison: GoalComparison = Field(description="increase 较基线新增 / at_least ≥ / at_most ≤ / equal =")
    target: Decimal = Field(description="目标值（比率以百分数计）")
    unit: str = Field(description="计量单位")
    baseline: GoalBaseline = Field(description="基线规则：previous_year_end 上一年年末 / none 无")
    measured_by: GoalMeasuredBy = Field(description="metrics 指标服务计算 / bureau 区商务局填报")
    text: str = Field(description="原文")
    phase_end_date: date | None = Field(description="方案最后一个阶段的结束日期（目标的考核时点）")
    is_demo: bool = Field(description="演示方案的目标")


class GoalList(BaseModel):
    items: list[GoalRead]
    total: int
