"""Sign-in, token refresh, sign-out and client credentials.

Sessions: an access token (15 min) names its session (``sid``); a refresh token is bound to
the session's current ``refresh_jti`` and rotated on each use (a replayed one revokes the
session). A session ends when revoked, after ``session_idle_minutes`` without a refresh, or
after ``session_max_hours``. Revoking a session publishes it to the services.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from gateway.accounts.models import ServiceClient, User
from gateway.accounts.passwords import burn_verify_time, hash_password, needs_rehash, verify_password
from gateway.auth.models import AccountLock, AuthSession, LoginFailure, Revocation
from gateway.config import Settings
from gateway.db import utcnow
from louyu_kit.auth import SCREEN_ROLE
from louyu_kit.errors import Forbidden, TooManyRequests, Unauthorized
from louyu_kit.settings import derive_service_secret
from louyu_kit.tokens import ACCESS, INTERNAL, LEEWAY_SECONDS, REFRESH, TokenCodec, TokenInvalid

BAD_CREDENTIALS = "用户名或密码错误"
BAD_CLIENT = "客户端编号或密钥错误"
# The platform's own services, which get internal tokens with ``client_id=service:<name>``.
PLATFORM_SERVICES = ("registry", "tasks", "metrics")
SERVICE_PREFIX = "service:"
SERVICE_TOKEN_SECONDS = 300


@dataclass
class TokenPair:
    access_token: str
    expires_in: int
    refresh_token: str | None
    scope: str | None = None


class LoginFailed(Unauthorized):
    """A refused sign-in. The client sees only ``detail``; ``reason`` (the real cause, e.g. a
    disabled account with the right password) goes to the audit log only."""

    def __init__(self, detail: str = BAD_CREDENTIALS, *, reason: str | None = None) -> None:
        super().__init__(detail, error="InvalidCredentials")
        self.reason = reason


def hash_client_secret(secret: str) -> str:
    # Client secrets are 256-bit random strings: a plain SHA-256 is enough and keeps grants fast.
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_name(name: str) -> str:
    return name.strip().lower()[:100]


# ----- throttle -------------------------------------------------------------------------


def check_lock(session: Session, *, name: str, ip: str | None, settings: Settings) -> None:
    """Refuse a sign-in for a locked name, or from an address that keeps failing (password spraying)."""
    if ip:
        since = utcnow() - timedelta(minutes=settings.login_failure_window_minutes)
        from_ip = session.scalar(
            select(func.count()).select_from(LoginFailure).where(LoginFailure.ip == ip, LoginFailure.at > since)
        )
        if (from_ip or 0) >= settings.login_ip_max_failures:
            raise TooManyRequests(
                f"该地址登录失败次数过多，请 {settings.login_failure_window_minutes} 分钟后再试",
                error="TooManyAttempts",
                headers={"Retry-After": str(settings.login_failure_window_minutes * 60)},
            )
    lock = session.get(AccountLock, name)
    if lock is not None and lock.locked_until > utcnow():
        minutes = max(1, int((lock.locked_until - utcnow()).total_seconds() // 60) + 1)
        raise TooManyRequests(
            f"登录失败次数过多，账号已临时锁定，请 {minutes} 分钟后再试",
            error="AccountLocked",
            headers={"Retry-After": str(minutes * 60)},
        )


def record_failure(session: Session, *, name: str, ip: str | None, settings: Settings) -> bool:
    """Count a failed sign-in; lock the name when the limit is reached. True when it locked."""
    now = utcnow()
    session.add(LoginFailure(name=name, at=now, ip=ip))
    session.flush()
    since = now - timedelta(minutes=settings.login_failure_window_minutes)
    lock = session.get(AccountLock, name)
    if lock is not None and lock.locked_until > since:
        since = lock.locked_until  # failures before the last lock ended were already punished
    count = session.scalar(
        select(func.count()).select_from(LoginFailure).where(LoginFailure.name == name, LoginFailure.at > since)
    )
    if (count or 0) < settings.login_max_failures:
        return False
    until = now + timedelta(minutes=settings.login_lock_minutes)
    if lock is None:
        session.add(AccountLock(name=name, locked_at=now, locked_until=until))
    else:
        lock.locked_at, lock.locked_until = now, until
    return True


def clear_failures(session: Session, *, name: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.name == name))
    session.execute(delete(AccountLock).where(AccountLock.name == name))


# ----- sessions -------------------------------------------------------------------------


def _new_session(session: Session, *, subject: str, kind: str, ip: str | None, settings: Settings) -> AuthSession:
    now = utcnow()
    auth = AuthSession(
        id=uuid.uuid4().hex,
        subject=subject,
        kind=kind,
        ip=ip,
        created_at=now,
        last_refreshed_at=now,
        expires_at=now + timedelta(hours=settings.session_max_hours),
    )
    session.add(auth)
    return auth


def _user_claims(user: User, sid: str) -> dict:
    return {
        "kind": "user",
        "sid": sid,
        "roles": sorted(user.roles),
        "org": user.org_unit,
        "streets": list(user.street_codes),
        "pwc": user.must_change_password,
    }


def _issue_user_tokens(user: User, auth: AuthSession, *, codec: TokenCodec, settings: Settings) -> TokenPair:
    ttl = settings.access_token_minutes * 60
    access = codec.issue(sub=user.username, typ=ACCESS, ttl_seconds=ttl, claims=_user_claims(user, auth.id))
    remaining = int((auth.expires_at - utcnow()).total_seconds())
    refresh = codec.issue(sub=user.username, typ=REFRESH, ttl_seconds=max(60, remaining), claims={"sid": auth.id})
    auth.refresh_jti = refresh.jti
    return TokenPair(access_token=access.token, expires_in=access.expires_in, refresh_token=refresh.token)


@dataclass(frozen=True)
class CheckedPassword:
    """A password verified outside any write transaction (``check_password``)."""

    username: str
    password_hash: str
    new_hash: str | None


def check_password(
    session: Session, *, username: str, password: str, ip: str | None, settings: Settings
) -> CheckedPassword:
    """The slow half of a sign-in (Argon2id, about a second on a busy machine), after a read-only
    look-up and holding no database connection: it must never hold SQLite's write lock (every
    sign-in and audit row would queue behind the hashing of all the others) nor a pooled
    connection (concurrent sign-ins would run the pool dry and fail) (issue 14, item 11)."""
    name = normalize_name(username)
    check_lock(session, name=name, ip=ip, settings=settings)
    user = session.scalar(select(User).where(User.username == name)) if name else None
    found = (user.username, user.password_hash, user.is_active) if user is not None else None
    # Give the connection back before hashing: a sign-in must not hold one of the pool's
    # connections (PostgreSQL: 20, 5 s wait) for a second while others queue for it.
    session.close()
    if found is None:
        burn_verify_time(password)
        raise LoginFailed()
    found_name, password_hash, is_active = found
    if not verify_password(password_hash, password):
        raise LoginFailed()
    if not is_active:
        # Answered exactly as a wrong password (a distinct answer would confirm the password).
        raise LoginFailed(reason="账号已停用（密码正确）")
    new_hash = hash_password(password) if needs_rehash(password_hash) else None
    return CheckedPassword(username=found_name, password_hash=password_hash, new_hash=new_hash)


def password_grant(
    session: Session,
    *,
    checked: CheckedPassword,
    ip: str | None,
    codec: TokenCodec,
    settings: Settings,
) -> tuple[User, TokenPair]:
    """The quick half of a sign-in, in the write transaction: the account is re-read, and must
    still be the one whose password was checked (no change, lock or disable in between)."""
    name = checked.username
    check_lock(session, name=name, ip=ip, settings=settings)
    user = session.scalar(select(User).where(User.username == name))
    if user is None or user.password_hash != checked.password_hash:
        raise LoginFailed()
    if not user.is_active:
        raise LoginFailed(reason="账号已停用（密码正确）")  # disabled since the check above
    if checked.new_hash is not None:
        user.password_hash = checked.new_hash
    clear_failures(session, name=name)
    user.last_login_at = utcnow()
    auth = _new_session(session, subject=user.username, kind="user", ip=ip, settings=settings)
    session.flush()
    return user, _issue_user_tokens(user, auth, codec=codec, settings=settings)


def refresh_grant(
    session: Session, *, refresh_token: str, codec: TokenCodec, settings: Settings
) -> tuple[User, TokenPair]:
    try:
        claims = codec.verify(refresh_token, typ=REFRESH)
    except TokenInvalid as exc:
        raise Unauthorized(f"{exc}，请重新登录", error="InvalidRefreshToken") from exc
    auth = session.get(AuthSession, str(claims.get("sid", "")), with_for_update=True)
    now = utcnow()
    if auth is None or auth.revoked_at is not None or auth.expires_at <= now:
        raise Unauthorized("登录已失效，请重新登录", error="SessionEnded")
    if auth.refresh_jti != claims["jti"]:
        # A refresh token used twice: someone else may hold a copy. End the session.
        revoke_session(session, auth=auth, settings=settings)
        raise Unauthorized("登录凭证已被使用过，为安全起见已退出登录，请重新登录", error="RefreshTokenReused")
    user = session.scalar(select(User).where(User.username == auth.subject))
    # A 大屏 kiosk account is never idle in the sense of the rule (the wall display refreshes by
    # itself, nobody touches it): its session does not idle out; revocation, account disable and
    # the session's maximum age still end it.
    kiosk = user is not None and SCREEN_ROLE in (user.roles or ())
    if not kiosk and auth.last_refreshed_at + timedelta(minutes=settings.session_idle_minutes) <= now:
        revoke_session(session, auth=auth, settings=settings)
        raise Unauthorized("长时间未操作，登录已超时，请重新登录", error="SessionIdle")
    if user is None or not user.is_active:
        revoke_session(session, auth=auth, settings=settings)
        raise Unauthorized("账号已停用，请联系系统管理员", error="AccountDisabled")
    auth.last_refreshed_at = now
    return user, _issue_user_tokens(user, auth, codec=codec, settings=settings)


def client_grant(
    session: Session,
    *,
    client_id: str,
    client_secret: str,
    requested_scope: str | None,
    ip: str | None,
    codec: TokenCodec,
    settings: Settings,
) -> tuple[ServiceClient, TokenPair]:
    name = "client:" + normalize_name(client_id)
    check_lock(session, name=name, ip=ip, settings=settings)
    client = session.scalar(select(ServiceClient).where(ServiceClient.client_id == client_id.strip()))
    expected = client.secret_hash if client is not None else hash_client_secret(secrets.token_hex(16))
    if not hmac.compare_digest(expected, hash_client_secret(client_secret)) or client is None:
        raise LoginFailed(BAD_CLIENT)
    if not client.is_active:
        raise Forbidden("该客户端已被吊销，请联系系统管理员", error="ClientRevoked")
    scopes = set(client.scopes)
    if requested_scope:
        wanted = set(requested_scope.split())
        if not wanted <= scopes:
            raise Forbidden(f"客户端无权申请权限范围：{' '.join(sorted(wanted - scopes))}", error="InvalidScope")
        scopes = wanted
    clear_failures(session, name=name)
    client.last_used_at = utcnow()
    auth = _new_session(session, subject=f"client:{client.client_id}", kind="client", ip=ip, settings=settings)
    ttl = settings.access_token_minutes * 60
    auth.expires_at = utcnow() + timedelta(seconds=ttl)
    scope = " ".join(sorted(scopes))
    access = codec.issue(
        sub=f"client:{client.client_id}",
        typ=ACCESS,
        ttl_seconds=ttl,
        claims={"kind": "client", "sid": auth.id, "scope": scope, "name": client.name},
    )
    session.flush()
    return client, TokenPair(access_token=access.token, expires_in=access.expires_in, refresh_token=None, scope=scope)


def service_grant(*, client_id: str, client_secret: str, codec: TokenCodec, settings: Settings) -> TokenPair:
    """An internal token (``typ=internal``, 5 minutes) for one of the platform's services, whose
    credential is ``derive_service_secret(service_key, name)``: the gateway stores nothing per
    service, and a service holding its own secret can only ever be itself."""
    service = client_id.strip().removeprefix(SERVICE_PREFIX)
    known = service in PLATFORM_SERVICES
    expected = derive_service_secret(settings.service_master_key(), service if known else "-")
    if not hmac.compare_digest(expected.encode(), client_secret.encode()) or not known:
        raise LoginFailed(BAD_CLIENT)
    issued = codec.issue(sub=f"{SERVICE_PREFIX}{service}", typ=INTERNAL, ttl_seconds=SERVICE_TOKEN_SECONDS)
    return TokenPair(access_token=issued.token, expires_in=issued.expires_in, refresh_token=None)


def revoke_session(session: Session, *, auth: AuthSession, settings: Settings) -> None:
    if auth.revoked_at is None:
        auth.revoked_at = utcnow()
    until = int(utcnow().timestamp()) + settings.access_token_minutes * 60 + LEEWAY_SECONDS
    session.add(Revocation(sid=auth.id, until=until))
    session.flush()


def revoke_subject(session: Session, *, subject: str, settings: Settings, keep: str | None = None) -> int:
    """End every live session of a person or client (disable, password reset, role change)."""
    live = session.scalars(
        select(AuthSession).where(
            AuthSession.subject == subject,
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > utcnow(),
            AuthSession.id != (keep or ""),
        )
    ).all()
    for auth in live:
        revoke_session(session, auth=auth, settings=settings)
    return len(live)


def session_is_live(session: Session, sid: str) -> bool:
    auth = session.get(AuthSession, sid)
    return auth is not None and auth.revoked_at is None and auth.expires_at > utcnow()


def revocations_after(session: Session, *, after: int, limit: int = 5000) -> tuple[list[Revocation], int]:
    rows = list(session.scalars(select(Revocation).where(Revocation.seq > after).order_by(Revocation.seq).limit(limit)))
    if len(rows) == limit:
        last = rows[-1].seq
    else:
        last = session.scalar(select(func.max(Revocation.seq))) or 0
    now = int(utcnow().timestamp())
    return [r for r in rows if r.until >= now], last


def mark_logout(session: Session, *, sid: str, settings: Settings) -> None:
    auth = session.get(AuthSession, sid)
    if auth is not None:
        revoke_session(session, auth=auth, settings=settings)
