"""Policies, pushes, deliveries and applications as the API accepts and shows them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from louyu_kit.types import InputModel
from tasks.visits.fields import CreditCode, Text

Level = Literal["national", "province", "city", "district"]
Tag = Literal["global500", "china500", "regional_hq", "listed", "above_scale", "key", "in_statistics", "taxed"]
AppStatus = Literal["planned", "applied", "accepted", "paid", "rejected"]
Method = Literal["visit", "other"]


class PolicyFields(InputModel):
    title: Text | None = Field(None, min_length=2, max_length=300, description="政策名称")
    issuer: Text | None = Field(None, min_length=2, max_length=200, description="发文机关")
    doc_number: Text | None = Field(None, max_length=100, description="文号（如 武政规〔2025〕3号）")
    level: Level | None = Field(None, description="层级：national 国家 / province 省 / city 市 / district 区")
    published_on: date | None = Field(None, description="发布日期")
    valid_from: date | None = Field(None, description="有效期起")
    valid_until: date | None = Field(None, description="有效期止")
    themes: list[Text] | None = Field(None, max_length=20, description="支持的楼宇主题（主题编码，如 finance）")
    industry_codes: list[Text] | None = Field(
        None, max_length=50, description="支持的行业（GB/T 4754-2017 代码，2–4 位，按前缀匹配）"
    )
    tags: list[Tag] | None = Field(None, max_length=8, description="面向的企业标签")
    min_employees: int | None = Field(None, ge=0, le=10_000_000, description="从业人数下限")
    max_employees: int | None = Field(None, ge=0, le=10_000_000, description="从业人数上限")
    benefit: Text | None = Field(None, max_length=5000, description="扶持内容")
    apply_from: date | None = Field(None, description="申报开始日期")
    apply_until: date | None = Field(None, description="申报截止日期")
    link: Text | None = Field(None, max_length=500, description="政策原文链接或附件地址")

    @field_validator("industry_codes")
    @classmethod
    def _codes(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        out = []
        for raw in value:
            code = raw.strip().lstrip("ABCDEFGHIJKLMNOPQRST")
            if not (code.isdigit() and 2 <= len(code) <= 4):
                raise ValueError(f"“{raw}”不是 GB/T 4754-2017 的行业代码（应为2–4位数字，如 65 或 6513）")
            out.append(code)
        return out

    @model_validator(mode="after")
    def _ranges(self) -> PolicyFields:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("有效期止不能早于有效期起")
        if self.apply_from and self.apply_until and self.apply_until < self.apply_from:
            raise ValueError("申报截止日期不能早于申报开始日期")
        if (
            self.min_employees is not None
            and self.max_employees is not None
            and self.max_employees < self.min_employees
        ):
            raise ValueError("从业人数上限不能小于下限")
        return self


class PolicyCreate(PolicyFields):
    title: Text = Field(min_length=2, max_length=300, description="政策名称")
    issuer: Text = Field(min_length=2, max_length=200, description="发文机关")
    level: Level = Field(description="层级：national 国家 / province 省 / city 市 / district 区")


class PolicyUpdate(PolicyFields):
    """Only the fields sent change."""


class PolicyRead(BaseModel):
    id: int = Field(description="政策编号")
    title: str = Field(description="政策名称")
    issuer: str = Field(description="发文机关")
    doc_number: str = Field(description="文号")
    level: Level = Field(description="层级")
    level_label: str = Field(description="层级名称")
    published_on: date | None = Field(description="发布日期")
    valid_from: date | None = Field(description="有效期起")
    valid_until: date | None = Field(description="有效期止")
    themes: list[str] = Field(description="支持的楼宇主题编码")
    theme_labels: list[str] = Field(description="支持的楼宇主题名称")
    industry_codes: list[str] = Field(description="支持的行业代码")
    industry_labels: list[str] = Field(description="支持的行业（代码 名称）")
    tags: list[str] = Field(description="面向的企业标签")
    tag_labels: list[str] = Field(description="面向的企业标签名称")
    min_employees: int | None = Field(description="从业人数下限")
    max_employees: int | None = Field(description="从业人数上限")
    benefit: str = Field(description="扶持内容")
    apply_from: date | None = Field(description="申报开始日期")
    apply_until: date | None = Field(description="申报截止日期")
    link: str = Field(description="政策原文链接或附件地址")
    in_force: bool = Field(description="今天在有效期内")
    pushes: int = Field(description="已推送楼宇数")
    deliveries: int = Field(description="已送达记录数")
    applications: int = Field(description="申报记录数")
    can_manage: bool = Field(description="调用者能否修改、推送")
    is_demo: bool = Field(description="演示数据")
    created_by: str = Field(description="录入人")
    created_at: datetime = Field(description="录入时间")


class MatchBuilding(BaseModel):
    code: str = Field(description="楼宇编码")
    name: str = Field(description="楼宇名称")
    street_code: str = Field(description="街道代码")
    street_name: str = Field(description="街道名称")


class MatchRead(BaseModel):
    credit_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="企业名称")
    industry_code: str | None = Field(description="行业代码")
    buildings: list[MatchBuilding] = Field(description="所在楼宇")
    reasons: list[str] = Field(description="符合原因（中文）")
    delivered: bool = Field(description="已送达")
    applied: bool = Field(description="已申报（含已受理、已兑现、未通过）")


class MatchesRead(BaseModel):
    policy_id: int = Field(description="政策编号")
    items: list[MatchRead] = Field(description="符合政策的企业及原因")
    total: int = Field(description="企业数")
    buildings: list[MatchBuilding] = Field(description="涉及的楼宇")
    rule: str = Field(description="匹配规则（中文）")


class PushCreate(InputModel):
    building_codes: list[Text] | None = Field(
        None, max_length=500, description="只推送到这些楼宇（不填为全部匹配楼宇）"
    )
    due_date: date | None = Field(None, description="送达期限（不填为 14 天后）")


class PushRead(BaseModel):
    id: int = Field(description="推送编号")
    policy_id: int = Field(description="政策编号")
    policy_title: str = Field(description="政策名称")
    building_code: str = Field(description="楼宇编码")
    building_name: str = Field(description="楼宇名称")
    street_code: str = Field(description="街道代码")
    street_name: str = Field(description="街道名称")
    chief_username: str | None = Field(description="负责送达的楼长（无楼长时由街道送达）")
    enterprises: list[MatchRead] = Field(description="该楼宇内符合政策的企业")
    due_date: date | None = Field(description="送达期限")
    delivered_at: datetime | None = Field(description="送达完成时间")
    created_by: str = Field(description="推送人")
    created_at: datetime = Field(description="推送时间")
    is_demo: bool = Field(description="演示数据")


class PushResult(BaseModel):
    created: int = Field(description="新推送的楼宇数")
    skipped: int = Field(description="已推送过、未重复推送的楼宇数")
    items: list[PushRead] = Field(description="本次推送")


class DeliveryIn(InputModel):
    credit_code: CreditCode = Field(None, description="企业统一社会信用代码")
    enterprise_name: Text = Field(min_length=2, max_length=200, description="企业名称")
    note: Text = Field("", max_length=500, description="备注（如 已向财务负责人讲解）")


class VisitPolicyDelivery(DeliveryIn):
    """A policy delivered on a visit (宣讲已送达)."""

    policy_id: int = Field(ge=1, description="政策编号")


class DeliveryCreate(DeliveryIn):
    """A delivery made otherwise (电话、会议、上门但未记走访)."""

    building_code: Text = Field(min_length=1, max_length=20, description="企业所在楼宇编码")
    delivered_on: date | None = Field(None, description="送达日期（默认今天）")


class DeliveryRead(BaseModel):
    id: int = Field(description="送达记录编号")
    policy_id: int = Field(description="政策编号")
    policy_title: str = Field(description="政策名称")
    push_id: int | None = Field(description="对应推送")
    visit_id: int | None = Field(description="走访记录（走访送达时）")
    method: Method = Field(description="visit 走访送达 / other 其他方式")
    method_label: str = Field(description="送达方式")
    credit_code: str | None = Field(description="统一社会信用代码")
    enterprise_name: str = Field(description="企业名称")
    building_code: str = Field(description="楼宇编码")
    street_code: str = Field(description="街道代码")
    delivered_on: date = Field(description="送达日期")
    delivered_by: str = Field(description="送达人")
    note: str = Field(description="备注")
    is_demo: bool = Field(description="演示数据")


class ApplicationFields(InputModel):
    status: AppStatus | None = Field(
        None, description="planned 拟申报 / applied 已申报 / accepted 已受理 / paid 已兑现 / rejected 未通过"
    )
    applied_on: date | None = Field(None, description="申报日期")
    amount_granted: Decimal | None = Field(
        None, ge=0, le=Decimal("1e12"), decimal_places=2, description="核定金额（元）"
    )
    paid_on: date | None = Field(None, description="兑现日期")
    note: Text | None = Field(None, max_length=500, description="备注")


class ApplicationCreate(ApplicationFields):
    policy_id: int = Field(ge=1, description="政策编号")
    credit_code: CreditCode = Field(description="企业统一社会信用代码")
    status: AppStatus = Field("applied", description="申报状态")
    applied_on: date = Field(description="申报日期")


class ApplicationUpdate(ApplicationFields):
    """Only the fields sent change."""


class ApplicationRead(BaseModel):
    id: int = Field(description="申报编号")
    policy_id: int = Field(description="政策编号")
    policy_title: str = Field(description="政策名称")
    credit_code: str = Field(description="统一社会信用代码")
    enterprise_name: str = Field(description="企业名称")
    building_code: str | None = Field(description="所在楼宇编码")
    building_name: str = Field(description="所在楼宇")
    street_code: str | None = Field(description="街道代码")
    street_name: str = Field(description="街道")
    applied_on: date = Field(description="申报日期")
    status: AppStatus = Field(description="申报状态")
    status_label: str = Field(description="申报状态名称")
    amount_granted: Decimal | None = Field(description="核定金额（元）")
    paid_on: date | None = Field(description="兑现日期")
    source: Literal["form", "import"] = Field(description="form 表单录入 / import 科创中心表格导入")
    note: str = Field(description="备注")
    is_demo: bool = Field(description="演示数据")
    created_by: str = Field(description="录入人")
    created_at: datetime = Field(description="录入时间")


class ImportRowProblem(BaseModel):
    row: int = Field(description="表格行号（与 Excel 一致）")
    field: str = Field(description="列名")
    message: str = Field(description="问题（中文）")


class ImportReport(BaseModel):
    dry_run: bool = Field(description="true 试导入（未保存）")
    saved: bool = Field(description="已保存")
    rows: int = Field(description="数据行数")
    created: int = Field(description="将新建（或已新建）的申报")
    updated: int = Field(description="将更新（或已更新）的申报（同一企业同一政策）")
    problems: list[ImportRowProblem] = Field(description="全部问题（有任何问题则整份不保存）")


class PolicyImportUpdate(BaseModel):
    row: int = Field(description="表格行号（与 Excel 一致）")
    doc_number: str = Field(description="文号")
    title: str = Field(description="政策库中现有的政策名称")


class PolicyImportReport(BaseModel):
    dry_run: bool = Field(description="true 试导入（未保存）")
    saved: bool = Field(description="已保存")
    rows: int = Field(description="数据行数")
    created: int = Field(description="将新建（或已新建）的政策")
    updated: int = Field(description="将更新（或已更新）的政策（文号已在政策库中）")
    problems: list[ImportRowProblem] = Field(description="全部问题（有任何问题则整份不保存）")
    updates: list[PolicyImportUpdate] = Field(description="按文号更新现有政策的行")


def _figure(code: str, description: str) -> Any:
    """A figure field tagged with its 指标口径 code (services/metrics/metrics/catalogue)."""
    return Field(description=f"{description}（指标代码 {code}）", json_schema_extra={"x-metric": code})


class TotalRow(BaseModel):
    key: str = Field(description="分组编码（楼宇编码、街道代码、主题编码或政策编号）")
    label: str = Field(description="分组名称")
    applications: int = _figure("policy_applications", "申报数（不含拟申报）")
    granted: Decimal = _figure("policy_funds_granted", "核定（兑现）资金，元")
    paid: Decimal = _figure("policy_funds_paid", "已拨付资金，元")


class CoverageRead(BaseModel):
    key_building_rule: str = Field(description="重点楼宇的认定（中文）")
    key_buildings: int | None = Field(description="重点楼宇栋数（指标分析服务不可用时为空）")
    fitting: int | None = Field(description="重点楼宇内符合政策的企业·政策数（分母）")
    applied: int | None = Field(description="其中已申报的企业·政策数（分子）")
    rate: float | None = _figure("policy_coverage", "申报覆盖率（0–1；无法计算时为空）")
    note: str = Field(description="说明（如无法计算的原因）")


class TotalsRead(BaseModel):
    year: int = Field(description="统计年度")
    start: date = Field(description="统计期起")
    end: date = Field(description="统计期止")
    applications: int = _figure("policy_applications", "申报数（不含拟申报）")
    granted: Decimal = _figure("policy_funds_granted", "核定（兑现）资金，元")
    paid: Decimal = _figure("policy_funds_paid", "已拨付资金，元")
    by_building: list[TotalRow] = Field(description="按楼宇")
    by_street: list[TotalRow] = Field(description="按街道")
    by_theme: list[TotalRow] = Field(description="按主题（一条申报计入其政策的每个主题）")
    by_policy: list[TotalRow] = Field(description="按政策")
    coverage: CoverageRead | None = Field(description="申报覆盖率（只在请求 coverage=true 时计算）")
