"""诉求 as the API accepts and shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from louyu_kit.types import InputModel
from tasks.visits.fields import CreditCode, OptionalBuildingCode, Phone, Text

Category = Literal["parking", "permits", "policy", "talent", "property", "finance", "tax", "other"]
Status = Literal["submitted", "assigned", "in_progress", "answered", "closed", "reopened"]


class DemandFields(InputModel):
    enterprise_name: Text = Field(min_length=2, max_length=200, description="提出诉求的企业")
    credit_code: CreditCode = Field(None, description="统一社会信用代码（知道时填写）")
    category: Category = Field(
        description="类别：parking 停车 / permits 审批证照 / policy 政策咨询 / talent 人才服务 / "
        "property 物业管理 / finance 融资金融 / tax 税务 / other 其他"
    )
    text: Text = Field(min_length=2, max_length=4000, description="诉求内容")
    contact_name: Text = Field("", max_length=50, description="企业联系人")
    contact_phone: Phone = Field(None, description="联系电话（保存完整号码，显示时脱敏）")
    unit: Text | None = Field(None, max_length=100, description="交办单位（编码或名称）；填写即为已交办")


class DemandCreate(DemandFields):
    building_code: OptionalBuildingCode = Field(None, description="所在楼宇编码")


class DemandAssign(InputModel):
    unit: Text = Field(min_length=1, max_length=100, description="承办单位（编码或名称）")
    note: Text = Field("", max_length=2000, description="交办意见")


class DemandNote(InputModel):
    note: Text = Field("", max_length=2000, description="说明")


class DemandAnswer(InputModel):
    answer: Text = Field(min_length=2, max_length=8000, description="答复内容")


class DemandClose(InputModel):
    satisfaction: int = Field(ge=1, le=5, description="企业满意度：1 很不满意 … 5 很满意")
    note: Text = Field("", max_length=2000, description="回访情况")


class DemandReopen(InputModel):
    reason: Text = Field(min_length=2, max_length=2000, description="重办原因（企业不满意的地方）")


class DemandStepRead(BaseModel):
    action: str = Field(description="办理动作代码")
    action_label: str = Field(description="办理动作名称")
    status_before: str | None = Field(description="原状态（登记时为空）")
    status_after: str = Field(description="新状态")
    unit_code: str | None = Field(description="涉及的承办单位编码")
    text: str = Field(description="意见、答复或说明")
    actor: str = Field(description="操作人")
    created_at: datetime = Field(description="记录时间")


class DemandRead(BaseModel):
    id: int = Field(description="诉求编号")
    enterprise_name: str = Field(description="提出诉求的企业")
    credit_code: str | None = Field(description="统一社会信用代码")
    building_code: str | None = Field(description="所在楼宇编码")
    street_code: str | None = Field(description="所在街道代码")
    source_visit_id: int | None = Field(description="来源走访编号")
    category: str = Field(description="类别代码")
    category_label: str = Field(description="类别名称")
    text: str = Field(description="诉求内容")
    contact_name: str = Field(description="企业联系人")
    contact_phone: str | None = Field(description="联系电话（脱敏；查看完整号码需单独操作并留痕）")
    unit_code: str | None = Field(description="承办单位编码")
    unit_name: str | None = Field(description="承办单位名称")
    status: str = Field(
        description="submitted 已提交 / assigned 已交办 / in_progress 办理中 / answered 已答复 / "
        "closed 已办结 / reopened 已重办"
    )
    status_label: str = Field(description="状态名称")
    due_date: date = Field(description="办理期限（按类别计算，重办时重新起算）")
    overdue: bool = Field(description="未答复且已超过期限")
    answer: str = Field(description="答复内容")
    answered_by: str | None = Field(description="答复人")
    answered_at: datetime | None = Field(description="答复时间")
    closed_at: datetime | None = Field(description="办结时间")
    satisfaction: int | None = Field(description="企业满意度（1–5 分，办结时填写）")
    reopen_count: int = Field(description="重办次数")
    created_by: str = Field(description="登记人")
    created_at: datetime = Field(description="登记时间")
    version: int = Field(description="版本号")
    steps: list[DemandStepRead] = Field(default_factory=list, description="办理过程（列表中不返回）")


class DemandContact(BaseModel):
    contact_name: str = Field(description="企业联系人")
    contact_phone: str | None = Field(description="完整联系电话（未登记为空）")


class CategoryRead(BaseModel):
    code: str = Field(description="类别代码")
    name: str = Field(description="类别名称")
    days: int = Field(description="办理期限（天）")
