"""Who is calling: every service verifies the bearer token itself (never an identity header),
checks it against the gateway's revocation list, and authorizes by role or scope."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

import httpx
from fastapi import Depends, Request

from louyu_kit.errors import Forbidden, Unauthorized
from louyu_kit.tokens import ACCESS, INTERNAL, TokenCodec, TokenInvalid

log = logging.getLogger("louyu.auth")

ROLES = ("admin", "auditor", "leader", "bureau", "department", "street", "chief")
ROLE_NAMES = {
    "admin": "系统管理员",
    "auditor": "安全审计员",
    "leader": "区领导",
    "bureau": "区商务局",
    "department": "协办部门",
    "street": "街道",
    "chief": "楼长",
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

    def __init__(self) -> None:
        self._until: dict[str, int] = {}
        self.cursor = 0
        self.synced_at: float | None = None

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
        codec: TokenCodec,
        revocations: RevocationList,
        interval: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.service = service
        self.codec = codec
        self.revocations = revocations
        self.interval = interval
        self._client = httpx.AsyncClient(base_url=gateway_url, timeout=httpx.Timeout(2.0), transport=transport)
        self._token: tuple[str, float] | None = None
        self._task: asyncio.Task[None] | None = None
        self._failures = 0

    def _internal_token(self) -> str:
        if self._token is None or self._token[1] < time.time() + 30:
            issued = self.codec.issue(sub=f"service:{self.service}", typ=INTERNAL, ttl_seconds=300)
            self._token = (issued.token, issued.expires_at)
        return self._token[0]

    async def sync_once(self) -> None:
        resp = await self._client.get(
            "/api/auth/revocations",
            params={"after": self.revocations.cursor},
            headers={"Authorization": f"Bearer {self._internal_token()}"},
        )
        resp.raise_for_status()
        body = resp.json()
        if body["last_seq"] < self.revocations.cursor:
            # The gateway's database was replaced: start again from the beginning.
            self.revocations.cursor = 0
            return await self.sync_once()
        for item in body["items"]:
            self.revocations.add(item["sid"], int(item["until"]))
        self.revocations.cursor = body["last_seq"]
        self.revocations.synced_at = time.time()
        self.revocations.purge()

    async def _run(self) -> None:
        while True:
            try:
                await self.sync_once()
                if self._failures:
                    log.info("revocation list reachable again after %d failures", self._failures)
                self._failures = 0
            except (httpx.HTTPError, KeyError, ValueError) as exc:
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
    try:
        claims = codec.verify(token, typ=ACCESS)
    except TokenInvalid as exc:
        raise Unauthorized(str(exc)) from exc
    principal = Principal.from_claims(claims)
    revoked = getattr(request.app.state, "revocations", None)
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
    try:
        return _service_name(codec.verify(bearer_token(request), typ=INTERNAL), request)
    except TokenInvalid as exc:
        raise Unauthorized(str(exc)) from exc


def verify_internal_or_roles(*roles: str) -> Callable[[Request], str]:
    """A peer service (internal token) or a person with one of ``roles``."""
    allowed = Allow(roles=roles)

    def dependency(request: Request) -> str:
        codec: TokenCodec = request.app.state.tokens
        try:
            claims = codec.verify(bearer_token(request), typ=INTERNAL)
        except TokenInvalid:
            return allowed(verify_request(request)).sub
        return _service_name(claims, request)

    return dependency
