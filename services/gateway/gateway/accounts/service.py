"""Account administration: people and bureau systems."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.accounts.models import ServiceClient, User
from gateway.accounts.passwords import hash_password, policy_problem
from gateway.accounts.schemas import ClientCreate, ClientUpdate, UserCreate, UserUpdate
from gateway.auth.models import AccountLock
from gateway.auth.service import clear_failures, hash_client_secret, revoke_subject
from gateway.config import Settings
from gateway.db import utcnow
from louyu_kit.errors import Conflict, Forbidden, Invalid, NotFound
from louyu_kit.paging import PageParams, paginate


def check_password(password: str, *, username: str, settings: Settings, field: str = "password") -> None:
    problem = policy_problem(password, min_length=settings.password_min_length, username=username)
    if problem:
        raise Invalid(problem, fields=[{"field": field, "message": problem}])


def get_user(session: Session, *, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.lower()))
    if user is None:
        raise NotFound(f"用户 {username} 不存在", error="UserNotFound")
    return user


def list_users(
    session: Session, *, params: PageParams, q: str | None, role: str | None, org_unit: str | None = None
) -> tuple[list[User], int]:
    stmt = select(User).order_by(User.username)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(User.username.ilike(like) | User.display_name.like(like))
    if org_unit and org_unit.strip():
        stmt = stmt.where(User.org_unit == org_unit.strip())
    if not role:
        return paginate(session, stmt, params)
    # roles is a JSON list; filtering in Python keeps SQLite and PostgreSQL identical
    # (a district has hundreds of accounts, not millions).
    matching = [u for u in session.scalars(stmt) if role in u.roles]
    return matching[params.offset : params.offset + params.page_size], len(matching)


def locks_for(session: Session, names: list[str]) -> dict[str, object]:
    if not names:
        return {}
    rows = session.scalars(
        select(AccountLock).where(AccountLock.name.in_(names), AccountLock.locked_until > utcnow())
    ).all()
    return {r.name: r.locked_until for r in rows}


AUDITOR_BY_CLI = "安全审计员账号只能由服务器命令行创建和重置（make create-auditor），系统管理员不能管理（三员分立）"


def refuse_auditor_target(user: User) -> None:
    """三员分立: the admin never creates, changes, resets, unlocks or disables an auditor."""
    if "auditor" in user.roles:
        raise Forbidden(AUDITOR_BY_CLI, error="AuditorNotManagedByAdmin")


def refuse_auditor_grant(roles: list[str] | None) -> None:
    if roles and "auditor" in roles:
        raise Forbidden(
            AUDITOR_BY_CLI,
            error="AuditorNotManagedByAdmin",
            fields=[{"field": "roles", "message": "不能授予安全审计员角色"}],
        )


def create_user(session: Session, *, data: UserCreate, settings: Settings) -> User:
    refuse_auditor_grant(data.roles)
    username = data.username.lower()
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"用户名 {username} 已被使用", error="UsernameTaken")
    check_password(data.password, username=username, settings=settings)
    user = User(
        username=username,
        display_name=data.display_name.strip(),
        password_hash=hash_password(data.password),
        roles=data.roles,
        org_unit=data.org_unit,
        street_codes=data.street_codes,
        phone=data.phone,
        is_active=True,
        must_change_password=True,
    )
    session.add(user)
    session.flush()
    return user


def _active_admins(session: Session) -> list[User]:
    return [u for u in session.scalars(select(User).where(User.is_active.is_(True))) if "admin" in u.roles]


def update_user(session: Session, *, user: User, data: UserUpdate, actor: str, settings: Settings) -> User:
    refuse_auditor_target(user)
    changes = data.model_dump(exclude_unset=True)
    refuse_auditor_grant(changes.get("roles"))
    if changes.get("roles") is not None or changes.get("is_active") is False:
        losing_admin = "admin" in user.roles and (
            changes.get("is_active") is False or "admin" not in (changes.get("roles") or user.roles)
        )
        if losing_admin and [u.id for u in _active_admins(session)] == [user.id]:
            raise Conflict("不能停用或撤销最后一个系统管理员", error="LastAdmin")
        if losing_admin and user.username == actor:
            raise Conflict("不能停用自己或撤销自己的管理员角色", error="SelfDemotion")
    roles = changes.get("roles", user.roles) or user.roles
    streets = changes.get("street_codes", user.street_codes)
    if "street" in roles and not streets:
        raise Invalid("街道角色须指定所负责的街道代码", fields=[{"field": "street_codes", "message": "必须填写"}])
    access_changed = (
        any(key in changes and changes[key] != getattr(user, key) for key in ("roles", "street_codes", "org_unit"))
        or changes.get("is_active") is False
    )
    for key, value in changes.items():
        if key in ("roles", "display_name") and value is None:
            continue
        setattr(user, key, value)
    if access_changed:
        # New rights take effect now: end the sessions that carry the old ones.
        revoke_subject(session, subject=user.username, settings=settings)
    session.flush()
    return user


def reset_password(session: Session, *, user: User, new_password: str, settings: Settings) -> None:
    refuse_auditor_target(user)
    check_password(new_password, username=user.username, settings=settings, field="new_password")
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.must_change_password = True
    revoke_subject(session, subject=user.username, settings=settings)
    clear_failures(session, name=user.username)


def unlock(session: Session, *, user: User) -> None:
    refuse_auditor_target(user)
    clear_failures(session, name=user.username)


def count_admins(session: Session) -> int:
    return len(_active_admins(session))


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


# ----- machine clients ------------------------------------------------------------------


def get_client(session: Session, *, client_id: str) -> ServiceClient:
    client = session.scalar(select(ServiceClient).where(ServiceClient.client_id == client_id))
    if client is None:
        raise NotFound(f"客户端 {client_id} 不存在", error="ClientNotFound")
    return client


def list_clients(session: Session) -> list[ServiceClient]:
    return list(session.scalars(select(ServiceClient).order_by(ServiceClient.created_at)))


def create_client(session: Session, *, data: ClientCreate) -> tuple[ServiceClient, str]:
    secret = secrets.token_urlsafe(32)
    client = ServiceClient(
        client_id="lyc_" + secrets.token_hex(8),
        name=data.name.strip(),
        secret_hash=hash_client_secret(secret),
        scopes=data.scopes,
        is_active=True,
    )
    session.add(client)
    session.flush()
    return client, secret


def update_client(session: Session, *, client: ServiceClient, data: ClientUpdate, settings: Settings) -> ServiceClient:
    changes = {k: v for k, v in data.model_dump(exclude_unset=True).items() if v is not None}
    narrowed = "scopes" in changes and set(changes["scopes"]) != set(client.scopes)
    for key, value in changes.items():
        setattr(client, key, value)
    if narrowed or changes.get("is_active") is False:
        revoke_subject(session, subject=f"client:{client.client_id}", settings=settings)
    session.flush()
    return client


def rotate_secret(session: Session, *, client: ServiceClient, settings: Settings) -> str:
    secret = secrets.token_urlsafe(32)
    client.secret_hash = hash_client_secret(secret)
    client.secret_rotated_at = utcnow()
    revoke_subject(session, subject=f"client:{client.client_id}", settings=settings)
    session.flush()
    return secret


def revoke_client(session: Session, *, client: ServiceClient, settings: Settings) -> None:
    client.is_active = False
    revoke_subject(session, subject=f"client:{client.client_id}", settings=settings)
    session.flush()
