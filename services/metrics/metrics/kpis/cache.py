"""Per-process cache of computed answers, keyed by the data they were computed from.

Every key includes ``data_version``: when the rollups were last refreshed or rebuilt and how far
the read model has applied registry's feed. Any new figure, stay or registry change moves it,
so a cached answer is never older than the data (checked with three tiny queries per request).
A goal copied, edited or given a value by the bureau moves it too (the cockpit shows goals).
Parts computed elsewhere (warnings) are bounded by ``ttl`` seconds."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from metrics.goals.models import Goal
from metrics.readmodel.models import SyncState
from metrics.rollups.models import RollupState


def data_version(session: Session) -> tuple[Any, ...]:
    state = session.get(RollupState, 1)
    cursors = tuple(tuple(row) for row in session.execute(select(SyncState.source, SyncState.cursor)).all())
    return (
        state.refreshed_at if state else None,
        state.rebuilt_at if state else None,
        tuple(sorted(cursors)),
        tuple(session.execute(select(func.count(Goal.id), func.max(Goal.updated_at))).one()),
    )


class AnswerCache:
    """A small LRU of answers with a time limit (thread-safe; one per app)."""

    def __init__(self, *, size: int = 32, ttl: float = 30.0) -> None:
        self.size = size
        self.ttl = ttl
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[Any, ...], tuple[float, Any]] = OrderedDict()

    def get(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and now - hit[0] < self.ttl:
                self._items.move_to_end(key)
                return hit[1]
        value = compute()
        with self._lock:
            self._items[key] = (now, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def of(state: Any, name: str = "answer_cache", **options: Any) -> AnswerCache:
    """The cache kept on ``app.state`` (created on first use)."""
    cache = getattr(state, name, None)
    if cache is None:
        cache = AnswerCache(**options)
        setattr(state, name, cache)
    return cache
