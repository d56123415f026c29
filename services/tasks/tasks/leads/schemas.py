"""招商线索 as the API accepts and shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from louyu_kit.types import Id, InputModel
from tasks.visits.fields import CreditCode, OptionalBuildingCode, Phone, Text

Stage = Literal["new", "contacted", "negotiating", "signed", "lost"]


class LeadFields(InputModel):
    company_name: Text = Field(min_length=2, max_length=200, description="企业名称")
    credit_code: CreditCode = Field(None, description="统一社会信用代码（知道时填写）")
    industry: Text = Field("", max_length=100, description="行业（国民经济行业分类代码或名称）")
    area_wanted: float | None = Field(None, gt=0, le=1_000_000, description="意向面积（㎡）")
    contact_name: Text = Field("", max_length=50, description="联系人")
    contact_phone: Phone = Field(None, description="联系电话（保存完整号码，显示时脱敏）")
    note: Text = Field("", max_length=2000, description="情况说明")


class LeadCreate(LeadFields):
    building_code: OptionalBuildingCode = Field(None, description="来源楼宇编码")
    source_visit_id: Id | None = Field(None, description="来源走访编号")
    owner_unit: Text | None = Field(None, max_length=100, description="跟进单位（编码或名称）")
    found_date: date | None = Field(None, description="发现线索的日期（默认今天，不能晚于今天）")


class LeadUpdate(InputModel):
    company_name: Text | None = Field(None, min_length=2, max_length=200)
    credit_code: CreditCode = None
    industry: Text | None = Field(None, max_length=100)
    area_wanted: float | None = Field(None, gt=0, le=1_000_000)
    contact_name: Text | None = Field(None, max_length=50)
    contact_phone: Phone = None
    note: Text | None = Field(None, max_length=2000)
    owner_unit: Text | None = Field(None, max_length=100, description="跟进单位（编码或名称）")


class LeadMove(InputModel):
    stage: Stage = Field(description="新阶段：contacted 已接洽 / negotiating 洽谈中 / signed 已签约 / lost 已流失")
    step_date: date | None = Field(None, description="发生日期（默认今天，不能晚于今天）")
    note: Text = Field("", max_length=2000, description="说明（流失时写明原因）")


class LeadStepRead(BaseModel):
    stage_before: str | None = Field(description="原阶段（登记时为空）")
    stage_after: str = Field(description="新阶段")
    stage_label: str = Field(description="新阶段名称")
    step_date: date = Field(description="发生日期")
    note: str = Field(description="说明")
    actor: str = Field(description="操作人")
    created_at: datetime = Field(description="记录时间")


class LeadRead(BaseModel):
    id: int = Field(description="线索编号")
    company_name: str = Field(description="企业名称")
    credit_code: str | None = Field(description="统一社会信用代码")
    industry: str = Field(description="行业")
    area_wanted: float | None = Field(description="意向面积（㎡）")
    building_code: str | None = Field(description="来源楼宇编码")
    street_code: str | None = Field(description="来源楼宇所在街道代码")
    source_visit_id: int | None = Field(description="来源走访编号")
    owner_unit_code: str | None = Field(description="跟进单位编码")
    contact_name: str = Field(description="联系人")
    contact_phone: str | None = Field(description="联系电话（脱敏；查看完整号码需单独操作并留痕）")
    note: str = Field(description="情况说明")
    stage: str = Field(description="new 新线索 / contacted 已接洽 / negotiating 洽谈中 / signed 已签约 / lost 已流失")
    stage_label: str = Field(description="阶段名称")
    stage_date: date = Field(description="进入当前阶段的日期")
    created_by: str = Field(description="登记人")
    created_at: datetime = Field(description="登记时间")
    version: int = Field(description="版本号（修改时放入 If-Match）")
    steps: list[LeadStepRead] = Field(default_factory=list, description="阶段变化记录（列表中不返回）")


class LeadContact(BaseModel):
    contact_name: str = Field(description="联系人")
    contact_phone: str | None = Field(description="完整联系电话（未登记为空）")
