"""The sync status, from ``sync_state`` only (never by asking registry)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from louyu_kit.db import utcnow
from metrics.sync import state
from metrics.sync.schemas import SyncStatus


def status(session: Session, *, source: str = state.REGISTRY, now: datetime | None = None) -> SyncStatus:
    """Where the consumer stands: cursor, the head it last saw, the lag, the last success and error."""
    now = now or utcnow()
    row = state.get(session, source)
    if row is None:
        return SyncStatus(
            source=source,
            cursor=0,
            head=None,
            lag_events=0,
            lag_seconds=None,
            registry_reachable=None,
            last_event_at=None,
            current_at=None,
            last_ok_at=None,
            last_error=None,
            last_error_at=None,
        )
    reachable: bool | None = None
    if row.last_ok_at is not None or row.last_error_at is not None:
        reachable = row.last_error_at is None or (row.last_ok_at is not None and row.last_ok_at > row.last_error_at)
    lag_events = max(0, (row.head or 0) - row.cursor)
    lag_seconds: float | None = None  # unknown until registry answered once
    if reachable and lag_events == 0 and row.current_at is not None:
        lag_seconds = 0.0
    elif row.current_at is not None:
        lag_seconds = max(0.0, (now - row.current_at).total_seconds())
    elif row.last_event_at is not None:
        # Never caught up yet: at least as old as the last event applied.
        lag_seconds = max(0.0, (now - row.last_event_at).total_seconds())
    return SyncStatus(
        source=source,
        cursor=row.cursor,
        head=row.head,
        lag_events=lag_events,
        lag_seconds=None if lag_seconds is None else round(lag_seconds, 1),
        registry_reachable=reachable,
        last_event_at=row.last_event_at,
        current_at=row.current_at,
        last_ok_at=row.last_ok_at,
        last_error=row.last_error,
        last_error_at=row.last_error_at,
    )
