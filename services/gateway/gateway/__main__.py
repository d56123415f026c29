"""Gateway commands.

python -m gateway migrate                 apply migrations to the gateway database
python -m gateway bootstrap               create the first `admin` account if none exists
python -m gateway reset-admin-password    set a new password for `admin` (printed once)
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import select

from gateway.accounts.models import User
from gateway.accounts.passwords import generate_password, hash_password, policy_problem
from gateway.auth.service import clear_failures, revoke_subject
from gateway.config import Settings, get_settings
from gateway.db import utcnow
from louyu_kit.db import Database
from louyu_kit.migrations import upgrade

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


def _announce(password: str, generated: bool) -> None:
    if generated:
        print("已创建管理员账号：admin")
        print(f"初始密码（只显示这一次，请妥善保存）：{password}")
    else:
        print("管理员账号 admin 的密码已按 LOUYU_ADMIN_PASSWORD 设置")


def main(argv: list[str]) -> int:
    settings = get_settings()
    command = argv[0] if argv else ""
    if command == "migrate":
        upgrade(SERVICE_DIR, settings.database_url)
    elif command == "bootstrap":
        bootstrap(settings)
    elif command == "reset-admin-password":
        reset_admin(settings)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
