"""Units as the API accepts and shows them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, field_validator

from louyu_kit.types import InputModel

UnitKind = Literal[
    "department",
    "street",
    "scenic_area",
    "committee",
    "enterprise",
    "squad",
    "group",
    "leadership",
    "congress",
    "city",
    "collective",
]


class AliasRead(BaseModel):
    id: int = Field(description="别名编号")
    alias: str = Field(description="别名（文件中的写法）")

    model_config = {"from_attributes": True}


class MemberRead(BaseModel):
    code: str = Field(description="成员单位编码")
    name: str = Field(description="成员单位名称")


class UnitRead(BaseModel):
    code: str = Field(description="单位编码（街道为9位统计用区划代码，其他为小写字母简码，如 swj）")
    name: str = Field(description="单位全称")
    short_name: str = Field(description="简称")
    kind: str = Field(description="类别：department 区直部门 / street 街道 / committee 管委会 / enterprise 区属企业 …")
    kind_name: str = Field(description="类别中文名")
    expands_kind: str | None = Field(description="统称所包含的单位类别（仅 collective）")
    is_active: bool = Field(description="是否在用")
    note: str = Field(description="备注")
    sort_order: int = Field(description="排序号")
    version: int = Field(description="版本号（修改时放入 If-Match）")
    aliases: list[AliasRead] = Field(description="别名")
    members: list[MemberRead] = Field(description="统称包含的单位（如 各街道办事处 → 14个街道）")


class UnitSummary(BaseModel):
    code: str = Field(description="单位编码")
    name: str = Field(description="单位全称")
    short_name: str = Field(description="简称")
    kind: str = Field(description="类别")
    is_active: bool = Field(description="是否在用")

    model_config = {"from_attributes": True}


def _strip(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("不能为空")
    return value


class UnitCreate(InputModel):
    code: str = Field(
        pattern=r"^([a-z][a-z0-9_]{1,31}|\d{9})$", description="单位编码：小写字母开头的简码或9位区划代码"
    )
    name: str = Field(min_length=2, max_length=100, description="单位全称")
    short_name: str = Field("", max_length=50, description="简称")
    kind: UnitKind = Field(description="类别")
    expands_kind: UnitKind | None = Field(None, description="统称所包含的单位类别（kind=collective 时必填）")
    sort_order: int = Field(1000, ge=0, le=100000, description="排序号")
    note: str = Field("", max_length=500, description="备注")
    # Each alias as AliasCreate takes it (an empty one used to fail inside the service: a 500).
    aliases: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100)]] = Field(
        default_factory=list, max_length=20, description="别名（每个 2–100 字）"
    )

    _name = field_validator("name")(classmethod(lambda cls, v: _strip(v)))


class UnitUpdate(InputModel):
    name: str | None = Field(None, min_length=2, max_length=100, description="单位全称")
    short_name: str | None = Field(None, max_length=50, description="简称")
    sort_order: int | None = Field(None, ge=0, le=100000, description="排序号")
    is_active: bool | None = Field(None, description="是否在用（停用后不再参与名称识别）")
    note: str | None = Field(None, max_length=500, description="备注")


class AliasCreate(InputModel):
    alias: str = Field(min_length=2, max_length=100, description="别名（文件中的写法）")

    _alias = field_validator("alias")(classmethod(lambda cls, v: _strip(v)))


class ResolveRequest(InputModel):
    names: list[str] = Field(min_length=1, max_length=200, description="要识别的单位名称（按文件写法）")


class ResolvedName(BaseModel):
    written: str = Field(description="文件中的写法")
    matched_by: str = Field(description="exact 精确 / variant 变体 / near 近似（需核对）/ unknown 未识别")
    collective: str | None = Field(description="统称的编码（如 all_streets）")
    units: list[MemberRead] = Field(description="识别出的单位（统称展开为全部成员）")
    warning: str | None = Field(description="提示（近似匹配或未识别时）")
