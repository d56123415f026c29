"""督办 notices as the API accepts and shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from louyu_kit.types import Id, InputModel

NoticeStatus = Literal["open", "responded", "closed"]


class NoticeCreate(InputModel):
    task_id: Id = Field(description="被督办的任务（须为黄灯或红灯）")
    unit_code: str | None = Field(None, max_length=32, description="承办单位（督办对象；默认进度最落后的责任单位）")
    level: int | None = Field(None, ge=1, le=3, description="等级：1 提醒 / 2 督办 / 3 通报（默认黄灯 1、红灯 2）")
    reason: str = Field("", max_length=2000, description="督办事由（默认按灯色原因生成）")
    respond_by: date | None = Field(None, description="回复期限（默认按设置的天数）")


class NoticeResponse(InputModel):
    response: str = Field(min_length=2, max_length=5000, description="整改或办理情况")


class NoticeClose(InputModel):
    note: str = Field("", max_length=2000, description="办结说明")


class NoticeRead(BaseModel):
    id: int = Field(description="督办单编号")
    task_id: int = Field(description="任务编号")
    task_title: str = Field(description="任务标题")
    unit_code: str = Field(description="承办单位（督办对象，须回复）")
    unit_name: str = Field(description="单位名称")
    level: int = Field(description="等级：1 提醒 / 2 督办 / 3 通报")
    level_name: str = Field(description="等级名称")
    light: str = Field(description="发出时的灯色")
    reason: str = Field(description="督办事由")
    source: str = Field(description="manual 人工 / rule 每日规则（灯色） / report 每日规则（未按期报送）")
    status: NoticeStatus = Field(description="open 待回复 / responded 已回复 / closed 已办结")
    respond_by: date = Field(description="回复期限")
    overdue: bool = Field(description="已过回复期限仍未回复")
    issuer_name: str = Field(description="督办单位（发出督办的单位：方案的主办单位）")
    issued_by: str = Field(description="发出人")
    issued_at: datetime = Field(description="发出时间")
    escalated_at: datetime | None = Field(description="最近一次升级时间")
    response: str = Field(description="单位回复")
    responded_by: str | None = Field(description="回复人")
    responded_at: datetime | None = Field(description="回复时间")
    closed_by: str | None = Field(description="办结人")
    closed_at: datetime | None = Field(description="办结时间")
    version: int = Field(description="版本号")


class UnitOpenCount(BaseModel):
    unit_code: str = Field(description="单位编码")
    unit_name: str = Field(description="单位名称")
    open: int = Field(description="待回复")
    responded: int = Field(description="已回复待办结")
    overdue: int = Field(description="超期未回复")
    max_level: int = Field(description="未办结督办单的最高等级")


class RuleRun(BaseModel):
    run_date: date = Field(description="规则日期（中国时间）")
    issued: int = Field(description="新发督办单数")
    escalated: int = Field(description="升级的督办单数")
    reminded: int = Field(0, description="未按期报送而发出的提醒数")
