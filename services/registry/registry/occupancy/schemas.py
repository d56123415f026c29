"""Occupancy (入驻) as the API accepts and shows it."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field, model_validator

from louyu_kit.types import Id, InputModel
from registry.fields import Text


class SpacePart(BaseModel):
    id: Id = Field(description="房源编号")
    area: float | None = Field(None, gt=0, description="占用该房源的面积（㎡），不填为整个房源")


class OccupancyCreate(InputModel):
    credit_code: str = Field(description="企业统一社会信用代码")
    building_code: str = Field(description="楼宇编码")
    spaces: list[SpacePart] = Field(default_factory=list, max_length=200, description="占用的房源（可不填）")
    area: float | None = Field(None, gt=0, le=10_000_000, description="入驻面积（㎡）；填了房源时默认为房源面积之和")
    start_date: date = Field(description="入驻日期")
    end_date: date | None = Field(None, description="迁出日期（仍在楼则不填）")
    note: Text = Field("", max_length=300)

    @model_validator(mode="after")
    def _dates(self) -> OccupancyCreate:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("迁出日期不能早于入驻日期")
        return self


class OccupancyUpdate(InputModel):
    spaces: list[SpacePart] | None = Field(None, max_length=200)
    area: float | None = Field(None, gt=0, le=10_000_000)
    start_date: date | None = None
    end_date: date | None = None
    note: Text | None = Field(None, max_length=300)


class OccupancyEnd(BaseModel):
    end_date: date = Field(description="迁出日期（在楼的最后一天）")


class OccupancyMove(InputModel):
    to_building_code: str = Field(description="迁入的楼宇编码")
    spaces: list[SpacePart] = Field(default_factory=list, max_length=200)
    area: float | None = Field(None, gt=0, le=10_000_000)
    move_date: date = Field(description="在新楼宇的第一天（原楼宇的记录截止到前一天）")


class SpaceRef(BaseModel):
    id: int
    floor: int
    unit: str
    area: float = Field(description="占用面积（㎡）")


class OccupancyRead(BaseModel):
    id: int
    credit_code: str
    enterprise_name: str
    building_code: str
    building_name: str
    area: float
    start_date: date
    end_date: date | None
    spaces: list[SpaceRef]
    note: str
    current: bool = Field(description="今天是否在楼")
    version: int
