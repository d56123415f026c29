"""Gateway commands.

python -m gateway migrate                 apply migrations to the gateway database
python -m gateway bootstrap               create the first `admin` account if none exists
python -m gateway reset-admin-password    set a new password for `admin` (printed once)
python -m gateway signing-key             print a new ES256 private key (PEM) for LOUYU_JWT_PRIVATE_KEY_FILE
python -m gateway service-secret NAME     print LOUYU_SERVICE_SECRET of registry, tasks or metrics
python -m gateway create-auditor NAME [DISPLAY_NAME]
                                          create a 安全审计员 account (password printed once)
python -m gateway reset-auditor-password NAME
                                          set a new password for an auditor (printed once)

Auditor accounts are made and reset only here, on the server (三员分立: the admin's account
pages refuse them); each of these acts is written to the audit log as done by ``cli:<os user>``.
"""

from __future__ import annotations

import getpass
import re
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.accounts.models import User
from gateway.accounts.passwords import generate_password, hash_password, policy_problem
from gateway.audit.models import AuditEvent
from gateway.auth.service import PLATFORM_SERVICES, clear_failures, revoke_subject
from gateway.config import Settings, get_settings
from gateway.db import utcnow
from louyu_kit.db import Database
from louyu_kit.migrations import upgrade
from louyu_kit.settings import derive_service_secret
from louyu_kit.tokens import generate_private_key_pem

SERVICE_DIR = Path(__file__).resolve().parent.parent


def _admin_password(settings: Settings) -> tuple[str, bool]:
    """The configured password (checked against the policy) or a generated one."""
    password = settings.admin_password.get_secret_value() if settings.admin_password else ""
    if password:
        problem = policy_problem(password, min_length=settings.password_min_length, username="admin")
        if problem:
            raise SystemExit(f"LOUYU_ADMIN_PASSWORD 不符合密码策略：{problem}")
        return password, False
    return generate_password(), True


def bootstrap(settings: Settings) -> None:
    db = Database.from_url(settings.database_url)
    try:
        with db.write_sessions() as session:
            admins = [u for u in session.scalars(select(User)) if "admin" in u.roles]
            if admins:
                print("管理员账号已存在：admin（忘记密码可运行 make reset-admin）")
                return
            password, generated = _admin_password(settings)
            session.add(
                User(
                    username="admin",
                    display_name="系统管理员",
                    password_hash=hash_password(password),
                    roles=["admin"],
                    street_codes=[],
                    is_active=True,
                    # In production a generated password must be replaced at first sign-in.
                    must_change_password=generated and settings.env == "production",
                )
            )
            session.commit()
        _announce(password, generated)
    finally:
        db.dispose()


def reset_admin(settings: Settings) -> None:
    db = Database.from_url(settings.database_url)
    try:
        with db.write_sessions() as session:
            user = session.scalar(select(User).where(User.username == "admin"))
            if user is None:
                raise SystemExit("没有 admin 账号：请先运行 python -m gateway bootstrap")
            password, generated = _admin_password(settings)
            user.password_hash = hash_password(password)
            user.password_changed_at = utcnow()
            user.is_active = True
            revoke_subject(session, subject="admin", settings=settings)
            clear_failures(session, name="admin")
            session.commit()
        _announce(password, generated)
    finally:
        db.dispose()


_USERNAME = re.compile(r"^[a-z0-9_.-]{3,50}$")


def _cli_actor() -> str:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container's arbitrary uid)
        who = "unknown"
    return f"cli:{who}"[:100]


def _cli_audit(session: Session, *, action: str, obj: str, status: int, detail: str) -> None:
    session.add(
        AuditEvent(
            actor=_cli_actor(),
            actor_kind="cli",
            ip=None,
            method="CLI",
            path=f"python -m gateway {action}",
            status=status,
            action=action,
            object=obj,
            result="success" if status < 400 else "failure",
            request_id=None,
            detail=detail,
        )
    )


def create_auditor(settings: Settings, username: str, display_name: str | None = None) -> str:
    """Create an auditor account; returns the generated password (printed once)."""
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise SystemExit("登录名应为 3–50 位字母、数字或 _ . -")
    db = Database.from_url(settings.database_url)
    try:
        with db.write_sessions() as session:
            if session.scalar(select(User.id).where(User.username == name)) is not None:
                _cli_audit(session, action="auditor.create", obj=name, status=409, detail="登录名已被使用")
                session.commit()
                raise SystemExit(f"用户名 {name} 已被使用")
            password = generate_password()
            session.add(
                User(
                    username=name,
                    display_name=(display_name or "安全审计员").strip()[:50],
                    password_hash=hash_password(password),
                    roles=["auditor"],
                    street_codes=[],
                    is_active=True,
                    must_change_password=True,
                )
            )
            _cli_audit(session, action="auditor.create", obj=name, status=201, detail="服务器命令行新建安全审计员")
            session.commit()
        print(f"已创建安全审计员账号：{name}")
        print(f"初始密码（只显示这一次，首次登录须修改）：{password}")
        return password
    finally:
        db.dispose()


def reset_auditor(settings: Settings, username: str) -> str:
    """Set a new (generated) password for an auditor, end its sessions, lift a lock."""
    name = username.strip().lower()
    db = Database.from_url(settings.database_url)
    try:
        with db.write_sessions() as session:
            user = session.scalar(select(User).where(User.username == name))
            if user is None or "auditor" not in user.roles:
                _cli_audit(session, action="auditor.reset_password", obj=name, status=404, detail="不是安全审计员账号")
                session.commit()
                raise SystemExit(f"{name} 不是安全审计员账号")
            password = generate_password()
            user.password_hash = hash_password(password)
            user.password_changed_at = utcnow()
            user.must_change_password = True
            user.is_active = True
            revoke_subject(session, subject=user.username, settings=settings)
            clear_failures(session, name=user.username)
            _cli_audit(
                session, action="auditor.reset_password", obj=name, status=204, detail="服务器命令行重置安全审计员密码"
            )
            session.commit()
        print(f"安全审计员 {name} 的新密码（只显示这一次，登录后须修改）：{password}")
        return password
    finally:
        db.dispose()


# One account per role for trying the product on the demo data (never in production). The chief
# and street accounts match the demo registry: demo_chief03 is 楼长 of 中交大厦 in 积玉桥街道.
DEMO_ACCOUNTS = (
    ("demo_leader", "演示·区领导", ["leader"], [], "区人民政府"),
    ("demo_bureau", "演示·区商务局", ["bureau"], [], "区商务局"),
    ("demo_dept", "演示·区发改局", ["department"], [], "fgj"),  # unit code of 区发改局 in the tasks directory
    ("demo_street", "演示·积玉桥街道", ["street"], ["420106001"], "积玉桥街道"),
    ("demo_chief03", "演示楼长03", ["chief"], ["420106001"], "积玉桥街道"),
    ("demo_auditor", "演示·安全审计员", ["auditor"], [], "区商务局"),
    ("demo_screen", "演示·大屏", ["screen"], [], "区商务局"),
)


def create_demo_accounts(settings: Settings) -> str | None:
    """Create the demo accounts with one generated password (printed once, stored hashed);
    None when they exist already or in production."""
    if settings.env == "production":
        return None
    db = Database.from_url(settings.database_url)
    try:
        with db.write_sessions() as session:
            names = {name for name, *_ in DEMO_ACCOUNTS}
            if session.scalar(select(User.id).where(User.username.in_(names))) is not None:
                return None
            password = generate_password()
            password_hash = hash_password(password)
            for username, display_name, roles, streets, unit in DEMO_ACCOUNTS:
                session.add(
                    User(
                        username=username,
                        display_name=display_name,
                        password_hash=password_hash,
                        roles=roles,
                        street_codes=streets,
                        org_unit=unit,
                        is_active=True,
                        must_change_password=False,
                    )
                )
            session.commit()
        print("已创建演示账号（仅用于演示数据）：" + "、".join(f"{n}（{d}）" for n, d, *_ in DEMO_ACCOUNTS))
        print(f"演示账号密码（只显示这一次）：{password}")
        return password
    finally:
        db.dispose()


def _announce(password: str, generated: bool) -> None:
    if generated:
        print("已创建管理员账号：admin")
        print(f"初始密码（只显示这一次，请妥善保存）：{password}")
    else:
        print("管理员账号 admin 的密码已按 LOUYU_ADMIN_PASSWORD 设置")


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "signing-key":
        # A new ES256 private key (PEM) for LOUYU_JWT_PRIVATE_KEY_FILE: needs no settings.
        print(generate_private_key_pem(), end="")
        return 0
    settings = get_settings()
    if command == "service-secret":
        if len(argv) != 2 or argv[1] not in PLATFORM_SERVICES:
            print(f"用法：python -m gateway service-secret {{{'|'.join(PLATFORM_SERVICES)}}}", file=sys.stderr)
            return 2
        # The service's LOUYU_SERVICE_SECRET, derived from this gateway's LOUYU_SERVICE_KEY.
        print(derive_service_secret(settings.service_master_key(), argv[1]))
        return 0
    if command == "migrate":
        upgrade(SERVICE_DIR, settings.database_url)
    elif command == "bootstrap":
        bootstrap(settings)
    elif command == "reset-admin-password":
        reset_admin(settings)
    elif command == "create-auditor" and len(argv) in (2, 3):
        create_auditor(settings, argv[1], argv[2] if len(argv) == 3 else None)
    elif command == "reset-auditor-password" and len(argv) == 2:
        reset_auditor(settings, argv[1])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
