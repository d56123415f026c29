"""党建 as the API accepts and shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field

from louyu_kit.types import InputModel

Organisation = Literal["joint_committee", "branch", "none"]


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


Name = Annotated[str, BeforeValidator(_strip), Field(max_length=50)]


class CouncilMember(InputModel):
    name: Annotated[str, BeforeValidator(_strip), Field(min_length=1, max_length=50)] = Field(description="姓名")
    role: Annotated[str, BeforeValidator(_strip), Field(max_length=50)] = Field("", description="职务，如 理事长、理事")


class PartyWrite(InputModel):
    organisation: Organisation = Field(description="党组织：joint_committee 楼宇联合党委 / branch 党支部 / none 无")
    instructor: Name = Field("", description="党建指导员姓名（一楼四员之一）")
    council: list[CouncilMember] = Field(default_factory=list, max_length=50, description="楼宇理事会成员")
    chamber: Annotated[str, BeforeValidator(_strip), Field(max_length=100)] = Field(
        "", description="所加入的商会（未加入为空）"
    )
    alliance: Annotated[str, BeforeValidator(_strip), Field(max_length=100)] = Field(
        "", description="所加入的党建联盟（未加入为空）"
    )
    liaison: Name = Field("", description="楼宇联络员姓名（一楼四员之一）")
    safety: Name = Field("", description="安全员姓名（一楼四员之一）")
    service: Name = Field("", description="服务专员姓名（一楼四员之一）")


class PostRead(BaseModel):
    key: str = Field(description="岗位代码：instructor / liaison / safety / service")
    label: str = Field(description="岗位名称")
    name: str = Field(description="姓名（未配备为空）")


class PartyRead(BaseModel):
    building_code: str = Field(description="楼宇编码")
    building_name: str = Field(description="楼宇名称")
    recorded: bool = Field(description="是否已登记党建情况")
    organisation: str = Field(description="党组织代码")
    organisation_label: str = Field(description="党组织：楼宇联合党委 / 党支部 / 无")
    instructor: str = Field(description="党建指导员")
    council: list[CouncilMember] = Field(description="楼宇理事会成员")
    chamber: str = Field(description="商会")
    alliance: str = Field(description="党建联盟")
    liaison: str = Field(description="楼宇联络员")
    safety: str = Field(description="安全员")
    service: str = Field(description="服务专员")
    posts: list[PostRead] = Field(description="一楼四员")
    posts_filled: int = Field(description="一楼四员已配备的岗位数（0–4）")
    updated_by: str | None = Field(description="最后修改人")
    updated_at: datetime | None = Field(description="最后修改时间")
    version: int = Field(description="版本（未登记为 0；修改时放入 If-Match）")


class PartySummary(BaseModel):
    buildings: int = Field(description="统计的楼宇数（本人可见、不含在建）")
    recorded: int = Field(description="已登记党建情况的楼宇数")
    with_organisation: int = Field(description="建有党组织（联合党委或党支部）的楼宇数")
    joint_committees: int = Field(description="建有楼宇联合党委的楼宇数")
    branches: int = Field(description="建有党支部的楼宇数")
    in_chamber: int = Field(description="加入商会的楼宇数")
    in_alliance: int = Field(description="加入党建联盟的楼宇数")
    posts_filled: int = Field(description="一楼四员已配备的岗位数")
    posts_total: int = Field(description="应配备的岗位数（楼宇数 × 4）")
    posts_filled_rate: float | None = Field(description="一楼四员配备率 = 已配备岗位 ÷ 应配备岗位（0–1）")
    organisation_rate: float | None = Field(description="党组织覆盖率 = 建有党组织的楼宇 ÷ 楼宇数（0–1）")
