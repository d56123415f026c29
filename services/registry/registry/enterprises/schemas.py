"""Enterprises as the API accepts and shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from louyu_kit.clock import today_in_china
from louyu_kit.types import InputModel
from registry.enterprises import uscc
from registry.fields import Text
from registry.reference.service import normalise_industry_code

HqLevel = Literal["global500", "china500", "regional"]


def _industry(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    code = normalise_industry_code(value)
    if code is None:
        raise ValueError(f"“{value}”不是 GB/T 4754-2017 的行业代码（应为2–4位数字，前两位为有效大类，如 6513）")
    return code


class EnterpriseFields(InputModel):
    name: Text | None = Field(None, min_length=2, max_length=200, description="企业名称")
    industry_code: str | None = Field(None, description="行业代码（GB/T 4754-2017，2–4位数字，可带门类字母如 I6513）")
    registered_in_district: bool | None = Field(None, description="在册：注册地在本区")
    taxed_in_district: bool | None = Field(None, description="在税：在本区纳税")
    in_statistics: bool | None = Field(None, description="纳统：纳入本区统计")
    above_scale: bool | None = Field(None, description="规上企业")
    listed: bool | None = Field(None, description="上市企业")
    hq_level: HqLevel | None = Field(
        None, description="总部层级：global500 世界500强 / china500 中国500强 / regional 区域总部"
    )
    is_key: bool | None = Field(None, description="重点企业")
    employees: int | None = Field(None, ge=0, le=10_000_000, description="从业人数")
    founded_date: date | None = Field(None, description="成立日期")
    note: Text | None = Field(None, max_length=2000, description="备注")

    @field_validator("industry_code")
    @classmethod
    def _valid_industry(cls, value: str | None) -> str | None:
        return _industry(value)

    @field_validator("founded_date")
    @classmethod
    def _not_future(cls, value: date | None) -> date | None:
        if value is not None and value > today_in_china():
            raise ValueError("成立日期不能晚于今天")
        return value


class EnterpriseCreate(EnterpriseFields):
    credit_code: str = Field(description="统一社会信用代码（18位；小写、全角、空格会自动规范）")
    name: Text = Field(min_length=2, max_length=200, description="企业名称")
    check_override: bool = Field(
        False, description="代码未通过 GB 32100 校验但经核实真实有效时设为 true，并填写理由（留痕）"
    )
    override_reason: Text = Field("", max_length=300, description="校验例外的理由（如：经市场监管局系统核实）")

    @field_validator("credit_code")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return uscc.normalise(value)


class EnterpriseUpdate(EnterpriseFields):
    """Only the fields sent are changed; the credit code itself cannot change."""


class BuildingRef(BaseModel):
    code: str
    name: str


class TagRead(BaseModel):
    code: str = Field(description="标签代码")
    label: str = Field(description="标签名称（中文）")


class EnterpriseSummary(BaseModel):
    credit_code: str
    name: str
    industry_code: str | None
    industry_name: str | None
    registered_in_district: bool
    taxed_in_district: bool
    in_statistics: bool
    above_scale: bool
    listed: bool
    hq_level: str | None
    hq_level_label: str | None = Field(None, description="总部层级名称（世界500强 / 中国500强 / 区域总部）")
    tags: list[TagRead] = Field(
        default_factory=list, description="企业标签（在册、在税、纳统、规上、上市、重点、总部层级），带中文名称"
    )
    is_key: bool
    employees: int | None
    current_buildings: list[BuildingRef] = Field(description="当前所在楼宇")
    is_demo: bool
    founded_date: date | None = Field(description="成立日期")
    check_override: bool = Field(description="信用代码校验未通过、经说明后仍登记")
    override_reason: str = Field(description="校验未通过仍登记的说明")
    note: str = Field(description="备注")


class EnterpriseRead(EnterpriseSummary):
    version: int
    created_at: datetime
    updated_at: datetime
    can_edit: bool
