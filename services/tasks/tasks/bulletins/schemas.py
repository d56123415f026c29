"""Bulletins as the API accepts and shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from louyu_kit.types import InputModel


class BulletinCreate(InputModel):
    period: str = Field(max_length=10, description="简报期间：2025（全年）、2025-Q2（季度）或 2025-06（月份）")
    issue_no: int | None = Field(None, ge=1, le=999, description="期号（当年第几期）；不填为当年下一期")


class BulletinTable(BaseModel):
    columns: list[str]
    rows: list[list[Any]]


class BulletinSection(BaseModel):
    heading: str = Field(description="标题，如“一、主要指标”")
    paragraphs: list[str] = Field(description="正文段落")
    table: BulletinTable | None = Field(None, description="附表")


class BulletinSummary(BaseModel):
    id: int
    year: int
    issue_no: int = Field(description="当年第几期")
    period: str
    start_date: date
    end_date: date
    title: str
    issuer: str = Field(description="编发单位")
    issued_on: str = Field(description="编发日期")
    metrics_available: bool = Field(description="编发时指标分析服务是否提供了数据")
    created_by: str
    created_at: datetime


class BulletinRead(BulletinSummary):
    sections: list[BulletinSection] = Field(description="正文（编发时的内容，不随后续数据变化）")
    data: dict[str, Any] = Field(description="正文依据的数字（任务、督办、走访、诉求、线索、指标）")
