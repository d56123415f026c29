"""Buildings as the API accepts and shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from louyu_kit.types import InputModel
from registry.fields import OptionalArea, Phone, Text, Username

Stage = Literal["under_construction", "new", "operating"]
Ownership = Literal["single", "strata", "mixed"]


def _aliases(values: list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        alias = value.strip()
        if alias and alias not in out:
            out.append(alias)
    if any(len(a) > 100 for a in out):
        raise ValueError("每个别名不超过100字")
    if len("|".join(out)) > 480:
        raise ValueError("别名合计不超过480字")
    return out


class BuildingFields(InputModel):
    """Fields a user may set (all optional here; the create schema requires some)."""

    name: Text | None = Field(None, min_length=2, max_length=100, description="楼宇名称")
    aliases: list[str] | None = Field(None, max_length=20, description="别名、曾用名（用于搜索）")
    street_code: str | None = Field(None, pattern=r"^\d{9}$", description="所属街道代码（9位统计用区划代码）")
    address: Text | None = Field(None, max_length=200, description="地址")
    lng: float | None = Field(None, ge=73, le=136, description="经度（GCJ-02 或 WGS-84，十进制度）")
    lat: float | None = Field(None, ge=3, le=54, description="纬度")
    gfa: OptionalArea = Field(None, description="建筑面积（㎡）")
    leasable_area: OptionalArea = Field(None, description="商务办公 / 可出租面积（㎡）")
    floors_above: int | None = Field(None, ge=1, le=200, description="地上层数")
    floors_below: int | None = Field(None, ge=0, le=20, description="地下层数")
    stage: Stage | None = Field(None, description="建设阶段：under_construction 在建 / new 新建成 / operating 存量")
    ownership: Ownership | None = Field(None, description="产权类型：single 自持 / strata 散售 / mixed 混合")
    owner: Text | None = Field(None, max_length=100, description="产权单位")
    operator: Text | None = Field(None, max_length=100, description="运营商")
    property_manager: Text | None = Field(None, max_length=100, description="物业公司")
    property_star: int | None = Field(None, ge=1, le=5, description="物业星级（1–5）")
    zone: Text | None = Field(None, max_length=50, description="功能区，如 滨江商务区、华中金融城")
    themes: list[str] | None = Field(None, max_length=13, description="特色主题代码")
    completion_year: int | None = Field(None, ge=1900, le=2100, description="竣工年份")
    chief_username: Username = Field(None, description="楼长的平台账号")
    chief_name: Text | None = Field(None, max_length=50, description="楼长姓名")
    chief_phone: Phone = Field(None, description="楼长电话")
    liaison_username: Username = Field(None, description="联络员的平台账号")
    liaison_name: Text | None = Field(None, max_length=50, description="联络员姓名")
    liaison_phone: Phone = Field(None, description="联络员电话")
    note: Text | None = Field(None, max_length=2000, description="备注")

    @field_validator("aliases")
    @classmethod
    def _clean_aliases(cls, values: list[str] | None) -> list[str] | None:
        return None if values is None else _aliases(values)


class BuildingCreate(BuildingFields):
    name: Text = Field(min_length=2, max_length=100, description="楼宇名称")
    street_code: str = Field(pattern=r"^\d{9}$", description="所属街道代码（9位统计用区划代码）")


class BuildingUpdate(BuildingFields):
    """Only the fields sent are changed."""


FiguresStatus = Literal["reported", "not_reported", "under_construction"]


class BuildingFigures(BaseModel):
    """入驻率、入驻面积、空置面积、在楼企业数：唯一口径（DOMAIN.md → 指标口径），与指标服务的楼宇指标、
    地图、排行、导出一致。"""

    on: date = Field(description="统计日期（这些数字所指的那一天）")
    status: FiguresStatus = Field(description="reported 已填报 / not_reported 未填报 / under_construction 在建")
    status_label: str = Field(description="已填报 / 未填报 / 在建")
    leasable_area: float | None = Field(description="可出租面积（㎡），入驻率的分母")
    occupied_area: float = Field(description="入驻面积（㎡）= 当日有效入驻记录的面积之和")
    vacant_area: float | None = Field(description="空置面积（㎡）= 可出租面积 − 入驻面积（不低于 0）；未填报为空")
    occupancy_rate: float | None = Field(description="入驻率（0–1）= 入驻面积 ÷ 可出租面积；未填报为空（不是 0%）")
    tenant_count: int = Field(description="在楼企业数：当日有有效入驻记录的企业（同一企业在本楼只计一次）")


class Vacancy(BaseModel):
    """房源状态（楼长逐套标记的空置 / 已租 / 自用 / 预留）；入驻率以 figures 为准。"""

    units: int = Field(description="房源数")
    vacant_units: int = Field(description="标记为空置的房源数")
    total_area: float = Field(description="已登记房源面积（㎡）")
    vacant_area: float = Field(description="标记为空置的房源面积（㎡）")
    leased_area: float = Field(description="标记为已租的房源面积（㎡）")
    self_use_area: float = Field(description="标记为自用的房源面积（㎡）")
    reserved_area: float = Field(description="标记为预留的房源面积（㎡）")
    status_occupied_area: float = Field(description="按房源状态：已租 + 自用面积（㎡）")
    agrees_with_stays: bool = Field(
        description="房源状态的已租 + 自用面积是否等于当日入驻记录面积（每晚按入驻记录更新状态）"
    )


class BuildingSummary(BaseModel):
    """One row of the building list."""

    code: str
    name: str
    aliases: list[str]
    street_code: str
    street_name: str
    address: str
    stage: str
    stage_label: str
    gfa: float | None
    leasable_area: float | None
    zone: str
    themes: list[str]
    chief_name: str
    figures_on: date = Field(description="入驻率等数字的统计日期")
    figures_status: FiguresStatus = Field(description="reported 已填报 / not_reported 未填报 / under_construction 在建")
    figures_status_label: str
    occupied_area: float = Field(description="入驻面积（㎡，当日有效入驻记录）")
    vacant_area: float | None = Field(description="空置面积（㎡）；未填报为空")
    occupancy_rate: float | None = Field(description="入驻率（0–1）；未填报为空")
    tenant_count: int = Field(description="在楼企业数（统计日期当日）")
    lng: float | None
    lat: float | None
    is_demo: bool


class BuildingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(description="楼宇编码：区代码-序号")
    name: str
    aliases: list[str]
    street_code: str
    street_name: str
    address: str
    lng: float | None
    lat: float | None
    gfa: float | None
    leasable_area: float | None
    floors_above: int | None
    floors_below: int | None
    stage: str
    stage_label: str
    ownership: str | None
    ownership_label: str | None
    owner: str
    operator: str
    property_manager: str
    property_star: int | None
    zone: str
    themes: list[str]
    completion_year: int | None
    chief_username: str | None
    chief_name: str
    chief_phone: str | None = Field(description="楼长电话（默认脱敏，查看完整号码需单独操作并留痕）")
    liaison_username: str | None
    liaison_name: str
    liaison_phone: str | None
    note: str
    is_demo: bool
    version: int
    created_at: datetime
    updated_at: datetime
    figures: BuildingFigures
    vacancy: Vacancy
    can_edit: bool = Field(description="当前用户能否修改此楼宇")


class Contacts(BaseModel):
    chief_phone: str | None
    liaison_phone: str | None


BuildingSort = Literal[
    "code", "-code", "name", "-name", "gfa", "-gfa", "vacancy_rate", "-vacancy_rate", "street", "-street"
]
