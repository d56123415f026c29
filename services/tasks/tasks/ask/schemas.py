"""The answer of ``POST /api/tasks/ask`` (the same shape as ``POST /api/metrics/ask``, so the
SPA shows both alike; metrics names task questions ``status = tasks`` and the SPA asks here)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Status = Literal["answered", "unknown", "refused"]


class TaskAskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=200, description="问题（中文），如“区发改局有几项任务亮红灯”")


class TaskReadingPart(BaseModel):
    key: Literal["metric", "entity", "filter", "intent"] = Field(description="部分：指标 / 单位 / 条件 / 方式")
    label: str
    value: str
    code: str = ""


class TaskReading(BaseModel):
    """The structured query: what to count among which unit's tasks."""

    subject: Literal["tasks", "notices"] = Field(description="tasks 任务 / notices 督办单")
    unit: str | None = Field(description="责任单位编码（牵头或配合；不限单位为 null）")
    unit_name: str | None = Field(description="责任单位名称")
    light: Literal["green", "yellow", "red"] | None = Field(description="灯色（按今天计算）")
    status: str | None = Field(
        description="任务状态 not_started / in_progress / done / suspended，督办单 open / responded / closed"
    )
    intent: Literal["count", "list"] = Field(description="count 计数 / list 列表")


class TaskRow(BaseModel):
    code: str = Field(description="任务或督办单编号")
    name: str = Field(description="标题")
    link: str = Field(description="页面链接")
    cells: list[str]
    values: list[float | None]


class TaskColumn(BaseModel):
    key: str
    label: str
    metric: str | None = None


class TaskTable(BaseModel):
    columns: list[TaskColumn]
    rows: list[TaskRow]
    total: int


class TaskFigure(BaseModel):
    label: str
    metric: str
    value: float | None
    unit: str
    display: str


class TaskAskAnswer(BaseModel):
    question: str
    status: Status = Field(description="answered 已回答 / unknown 有读不懂的部分 / refused 超出权限")
    reading: TaskReading | None
    parts: list[TaskReadingPart]
    reading_text: str
    text: str
    figures: list[TaskFigure]
    table: TaskTable | None
    definitions: list[TaskFigure] = Field(default_factory=list, description="（任务类答案没有指标口径，恒为空）")
    link: str | None
    link_label: str | None
    unknown: list[str]
    suggestions: list[str]
    choices: list[TaskFigure] = Field(default_factory=list, description="（恒为空）")
    refusal: None = None
    proposed_by: Literal["parser"] = "parser"
