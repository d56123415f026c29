"""入驻申请 as the API accepts and shows it."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from registry.fields import Text
from registry.occupancy.schemas import OccupancyCreate, SpaceRef


class ProposalCreate(OccupancyCreate):
    """The same fields as a move-in (迁入); the stay is created when the bureau confirms."""


class ProposalReject(BaseModel):
    reason: Text = Field(min_length=2, max_length=300, description="驳回理由（告知提交的街道）")


class ProposalRead(BaseModel):
    id: int
    status: str = Field(description="pending 待确认 / confirmed 已确认 / rejected 已驳回")
    status_label: str
    credit_code: str
    enterprise_name: str
    building_code: str
    building_name: str
    street_code: str
    street_name: str
    spaces: list[SpaceRef]
    area: float | None = Field(description="申请的入驻面积（㎡；填了房源时为房源面积之和）")
    start_date: date
    end_date: date | None
    note: str
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str = Field(description="驳回理由")
    occupancy_id: int | None = Field(description="确认后生成的入驻记录")
    version: int
