"""Warning rules and warnings as the API shows them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from louyu_kit.types import InputModel


class WarningRuleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(description="规则代码：tax_drop / top_taxpayer_left / occupancy_drop / vacancy_high")
    name: str
    description: str
    enabled: bool
    threshold: Decimal | None = Field(description="阈值（单位见 threshold_unit）；该规则无阈值时为空")
    threshold_unit: str
    top_n: int | None = Field(description="纳税大户：近12个月纳税排名前 N 名")
    window_days: int | None = Field(description="纳税大户：迁出日期在最近多少天内")
    min_base: Decimal | None = Field(description="税收下降：上年同期税收低于此值（元）的楼宇不预警")
    is_default: bool
    updated_at: datetime | None
    updated_by: str


class WarningRuleChange(InputModel):
    code: str = Field(description="规则代码")
    enabled: bool | None = None
    threshold: Decimal | None = Field(None, gt=0, le=100, max_digits=14, decimal_places=2)
    top_n: int | None = Field(None, ge=1, le=10_000)
    window_days: int | None = Field(None, ge=1, le=3650)
    min_base: Decimal | None = Field(None, ge=0, max_digits=20, decimal_places=2)


class WarningRulesWrite(BaseModel):
    rules: list[WarningRuleChange] = Field(min_length=1, max_length=20, description="要修改的规则（未列出的不变）")


class WarningRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    rule: str
    rule_name: str
    building_code: str
    building_name: str
    street_code: str
    subject: str = Field(description="相关企业的统一社会信用代码（纳税大户迁出），其他为空")
    title: str
    message: str = Field(description="预警内容及数字（中文）")
    period: str = Field(description="比较的期间")
    figures: dict[str, Any]
    first_seen_at: datetime = Field(description="首次出现时间")
    last_seen_at: datetime = Field(description="最近一次评估仍然成立的时间")
    resolved_at: datetime | None = Field(description="解除时间（仍有效时为空）")
    active: bool


class EvaluationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    raised: int = Field(description="新出现的预警数")
    updated: int = Field(description="仍然成立的预警数")
    resolved: int = Field(description="解除的预警数")
    active: int = Field(description="评估后有效的预警数")
    evaluated_at: datetime
