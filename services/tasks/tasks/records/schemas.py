"""一企一档 as tasks holds it: an enterprise's visits, demands, leads, matching policies, applications,
deliveries, events and 招商共享中心 stays."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

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


class RecordPolicyMatch(BaseModel):
    policy_id: int = Field(description="政策编号")
    title: str = Field(description="政策名称")
    issuer: str = Field(description="发布单位")
    level: str = Field(description="政策层级代码")
    valid_until: date | None = Field(description="有效期至")
    apply_until: date | None = Field(description="申报截止日期")
    reasons: list[str] = Field(description="符合的理由（中文）")
    delivered: bool = Field(description="已向企业送达（本人可见的送达记录）")
    applied: bool = Field(description="企业已申报（本人可见的申报记录）")


class RecordApplication(BaseModel):
    id: int = Field(description="申报编号")
    policy_id: int = Field(description="政策编号")
    policy_title: str = Field(description="政策名称")
    status: str = Field(description="申报状态代码")
    status_label: str = Field(description="申报状态")
    applied_on: date = Field(description="申报日期")
    amount_granted: Decimal | None = Field(description="核定金额（元）")
    paid_on: date | None = Field(description="兑现日期")
    building_name: str = Field(description="所在楼宇")
    note: str = Field(description="备注")


class RecordDelivery(BaseModel):
    id: int = Field(description="送达记录编号")
    policy_id: int = Field(description="政策编号")
    policy_title: str = Field(description="政策名称")
    method: str = Field(description="送达方式代码：visit 走访送达 / other 其他方式")
    method_label: str = Field(description="送达方式")
    delivered_on: date = Field(description="送达日期")
    delivered_by: str = Field(description="送达人账号")
    visit_id: int | None = Field(description="走访记录（走访送达时）")
    building_code: str = Field(description="楼宇编码")
    note: str = Field(description="备注")


class RecordEvent(BaseModel):
    id: int = Field(description="活动编号")
    kind: str = Field(description="活动类型代码")
    kind_label: str = Field(description="活动类型")
    title: str = Field(description="活动名称")
    event_date: date = Field(description="活动日期")
    building_code: str | None = Field(description="举办楼宇编码")
    building_name: str = Field(description="举办楼宇")
    place: str = Field(description="举办地点（不在楼宇时）")
    attendance: int | None = Field(description="参加人数")
    invited_as: str = Field(description="受邀名义（邀请时登记的企业名称）")


class RecordCentreStay(BaseModel):
    id: int = Field(description="入驻编号")
    centre_id: int = Field(description="招商共享中心编号")
    centre_name: str = Field(description="招商共享中心")
    centre_level: str = Field(description="中心级别代码")
    centre_level_label: str = Field(description="中心级别：区级 / 街道")
    start_date: date = Field(description="入驻日期")
    end_date: date | None = Field(description="离开日期（在驻时为空）")
    current: bool = Field(description="目前在驻")
    desks: int = Field(description="使用工位数")
    note: str = Field(description="备注")


class EnterpriseRecord(BaseModel):
    credit_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="企业名称")
    visits: list[RecordVisit] = Field(description="走访记录（本人可见的），最新的在前")
    demands: list[RecordDemand] = Field(description="企业诉求（本人可见的），最新的在前")
    leads: list[RecordLead] = Field(description="招商线索（本人可见的），最新的在前")
    policy_matches: list[RecordPolicyMatch] = Field(
        description="符合条件的政策（有效期内，按政策库匹配规则，附理由），最新的在前"
    )
    applications: list[RecordApplication] = Field(description="政策申报与兑现（本人可见的），最新的在前")
    deliveries: list[RecordDelivery] = Field(description="政策送达（宣讲已送达，本人可见的），最新的在前")
    events: list[RecordEvent] = Field(description="受邀参加的楼宇活动（本人可见的），最新的在前")
    centre_stays: list[RecordCentreStay] = Field(description="招商共享中心经历（本人可见的），最新的在前")
