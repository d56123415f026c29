"""The consumer's cursor and health in ``sync_state``, and one page applied with its cursor."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from louyu_kit.db import utcnow
from metrics.readmodel.apply import Applied, apply_events
from metrics.readmodel.models import RmBuilding, RmEnterprise, RmOccupancy, RmSpace, RmTheme, SyncState

REGISTRY = "registry"
ERROR_LENGTH = 500


def ensure(session: Session, source: str = REGISTRY) -> None:
    """Create the source's row (cursor 0) unless it exists; safe when replicas race."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(SyncState)
        .values(source=source, cursor=0, lag=0, updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["source"])
    )


def get(session: Session, source: str = REGISTRY) -> SyncState | None:
    return session.get(SyncState, source)


def cursor(session: Session, source: str = REGISTRY) -> int:
    return session.scalar(select(SyncState.cursor).where(SyncState.source == source)) or 0


def _parse_time(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def apply_page(
    session: Session,
    *,
    after: int,
    items: Sequence[Mapping[str, Any]],
    next_after: int,
    last_seq: int,
    source: str = REGISTRY,
) -> Applied | None:
    """Apply one page read after ``after`` and move the cursor to ``next_after``, in the
    caller's transaction. The cursor moves only if it still stands at ``after`` (another
    replica may have applied the page meanwhile): then nothing is applied and None returned."""
    ensure(session, source)
    now = utcnow()
    values: dict[str, Any] = {
        "cursor": next_after,
        "head": last_seq,
        "lag": max(0, last_seq - next_after),
        "last_ok_at": now,
        "updated_at": now,
    }
    if items:
        values["last_event_at"] = _parse_time(items[-1].get("created_at"))
    if next_after >= last_seq:
        values["current_at"] = now
    # The row lock taken here (PostgreSQL) makes a second replica wait, then find the cursor moved.
    moved = session.execute(
        update(SyncState).where(SyncState.source == source, SyncState.cursor == after).values(**values)
    ).rowcount
    if moved != 1:
        return None
    return apply_events(session, items)


def record_poll(session: Session, *, at_cursor: int, last_seq: int, source: str = REGISTRY) -> None:
    """A poll that found nothing new: the producer answered, and we are at its head."""
    ensure(session, source)
    now = utcnow()
    values: dict[str, Any] = {"head": last_seq, "lag": max(0, last_seq - at_cursor), "last_ok_at": now}
    if at_cursor >= last_seq:
        values["current_at"] = now
    session.execute(update(SyncState).where(SyncState.source == source, SyncState.cursor == at_cursor).values(**values))


def record_error(session: Session, message: str, *, source: str = REGISTRY) -> None:
    ensure(session, source)
    session.execute(
        update(SyncState)
        .where(SyncState.source == source)
        .values(last_error=message[:ERROR_LENGTH], last_error_at=utcnow())
    )


def reset(session: Session, *, source: str = REGISTRY) -> None:
    """Forget the read model and read the feed again from the start (after registry's database
    was replaced by an older one: its sequence numbers no longer match ours)."""
    for model in (RmBuilding, RmSpace, RmEnterprise, RmOccupancy, RmTheme):
        session.execute(delete(model))
    session.execute(delete(SyncState).where(SyncState.source == source))
    ensure(session, source)
