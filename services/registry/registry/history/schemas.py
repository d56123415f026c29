"""Change history as the API shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class FieldChange(BaseModel):
    field: str
    label: str = Field(description="字段中文名")
    old: Any = None
    new: Any = None


class ChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime = Field(description="时间")
    actor: str | None = Field(description="操作人账号")
    op: str = Field(description="create 新建 / update 修改 / delete 删除")
    changes: list[FieldChange]
    request_id: str | None
