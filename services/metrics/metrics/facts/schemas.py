"""Shapes of the ingest API. ``BatchIn`` is a published contract with the bureaus: extend, never break."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from louyu_kit.types import Money
from metrics.facts.validation import MAX_ROWS

Source = Literal["tax_bureau", "statistics_bureau", "visit", "manual"]


ROW_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "FactRowIn",
    "description": "一条数据。逐行检查：不合格的行被列出（行号、字段、原因），其余照常保存；可带其他字段（忽略）。",
    "properties": {
        "credit_code": {"type": "string", "description": "统一社会信用代码（18 位，按 GB 32100 校验位检查）"},
        "period": {
            "type": "string",
            "description": "期间：月度 2025-06；季度合计 2025-Q2、年度合计 2025（会标注为合计）",
        },
        "kind": {
            "type": "string",
            "enum": ["tax_total", "tax_district", "revenue", "employees"],
            "description": "指标：tax_total 全口径税收、tax_district 区级税收、revenue 营业收入、employees 从业人员",
        },
        "value": {
            "type": "number",
            "description": "数值（元，最多两位小数；税收可为负数表示退税；从业人员为整数）",
        },
    },
    "required": ["credit_code", "period", "kind", "value"],
    "example": {"credit_code": "91420106MA4K8X2Y09", "period": "2025-06", "kind": "tax_total", "value": 1250000},
}


class BatchIn(BaseModel):
    """A batch of figures from one source (at most 50,000 rows)."""

    source: Source = Field(description="来源：tax_bureau 税务局、statistics_bureau 统计局、visit 走访、manual 手工录入")
    # Rows are taken as sent and checked one by one (validation.check_rows), so one malformed row
    # is reported with its number instead of failing the whole batch.
    rows: Annotated[list[Any], WithJsonSchema({"type": "array", "items": ROW_SCHEMA, "maxItems": MAX_ROWS})] = Field(
        max_length=MAX_ROWS, description="数据行（最多 50,000 行；行号从 1 起算）"
    )


class Rejection(BaseModel):
    row: int = Field(description="行号（批量接口为 rows 中的第几行，从 1 起；上传文件为 Excel 中看到的行号）")
    field: str = Field(description="字段：credit_code / period / kind / value")
    message: str = Field(description="原因（中文，含行号和字段名）")


class BatchRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int = Field(description="批次编号")
    status: str = Field(description="processing 处理中 / done 已完成 / failed 失败（可用同一 Key 重新提交）")
    source: str
    origin: str = Field(description="api 接口提交 / upload 文件上传")
    idempotency_key: str | None
    file_name: str | None
    rows_total: int = Field(description="收到的行数")
    accepted: int = Field(description="通过检查的行数（已保存：新增 + 更正 + 未变化）")
    created: int = Field(description="新增的数据")
    updated: int = Field(description="更正的数据（原值保留为历史版本）")
    unchanged: int = Field(description="与已有数据相同、未改动的行数")
    rejected_count: int = Field(description="被拒绝的行数")
    rejected: list[Rejection] = Field(description="被拒绝的行及原因（最多列出 10,000 条）")
    aggregate_rows: int = Field(description="季度合计或年度合计的行数（已保存并标注，不计入月度数据）")
    unregistered_count: int = Field(description="在税不在册：本批中登记库里没有的企业数")
    unregistered: list[str] = Field(description="在税不在册的统一社会信用代码（最多列出 1,000 个）")
    error: str | None
    created_at: datetime
    finished_at: datetime | None


class BatchSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: str
    source: str
    origin: str
    file_name: str | None
    submitted_by: str
    rows_total: int
    accepted: int
    created: int
    updated: int
    unchanged: int
    rejected_count: int
    unregistered_count: int
    created_at: datetime
    finished_at: datetime | None


class UploadReport(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    file_name: str
    source: str
    dry_run: bool = Field(description="试导入：只检查、不保存")
    applied: bool = Field(description="是否已保存（有任何一行被拒绝时整份文件都不保存）")
    rows_total: int
    accepted: int
    created: int = Field(description="新增（或将新增）的数据")
    updated: int = Field(description="更正（或将更正）的数据")
    unchanged: int
    rejected_count: int
    rejected: list[Rejection]
    aggregate_rows: int
    unregistered_count: int
    unregistered: list[str]
    batch_id: int | None = Field(description="保存后的批次编号")


class RevisionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    revision: int = Field(description="版本号")
    value: Money = Field(description="当时的数值（元；从业人员为人数）")
    batch_id: int | None
    valid_from: datetime = Field(description="该值开始生效的时间")
    replaced_at: datetime = Field(description="被更正的时间")
    replaced_by_batch_id: int | None


class FactRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    credit_code: str
    period: str
    period_kind: str = Field(description="month 月度 / quarter 季度合计 / year 年度合计")
    kind: str
    value: Money = Field(description="数值（元，最多两位小数；从业人员为人数）")
    source: str
    revision: int = Field(description="当前版本号（1 为首次报送，每次更正加 1）")
    batch_id: int | None
    synthetic: bool = Field(description="演示或测试用的虚构数据")
    updated_at: datetime
    revisions: list[RevisionRead] = Field(default_factory=list, description="被更正前的历史值，旧的在前")


class FactList(BaseModel):
    items: list[FactRead]
    total: int


class UnregisteredRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    credit_code: str
    tax_total: Money = Field(description="全口径税收合计（月度数据，元）")
    months: int = Field(description="有税收数据的月数")
    first_period: str | None
    last_period: str | None
    first_seen_at: datetime = Field(description="首次在报送数据中出现的时间")
    last_seen_at: datetime


class UnregisteredPage(BaseModel):
    items: list[UnregisteredRead]
    total: int
    page: int
    page_size: int
    tax_total: Money = Field(description="全部在税不在册企业的全口径税收合计（元）")
