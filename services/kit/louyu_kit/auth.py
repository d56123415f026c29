"""Who is calling: every service verifies the bearer token itself (never an identity header),
checks it against the gateway's revocation list, and authorizes by role or scope.

Keys: the gateway signs with its private key; a service verifies with the public keys it was
configured with or fetched from the gateway's JWKS (``codec_for``). Service-to-service calls
carry an internal token the calling service got from the gateway's token endpoint with its
own credential (``ServiceTokens``): no service can mint a token.

Revocation fails closed: a service whose revocation list has not been refreshed within
``revocation_max_age_seconds`` refuses access tokens with a 503 until its next poll
succeeds, and says so in ``/ready`` and in Prometheus (``louyu_revocation_list_age_seconds``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

import httpx
from fastapi import Depends, Request

from louyu_kit.errors import Forbidden, Unauthorized, Unavailable
from louyu_kit.settings import KitSettings
from louyu_kit.tokens import ACCESS, INTERNAL, Jwk, KeysUnavailable, TokenCodec, TokenInvalid

log = logging.getLogger("louyu.auth")

ROLES = ("admin", "auditor", "leader", "bureau", "department", "street", "chief", "screen")
# The 大屏's kiosk account: reads the figures the wall display shows and nothing else; its session
# does not end for idleness (nobody touches a wall display), the admin revokes it like any other.
SCREEN_ROLE = "screen"
ROLE_NAMES = {
    "admin": "系统管理员",
    "auditor": "安全审计员",
    "leader": "区领导",
    "bureau": "区商务局",
    "department": "协办部门",
    "street": "街道",
    "chief": "楼长",
    "screen": "大屏（只读）",
}
SCOPES = ("facts:write", "stats:read")


@dataclass(frozen=True)
class Principal:
    """The verified caller: a person (``kind="user"``) or a bureau system (``kind="client"``)."""

    sub: str
    kind: str
    sid: str
    jti: str
    roles: frozenset[str] = frozenset()
    scopes: frozenset[str] = frozenset()
    org_unit: str | None = None
    street_codes: tuple[str, ...] = ()
    expires_at: int = 0
    # A person who must replace an initial or reset password may only do that (and sign out).
    must_change_password: bool = False

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Principal:
        return cls(
            sub=str(claims["sub"]),
            kind=str(claims.get("kind", "user")),
            sid=str(claims.get("sid", "")),
            jti=str(claims["jti"]),
            roles=frozenset(claims.get("roles") or ()),
            scopes=frozenset(str(claims.get("scope") or "").split()),
            org_unit=claims.get("org"),
            street_codes=tuple(claims.get("streets") or ()),
            expires_at=int(claims["exp"]),
            must_change_password=bool(claims.get("pwc", False)),
        )

    @property
    def is_user(self) -> bool:
        return self.kind == "user"

    def has_role(self, *roles: str) -> bool:
        return self.is_user and bool(self.roles.intersection(roles))

    def has_scope(self, *scopes: str) -> bool:
        return self.kind == "client" and bool(self.scopes.intersection(scopes))


class RevocationList:
    """Sessions revoked at the gateway (logout, account disabled, client revoked)."""

    def __init__(self, *, max_age: float | None = None) -> None:
        self._until: dict[str, int] = {}
        self.cursor = 0
        self.synced_at: float | None = None
        # Fail closed: None while nobody polls (tests, the gateway, which holds the sessions).
        self.max_age = max_age
        self.started_at = time.monotonic()
        self._synced_mono: float | None = None

    def mark_synced(self) -> None:
        self.synced_at = time.time()
        self._synced_mono = time.monotonic()

    def age(self) -> float:
        """Seconds since the last successful poll (since start when there was none yet)."""
        return time.monotonic() - (self._synced_mono if self._synced_mono is not None else self.started_at)

    def is_stale(self) -> bool:
        return self.max_age is not None and (self._synced_mono is None or self.age() > self.max_age)

    def add(self, sid: str, until: int) -> None:
        self._until[sid] = max(until, self._until.get(sid, 0))

    def is_revoked(self, sid: str) -> bool:
        until = self._until.get(sid)
        return until is not None and until >= time.time()

    def purge(self) -> None:
        now = time.time()
        for sid in [s for s, u in self._until.items() if u < now]:
            del self._until[sid]

    def __len__(self) -> int:
        return len(self._until)


class RevocationSync:
    """Polls the gateway for revoked sessions so a logout is honoured everywhere within a second."""

    def __init__(
        self,
        *,
        service: str,
        gateway_url: str,
        tokens: ServiceTokenSource,
        revocations: RevocationList,
        interval: float,
        codec: TokenCodec | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.service = service
        self.tokens = tokens
        self.codec = codec
        self.revocations = revocations
        self.interval = interval
        self._client = httpx.AsyncClient(base_url=gateway_url, timeout=httpx.Timeout(2.0), transport=transport)
        self._task: asyncio.Task[None] | None = None
        self._failures = 0
        self._keys_refreshed = 0.0

    async def sync_once(self) -> None:
        resp = await self._client.get(
            "/api/auth/revocations",
            params={"after": self.revocations.cursor},
            headers={"Authorization": f"Bearer {await self.tokens.token()}"},
        )
        if resp.status_code == 401:
            self.tokens.forget()  # e.g. the gateway's key rolled over: ask for a new one
        resp.raise_for_status()
        body = resp.json()
        if body["last_seq"] < self.revocations.cursor:
            # The gateway's database was replaced: start again from the beginning.
            self.revocations.cursor = 0
            return await self.sync_once()
        for item in body["items"]:
            self.revocations.add(item["sid"], int(item["until"]))
        self.revocations.cursor = body["last_seq"]
        self.revocations.mark_synced()
        self.revocations.purge()
        if body["items"]:
            log.info("%d revoked sessions from the gateway (cursor %d)", len(body["items"]), self.revocations.cursor)
        else:  # the routine poll, twice a second: never INFO
            log.debug("no new revoked sessions (cursor %d)", self.revocations.cursor)

    async def _refresh_keys(self) -> None:
        """Ask the gateway's JWKS again every few minutes (a key that was rolled out disappears)."""
        if self.codec is None or time.monotonic() - self._keys_refreshed < KEYS_REFRESH_SECONDS:
            return
        if await asyncio.to_thread(self.codec.refresh_keys):
            self._keys_refreshed = time.monotonic()

    async def _run(self) -> None:
        while True:
            try:
                await self._refresh_keys()
                await self.sync_once()
                if self._failures:
                    log.info("revocation list reachable again after %d failures", self._failures)
                self._failures = 0
            except (httpx.HTTPError, KeyError, ValueError, Unavailable) as exc:
                self._failures += 1
                if self._failures in (1, 10) or self._failures % 600 == 0:
                    log.warning("cannot fetch revocations from gateway: %s", exc)
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"{self.service}-revocations")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        await self._client.aclose()


KEYS_REFRESH_SECONDS = 300.0
SERVICE_TOKEN_MARGIN = 30


class ServiceTokenSource:
    """Where a service gets the internal token it sends to a peer."""

    async def token(self) -> str:
        raise NotImplementedError

    def forget(self) -> None:
        """Drop the cached token (a peer refused it)."""

    async def aclose(self) -> None:
        pass


class ServiceTokens(ServiceTokenSource):
    """Internal tokens from the gateway's token endpoint (OAuth2 client credentials with
    ``client_id=service:<name>`` and this service's credential), cached until 30 s before expiry."""

    def __init__(
        self,
        *,
        service: str,
        gateway_url: str,
        secret: str,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.service = service
        self._secret = secret
        self._client = httpx.AsyncClient(
            base_url=gateway_url, timeout=httpx.Timeout(5.0, connect=2.0), transport=transport
        )
        self._cached: tuple[str, float] | None = None
        self._lock: asyncio.Lock | None = None

    def forget(self) -> None:
        self._cached = None

    async def token(self) -> str:
        if self._cached is not None and self._cached[1] > time.time() + SERVICE_TOKEN_MARGIN:
            return self._cached[0]
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._cached is not None and self._cached[1] > time.time() + SERVICE_TOKEN_MARGIN:
                return self._cached[0]
            try:
                resp = await self._client.post(
                    "/api/auth/token",
                    data={
                        "grant_type": "client_credentials",
                        "client_id": f"service:{self.service}",
                        "client_secret": self._secret,
                    },
                )
            except httpx.HTTPError as exc:
                raise Unavailable("暂时无法从统一门户获取服务令牌，请稍后重试") from exc
            if resp.status_code != 200:
                raise Unavailable(f"统一门户拒绝签发服务令牌（{resp.status_code}），请检查服务凭据配置")
            try:
                body = resp.json()
                self._cached = (str(body["access_token"]), time.time() + int(body["expires_in"]))
            except (ValueError, KeyError, TypeError) as exc:
                raise Unavailable("统一门户返回的服务令牌格式不正确") from exc
            return self._cached[0]

    async def aclose(self) -> None:
        await self._client.aclose()


class SignedServiceTokens(ServiceTokenSource):
    """Internal tokens signed here: only for the gateway itself (which holds the private key)
    and for tests that stand in for the gateway."""

    def __init__(self, codec: TokenCodec, service: str) -> None:
        self.codec = codec
        self.service = service
        self._cached: tuple[str, float] | None = None

    def forget(self) -> None:
        self._cached = None

    async def token(self) -> str:
        return self.token_now()

    def token_now(self) -> str:
        if self._cached is None or self._cached[1] < time.time() + SERVICE_TOKEN_MARGIN:
            issued = self.codec.issue(sub=f"service:{self.service}", typ=INTERNAL, ttl_seconds=300)
            self._cached = (issued.token, issued.expires_at)
        return self._cached[0]


_jwks_warned = [-1e9]


def _fetch_jwks(url: str) -> list[Jwk] | None:
    """The gateway's public keys, or None when it cannot be asked right now."""
    try:
        resp = httpx.get(url, timeout=httpx.Timeout(2.0))
        resp.raise_for_status()
        keys = resp.json()["keys"]
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        if time.monotonic() - _jwks_warned[0] > 30:  # once in a while, not on every try
            _jwks_warned[0] = time.monotonic()
            log.warning("cannot fetch the gateway's JWKS from %s: %s", url, exc)
        return None
    if not isinstance(keys, list):
        return None
    return keys


def codec_for(settings: KitSettings) -> TokenCodec:
    """The gateway's codec signs with its private key; every other service's verifies only,
    with its configured public keys or the gateway's JWKS (fetched when a token names a key
    it does not know yet, and every few minutes)."""
    common = {"issuer": settings.jwt_issuer, "audience": settings.jwt_audience}
    signing_key = getattr(settings, "signing_key", None)
    if callable(signing_key):
        return TokenCodec(key=signing_key(), previous=settings.previous_keys(), **common)  # type: ignore[attr-defined]
    keys = settings.public_keys()
    if keys is not None:
        return TokenCodec(public_keys=keys, **common)
    url = settings.jwks_endpoint()
    return TokenCodec(refresh_keys=lambda: _fetch_jwks(url), **common)


def service_tokens_for(settings: KitSettings, service: str) -> ServiceTokenSource:
    """How ``service`` gets its internal tokens: from the gateway with its own credential."""
    return ServiceTokens(service=service, gateway_url=settings.gateway_url, secret=settings.service_credential(service))


def revocation_age(app: Any) -> tuple[float | None, bool]:
    """(seconds since the revocation list was last refreshed, whether that is too old);
    (None, False) for an app that does not poll (the gateway, tests without a gateway)."""
    revocations: RevocationList | None = getattr(app.state, "revocations", None)
    if revocations is None or revocations.max_age is None:
        return None, False
    return round(revocations.age(), 1), revocations.is_stale()


def _verify(codec: TokenCodec, token: str, typ: str) -> dict[str, Any]:
    try:
        return codec.verify(token, typ=typ)
    except KeysUnavailable as exc:
        raise Unavailable("暂时无法获取令牌验证公钥，请稍后重试") from exc
    except TokenInvalid as exc:
        raise Unauthorized(str(exc)) from exc


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("请先登录（缺少访问令牌）")
    return token.strip()


def verify_request(request: Request) -> Principal:
    """Verify the caller's access token against this app's codec and revocation list."""
    codec: TokenCodec = request.app.state.tokens
    token = bearer_token(request)
    claims = _verify(codec, token, ACCESS)
    principal = Principal.from_claims(claims)
    revoked: RevocationList | None = getattr(request.app.state, "revocations", None)
    if revoked is not None and revoked.is_stale():
        # Fail closed: a revoked session might still look valid here.
        raise Unavailable(
            f"本服务已 {int(revoked.age())} 秒未能从统一门户更新已注销会话名单，暂时无法验证登录，请稍后重试",
            error="RevocationListStale",
        )
    if revoked is not None and revoked.is_revoked(principal.sid):
        raise Unauthorized("登录已失效，请重新登录")
    extra_check: Callable[[Principal], None] | None = getattr(request.app.state, "session_check", None)
    if extra_check is not None:
        extra_check(principal)
    request.scope.setdefault("state", {})["principal_sub"] = principal.sub
    return principal


CurrentPrincipal = Annotated[Principal, Depends(verify_request)]


def refuse_pending_password_change(principal: Principal) -> None:
    if principal.must_change_password:
        raise Forbidden("请先修改初始密码后再使用系统", error="PasswordChangeRequired")


@dataclass(frozen=True)
class Allow:
    """A dependency that lets through users with one of ``roles`` or clients with one of ``scopes``."""

    roles: Iterable[str] = field(default=())
    scopes: Iterable[str] = field(default=())

    def __call__(self, principal: CurrentPrincipal) -> Principal:
        refuse_pending_password_change(principal)
        if principal.has_role(*self.roles) or principal.has_scope(*self.scopes):
            return principal
        raise Forbidden("您的账号没有权限执行此操作")


def allow(*roles: str, scopes: Iterable[str] = ()) -> Any:
    """``Depends`` that authorizes by role (people) or scope (bureau systems)."""
    return Depends(Allow(roles=tuple(roles), scopes=tuple(scopes)))


def _service_name(claims: dict[str, Any], request: Request | None = None) -> str:
    sub = str(claims["sub"])
    if not sub.startswith("service:"):
        raise Forbidden("仅限平台内部服务调用")
    if request is not None:
        # The access log names the calling service as the user (``service:registry``).
        request.scope.setdefault("state", {})["principal_sub"] = sub
    return sub.removeprefix("service:")


def verify_internal(request: Request) -> str:
    """Verify a service-to-service token; return the calling service's name."""
    codec: TokenCodec = request.app.state.tokens
    return _service_name(_verify(codec, bearer_token(request), INTERNAL), request)


def verify_internal_or_roles(*roles: str) -> Callable[[Request], str]:
    """A peer service (internal token) or a person with one of ``roles``."""
    allowed = Allow(roles=roles)

    def dependency(request: Request) -> str:
        codec: TokenCodec = request.app.state.tokens
        try:
            claims = codec.verify(bearer_token(request), typ=INTERNAL)
        except KeysUnavailable as exc:
            raise Unavailable("暂时无法获取令牌验证公钥，请稍后重试") from exc
        except TokenInvalid:
            return allowed(verify_request(request)).sub
        return _service_name(claims, request)

    return dependency
