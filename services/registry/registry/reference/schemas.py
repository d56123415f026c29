"""Reference data as the API shows it."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from louyu_kit.types import InputModel
from registry.reference.service import normalise_industry_code


class StreetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(description="街道统计用区划代码（9位）")
    name: str = Field(description="街道名称")
    district_code: str = Field(description="所属区的行政区划代码（6位）")


class StreetIn(InputModel):
    code: str = Field(pattern=r"^\d{9}$", description="街道统计用区划代码（9位，前6位为区代码）")
    name: str = Field(min_length=2, max_length=50, description="街道名称")


class StreetsLoad(InputModel):
    """Another district's streets (统计用区划代码)."""

    district_code: str = Field(pattern=r"^\d{6}$", description="区的行政区划代码（6位）")
    district_name: str = Field(min_length=2, max_length=50, description="区名称")
    streets: list[StreetIn] = Field(min_length=1, max_length=200)

    @field_validator("streets")
    @classmethod
    def _streets_in_district(cls, streets: list[StreetIn], info):  # type: ignore[no-untyped-def]
        district = info.data.get("district_code")
        for street in streets:
            if district and not street.code.startswith(district):
                raise ValueError(f"街道代码 {street.code} 不属于区 {district}")
        return streets


class IndustryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(description="门类字母或大类两位数字（GB/T 4754-2017）")
    name: str
    level: str = Field(description="section 门类 / division 大类")
    section: str = Field(description="所属门类字母")


class ThemeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(description="主题代码")
    name: str = Field(description="主题名称")
    industry_prefixes: list[str] = Field(description="计入该主题的行业代码前缀（GB/T 4754-2017，2–4位数字）")
    description: str


class ThemeWrite(InputModel):
    name: str = Field(min_length=2, max_length=30, description="主题名称")
    industry_prefixes: list[str] = Field(min_length=1, max_length=50, description="行业代码前缀（门类字母或2–4位数字）")
    description: str = Field("", max_length=300)

    @field_validator("industry_prefixes")
    @classmethod
    def _prefixes(cls, values: list[str]) -> list[str]:
        out: list[str] = []
        for value in values:
            code = value.strip().upper()
            if re.fullmatch(r"[A-T]", code):
                out.append(code)
                continue
            normalised = normalise_industry_code(code)
            if normalised is None:
                raise ValueError(f"“{value}”不是有效的行业代码前缀（门类字母，或2–4位数字且前两位为有效大类）")
            out.append(normalised)
        return sorted(set(out))


class ThemeCreate(ThemeWrite):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,29}$", description="主题代码（小写字母、数字、下划线）")


class EnumOption(BaseModel):
    value: str = Field(description="代码值（存储和筛选用）")
    label: str = Field(description="中文名称（显示用）")


class Enums(BaseModel):
    """The Chinese names of the registry's coded fields, one list per enumeration (in display order)."""

    stage: list[EnumOption] = Field(description="楼宇建设阶段")
    ownership: list[EnumOption] = Field(description="楼宇产权类型")
    space_status: list[EnumOption] = Field(description="房源状态")
    hq_level: list[EnumOption] = Field(description="企业总部层级")


class StreetsLoaded(BaseModel):
    written: int = Field(description="写入（新增或更新）的街道数")


class Meta(BaseModel):
    demo_data: bool = Field(description="库中是否含演示数据（虚构）")
    district_code: str
    district_name: str
