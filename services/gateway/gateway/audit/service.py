"""Append to and read the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Select, func, select
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


def aware(value: datetime | None) -> datetime | None:
    """Times typed without a zone are Beijing time, as the people reading the log mean them."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=CHINA)
    return value


@dataclass(frozen=True)
class AuditFilters:
    """What the auditor asks for: the same for the list and for its export."""

    actor: str | None = None
    action: str | None = None
    result: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _query(filters: AuditFilters) -> Select:
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
    if filters.actor and filters.actor.strip():
        stmt = stmt.where(AuditEvent.actor == filters.actor.strip().lower())
    action = (filters.action or "").strip()
    if action.endswith("."):
        # A family ("user.": every account action); otherwise one action exactly ("login", not "login_failed").
        stmt = stmt.where(AuditEvent.action.startswith(action, autoescape=True))
    elif action:
        stmt = stmt.where(AuditEvent.action == action)
    if filters.result:
        stmt = stmt.where(AuditEvent.result == filters.result)
    if filters.since:
        stmt = stmt.where(AuditEvent.at >= aware(filters.since))
    if filters.until:
        stmt = stmt.where(AuditEvent.at < aware(filters.until))
    return stmt


def search(session: Session, *, params: PageParams, filters: AuditFilters) -> tuple[list[AuditEvent], int]:
    return paginate(session, _query(filters), params)


def count(session: Session, *, filters: AuditFilters) -> int:
    return session.scalar(select(func.count()).select_from(_query(filters).order_by(None).subquery())) or 0


def rows(session: Session, *, filters: AuditFilters) -> Iterator[Any]:
    """Every matching event, newest first, read in chunks (an export may hold many): rows of the
    table's columns (attributes named as the model's), not entities, which cost several times more."""
    stmt = _query(filters).with_only_columns(*AuditEvent.__table__.columns)
    yield from session.execute(stmt.execution_options(yield_per=2000))


def in_china(at: datetime) -> datetime:
    """The moment as a clock in Beijing shows it (naive, for a spreadsheet)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(CHINA).replace(tzinfo=None)
