"""The 大屏's 待办 counts of the oversight."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ScreenTodo(BaseModel):
    """District-wide counts only: no task, unit or person is named."""

    supervision_open: int = Field(description="督办单：待回复")
    supervision_responded: int = Field(description="督办单：已回复待办结")
    supervision_overdue: int = Field(description="督办单：超期未回复")
    opinions_open: int = Field(description="整改意见：未办结的承办事项（待整改、待确认、退回重办）")
    opinions_overdue: int = Field(description="整改意见：逾期未反馈的承办事项")
    opinions_closed: int = Field(description="整改意见：已办结的承办事项")
