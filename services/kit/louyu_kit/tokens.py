"""JSON Web Tokens: the only module that imports python-jose.

Rules (SECURITY.md): one algorithm pinned on every decode; ``exp``, ``iat``, ``sub``,
``aud``, ``iss`` (and ``jti``, ``typ``) required; tokens over 8 KB refused before any
parsing; access, refresh and internal tokens carry different ``typ`` and audiences, so
one can never stand in for another. Claims are trusted only after verification.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from jose import JWTError, jwt

ALGORITHM = "HS256"
MAX_TOKEN_BYTES = 8 * 1024
LEEWAY_SECONDS = 10

ACCESS = "access"
REFRESH = "refresh"
INTERNAL = "internal"
REFRESH_AUDIENCE = "louyu-auth"
INTERNAL_AUDIENCE = "louyu-internal"


class TokenInvalid(Exception):
    """Raised for every token that must not be accepted; the message is Chinese."""


@dataclass(frozen=True)
class Issued:
    token: str
    jti: str
    expires_at: int
    expires_in: int


class TokenCodec:
    def __init__(self, *, key: str, issuer: str, audience: str) -> None:
        if not key:
            raise ValueError("JWT key is empty")
        self._key = key
        self.issuer = issuer
        self.audience = audience

    def audience_for(self, typ: str) -> str:
        return {ACCESS: self.audience, REFRESH: REFRESH_AUDIENCE, INTERNAL: INTERNAL_AUDIENCE}[typ]

    def issue(self, *, sub: str, typ: str, ttl_seconds: int, claims: dict[str, Any] | None = None) -> Issued:
        now = int(time.time())
        jti = uuid.uuid4().hex
        payload = dict(claims or {})
        payload.update(
            sub=sub,
            typ=typ,
            aud=self.audience_for(typ),
            iss=self.issuer,
            iat=now,
            exp=now + ttl_seconds,
            jti=jti,
        )
        token = jwt.encode(payload, self._key, algorithm=ALGORITHM)
        return Issued(token=token, jti=jti, expires_at=now + ttl_seconds, expires_in=ttl_seconds)

    def verify(self, token: str, *, typ: str) -> dict[str, Any]:
        """Return the claims of a valid token of type ``typ``; raise TokenInvalid otherwise."""
        if not token or len(token.encode("utf-8", "replace")) > MAX_TOKEN_BYTES:
            raise TokenInvalid("令牌过长或为空")
        if token.count(".") != 2:
            raise TokenInvalid("令牌格式不正确")
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=self.audience_for(typ),
                issuer=self.issuer,
                options={
                    "require_exp": True,
                    "require_iat": True,
                    "require_sub": True,
                    "require_aud": True,
                    "require_iss": True,
                    "require_jti": True,
                    "leeway": LEEWAY_SECONDS,
                },
            )
        except JWTError as exc:
            if "expired" in str(exc).lower():
                raise TokenInvalid("登录已过期，请重新登录") from exc
            raise TokenInvalid("令牌无效") from exc
        if claims.get("typ") != typ:
            raise TokenInvalid("令牌类型不正确")
        if int(claims["iat"]) > int(time.time()) + LEEWAY_SECONDS:
            raise TokenInvalid("令牌签发时间不正确")
        return claims
