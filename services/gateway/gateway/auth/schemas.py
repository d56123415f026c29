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


class Jwk(BaseModel):
    """One public key (RFC 7517): EC P-256, for ES256 signatures."""

    kty: str = Field(description="密钥类型，固定为 EC")
    crv: str = Field(description="曲线，固定为 P-256")
    x: str
    y: str
    kid: str = Field(description="密钥编号（RFC 7638 指纹），令牌头部的 kid 与之对应")
    alg: str = Field(description="签名算法，固定为 ES256")
    use: str = Field(description="用途，固定为 sig")


class Jwks(BaseModel):
    keys: list[Jwk] = Field(description="当前签名公钥在前；轮换期间还含上一把公钥")
