"""楼宇活动 as the API accepts and shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from louyu_kit.types import Id, InputModel
from tasks.visits.fields import CreditCode, OptionalBuildingCode, Text

EventKind = Literal[
    "gov_enterprise_forum",
    "innovation_roundtable",
    "yangtze_council",
    "promotion",
    "bank_enterprise",
    "policy_briefing",
    "other",
]
InviteeCategory = Literal["enterprise", "deputy", "member", "bank", "other"]


class InviteeIn(InputModel):
    category: InviteeCategory = Field(
        description="enterprise 企业 / deputy 人大代表 / member 政协委员 / bank 银行 / other 其他"
    )
    name: Text = Field(min_length=1, max_length=200, description="名称或姓名")
    credit_code: CreditCode = Field(None, description="企业的统一社会信用代码（知道时填写）")


class EventCreate(InputModel):
    kind: EventKind = Field(
        description="活动类型：gov_enterprise_forum 政企座谈会 / innovation_roundtable 楼宇创新圆桌会 / "
        "yangtze_council 长江楼宇议事厅 / promotion 专场推介 / bank_enterprise 银企对接 / "
        "policy_briefing 政策宣讲 / other 其他活动"
    )
    title: Text = Field(min_length=2, max_length=200, description="活动名称")
    event_date: date = Field(description="活动日期")
    building_code: OptionalBuildingCode = Field(None, description="举办楼宇的编码（在楼宇举办时填写）")
    place: Text = Field("", max_length=200, description="举办地点（不在楼宇举办时填写）")
    street_code: Text | None = Field(
        None, max_length=12, description="所属街道代码（在楼宇举办时取楼宇所在街道；街道账号默认本街道）"
    )
    units: list[Text] = Field(min_length=1, max_length=20, description="组织单位（编码或名称，至少一个）")
    invitees: list[InviteeIn] = Field(default_factory=list, max_length=300, description="邀请对象")
    attendance: int | None = Field(None, ge=0, le=100_000, description="实到人数")
    lead_ids: list[Id] = Field(default_factory=list, max_length=100, description="活动中产生的招商线索编号")
    demand_ids: list[Id] = Field(default_factory=list, max_length=100, description="活动中收集的企业诉求编号")
    policies: Text = Field("", max_length=4000, description="宣讲解读的政策（文字）")
    summary: Text = Field("", max_length=4000, description="活动情况与成效")


class EventUpdate(InputModel):
    """What is known after the event: attendance, invitees, outcomes, policies, summary (a list
    given replaces the old one)."""

    title: Text | None = Field(None, min_length=2, max_length=200, description="活动名称")
    invitees: list[InviteeIn] | None = Field(None, max_length=300, description="邀请对象（整体替换）")
    attendance: int | None = Field(None, ge=0, le=100_000, description="实到人数")
    lead_ids: list[Id] | None = Field(None, max_length=100, description="活动中产生的招商线索编号（整体替换）")
    demand_ids: list[Id] | None = Field(None, max_length=100, description="活动中收集的企业诉求编号（整体替换）")
    policies: Text | None = Field(None, max_length=4000, description="宣讲解读的政策（文字）")
    summary: Text | None = Field(None, max_length=4000, description="活动情况与成效")


class UnitRef(BaseModel):
    code: str = Field(description="单位编码")
    name: str = Field(description="单位名称")


class InviteeRead(BaseModel):
    category: str = Field(description="邀请对象类别")
    category_label: str = Field(description="类别中文名")
    name: str = Field(description="名称或姓名")
    credit_code: str | None = Field(description="统一社会信用代码")


class OutcomeRead(BaseModel):
    kind: str = Field(description="lead 招商线索 / demand 企业诉求")
    kind_label: str = Field(description="成果类别中文名")
    id: int = Field(description="线索或诉求编号")
    name: str = Field(description="企业名称")
    status_label: str = Field(description="当前阶段或状态")


class EventRead(BaseModel):
    id: int = Field(description="活动编号")
    kind: str = Field(description="活动类型代码")
    kind_label: str = Field(description="活动类型中文名")
    title: str = Field(description="活动名称")
    event_date: date = Field(description="活动日期")
    building_code: str | None = Field(description="举办楼宇编码")
    building_name: str = Field(description="举办楼宇名称")
    place: str = Field(description="举办地点")
    street_code: str | None = Field(description="所属街道代码")
    street_name: str = Field(description="所属街道名称（全区性活动为空）")
    units: list[UnitRef] = Field(description="组织单位")
    invitees: list[InviteeRead] = Field(description="邀请对象")
    invitee_counts: dict[str, int] = Field(description="各类邀请对象人数（按类别中文名）")
    attendance: int | None = Field(description="实到人数")
    outcomes: list[OutcomeRead] = Field(description="活动成果：招商线索、企业诉求")
    policies: str = Field(description="宣讲解读的政策")
    summary: str = Field(description="活动情况与成效")
    created_by: str = Field(description="登记人")
    created_at: datetime = Field(description="登记时间")
    version: int = Field(description="版本（修改时放入 If-Match）")


class EventMonth(BaseModel):
    month: str = Field(description="月份（YYYY-MM）")
    start_date: date = Field(description="月初")
    end_date: date = Field(description="月末")
    items: list[EventRead] = Field(description="当月活动（按日期）")
    total: int = Field(description="活动场数")


class EventCount(BaseModel):
    code: str = Field(description="街道或单位编码")
    name: str = Field(description="街道或单位名称")
    count: int = Field(description="活动场数")


class EventStats(BaseModel):
    year: int = Field(description="年度")
    total: int = Field(description="活动场数合计（本人可见范围）")
    by_kind: list[EventCount] = Field(description="按活动类型")
    by_street: list[EventCount] = Field(description="按街道（全区性活动计入“全区”）")
    by_unit: list[EventCount] = Field(description="按组织单位（一场活动多家组织时各计一场）")
