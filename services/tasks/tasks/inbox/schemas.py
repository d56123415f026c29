"""待办 items as the API shows them."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class InboxItem(BaseModel):
    kind: str = Field(description="类别：supervision 督办待回复/待办结、demand 企业诉求、visit 扫楼走访……")
    title: str = Field(description="要办的事（中文）")
    due_date: date | None = Field(description="办理期限（无期限为空）")
    overdue: bool = Field(description="已过期限")
    link: str = Field(description="办理页面（前端路由路径）")
    source_id: str = Field(description="来源记录编号（同一类别内唯一）")


class InboxKindCount(BaseModel):
    kind: str = Field(description="类别")
    label: str = Field(description="类别名称")
    count: int = Field(description="待办数")
    overdue: int = Field(description="其中已超期")


class InboxRead(BaseModel):
    items: list[InboxItem] = Field(description="待办事项（超期的在前，再按期限先后）")
    counts: list[InboxKindCount] = Field(description="各类别待办数（只列有待办的类别）")
    total: int = Field(description="待办总数")
    overdue: int = Field(description="已超期总数")


class InboxCount(BaseModel):
    total: int = Field(description="待办总数（页头角标）")
    overdue: int = Field(description="其中已超期")
