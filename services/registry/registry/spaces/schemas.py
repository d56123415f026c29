"""Spaces (floors and units) as the API accepts and shows them."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from louyu_kit.types import InputModel
from registry.fields import Area, Text

SpaceStatus = Literal["vacant", "leased", "self_use", "reserved"]


class SpaceCreate(InputModel):
    floor: int = Field(ge=-10, le=200, description="楼层（地下层为负数）")
    unit: Text = Field(min_length=1, max_length=30, description="房号 / 单元号；整层出租可填“整层”")
    area: Area = Field(description="面积（㎡）")
    status: SpaceStatus = Field("vacant", description="vacant 空置 / leased 已租 / self_use 自用 / reserved 预留")
    available_from: date | None = Field(None, description="可供出租的日期（空置且为空表示现在即可）")
    asking_rent: float | None = Field(None, ge=0, le=100_000, description="报价租金（元/㎡·月）")
    note: Text = Field("", max_length=300, description="备注")


class SpaceUpdate(InputModel):
    floor: int | None = Field(None, ge=-10, le=200)
    unit: Text | None = Field(None, min_length=1, max_length=30)
    area: Area | None = None
    status: SpaceStatus | None = None
    available_from: date | None = None
    asking_rent: float | None = Field(None, ge=0, le=100_000)
    note: Text | None = Field(None, max_length=300)


class SpaceRead(BaseModel):
    id: int
    building_code: str
    floor: int
    unit: str
    area: float
    status: str
    status_label: str
    available_from: date | None
    asking_rent: float | None
    note: str
    occupied_area: float = Field(description="当前入驻企业占用的面积（㎡）")
    version: int


class AvailableSpace(BaseModel):
    id: int
    building_code: str
    building_name: str
    street_code: str
    street_name: str
    floor: int
    unit: str
    area: float
    status: str
    status_label: str
    available_from: date | None = Field(description="可用日期；为空表示现在即可使用")
    asking_rent: float | None
    is_demo: bool
    themes: list[str] = Field(default_factory=list, description="楼宇特色主题代码")
    theme_names: list[str] = Field(default_factory=list, description="楼宇特色主题名称")
    industry_prefixes: list[str] = Field(
        default_factory=list, description="楼宇特色主题包含的行业代码前缀（GB/T 4754-2017）"
    )
    chief_username: str | None = Field(None, description="楼长账号")
    floor_units: int = Field(1, description="该楼层登记的房源数")
    floor_whole_available: bool = Field(False, description="该楼层的房源都可供出租（可整层出租）")
