"""Tasks, their timeline and attachments as the API accepts and shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from louyu_kit.types import InputModel

Kind = Literal["section", "task", "subtask", "milestone"]
ChildKind = Literal["task", "subtask", "milestone"]
Status = Literal["not_started", "in_progress", "done", "suspended"]
Light = Literal["green", "yellow", "red"]
UnitRoleName = Literal["lead", "co"]
TaskSort = Literal["due_date", "-due_date", "position", "-updated_at", "progress", "-progress"]


class TaskUnitRead(BaseModel):
    code: str = Field(description="单位编码")
    name: str = Field(description="单位名称")
    role: UnitRoleName = Field(description="lead 牵头 / co 配合")
    written_as: str = Field(description="方案原文写法（如 各街道办事处）")


class TaskSummary(BaseModel):
    id: int = Field(description="任务编号")
    plan_id: int = Field(description="所属方案")
    parent_id: int | None = Field(description="上级任务")
    phase_id: int | None = Field(description="所属阶段")
    kind: Kind = Field(description="section 分组 / task 任务 / subtask 子任务 / milestone 节点")
    number: str = Field(description="原文序号")
    title: str = Field(description="标题")
    lead_unit_code: str | None = Field(description="牵头单位编码")
    lead_unit_name: str | None = Field(description="牵头单位名称")
    due_date: date | None = Field(description="完成时限")
    status: Status = Field(description="not_started 未开始 / in_progress 推进中 / done 已完成 / suspended 暂停")
    progress: int = Field(description="进度（%）")
    light: Light = Field(description="green 正常 / yellow 临期或滞后 / red 逾期")
    my_role: UnitRoleName | None = Field(None, description="调用者所在单位在本任务中的角色")
    is_demo: bool = Field(description="演示数据")
    updated_at: datetime = Field(description="最后更新时间")


class PhaseRef(BaseModel):
    id: int = Field(description="阶段编号")
    name: str = Field(description="阶段名称")
    start_date: date | None = Field(description="阶段开始日期")
    end_date: date | None = Field(description="阶段结束日期")


class TaskRead(TaskSummary):
    body: str = Field(description="任务内容")
    start_date: date | None = Field(description="开始日期（进度滞后的计算起点）")
    plan_title: str = Field(description="方案标题")
    phase: PhaseRef | None = Field(description="所属阶段")
    units: list[TaskUnitRead] = Field(description="责任单位（原文顺序）")
    children: list[TaskSummary] = Field(description="下级任务")
    light_reason: str = Field(description="灯色原因")
    open_notices: int = Field(description="未办结的督办单数")
    can_update: bool = Field(description="调用者能否报送进展")
    completed_at: datetime | None = Field(description="完成时间")
    version: int = Field(description="版本号（修改任务时放入 If-Match）")


class TreeNode(BaseModel):
    id: int = Field(description="任务编号")
    kind: Kind = Field(description="section 分组 / task 任务 / subtask 子任务 / milestone 节点")
    number: str = Field(description="原文序号")
    title: str = Field(description="标题")
    lead_unit_code: str | None = Field(description="牵头单位编码")
    lead_unit_name: str | None = Field(description="牵头单位名称")
    unit_codes: list[str] = Field(description="全部责任单位编码")
    due_date: date | None = Field(description="完成时限")
    status: Status = Field(description="not_started 未开始 / in_progress 推进中 / done 已完成 / suspended 暂停")
    progress: int = Field(description="进度；分组为下级任务的平均进度")
    light: Light = Field(description="灯色；分组取下级任务中最严重的")
    children: list[TreeNode] = Field(description="下级任务")


class _UnitsMixin(InputModel):
    @field_validator("co_unit_codes", check_fields=False)
    @classmethod
    def _unique(cls, values: list[str] | None) -> list[str] | None:
        if values is None:
            return None
        out: list[str] = []
        for v in values:
            v = v.strip()
            if v and v not in out:
                out.append(v)
        return out


class TaskCreate(_UnitsMixin):
    plan_id: int = Field(description="所属方案")
    parent_id: int | None = Field(None, description="上级任务（子任务、节点必填）")
    kind: ChildKind = Field("subtask", description="task 任务 / subtask 子任务 / milestone 节点")
    title: str = Field(min_length=2, max_length=300, description="标题")
    body: str = Field("", max_length=20000, description="内容")
    lead_unit_code: str | None = Field(None, max_length=32, description="牵头单位编码（默认同上级任务）")
    co_unit_codes: list[str] = Field(default_factory=list, max_length=60, description="配合单位编码")
    start_date: date | None = Field(None, description="开始日期")
    due_date: date | None = Field(None, description="完成时限（默认所属阶段结束日期）")

    @model_validator(mode="after")
    def _parent(self) -> TaskCreate:
        if self.kind in ("subtask", "milestone") and self.parent_id is None:
            raise ValueError("子任务和节点必须指定上级任务")
        return self


class TaskUpdateFields(_UnitsMixin):
    """Bureau edits of a task (only the fields sent change)."""

    title: str | None = Field(None, min_length=2, max_length=300, description="标题")
    body: str | None = Field(None, max_length=20000, description="内容")
    lead_unit_code: str | None = Field(None, max_length=32, description="牵头单位编码")
    co_unit_codes: list[str] | None = Field(None, max_length=60, description="配合单位编码（整体替换）")
    start_date: date | None = Field(None, description="开始日期")
    due_date: date | None = Field(None, description="完成时限")


class ProgressReport(InputModel):
    """A unit's report on a task: progress, status and/or a note (appended to the timeline)."""

    progress: int | None = Field(None, ge=0, le=100, description="进度（0–100）")
    status: Status | None = Field(None, description="状态")
    text: str = Field("", max_length=5000, description="进展说明")

    @model_validator(mode="after")
    def _something(self) -> ProgressReport:
        self.text = self.text.strip()
        if self.progress is None and self.status is None and not self.text:
            raise ValueError("请填写进度、状态或进展说明")
        return self


class AttachmentRead(BaseModel):
    id: int = Field(description="附件编号")
    filename: str = Field(description="文件名")
    content_type: str = Field(description="类型（按内容识别）")
    size: int = Field(description="字节数")
    uploaded_by: str = Field(description="上传人")
    created_at: datetime = Field(description="上传时间")

    model_config = {"from_attributes": True}


class TimelineEntry(BaseModel):
    id: int = Field(description="记录编号")
    kind: str = Field(
        description="created 创建 / progress 进展 / comment 说明 / attachment 附件 / edit 修改 / supervision 督办"
    )
    author: str = Field(description="操作人")
    unit_code: str | None = Field(description="代表的单位")
    unit_name: str | None = Field(description="单位名称")
    text: str = Field(description="内容")
    progress_before: int | None = Field(description="报送前进度（%）")
    progress_after: int | None = Field(description="报送后进度（%）")
    status_before: str | None = Field(description="报送前状态")
    status_after: str | None = Field(description="报送后状态")
    is_demo: bool = Field(description="演示数据")
    created_at: datetime = Field(description="记录时间")
    attachments: list[AttachmentRead] = Field(default_factory=list, description="随本条记录上传的附件")
