"""Inspections, 整改意见 and their assignments as the API takes and gives them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from louyu_kit.types import InputModel

Kind = Literal["inspection", "forum"]
AssignmentStatus = Literal["open", "answered", "returned", "closed"]
OpinionStatus = Literal["open", "answered", "returned", "closed"]
Light = Literal["green", "yellow", "red"]


class OpinionCreate(InputModel):
    text: str = Field(min_length=2, max_length=2000, description="整改意见内容")
    deadline: date = Field(description="整改期限")
    unit_codes: list[str] = Field(min_length=1, max_length=20, description="承办单位代码（一个或多个）")

    multiline_fields = frozenset({"text"})


class InspectionCreate(InputModel):
    kind: Kind = Field(description="inspection 视察 / forum 座谈")
    held_on: date = Field(description="视察或座谈的日期")
    title: str = Field(min_length=2, max_length=200, description="主题")
    plan_id: int | None = Field(None, ge=1, description="所属工作方案（一号议案办理方案）")
    deputies: list[str] = Field(default_factory=list, max_length=50, description="参加的人大代表姓名（个人信息）")
    attendees: str = Field("", max_length=2000, description="其他参加人员（单位、职务）")
    places: list[str] = Field(default_factory=list, max_length=30, description="视察地点（楼宇之外的场所）")
    building_codes: list[str] = Field(default_factory=list, max_length=30, description="视察的楼宇（楼宇编码）")
    reporting_units: list[str] = Field(default_factory=list, max_length=40, description="汇报单位代码")
    minutes: str = Field("", max_length=20000, description="会议纪要")
    opinions: list[OpinionCreate] = Field(default_factory=list, max_length=50, description="代表提出的整改意见")

    multiline_fields = frozenset({"attendees", "minutes"})


class AnswerCreate(InputModel):
    answer: str = Field(min_length=2, max_length=5000, description="整改措施和成效")

    multiline_fields = frozenset({"answer"})


class SendBack(InputModel):
    reason: str = Field(min_length=2, max_length=2000, description="退回理由")

    multiline_fields = frozenset({"reason"})


class UrgeCreate(InputModel):
    note: str = Field("", max_length=1000, description="督办说明")


class FileRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    filename: str
    content_type: str
    size: int
    uploaded_by: str
    created_at: datetime


class UnitRef(BaseModel):
    code: str
    name: str


class BuildingVisited(BaseModel):
    code: str
    name: str


class AssignmentRead(BaseModel):
    id: int
    opinion_id: int
    unit_code: str
    unit_name: str
    status: AssignmentStatus
    status_name: str
    answer: str
    answered_by: str | None
    answered_at: datetime | None
    return_reason: str = Field(description="最近一次退回的理由")
    returned_count: int
    closed_by: str | None
    closed_at: datetime | None
    overdue: bool = Field(description="已过整改期限且未反馈")
    light: Light
    light_reason: str
    urge_level: int = Field(description="督办等级：0 未督办 / 1 提醒 / 2 督办 / 3 通报")
    urge_level_name: str
    urged_on: date | None
    urge_note: str
    mine: bool = Field(description="是否为本单位承办")
    evidence: list[FileRead]
    version: int


class OpinionRead(BaseModel):
    id: int
    inspection_id: int
    inspection_title: str
    inspection_kind_name: str
    held_on: date
    number: int
    text: str
    deadline: date
    status: OpinionStatus = Field(description="整体状态：全部承办单位办结才算已办结")
    status_name: str
    overdue: bool
    light: Light
    assignments: list[AssignmentRead]


class OpinionList(BaseModel):
    items: list[OpinionRead]
    total: int


class InspectionSummary(BaseModel):
    id: int
    plan_id: int | None
    kind: Kind
    kind_name: str
    held_on: date
    title: str
    deputies: list[str] = Field(description="人大代表姓名（已脱敏）")
    deputy_count: int
    opinions: int
    opinions_closed: int
    opinions_overdue: int
    is_demo: bool


class InspectionList(BaseModel):
    items: list[InspectionSummary]
    total: int


class InspectionRead(InspectionSummary):
    attendees: str
    places: list[str]
    buildings: list[BuildingVisited]
    reporting_units: list[UnitRef]
    minutes: str
    photos: list[FileRead]
    opinion_items: list[OpinionRead]
    created_by: str
    created_at: datetime
    version: int


class Deputies(BaseModel):
    """The deputies' full names (an audited reveal)."""

    inspection_id: int
    deputies: list[str]


class OpinionFigures(BaseModel):
    """整改意见 by state, counted per assignment (one unit's share), for the cockpit."""

    total: int = Field(description="承办事项总数")
    open: int = Field(description="未办结（待整改、待确认、退回重办）")
    overdue: int = Field(description="逾期未反馈")
    answered: int = Field(description="已反馈待确认")
    closed: int = Field(description="已办结")
    opinions: int = Field(description="整改意见条数")
    opinions_closed: int = Field(description="已全部办结的意见条数")


class UrgeResult(BaseModel):
    urged: int = Field(description="本次新发或升级的督办数")
