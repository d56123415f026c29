"""Active 楼长 accounts, by street and name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.accounts.models import User


def list_chiefs(session: Session, *, streets: set[str] | None, q: str | None) -> list[User]:
    """Active accounts holding the chief role in one of ``streets`` (None: any street), whose
    login name or name contains ``q``; by name."""
    needle = (q or "").strip().lower()
    found = []
    for user in session.scalars(
        select(User).where(User.is_active.is_(True)).order_by(User.display_name, User.username)
    ):
        if "chief" not in (user.roles or []):
            continue
        if streets is not None and not streets & set(user.street_codes or []):
            continue
        if needle and needle not in user.username.lower() and needle not in user.display_name.lower():
            continue
        found.append(user)
    return found
