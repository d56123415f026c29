"""Notifications as the bureau reads them: each delivery with its send attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

DeliveryStatus = Literal["pending", "sent", "failed"]


class AttemptRead(BaseModel):
    attempt: int = Field(description="第几次发送")
    ok: bool = Field(description="是否成功")
    error: str = Field(description="失败原因")
    attempted_at: datetime = Field(description="发送时间")


class DeliveryRead(BaseModel):
    id: int = Field(description="发送记录编号")
    event: str = Field(
        description="事件：supervision.issued 新督办单 / supervision.overdue 督办超期 / bulletin.sent 简报报送"
    )
    event_key: str = Field(description="事件键（同一事件同一渠道只发一次）")
    subject: str = Field(description="标题")
    unit_code: str | None = Field(description="相关单位")
    channel: Literal["email", "webhook"] = Field(description="渠道：email 电子邮件 / webhook 政务微信、钉钉机器人")
    target: str = Field(description="收件地址")
    status: DeliveryStatus = Field(description="pending 待发送 / sent 已发送 / failed 发送失败（已达最多次数）")
    attempts: int = Field(description="已尝试次数")
    next_attempt_at: datetime | None = Field(description="下次尝试时间（待发送时）")
    sent_at: datetime | None = Field(description="发送成功时间")
    last_error: str = Field(description="最近一次失败原因")
    created_at: datetime = Field(description="事件时间")
    log: list[AttemptRead] = Field(description="每次发送的记录")


class DeliveryRun(BaseModel):
    queued: int = Field(description="新生成的发送任务")
    sent: int = Field(description="本次发送成功")
    failed: int = Field(description="本次发送失败（将按间隔重试）")
