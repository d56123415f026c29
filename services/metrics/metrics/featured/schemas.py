"""特色楼宇 rules and verdicts as the API shows them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from metrics.catalogue.definitions import figure
from metrics.featured.models import DEFAULT_MIN_GFA, DEFAULT_TAX_BASIS, DEFAULT_THRESHOLD


class RuleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    theme_code: str = Field(description="主题代码")
    theme_name: str = Field(description="主题名称")
    industry_prefixes: list[str] = Field(description="计入该主题的行业代码前缀（GB/T 4754-2017，来自登记库）")
    measure: Literal["count", "area", "tax"] = Field(
        description="认定口径：count 入驻企业数占比 / area 入驻面积占比 / tax 税收占比"
    )
    threshold: Decimal = Field(description="占比阈值（%），达到即满足")
    min_gfa: Decimal = Field(description="建筑面积下限（㎡）")
    tax_basis: Literal["tax_total", "tax_district"] = Field(description="按税收认定时的口径：全口径 / 区级")
    is_default: bool = Field(description="true 表示区商务局尚未设置，使用默认规则")
    description: str = Field(description="规则的中文说明")
    updated_at: datetime | None = None
    updated_by: str = ""


class RuleWrite(BaseModel):
    measure: Literal["count", "area", "tax"] = Field(
        "area", description="认定口径：count 入驻企业数 / area 入驻面积 / tax 税收"
    )
    threshold: Decimal = Field(
        DEFAULT_THRESHOLD, gt=0, le=100, max_digits=5, decimal_places=2, description="占比阈值（%，0–100）"
    )
    min_gfa: Decimal = Field(DEFAULT_MIN_GFA, ge=0, max_digits=14, decimal_places=2, description="建筑面积下限（㎡）")
    tax_basis: Literal["tax_total", "tax_district"] = Field(DEFAULT_TAX_BASIS, description="税收口径")


class ThemeCheckRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    theme: str = Field(description="主题代码")
    theme_name: str
    declared: bool = Field(description="楼宇在登记库中申报了该主题")
    measure: str
    threshold: Decimal = Field(description="占比阈值（%）")
    min_gfa: Decimal = Field(description="建筑面积下限（㎡）")
    value: Decimal = Field(description="该主题企业的数量、面积（㎡）或税收（元）")
    total: Decimal = Field(description="全楼对应的合计")
    share: Decimal | None = figure("theme_share", "百分数（%），无在驻企业或无税收数据时为空")
    share_ok: bool
    gfa_ok: bool
    qualifies: bool
    reasons: list[str] = Field(description="判断依据（中文）")


class VerdictRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    building_code: str
    building_name: str
    street_code: str
    gfa: float | None = figure("gfa")
    year: int
    as_of: date = Field(description="统计在驻企业的日期（往年为12月31日，当年为今天）")
    qualifies: bool = Field(description="是否符合特色楼宇")
    themes: list[str] = Field(description="符合的主题代码")
    theme_names: list[str]
    declared_themes: list[str] = Field(description="楼宇申报的主题")
    tenants: int = figure("tenants", "取认定日（as_of）在驻的企业")
    occupied_area: float = figure("occupied_area", "取认定日（as_of）")
    summary: str = Field(description="结论及理由（中文）")
    checks: list[ThemeCheckRead] = Field(description="逐个主题的判断（申报的主题及有在驻企业的主题）")


class VerdictList(BaseModel):
    items: list[VerdictRead] = Field(description="本页的楼宇（按楼宇编号）")
    total: int = Field(description="符合筛选条件的楼宇数")
    page: int
    page_size: int
    qualifying: int = Field(description="范围内（街道、权限）符合特色楼宇的楼宇数")
    year: int
