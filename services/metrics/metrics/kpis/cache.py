"""Per-process cache of computed answers, keyed by the data they were computed from.

Every key includes ``data_version``: when the rollups were last refreshed or rebuilt and how far
the read model has applied registry's feed. Any new figure, stay or registry change moves it,
so a cached answer is never older than the data (checked with three tiny queries per request).
A goal copied, edited or given a value by the bureau moves it too (the cockpit shows goals).
Parts computed elsewhere (warnings) are bounded by ``ttl`` seconds."""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from pydantic import TypeAdapter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from metrics.goals.models import Goal
from metrics.readmodel.models import SyncState
from metrics.rollups import service as rollups
from metrics.rollups.models import RollupState


def data_version(session: Session) -> tuple[Any, ...]:
    """When the rollups were last refreshed or rebuilt, how far the read model has applied each
    feed, and the goals' count and last change: one statement (it runs on every cached answer)."""
    one_state = select(RollupState).where(RollupState.id == 1).subquery()
    row = session.execute(
        select(
            select(one_state.c.refreshed_at).scalar_subquery(),
            select(one_state.c.rebuilt_at).scalar_subquery(),
            select(func.count(Goal.id)).scalar_subquery(),
            select(func.max(Goal.updated_at)).scalar_subquery(),
        )
    ).one()
    cursors = tuple(sorted(tuple(r) for r in session.execute(select(SyncState.source, SyncState.cursor)).all()))
    return (row[0], row[1], cursors, (row[2], row[3]))


# Beyond this lag behind a feed, a cached answer's "how current" part is recomputed every LAG_BUCKET seconds.
LAG_BUCKET_SECONDS = 10


def sync_version(session: Session) -> tuple[Any, ...]:
    """What the answer's sync part (``dashboard.service.sync_info``) is computed from, without
    computing it: every feed's row and the rollups' pending work, in two statements (the rollups'
    last refresh is in ``data_version``). While a feed
    lags or fails, its lag in seconds grows by itself, so the key moves every LAG_BUCKET seconds."""
    feeds = tuple(
        tuple(r)
        for r in session.execute(
            select(
                SyncState.source,
                SyncState.cursor,
                SyncState.head,
                SyncState.last_event_at,
                SyncState.last_ok_at,
                SyncState.current_at,
                SyncState.last_error,
                SyncState.last_error_at,
            ).order_by(SyncState.source)
        ).all()
    )
    pending = rollups.pending(session)
    lagging = any(
        (head or 0) > cursor or (error_at is not None and (ok_at is None or error_at >= ok_at))
        for _, cursor, head, _, ok_at, _, _, error_at in feeds
    )
    bucket = int(time.time() // LAG_BUCKET_SECONDS) if lagging else None
    return (feeds, pending, bucket)


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


# ----- answers kept serialised (issue #24) -----------------------------------------------------
#
# The cockpit's hot answers (dashboard, KPIs) are kept as the bytes sent, with their ETag and a
# gzipped copy: a hit costs the key's queries and a dictionary look-up, not a validation and a
# serialisation of a large document, and a client that already has it gets a 304.


@dataclass(frozen=True)
class Serialised:
    body: bytes
    etag: str
    gzipped: bytes | None


_adapters: dict[Any, TypeAdapter[Any]] = {}


def _adapter(request: Request) -> TypeAdapter[Any]:
    """The route's own response model (the document's schema stays the one validated)."""
    route = request.scope.get("route")
    model = getattr(route, "response_model", None) or Any
    adapter = _adapters.get(model)
    if adapter is None:
        adapter = _adapters[model] = TypeAdapter(model)
    return adapter


def serialise(request: Request, value: Any, *, gzip_min: int) -> Serialised:
    adapter = _adapter(request)
    body = adapter.dump_json(adapter.validate_python(value), by_alias=True)
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    gzipped = gzip.compress(body, compresslevel=6, mtime=0) if gzip_min and len(body) >= gzip_min else None
    return Serialised(body=body, etag=etag, gzipped=gzipped)


def scope_key(access: Any) -> tuple[Any, ...]:
    """Who an answer is for: everyone reading the whole district shares one."""
    if access.reads_all:
        return ("all",)
    return (access.username, tuple(sorted(access.roles)), tuple(access.streets or ()))


def fingerprint(value: Any) -> str:
    """A short, stable digest of a small JSON-able value (to put into a key)."""
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in tags or etag in tags


def respond(request: Request, key: tuple[Any, ...], compute: Callable[[], Any]) -> Response:
    """The answer for ``key`` as stored bytes with its ETag (``If-None-Match`` → 304, gzip when
    accepted and above ``LOUYU_GZIP_MIN_BYTES``); ``compute`` runs only on a miss."""
    settings = getattr(request.app.state, "settings", None)
    gzip_min = getattr(settings, "gzip_min_bytes", 1024)
    store = of(request.app.state, "serialised_cache", size=256)
    answer: Serialised = store.get(key, lambda: serialise(request, compute(), gzip_min=gzip_min))
    headers = {"ETag": answer.etag, "Vary": "Accept-Encoding"}
    if _matches(request.headers.get("if-none-match"), answer.etag):
        return Response(status_code=304, headers=headers)
    if answer.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
        return Response(answer.gzipped, media_type="application/json", headers={**headers, "Content-Encoding": "gzip"})
    return Response(answer.body, media_type="application/json", headers=headers)
