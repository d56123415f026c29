"""Unit summaries (总结验收) and the 办理情况报告 as the API takes and gives them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from louyu_kit.types import InputModel
from tasks.inspections.schemas import FileRead

Rating = Literal["done", "mostly", "partly", "not_done"]
SummaryStatus = Literal["missing", "draft", "submitted", "returned", "accepted"]


class Assessment(InputModel):
    task_id: int = Field(ge=1, description="本单位负责的任务")
    rating: Rating = Field(description="自评：done 已完成 / mostly 基本完成 / partly 部分完成 / not_done 未完成")
    note: str = Field("", max_length=2000, description="自评说明")

    multiline_fields = frozenset({"note"})


class SummaryWrite(InputModel):
    text: str = Field("", max_length=30000, description="年度工作总结正文")
    assessments: list[Assessment] = Field(default_factory=list, max_length=200, description="对所负责任务的自评")

    multiline_fields = frozenset({"text"})


class Review(InputModel):
    comment: str = Field("", max_length=5000, description="审核意见（退回时必填）")

    multiline_fields = frozenset({"comment"})


class TaskOfUnit(BaseModel):
    task_id: int
    number: str
    title: str
    role: str = Field(description="lead 牵头 / co 配合")
    role_name: str
    status_name: str
    progress: int
    rating: Rating | None = Field(description="本单位的自评（未自评为空）")
    rating_name: str
    note: str


class SummaryRead(BaseModel):
    plan_id: int
    unit_code: str
    unit_name: str
    id: int | None = Field(description="总结编号（尚未起草为空）")
    status: SummaryStatus
    status_name: str
    text: str
    tasks: list[TaskOfUnit] = Field(description="本单位负责的任务及自评")
    comment: str = Field(description="领导小组办公室的审核意见")
    submitted_by: str | None
    submitted_at: datetime | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    attachments: list[FileRead]
    due_date: date | None = Field(description="提交期限（总结验收阶段结束日）")
    overdue: bool
    mine: bool
    version: int


class SummaryRow(BaseModel):
    unit_code: str
    unit_name: str
    status: SummaryStatus
    status_name: str
    submitted_at: datetime | None
    reviewed_at: datetime | None
    tasks: int = Field(description="负责的任务数")
    mine: bool


class SummaryOverview(BaseModel):
    plan_id: int
    plan_title: str
    phase_name: str = Field(description="总结验收阶段")
    due_date: date | None
    items: list[SummaryRow]
    counts: dict[str, int] = Field(description="各状态的单位数")
    all_accepted: bool = Field(description="全部单位的总结均已验收（可正式印发报告）")


class ReportGoal(BaseModel):
    metric: str
    metric_name: str
    text: str
    target: str
    baseline: str
    current: str = Field(description="当前值（指标分析服务给出的数，原样引用）")
    progress: str
    achieved: bool
    computation: str


class ReportTask(BaseModel):
    number: str
    title: str
    units: str
    status_name: str
    progress: int
    outcome: str


class ReportSummary(BaseModel):
    unit_name: str
    status_name: str
    text: str


class ReportOpinion(BaseModel):
    number: str
    text: str
    deadline: str
    units: str
    status_name: str
    answers: str


class ReportInspection(BaseModel):
    held_on: str
    kind_name: str
    title: str
    deputies: str
    places: str
    opinions: list[ReportOpinion]


class ReportContent(BaseModel):
    """The compiled 办理情况报告 (a draft, or the content of an issued version)."""

    title: str
    plan_title: str
    issuer: str
    compiled_on: str
    draft: bool = Field(description="草稿：尚有单位的总结未验收，或尚未印发")
    version_no: int | None = Field(description="印发版本号（草稿为空）")
    motion: list[str] = Field(description="议案及办理工作的概述")
    goals_available: bool = Field(description="指标分析服务是否给出了目标完成情况")
    goals: list[ReportGoal]
    tasks: list[ReportTask]
    summaries: list[ReportSummary]
    inspections: list[ReportInspection]
    opinion_counts: str
    annex_columns: list[str]
    annex_rows: list[list[str]]


class ReportIssueRead(BaseModel):
    id: int
    plan_id: int
    version_no: int
    title: str
    issued_by: str
    issued_at: datetime


class ReportIssueList(BaseModel):
    items: list[ReportIssueRead]
    total: int
