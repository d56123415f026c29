"""Import reports as the API shows them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class Rejection(BaseModel):
    row: int = Field(description="行号（与 Excel 中看到的一致，表头为第 1 行）")
    column: str = Field(description="列名")
    message: str = Field(description="原因")


class ImportReport(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str = Field(description="buildings / spaces / enterprises / occupancies")
    file_name: str
    dry_run: bool = Field(description="试导入：只检查、不保存")
    applied: bool = Field(description="是否已保存（有任何一行被拒绝时整份文件都不保存）")
    rows_total: int
    created: int = Field(description="新建（或将新建）的记录数")
    updated: int = Field(description="修改（或将修改）的记录数")
    unchanged: int = Field(description="内容相同、无需修改的记录数")
    rejected_count: int = Field(description="有问题的行数（每行的全部问题都列在 rejected 中）")
    rejected: list[Rejection] = Field(description="每一行的每一处问题（行号、列名、原因；最多列出 2000 处）")
    actor: str | None
    created_at: datetime
