"""招商共享中心 and their stays as the API accepts and shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from louyu_kit.types import InputModel
from tasks.visits.fields import CreditCode, Text

Level = Literal["district", "street"]


class CentreCreate(InputModel):
    name: Text = Field(min_length=2, max_length=100, description="中心名称")
    level: Level = Field(description="级别：district 区级 / street 街道")
    street_code: Text = Field(min_length=9, max_length=12, description="所在街道代码（区级中心也填所在街道）")
    address: Text = Field("", max_length=200, description="地址")
    opened_date: date = Field(description="启用日期")
    desks: int = Field(ge=1, le=10_000, description="容量：工位数")
    area: float | None = Field(None, gt=0, le=1_000_000, description="面积（㎡）")
    note: Text = Field("", max_length=2000, description="说明")


class StayCreate(InputModel):
    enterprise_name: Text = Field(min_length=2, max_length=200, description="企业名称")
    credit_code: CreditCode = Field(None, description="统一社会信用代码（计算转化率时用它查企业的入驻记录）")
    start_date: date = Field(description="入驻共享中心的日期")
    end_date: date | None = Field(None, description="离开共享中心的日期（仍在过渡期则不填）")
    desks: int = Field(1, ge=1, le=1000, description="占用工位数")
    note: Text = Field("", max_length=2000, description="说明")


class StayEnd(InputModel):
    end_date: date = Field(description="离开共享中心的日期")


class Rates(BaseModel):
    desks: int = Field(description="容量：工位数")
    desks_used: int = Field(description="在孵企业占用的工位数（统计日在驻的入驻记录）")
    hosted_now: int = Field(description="统计日在驻的企业数")
    occupancy_rate: float | None = Field(
        description="入驻率 = 在驻企业占用工位 ÷ 工位容量（0–1；口径 centre_occupancy_rate）"
    )
    conversion_months: int = Field(description="转化期限（月）")
    conversion_base: int = Field(description="转化率分母：转化期已满或已转化的入驻记录数")
    converted: int = Field(description="转化率分子：入驻共享中心后期限内入驻本区楼宇的记录数")
    conversion_rate: float | None = Field(
        description="转化率（0–1；口径 centre_conversion_rate；分母为 0 或楼宇登记服务不可用时为空）"
    )
    conversion_available: bool = Field(description="能否计算转化率（楼宇登记服务不可用时为 false，入驻率照常）")
    as_of: date = Field(description="统计日")


class StayRead(BaseModel):
    id: int = Field(description="入驻记录编号")
    centre_id: int = Field(description="中心编号")
    enterprise_name: str = Field(description="企业名称")
    credit_code: str | None = Field(description="统一社会信用代码")
    start_date: date = Field(description="入驻日期")
    end_date: date | None = Field(description="离开日期")
    desks: int = Field(description="占用工位数")
    current: bool = Field(description="统计日是否在驻")
    converted: bool = Field(description="是否已在期限内入驻本区楼宇")
    moved_to: str | None = Field(description="入驻的本区楼宇编码（已转化时）")
    note: str = Field(description="说明")


class CentreRead(BaseModel):
    id: int = Field(description="中心编号")
    name: str = Field(description="中心名称")
    level: str = Field(description="级别代码")
    level_label: str = Field(description="级别：区级 / 街道")
    street_code: str = Field(description="所在街道代码")
    street_name: str = Field(description="所在街道")
    address: str = Field(description="地址")
    opened_date: date = Field(description="启用日期")
    desks: int = Field(description="工位数")
    area: float | None = Field(description="面积（㎡）")
    note: str = Field(description="说明")
    is_demo: bool = Field(description="演示数据")
    rates: Rates = Field(description="入驻率与转化率")
    stays: list[StayRead] = Field(description="入驻企业（最近入驻的在前；列表中为空）")
    created_by: str = Field(description="登记人")
    created_at: datetime = Field(description="登记时间")


class CentreList(BaseModel):
    items: list[CentreRead] = Field(description="本人可见的中心")
    total: int = Field(description="中心数")
    rates: Rates = Field(description="可见中心合计的入驻率与转化率")


class OpenedCentre(BaseModel):
    id: int = Field(description="中心编号")
    name: str = Field(description="中心名称")
    level_label: str = Field(description="级别")
    opened_date: date = Field(description="启用日期")


class OpenedCount(BaseModel):
    year: int = Field(description="年度")
    count: int = Field(description="该年启用的招商共享中心数（区级和街道）")
    items: list[OpenedCentre] = Field(description="该年启用的中心")
