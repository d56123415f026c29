"""Shapes of the 楼长 directory."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ChiefAccount(BaseModel):
    """A 楼长 account as the building form shows it: who, and which streets (no phone, no roles)."""

    username: str = Field(description="登录名（楼宇档案的楼长账号 / 联络员账号）")
    display_name: str = Field(description="姓名")
    street_codes: list[str] = Field(description="负责的街道代码")


class ChiefList(BaseModel):
    items: list[ChiefAccount]
    total: int
