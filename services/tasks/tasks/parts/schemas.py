"""Parts (责任分解), their reports and the reporting cycle as the API accepts and shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from louyu_kit.types import InputModel
from tasks.work.schemas import AttachmentRead, Light, Status, UnitRoleName

DueState = Literal["none", "upcoming", "due", "overdue"]
ReportStatus = Literal["not_started", "in_progress", "done"]


class PartRead(BaseModel):
    id: int = Field(description="分项编号")
    task_id: int = Field(description="任务编号")
    unit_code: str = Field(description="责任单位编码")
    unit_name: str = Field(description="责任单位名称")
    role: UnitRoleName = Field(description="lead 牵头 / co 配合")
    duty: str = Field(description="本单位职责（取自方案“责任分解”，可修改）")
    duty_source: Literal["plan", "edited", ""] = Field(description="plan 方案原文 / edited 已修改 / 空 方案未写")
    weight: int = Field(description="计算任务进度时的权重")
    progress: int = Field(description="本单位进度（%）")
    status: Status = Field(description="not_started 未开始 / in_progress 推进中 / done 已完成 / suspended 暂停")
    light: Light = Field(description="本分项灯色（按任务时限和本单位进度）")
    light_reason: str = Field(description="灯色原因")
    last_report_at: datetime | None = Field(description="最近一次报送时间")
    last_report_text: str = Field(description="最近一次报送内容")
    next_due_date: date | None = Field(description="下次应报送日期（未按期报送时为错过的日期）")
    due_state: DueState = Field(
        description="none 无需报送 / upcoming 未到期 / due 已到期（宽限期内） / overdue 超过宽限期"
    )
    can_report: bool = Field(description="调用者能否报送本分项")
    completed_at: datetime | None = Field(description="本分项完成时间")
    is_demo: bool = Field(description="演示数据")
    version: int = Field(description="版本号")


class CycleRead(BaseModel):
    months: int = Field(description="报送周期（月）：1 每月 / 3 每季度")
    day: int = Field(description="每期报送日（当月几号）")
    scope: Literal["task", "plan", "default"] = Field(
        description="设置来源：task 本任务 / plan 整个方案 / default 默认"
    )
    grace_days: int = Field(description="宽限天数：超过后未报送即督办")


class CycleSet(InputModel):
    months: int = Field(1, ge=1, le=12, description="报送周期（月），默认每月")
    day: int = Field(25, ge=1, le=28, description="每期报送日（1–28 号）")


class DueDateRead(BaseModel):
    due_date: date = Field(description="应报送日期")
    reported: dict[str, bool] = Field(description="各责任单位是否已就该期报送（单位编码 → 是否）")


class TaskPartsRead(BaseModel):
    task_id: int = Field(description="任务编号")
    items: list[PartRead] = Field(description="各责任单位的分项（牵头在前）")
    total: int = Field(description="分项数")
    rule: str = Field(description="任务进度与灯色如何由分项得出")
    cycle: CycleRead = Field(description="报送周期")
    due_dates: list[DueDateRead] = Field(description="本任务的报送时间节点")
    can_confirm: bool = Field(description="调用者能否确认任务完成（牵头单位，且各分项均已完成）")
    confirmed: bool = Field(description="牵头单位已确认完成")


class PartUpdate(InputModel):
    """Bureau edits of a part (only the fields sent change)."""

    duty: str | None = Field(None, max_length=5000, description="本单位职责")
    weight: int | None = Field(None, ge=0, le=100, description="权重（0 不计入任务进度）")


class PartReportCreate(InputModel):
    """A unit's report on its own part (appended; never changed)."""

    progress: int | None = Field(None, ge=0, le=100, description="本单位进度（0–100）")
    status: ReportStatus | None = Field(None, description="状态")
    text: str = Field("", max_length=5000, description="进展说明")

    @model_validator(mode="after")
    def _something(self) -> PartReportCreate:
        self.text = self.text.strip()
        if self.progress is None and self.status is None and not self.text:
            raise ValueError("请填写进度、状态或进展说明")
        return self


class PartReportRead(BaseModel):
    id: int = Field(description="报送编号")
    part_id: int = Field(description="分项编号")
    unit_code: str = Field(description="报送单位")
    author: str = Field(description="报送人")
    text: str = Field(description="进展说明")
    progress_before: int = Field(description="报送前进度（%）")
    progress_after: int = Field(description="报送后进度（%）")
    status_after: str = Field(description="报送后状态")
    is_demo: bool = Field(description="演示数据")
    created_at: datetime = Field(description="报送时间")
    attachments: list[AttachmentRead] = Field(default_factory=list, description="附件")


class DuePartRead(BaseModel):
    part_id: int = Field(description="分项编号")
    task_id: int = Field(description="任务编号")
    task_title: str = Field(description="任务标题")
    unit_code: str = Field(description="责任单位编码")
    unit_name: str = Field(description="责任单位名称")
    due_date: date = Field(description="应报送日期")
    state: DueState = Field(description="upcoming 即将到期 / due 已到期 / overdue 超过宽限期")
    overdue: bool = Field(description="超过宽限期仍未报送")
