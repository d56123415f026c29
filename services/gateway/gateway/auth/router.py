"""``/api/auth``: the OAuth2 token endpoint, refresh, logout, me, own password, revocations."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.accounts.models import ServiceClient, User
from gateway.accounts.passwords import hash_password, policy_problem, verify_password
from gateway.audit.notes import note
from gateway.auth import service
from gateway.auth.schemas import Jwks, Me, PasswordChange, RevocationItem, RevocationPage, TokenResponse
from gateway.config import Settings
from gateway.db import utcnow
from gateway.net import client_ip
from louyu_kit.auth import CurrentPrincipal, verify_internal
from louyu_kit.db import Database, SessionDep
from louyu_kit.errors import Forbidden, Invalid, LouyuError, Unauthorized
from louyu_kit.tokens import TokenCodec

router = APIRouter(tags=["登录与会话"])
GrantResult = TypeVar("GrantResult")


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = base64.b64decode(value).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return client_id, secret


def _grant(
    request: Request,
    name: str,
    attempt: Callable[[Session, str | None], GrantResult],
    check: Callable[[Session, str | None], None] | None = None,
) -> GrantResult:
    """Run a grant in its own transaction; record a failure in another one that survives.
    ``check`` (the password hashing) runs first in a read-only session, holding no write lock."""
    db: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    ip = client_ip(request.scope)
    try:
        if check is not None:
            with db.sessions() as read_session:
                check(read_session, ip)
        with db.write_sessions() as session:
            result = attempt(session, ip)
            session.commit()
            return result
    except service.LoginFailed as exc:
        if exc.reason:
            request.scope["state"]["audit"]["detail"] = exc.reason
        with db.write_sessions() as failure_session:
            locked = service.record_failure(failure_session, name=name, ip=ip, settings=settings)
            failure_session.commit()
        if locked:
            note(
                request,
                action="account_locked",
                obj=name,
                actor=name,
                detail=f"连续 {settings.login_max_failures} 次登录失败，锁定 {settings.login_lock_minutes} 分钟",
            )
        raise


def _token_response(pair: service.TokenPair) -> Response:
    body = TokenResponse(
        access_token=pair.access_token, expires_in=pair.expires_in, refresh_token=pair.refresh_token, scope=pair.scope
    )
    return Response(
        body.model_dump_json(exclude_none=True),
        media_type="application/json",
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


@router.post("/token", response_model=TokenResponse, responses={401: {}, 429: {}})
def token(
    request: Request,
    grant_type: Annotated[str, Form(description="password / client_credentials / refresh_token")],
    username: Annotated[str | None, Form(max_length=100)] = None,
    password: Annotated[str | None, Form(max_length=128)] = None,
    client_id: Annotated[str | None, Form(max_length=100)] = None,
    client_secret: Annotated[str | None, Form(max_length=200)] = None,
    refresh_token: Annotated[str | None, Form(max_length=8192)] = None,
    scope: Annotated[str | None, Form(max_length=200)] = None,
) -> Response:
    """OAuth2 令牌端点：用户密码登录、机器客户端凭证、刷新令牌。"""
    codec: TokenCodec = request.app.state.tokens
    settings: Settings = request.app.state.settings
    if grant_type == "password":
        if not username or not password:
            raise Invalid("请输入用户名和密码", fields=[{"field": "username", "message": "必须填写"}])
        name = service.normalize_name(username)
        note(request, action="login_failed", obj=name, actor=name, actor_kind="user")

        checked: list[service.CheckedPassword] = []

        def check(session: Session, ip: str | None) -> None:
            checked.append(
                service.check_password(session, username=username, password=password, ip=ip, settings=settings)
            )

        def attempt(session: Session, ip: str | None) -> tuple[User, service.TokenPair]:
            return service.password_grant(session, checked=checked[0], ip=ip, codec=codec, settings=settings)

        user, pair = _grant(request, name, attempt, check)
        note(request, action="login", obj=user.username, actor=user.username, actor_kind="user")
        return _token_response(pair)
    if grant_type == "client_credentials":
        basic = _basic_credentials(request)
        if basic:
            client_id, client_secret = basic
        if not client_id or not client_secret:
            raise Invalid("请提供 client_id 和 client_secret")
        name = "client:" + service.normalize_name(client_id)
        if client_id.strip().startswith(service.SERVICE_PREFIX):
            return _service_token(request, name, client_id, client_secret)
        note(request, action="client_login_failed", obj=name, actor=name, actor_kind="client")

        def attempt(session: Session, ip: str | None) -> tuple[ServiceClient, service.TokenPair]:
            return service.client_grant(
                session,
                client_id=client_id,
                client_secret=client_secret,
                requested_scope=scope,
                ip=ip,
                codec=codec,
                settings=settings,
            )

        client, pair = _grant(request, name, attempt)
        note(request, action="client_login", obj=client.client_id, actor=name, actor_kind="client")
        return _token_response(pair)
    if grant_type == "refresh_token":
        return _refresh(request, refresh_token or "")
    raise Invalid("不支持的授权类型（grant_type 应为 password、client_credentials 或 refresh_token）")


def _service_token(request: Request, name: str, client_id: str, client_secret: str) -> Response:
    """A platform service (registry, tasks, metrics) asks for its internal token (no session, no
    refresh token; every few minutes per service): audited like any sign-in, failures throttled."""
    note(request, action="client_login_failed", obj=name, actor=name, actor_kind="client")
    codec: TokenCodec = request.app.state.tokens
    settings: Settings = request.app.state.settings

    def attempt(session: Session, ip: str | None) -> service.TokenPair:
        service.check_lock(session, name=name, ip=ip, settings=settings)
        return service.service_grant(client_id=client_id, client_secret=client_secret, codec=codec, settings=settings)

    pair = _grant(request, name, attempt)
    note(request, action="service_token", obj=name, actor=name, actor_kind="client")
    return _token_response(pair)


@router.get("/.well-known/jwks.json", response_model=Jwks)
def jwks(request: Request) -> Response:
    """令牌验证公钥（JWKS）：各服务据此验证网关签发的令牌（轮换密钥期间含新旧两把公钥）。"""
    codec: TokenCodec = request.app.state.tokens
    body = Jwks.model_validate(codec.jwks())
    return Response(
        body.model_dump_json(), media_type="application/json", headers={"Cache-Control": "public, max-age=60"}
    )


def _refresh(request: Request, refresh_token: str) -> Response:
    db: Database = request.app.state.db
    note(request, action="refresh_failed")
    with db.write_sessions() as session:
        try:
            user, pair = service.refresh_grant(
                session,
                refresh_token=refresh_token,
                codec=request.app.state.tokens,
                settings=request.app.state.settings,
            )
        except LouyuError:
            session.commit()  # keep a revocation caused by reuse or idleness
            raise
        session.commit()
    note(request, action="refresh", obj=user.username, actor=user.username, actor_kind="user")
    return _token_response(pair)


@router.post("/refresh", response_model=TokenResponse, responses={401: {}})
def refresh(request: Request, refresh_token: Annotated[str, Form(max_length=8192)]) -> Response:
    """用刷新令牌换取新的访问令牌（刷新令牌同时更换，旧的作废）。"""
    return _refresh(request, refresh_token)


@router.post("/logout", status_code=204)
def logout(request: Request, principal: CurrentPrincipal, session: SessionDep) -> Response:
    """退出登录：本会话的令牌在所有服务上立即失效（1 秒内）。"""
    service.mark_logout(session, sid=principal.sid, settings=request.app.state.settings)
    note(request, action="logout", obj=principal.sub, actor=principal.sub, actor_kind=principal.kind)
    return Response(status_code=204)


@router.get("/me", response_model=Me)
def me(principal: CurrentPrincipal, session: SessionDep) -> Me:
    """当前登录用户的信息。"""
    if not principal.is_user:
        raise Forbidden("机器客户端没有用户信息")
    user = session.scalar(select(User).where(User.username == principal.sub))
    if user is None or not user.is_active:
        raise Unauthorized("账号不存在或已停用")
    return Me(
        username=user.username,
        display_name=user.display_name,
        roles=sorted(user.roles),
        org_unit=user.org_unit,
        street_codes=list(user.street_codes),
        must_change_password=user.must_change_password,
    )


@router.post("/password", status_code=204, responses={422: {}})
def change_password(
    request: Request, body: PasswordChange, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    """修改自己的密码（需提供当前密码）。"""
    settings: Settings = request.app.state.settings
    note(request, action="password.change", obj=principal.sub)
    user = session.scalar(select(User).where(User.username == principal.sub))
    if user is None:
        raise Unauthorized("账号不存在或已停用")
    if not verify_password(user.password_hash, body.current_password):
        raise Invalid("当前密码不正确", fields=[{"field": "current_password", "message": "当前密码不正确"}])
    problem = policy_problem(body.new_password, min_length=settings.password_min_length, username=user.username)
    if problem is None and verify_password(user.password_hash, body.new_password):
        problem = "新密码不能与当前密码相同"
    if problem:
        raise Invalid(problem, fields=[{"field": "new_password", "message": problem}])
    user.password_hash = hash_password(body.new_password)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    # Whoever else is signed in with the old password is signed out; this session stays.
    service.revoke_subject(session, subject=user.username, settings=settings, keep=principal.sid)
    return Response(status_code=204)


@router.get("/revocations", response_model=RevocationPage, include_in_schema=False)
def revocations(
    session: SessionDep,
    _service: Annotated[str, Depends(verify_internal)],
    after: Annotated[int, Query(ge=0)] = 0,
) -> RevocationPage:
    """Revoked sessions after ``after``, for the services' revocation lists (internal)."""
    rows, last = service.revocations_after(session, after=after)
    return RevocationPage(items=[RevocationItem(sid=r.sid, until=r.until) for r in rows], last_seq=last)
