"""Append to and read the audit trail."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.audit.models import AuditEvent
from louyu_kit.db import Database
from louyu_kit.paging import PageParams, paginate


def record(db: Database, entry: dict[str, Any]) -> None:
    """Write one audit row in its own transaction (it must survive the request's rollback)."""
    with db.write_sessions() as session:
        session.add(AuditEvent(**entry))
        session.commit()


CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")


def _aware(value: datetime | None) -> datetime | None:
    """Times typed without a zone are Beijing time, as the people reading the log mean them."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=CHINA)
    return value


def search(
    session: Session,
    *,
    params: PageParams,
    actor: str | None,
    action: str | None,
    result: str | None,
    since: datetime | None,
    until: datetime | None,
) -> tuple[list[AuditEvent], int]:
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
    if actor:
        stmt = stmt.where(AuditEvent.actor == actor.strip().lower())
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action.strip()))
    if result:
        stmt = stmt.where(AuditEvent.result == result)
    if since:
        stmt = stmt.where(AuditEvent.at >= _aware(since))
    if until:
        stmt = stmt.where(AuditEvent.at < _aware(until))
    return paginate(session, stmt, params)
