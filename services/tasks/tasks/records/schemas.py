"""一企一档 as tasks holds it: an enterprise's visits, demands and leads."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class RecordVisit(BaseModel):
    id: int = Field(description="走访编号")
    visit_date: date = Field(description="走访日期")
    building_code: str = Field(description="楼宇编码")
    building_name: str = Field(description="楼宇名称")
    chief_username: str = Field(description="走访的楼长账号")
    seen_as: str = Field(description="走访中记录的情况：新入驻 / 已迁出 / 在楼，或“提出诉求”“招商线索”")
    notes: str = Field(description="走访情况")


class RecordDemand(BaseModel):
    id: int = Field(description="诉求编号")
    category_label: str = Field(description="诉求类别")
    text: str = Field(description="诉求内容")
    status: str = Field(description="状态代码")
    status_label: str = Field(description="状态")
    unit_code: str | None = Field(description="承办单位编码")
    due_date: date = Field(description="办理期限")
    created_at: datetime = Field(description="提出时间")


class RecordLead(BaseModel):
    id: int = Field(description="线索编号")
    company_name: str = Field(description="企业名称")
    stage: str = Field(description="阶段代码")
    stage_label: str = Field(description="阶段")
    stage_date: date = Field(description="进入当前阶段的日期")
    area_min: float | None = Field(description="需求面积下限（㎡）")
    area_max: float | None = Field(description="需求面积上限（㎡）")
    building_code: str | None = Field(description="来源楼宇编码")


class EnterpriseRecord(BaseModel):
    credit_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="企业名称")
    visits: list[RecordVisit] = Field(description="走访记录（本人可见的），最新的在前")
    demands: list[RecordDemand] = Field(description="企业诉求（本人可见的），最新的在前")
    leads: list[RecordLead] = Field(description="招商线索（本人可见的），最新的在前")
