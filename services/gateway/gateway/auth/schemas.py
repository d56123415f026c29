"""Shapes of the sign-in API."""

from pydantic import BaseModel, Field


class TokenResponse(BaseModel):
    access_token: str = Field(description="访问令牌（JWT），放在 Authorization: Bearer 请求头中")
    token_type: str = Field("bearer", description="固定为 bearer")
    expires_in: int = Field(description="访问令牌有效期（秒）")
    refresh_token: str | None = Field(None, description="刷新令牌（仅用户登录返回；每次刷新后更换）")
    scope: str | None = Field(None, description="机器客户端获得的权限范围")


class Me(BaseModel):
    username: str
    display_name: str
    roles: list[str]
    org_unit: str | None
    street_codes: list[str]
    must_change_password: bool = False


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=128, description="当前密码")
    new_password: str = Field(min_length=1, max_length=128, description="新密码")


class RevocationItem(BaseModel):
    sid: str
    until: int


class RevocationPage(BaseModel):
    items: list[RevocationItem]
    last_seq: int
