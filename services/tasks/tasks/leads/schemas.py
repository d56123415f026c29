"""招商线索 as the API accepts and shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from louyu_kit.types import Id, InputModel
from tasks.visits.fields import CreditCode, OptionalBuildingCode, Phone, Text

IndustryCode = Annotated[
    str | None,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^([A-T]|[0-9]{2,4})$"),
]

Stage = Literal["new", "contacted", "negotiating", "signed", "lost"]


class LeadFields(InputModel):
    company_name: Text = Field(min_length=2, max_length=200, description="企业名称")
    credit_code: CreditCode = Field(None, description="统一社会信用代码（知道时填写）")
    industry: Text = Field("", max_length=100, description="行业（国民经济行业分类代码或名称）")
    area_wanted: float | None = Field(None, gt=0, le=1_000_000, description="意向面积（㎡）")
    area_min: float | None = Field(None, gt=0, le=1_000_000, description="需求面积下限（㎡）")
    area_max: float | None = Field(None, gt=0, le=1_000_000, description="需求面积上限（㎡）")
    industry_code: IndustryCode = Field(None, description="行业代码（GB/T 4754-2017 门类字母或 2–4 位数字代码）")
    needed_by: date | None = Field(None, description="最晚需要入驻的日期")
    budget_rent: float | None = Field(None, gt=0, le=100_000, description="租金预算（元/㎡·月）")
    budget_total: float | None = Field(None, gt=0, le=1_000_000_000, description="月租总预算（元/月）")
    floor_min: int | None = Field(None, ge=-10, le=200, description="意向楼层下限")
    floor_max: int | None = Field(None, ge=-10, le=200, description="意向楼层上限")
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
    area_min: float | None = Field(None, gt=0, le=1_000_000, description="需求面积下限（㎡）")
    area_max: float | None = Field(None, gt=0, le=1_000_000, description="需求面积上限（㎡）")
    industry_code: IndustryCode = Field(None, description="行业代码（GB/T 4754-2017 门类字母或 2–4 位数字代码）")
    needed_by: date | None = Field(None, description="最晚需要入驻的日期")
    budget_rent: float | None = Field(None, gt=0, le=100_000, description="租金预算（元/㎡·月）")
    budget_total: float | None = Field(None, gt=0, le=1_000_000_000, description="月租总预算（元/月）")
    floor_min: int | None = Field(None, ge=-10, le=200, description="意向楼层下限")
    floor_max: int | None = Field(None, ge=-10, le=200, description="意向楼层上限")
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
    area_min: float | None = Field(None, description="需求面积下限（㎡）")
    area_max: float | None = Field(None, description="需求面积上限（㎡）")
    industry_code: str | None = Field(None, description="行业代码（GB/T 4754-2017）")
    needed_by: date | None = Field(None, description="最晚需要入驻的日期")
    budget_rent: float | None = Field(None, description="租金预算（元/㎡·月）")
    budget_total: float | None = Field(None, description="月租总预算（元/月）")
    floor_min: int | None = Field(None, description="意向楼层下限")
    floor_max: int | None = Field(None, description="意向楼层上限")
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


class MatchReasonRead(BaseModel):
    kind: Literal["area", "date", "theme", "rent", "floor"] = Field(
        description="area 面积契合 / date 可用日期 / theme 楼宇主题契合 / rent 租金 / floor 楼层"
    )
    label: str = Field(description="理由名称")
    points: int = Field(description="得分（楼层不符时为负数）")
    max_points: int = Field(description="该项满分")
    fits: bool = Field(description="是否契合")
    text: str = Field(description="说明")


class SpaceMatchRead(BaseModel):
    space_id: int = Field(description="房源编号")
    building_code: str = Field(description="楼宇编码")
    building_name: str = Field(description="楼宇名称")
    floor: int = Field(description="楼层")
    unit: str = Field(description="房号")
    area: float = Field(description="面积（㎡）")
    available_from: date | None = Field(description="可用日期；为空表示现在即可使用")
    asking_rent: float | None = Field(description="报价租金（元/㎡·月）")
    theme_names: list[str] = Field(description="楼宇特色主题")
    is_demo: bool = Field(description="演示数据（虚构）")
    whole_floor: bool = Field(description="整层：该楼层全部房源合计（面积为合计，可用日期为最晚的一间）")
    space_ids: list[int] = Field(description="包含的房源编号（整层时为该层全部房源）")
    score: int = Field(description="匹配度（0–100）")
    reasons: list[MatchReasonRead] = Field(description="匹配理由")


class LeadMatches(BaseModel):
    lead_id: int = Field(description="线索编号")
    has_needs: bool = Field(description="线索是否填写了需求（面积、行业、日期、预算或楼层）")
    threshold: int = Field(description="达到此匹配度的房源推送到楼长待办")
    items: list[SpaceMatchRead] = Field(
        description="最匹配的可用房源（至多 20 处），匹配度高的在前（面积过小、可用日期太晚的不列出）"
    )


class LeadMatchRead(BaseModel):
    lead_id: int = Field(description="线索编号")
    company_name: str = Field(description="企业名称")
    industry: str = Field(description="行业")
    industry_code: str | None = Field(description="行业代码")
    area_min: float | None = Field(description="需求面积下限（㎡）")
    area_max: float | None = Field(description="需求面积上限（㎡）")
    needed_by: date | None = Field(description="最晚需要入驻的日期")
    stage_label: str = Field(description="阶段名称")
    readable: bool = Field(description="本人能否打开线索详情（楼长只能看到自己登记的线索详情）")
    score: int = Field(description="匹配度（0–100）")
    reasons: list[MatchReasonRead] = Field(description="匹配理由")


class SpaceLeadMatches(BaseModel):
    space_id: int = Field(description="房源编号")
    available: bool = Field(description="房源当前是否可供出租（不可出租时不匹配线索）")
    threshold: int = Field(description="达到此匹配度的线索推送到楼长待办")
    items: list[LeadMatchRead] = Field(description="匹配的线索，匹配度高的在前")
