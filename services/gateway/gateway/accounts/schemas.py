"""Shapes of the account administration API."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from louyu_kit.auth import ROLE_NAMES, ROLES, SCOPES
from louyu_kit.types import InputModel

_STREET = re.compile(r"^\d{9}$")
_PHONE = re.compile(r"^1\d{10}$")


def _roles(value: list[str]) -> list[str]:
    unknown = [r for r in value if r not in ROLES]
    if unknown:
        raise ValueError(f"未知角色：{'、'.join(unknown)}（可选：{'、'.join(ROLES)}）")
    if not value:
        raise ValueError("至少指定一个角色")
    if "admin" in value and "auditor" in value:
        raise ValueError("系统管理员与安全审计员不能由同一账号担任（三员分立）")
    if "screen" in value and len(set(value)) > 1:
        raise ValueError("大屏账号只能查看大屏，不能兼任其他角色：请去掉其他角色")
    if "admin" in value and len(set(value)) > 1:
        others = "、".join(ROLE_NAMES.get(r, r) for r in sorted(set(value) - {"admin"}))
        raise ValueError(f"系统管理员账号不能兼任其他角色（三员分立）：请去掉{others}")
    return sorted(set(value))


def _streets(value: list[str]) -> list[str]:
    bad = [s for s in value if not _STREET.match(s)]
    if bad:
        raise ValueError(f"街道代码应为 9 位数字：{'、'.join(bad)}")
    return sorted(set(value))


def _phone(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if not _PHONE.match(value):
        raise ValueError("手机号应为 11 位数字，以 1 开头")
    return value


def _scopes(value: list[str]) -> list[str]:
    unknown = [s for s in value if s not in SCOPES]
    if unknown or not value:
        raise ValueError(f"权限范围应从 {'、'.join(SCOPES)} 中选择")
    return sorted(set(value))


Roles = Annotated[list[str], AfterValidator(_roles)]
Streets = Annotated[list[str], AfterValidator(_streets)]
Phone = Annotated[str | None, AfterValidator(_phone)]
Scopes = Annotated[list[str], AfterValidator(_scopes)]


class UserCreate(InputModel):
    username: str = Field(
        min_length=3, max_length=50, pattern=r"^[A-Za-z0-9_.-]+$", description="登录名（字母、数字、_ . -）"
    )
    display_name: str = Field(min_length=1, max_length=50, description="姓名")
    password: str = Field(min_length=1, max_length=128, description="初始密码（首次登录须修改）")
    roles: Roles = Field(description=f"角色：{'、'.join(f'{k}（{v}）' for k, v in ROLE_NAMES.items())}")
    org_unit: str | None = Field(None, max_length=100, description="所属单位（如 区商务局、积玉桥街道）")
    street_codes: Streets = Field(default_factory=list, description="负责的街道代码（街道、楼长角色）")
    phone: Phone = Field(None, description="手机号（对外显示时脱敏）")

    @model_validator(mode="after")
    def _street_role_needs_streets(self) -> UserCreate:
        if "street" in self.roles and not self.street_codes:
            raise ValueError("街道角色须指定所负责的街道代码")
        return self


class UserUpdate(InputModel):
    display_name: str | None = Field(None, min_length=1, max_length=50)
    roles: Roles | None = None
    org_unit: str | None = Field(None, max_length=100)
    street_codes: Streets | None = None
    phone: Phone = None
    is_active: bool | None = Field(None, description="停用后该账号的所有会话立即失效")

    @field_validator("display_name", "roles", "street_codes", "is_active", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Omitted means unchanged; an explicit null is not a value these fields can hold.
        if value is None:
            raise ValueError("不能为 null（不修改时请不要提交该字段；清空街道请提交 []）")
        return value


class PasswordReset(InputModel):
    new_password: str = Field(min_length=1, max_length=128, description="新密码（用户下次登录须修改）")


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    roles: list[str]
    org_unit: str | None
    street_codes: list[str]
    phone: str | None = Field(None, description="脱敏后的手机号，如 138****1234")
    is_active: bool
    must_change_password: bool
    locked_until: datetime | None = None
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ClientCreate(InputModel):
    name: str = Field(min_length=1, max_length=100, description="客户端名称，如 区税务局征管系统")
    scopes: Scopes = Field(description=f"权限范围：{'、'.join(SCOPES)}")


class ClientUpdate(InputModel):
    name: str | None = Field(None, min_length=1, max_length=100)
    scopes: Scopes | None = None
    is_active: bool | None = Field(None, description="停用即吊销，已签发的令牌立即失效")

    @field_validator("name", "scopes", "is_active", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("不能为 null（不修改时请不要提交该字段）")
        return value


class ClientRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    client_id: str
    name: str
    scopes: list[str]
    is_active: bool
    created_at: datetime
    secret_rotated_at: datetime
    last_used_at: datetime | None


class ClientWithSecret(ClientRead):
    client_secret: str = Field(description="客户端密钥：只显示这一次，请妥善保存")
