"""Visit rounds and visits as the API accepts and shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from louyu_kit.types import InputModel
from tasks.demands.schemas import DemandFields
from tasks.leads.schemas import LeadFields
from tasks.policies.schemas import VisitPolicyDelivery
from tasks.visits.fields import BuildingCode, CreditCode, Text

SpaceStatus = Literal["vacant", "leased", "self_use", "reserved"]
TenantMove = Literal["arrived", "left", "present"]


class RoundCreate(InputModel):
    name: Text = Field(min_length=2, max_length=100, description="轮次名称，如“2025年第二季度扫楼”")
    start_date: date = Field(description="开始日期")
    end_date: date = Field(description="结束日期")
    note: Text = Field("", max_length=2000, description="说明")
    building_codes: list[BuildingCode] | None = Field(
        None, max_length=5000, description="要走访的楼宇编码；不填则按 street_codes（都不填为全部楼宇）"
    )
    street_codes: list[str] | None = Field(None, max_length=20, description="要走访的街道（该街道的全部楼宇）")

    @model_validator(mode="after")
    def _dates(self) -> RoundCreate:
        if self.end_date < self.start_date:
            raise ValueError("结束日期不能早于开始日期")
        return self


class RoundRead(BaseModel):
    id: int = Field(description="轮次编号")
    name: str = Field(description="轮次名称")
    start_date: date = Field(description="开始日期")
    end_date: date = Field(description="结束日期")
    note: str = Field(description="说明")
    building_count: int = Field(description="应走访楼宇数（在可见范围内）")
    visited_count: int = Field(description="已走访楼宇数（在可见范围内）")
    created_by: str = Field(description="创建人")
    created_at: datetime = Field(description="创建时间")


class RoundBuildingRead(BaseModel):
    building_code: str = Field(description="楼宇编码")
    building_name: str = Field(description="楼宇名称")
    street_code: str = Field(description="街道代码")
    street_name: str = Field(description="街道名称")
    chief_username: str | None = Field(description="负责走访的楼长账号")
    chief_name: str = Field(description="楼长姓名（未指定楼长为空字符串）")
    visited: bool = Field(description="本轮是否已走访")
    last_visit_date: date | None = Field(description="本轮最近一次走访日期")


class CoverageRow(BaseModel):
    code: str = Field(description="街道代码或楼长账号")
    name: str = Field(description="街道名称或楼长姓名")
    buildings: int = Field(description="应走访楼宇数")
    visited: int = Field(description="已走访楼宇数")
    rate: float | None = Field(description="走访覆盖率（0–1）")


class Coverage(BaseModel):
    round_id: int = Field(description="轮次编号")
    round_name: str = Field(description="轮次名称")
    buildings: int = Field(description="应走访楼宇数（栋，在可见范围内）")
    visited: int = Field(description="已走访楼宇数（栋）")
    rate: float | None = Field(description="总覆盖率（0–1）")
    by_street: list[CoverageRow] = Field(description="按街道")
    by_chief: list[CoverageRow] = Field(description="按楼长")


class SpaceChangeIn(BaseModel):
    space_id: int = Field(description="房源编号（registry）")
    status: SpaceStatus = Field(description="走访看到的状态：vacant 空置 / leased 已租 / self_use 自用 / reserved 预留")
    available_from: date | None = Field(None, description="可供出租日期（空置或即将空出时）")
    version: int | None = Field(
        None, description="打开页面时房源的版本；填写则在他人已修改时拒绝（412），不填以走访结果为准"
    )


class TenantIn(InputModel):
    move: TenantMove = Field(description="arrived 新入驻 / left 已迁出 / present 在楼")
    enterprise_name: Text = Field(min_length=2, max_length=200, description="企业名称")
    credit_code: CreditCode = Field(None, description="统一社会信用代码（知道时填写）")
    floor: int | None = Field(None, ge=-10, le=200, description="楼层")
    area: float | None = Field(None, gt=0, le=1_000_000, description="面积（㎡）")
    note: Text = Field("", max_length=300, description="备注")


class VisitLeadIn(LeadFields):
    """A lead found on the visit (building and source visit are filled in)."""


class VisitDemandIn(DemandFields):
    """A demand raised on the visit (building and source visit are filled in)."""


class VisitCreate(InputModel):
    client_ref: Text | None = Field(
        None,
        min_length=8,
        max_length=64,
        description="手机草稿编号：同一草稿重复提交时返回已保存的走访，不重复记录（也可用 Idempotency-Key 请求头）",
    )
    building_code: BuildingCode
    round_id: int | None = Field(None, description="扫楼轮次；不填时自动归入包含该楼宇和日期的轮次")
    visit_date: date | None = Field(None, description="走访日期（默认今天，不能晚于今天）")
    units: list[Text] = Field(default_factory=list, max_length=20, description="参加走访的单位（编码或名称）")
    notes: Text = Field("", max_length=4000, description="走访情况")
    spaces: list[SpaceChangeIn] = Field(
        default_factory=list, max_length=500, description="房源状态变化（写入楼宇登记，失败则整次走访不保存）"
    )
    tenants: list[TenantIn] = Field(default_factory=list, max_length=200, description="看到的迁入、迁出、在楼企业")
    leads: list[VisitLeadIn] = Field(default_factory=list, max_length=50, description="招商线索")
    demands: list[VisitDemandIn] = Field(default_factory=list, max_length=50, description="企业诉求")
    policy_deliveries: list[VisitPolicyDelivery] = Field(
        default_factory=list, max_length=200, description="宣讲已送达的政策（每家企业一条，记入政策送达记录）"
    )

    @model_validator(mode="after")
    def _unique_spaces(self) -> VisitCreate:
        seen = set()
        for change in self.spaces:
            if change.space_id in seen:
                raise ValueError(f"房源 {change.space_id} 重复出现")
            seen.add(change.space_id)
        return self


class SpaceChangeRead(BaseModel):
    space_id: int = Field(description="房源编号（registry）")
    floor: int = Field(description="楼层")
    unit: str = Field(description="房号")
    area: float = Field(description="面积（㎡）")
    status_before: str = Field(description="走访前的状态")
    status_after: str = Field(description="走访后的状态")
    available_from: date | None = Field(description="可供出租日期")
    registry_version: int = Field(description="修改后房源在楼宇登记中的版本")


class TenantRead(BaseModel):
    move: str = Field(description="arrived 新入驻 / left 已迁出 / present 在楼")
    move_label: str = Field(description="迁入迁出的中文说明")
    enterprise_name: str = Field(description="企业名称")
    credit_code: str | None = Field(description="统一社会信用代码")
    floor: int | None = Field(description="楼层")
    area: float | None = Field(description="面积（㎡）")
    note: str = Field(description="备注")


class PhotoRead(BaseModel):
    id: int = Field(description="照片编号")
    filename: str = Field(description="文件名")
    content_type: str = Field(description="类型（按内容判断）")
    size: int = Field(description="字节数")
    url: str = Field(description="下载地址")
    uploaded_by: str = Field(description="上传人")
    created_at: datetime = Field(description="上传时间")


class VisitSummary(BaseModel):
    id: int = Field(description="走访编号")
    round_id: int | None = Field(description="扫楼轮次")
    building_code: str = Field(description="楼宇编码")
    building_name: str = Field(description="楼宇名称")
    street_code: str = Field(description="街道代码")
    visit_date: date = Field(description="走访日期")
    chief_username: str = Field(description="走访人（楼长）账号")
    units: list[str] = Field(description="参加单位编码")
    spaces_changed: int = Field(description="房源状态变化（处）")
    tenants: int = Field(description="记录的迁入、迁出、在楼企业（家）")
    leads: int = Field(description="登记的招商线索（条）")
    demands: int = Field(description="登记的企业诉求（件）")
    photos: int = Field(description="照片（张）")
    created_at: datetime = Field(description="记录时间")


class VisitRead(VisitSummary):
    round_name: str | None = Field(description="扫楼轮次名称")
    notes: str = Field(description="走访情况")
    client_ref: str | None = Field(description="手机草稿编号")
    created_by: str = Field(description="记录人")
    space_changes: list[SpaceChangeRead] = Field(description="房源状态变化")
    tenant_moves: list[TenantRead] = Field(description="迁入迁出、在楼企业")
    lead_ids: list[int] = Field(description="本次走访登记的招商线索编号")
    demand_ids: list[int] = Field(description="本次走访登记的企业诉求编号")
    photo_list: list[PhotoRead] = Field(description="照片")
