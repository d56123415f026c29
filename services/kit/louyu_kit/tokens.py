"""JSON Web Tokens: the only module that imports python-jose.

Rules (SECURITY.md): tokens are signed with ES256 (ECDSA P-256) by the gateway alone; every
other process holds only public keys. One algorithm is pinned on every decode; ``exp``,
``iat``, ``sub``, ``aud``, ``iss`` (and ``jti``, ``typ``) required; tokens over 8 KB refused
before any parsing; every token names its key (``kid``, the RFC 7638 thumbprint of the public
key) and a token whose key is unknown is refused; access, refresh and internal tokens carry
different ``typ`` and audiences, so one can never stand in for another. Claims are trusted
only after verification.

Key rotation: a codec signs with one key (the current one) and verifies with a set of public
keys (the current one and, during a rollover, the previous one); the gateway publishes that
set as its JWKS.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jose import JWTError, jwk, jwt
from jose.exceptions import JOSEError

ALGORITHM = "ES256"
MAX_TOKEN_BYTES = 8 * 1024
LEEWAY_SECONDS = 10
# Tokens whose signature was verified, kept per codec (the least recently used goes first): a
# request with the same token string again skips python-jose's ECDSA check (with it, registry's
# /enums served 568 req/s; without it 1,060). The claims are checked again for expiry on every use.
VERIFIED_CACHE_SIZE = 4096

ACCESS = "access"
REFRESH = "refresh"
INTERNAL = "internal"
REFRESH_AUDIENCE = "louyu-auth"
INTERNAL_AUDIENCE = "louyu-internal"

_PEM = re.compile(r"-----BEGIN ([A-Z ]+)-----.+?-----END \1-----", re.S)
# A public key as a JWK: {"kty": "EC", "crv": "P-256", "x": ..., "y": ..., "kid": ..., "alg": "ES256", "use": "sig"}
Jwk = dict[str, str]


class TokenInvalid(Exception):
    """Raised for every token that must not be accepted; the message is Chinese."""


class KeysUnavailable(Exception):
    """The public keys could not be fetched: a 503 (try again), never a 401 (sign in again)."""


class KeyError_(ValueError):
    """A configured key that cannot be used (not PEM, not EC P-256, ...)."""


@dataclass(frozen=True)
class Issued:
    token: str
    jti: str
    expires_at: int
    expires_in: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def thumbprint(key: Mapping[str, Any]) -> str:
    """RFC 7638 thumbprint of an EC public JWK: the key's ``kid``."""
    members = {name: key[name] for name in ("crv", "kty", "x", "y")}
    return _b64(hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode()).digest())


def public_jwk(pem_or_jwk: str | Mapping[str, Any]) -> Jwk:
    """The public JWK (with ``kid``) of a PEM key (private or public) or of a JWK."""
    try:
        key = jwk.construct(dict(pem_or_jwk) if isinstance(pem_or_jwk, Mapping) else pem_or_jwk, ALGORITHM)
        public = key.to_dict() if key.is_public() else key.public_key().to_dict()
    except (JOSEError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise KeyError_("不是可用的 ES256（EC P-256）密钥") from exc
    if public.get("kty") != "EC" or public.get("crv") != "P-256":
        raise KeyError_("签名密钥必须是 EC P-256（ES256）密钥")
    out: Jwk = {name: str(public[name]) for name in ("kty", "crv", "x", "y")}
    out.update(kid=thumbprint(out), alg=ALGORITHM, use="sig")
    return out


def generate_private_key_pem() -> str:
    """A fresh EC P-256 private key in PKCS#8 PEM (for ``make run``'s development key and tests)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def parse_public_keys(text: str) -> list[Jwk]:
    """Public keys from a file's text: a JWKS document (``{"keys": [...]}``) or one or more PEM keys."""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            doc = json.loads(stripped)
            return [public_jwk(item) for item in doc["keys"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyError_("公钥文件不是有效的 JWKS 文档") from exc
    keys = [public_jwk(m.group(0)) for m in _PEM.finditer(stripped)]
    if not keys:
        raise KeyError_("公钥文件中没有 PEM 或 JWKS 格式的公钥")
    return keys


class TokenCodec:
    """Signs (when it holds the private key: the gateway) and verifies tokens.

    ``key``: the current private key (PEM), or None for a verify-only codec.
    ``previous``: keys (PEM, private or public) that still verify during a rollover.
    ``public_keys``: public JWKs to verify with (a service's configured keys).
    ``refresh_keys``: called for a token whose ``kid`` is unknown (a service asks the
    gateway's JWKS again); returns the new public keys or None. Throttled here.
    """

    REFRESH_INTERVAL = 10.0

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        key: str | None = None,
        previous: Iterable[str] = (),
        public_keys: Iterable[Mapping[str, Any]] = (),
        refresh_keys: Callable[[], list[Jwk] | None] | None = None,
    ) -> None:
        self.issuer = issuer
        self.audience = audience
        self._signing: tuple[str, str] | None = None
        keys: dict[str, Jwk] = {}
        if key:
            public = public_jwk(key)
            self._signing = (key, public["kid"])
            keys[public["kid"]] = public
        for pem in previous:
            public = public_jwk(pem)
            keys.setdefault(public["kid"], public)
        for item in public_keys:
            public = public_jwk(item)
            keys.setdefault(public["kid"], public)
        self._keys = keys
        self._refresh = refresh_keys
        self._refreshed_at = -self.REFRESH_INTERVAL
        self._attempted_at = -1.0
        self._lock = threading.Lock()
        self._verified: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
        self._verified_lock = threading.Lock()

    @property
    def can_sign(self) -> bool:
        return self._signing is not None

    @property
    def kid(self) -> str | None:
        return self._signing[1] if self._signing else None

    def jwks(self) -> dict[str, list[Jwk]]:
        """The public keys this codec verifies with (the current signing key first)."""
        keys = sorted(self._keys.values(), key=lambda k: k["kid"] != self.kid)
        return {"keys": [dict(k) for k in keys]}

    def set_public_keys(self, keys: Iterable[Mapping[str, Any]]) -> None:
        """Replace the verification keys (a service's JWKS refresh); the signing key stays."""
        fresh = {k["kid"]: k for k in (public_jwk(item) for item in keys)}
        if self._signing is not None:
            fresh.setdefault(self._signing[1], public_jwk(self._signing[0]))
        self._keys = fresh
        with self._verified_lock:
            self._verified.clear()  # a key taken out of service no longer vouches for its tokens

    def audience_for(self, typ: str) -> str:
        return {ACCESS: self.audience, REFRESH: REFRESH_AUDIENCE, INTERNAL: INTERNAL_AUDIENCE}[typ]

    def issue(self, *, sub: str, typ: str, ttl_seconds: int, claims: dict[str, Any] | None = None) -> Issued:
        if self._signing is None:
            raise RuntimeError("this process holds no signing key: only the gateway issues tokens")
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
        private, kid = self._signing
        token = jwt.encode(payload, private, algorithm=ALGORITHM, headers={"kid": kid})
        return Issued(token=token, jti=jti, expires_at=now + ttl_seconds, expires_in=ttl_seconds)

    def refresh_keys(self) -> bool:
        """Ask ``refresh_keys`` for the current public keys now; True when it answered."""
        if self._refresh is None:
            return False
        fresh = self._refresh()
        if not fresh:
            return False
        try:
            self.set_public_keys(fresh)
        except KeyError_:
            return False
        self._refreshed_at = time.monotonic()
        return True

    def _key_for(self, kid: str) -> Jwk | None:
        key = self._keys.get(kid)
        if key is not None or self._refresh is None:
            return key
        with self._lock:
            key = self._keys.get(kid)
            now = time.monotonic()
            # An unknown kid asks again at most every REFRESH_INTERVAL (a forged kid costs nothing),
            # and a gateway that did not answer is asked again at most once a second.
            if key is None and now - self._refreshed_at >= self.REFRESH_INTERVAL and now - self._attempted_at >= 1.0:
                self._attempted_at = now
                self.refresh_keys()
                key = self._keys.get(kid)
        if key is None and not self._keys:
            raise KeysUnavailable(kid)
        return key

    def verify(self, token: str, *, typ: str) -> dict[str, Any]:
        """Return the claims of a valid token of type ``typ``; raise TokenInvalid otherwise.

        A token string verified before (and not yet expired) is taken from the codec's cache of
        verified tokens: the same string carries the same signature, so only its expiry can
        have changed. Revocation is the caller's check, on every request (louyu_kit.auth)."""
        with self._verified_lock:
            cached = self._verified.get((typ, token))
            if cached is not None:
                self._verified.move_to_end((typ, token))
        if cached is not None:
            if int(cached["exp"]) + LEEWAY_SECONDS > time.time():
                return dict(cached)
            with self._verified_lock:
                self._verified.pop((typ, token), None)
            raise TokenInvalid("登录已过期，请重新登录")
        claims = self._verify_signed(token, typ=typ)
        with self._verified_lock:
            self._verified[(typ, token)] = dict(claims)
            while len(self._verified) > VERIFIED_CACHE_SIZE:
                self._verified.popitem(last=False)
        return claims

    def _verify_signed(self, token: str, *, typ: str) -> dict[str, Any]:
        if not token or len(token.encode("utf-8", "replace")) > MAX_TOKEN_BYTES:
            raise TokenInvalid("令牌过长或为空")
        if token.count(".") != 2:
            raise TokenInvalid("令牌格式不正确")
        try:
            header = jwt.get_unverified_header(token)
        except JWTError as exc:
            raise TokenInvalid("令牌格式不正确") from exc
        kid = header.get("kid")
        if header.get("alg") != ALGORITHM or not isinstance(kid, str) or not kid or len(kid) > 100:
            raise TokenInvalid("令牌无效")
        key = self._key_for(kid)
        if key is None:
            raise TokenInvalid("令牌无效（签名密钥未知）")
        try:
            claims = jwt.decode(
                token,
                key,
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
