"""The background consumer of registry's change feed: the only code in metrics that calls registry.

It reads pages of up to 1,000 events after its stored cursor and applies them (one page, or
while catching up a batch of pages up to ``BATCH_EVENTS``) in one transaction together with the
new cursor and the rollups' hook (``metrics.sync.state.apply_page``), so a crash of either side
loses nothing and applies nothing twice. While registry (or metrics' own database)
is unreachable it retries with a growing pause (up to ``MAX_BACKOFF`` seconds) and records the
error for ``GET /api/metrics/sync``; once registry answers again it reads every page it missed
back to back. When caught up it polls every ``interval`` seconds. A fresh read model simply
starts from seq 0; while a batch is being applied the next page is already being fetched.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from louyu_kit.db import Database
from louyu_kit.errors import LouyuError
from louyu_kit.observability import set_change_feed_lag
from metrics.clients.registry import MAX_PAGE, RegistryClient
from metrics.sync import state

log = logging.getLogger("louyu.metrics.sync")

CONSUMER = "metrics"
MAX_BACKOFF = 10.0
# Events applied in one transaction while catching up (a few MB of rows in memory).
BATCH_EVENTS = 10_000


class FeedReplaced(Exception):
    """Registry's feed ends before our cursor: its database was replaced by an older one."""


@dataclass
class SyncResult:
    events: int = 0
    pages: int = 0
    cursor: int = 0
    head: int = 0

    @property
    def caught_up(self) -> bool:
        return self.cursor >= self.head


def describe(exc: BaseException) -> str:
    """A short sentence for ``last_error`` (no stack trace, no SQL)."""
    if isinstance(exc, LouyuError):
        return exc.detail
    if isinstance(exc, FeedReplaced):
        return str(exc)
    name = type(exc).__name__
    if name == "OperationalError":
        return "指标服务数据库暂时无法写入，稍后自动重试"
    return f"同步出错（{name}），稍后自动重试"


class FeedConsumer:
    """Reads registry's change feed into the read model (one per metrics process)."""

    def __init__(
        self,
        *,
        db: Database,
        client: RegistryClient,
        interval: float,
        page_size: int = MAX_PAGE,
        batch_events: int = BATCH_EVENTS,
        source: str = state.REGISTRY,
    ) -> None:
        self.db = db
        self.client = client
        self.interval = interval
        self.page_size = page_size
        self.batch_events = batch_events
        self.source = source
        self.failures = 0
        # Pause between retries: doubling from the interval, at most 20 intervals and 10 s.
        self.max_backoff = min(MAX_BACKOFF, interval * 20)
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    # ----- one transaction each (run in a worker thread: the database driver blocks) -----

    def _read_cursor(self) -> int:
        with self.db.write_sessions.begin() as session:
            state.ensure(session, self.source)
            return state.cursor(session, self.source)

    def _apply(self, *, after: int, items: list[dict[str, Any]], next_after: int, last_seq: int) -> bool:
        with self.db.write_sessions.begin() as session:
            applied = state.apply_page(
                session, after=after, items=items, next_after=next_after, last_seq=last_seq, source=self.source
            )
            return applied is not None

    def _record_poll(self, *, at_cursor: int, last_seq: int) -> None:
        with self.db.write_sessions.begin() as session:
            state.record_poll(session, at_cursor=at_cursor, last_seq=last_seq, source=self.source)

    def _record_error(self, message: str) -> None:
        with self.db.write_sessions.begin() as session:
            state.record_error(session, message, source=self.source)

    # ----- the loop -------------------------------------------------------------------

    async def _fetch(self, after: int) -> dict[str, Any]:
        return await self.client.changes(after=after, limit=self.page_size)

    async def _cancel(self, task: asyncio.Task[dict[str, Any]] | None) -> None:
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def sync_once(self, *, max_pages: int | None = None) -> SyncResult:
        """Read and apply pages until caught up (or ``max_pages``); raise on the first failure
        (what was applied before it stays applied).

        While registry has more, pages are gathered up to ``batch_events`` events and applied in
        one transaction (one cursor move, one call of the rollups' hook): catching up after an
        outage, or from an empty read model, costs a few hundred transactions, not one per page.
        The next page is fetched while a batch is written."""
        result = SyncResult()
        after = await asyncio.to_thread(self._read_cursor)
        fetching: asyncio.Task[dict[str, Any]] | None = asyncio.create_task(self._fetch(after))
        while True:
            items: list[dict[str, Any]] = []
            pages, batch_after, page = 0, after, None
            try:
                while fetching is not None:
                    page = await fetching
                    fetching = None
                    last_seq = int(page["last_seq"])
                    result.head = last_seq
                    if last_seq < batch_after:
                        raise FeedReplaced(
                            f"登记服务的变更序号（{last_seq}）小于本地游标（{batch_after}）："
                            "登记库可能已被替换为较早的备份，请运行 python -m metrics sync-reset 重建读模型"
                        )
                    if not page["items"]:
                        break
                    items.extend(page["items"])
                    pages += 1
                    more = bool(page["has_more"]) and (max_pages is None or result.pages + pages < max_pages)
                    if more:
                        fetching = asyncio.create_task(self._fetch(int(page["next_after"])))
                    if len(items) >= self.batch_events:
                        break
            except BaseException:
                await self._cancel(fetching)
                raise
            assert page is not None
            last_seq = int(page["last_seq"])
            set_change_feed_lag(CONSUMER, self.source, last_seq - after)
            result.cursor = after
            if not items:
                await self._cancel(fetching)
                await asyncio.to_thread(self._record_poll, at_cursor=after, last_seq=last_seq)
                return result
            next_after = int(items[-1]["seq"])
            try:
                moved = await asyncio.to_thread(
                    self._apply, after=after, items=items, next_after=next_after, last_seq=last_seq
                )
            except BaseException:
                await self._cancel(fetching)
                raise
            if not moved:
                # Another replica applied these pages first: continue from where it left the cursor.
                await self._cancel(fetching)
                after = await asyncio.to_thread(self._read_cursor)
                fetching = asyncio.create_task(self._fetch(after))
                continue
            result.events += len(items)
            result.pages += pages
            after = result.cursor = next_after
            set_change_feed_lag(CONSUMER, self.source, last_seq - after)
            if fetching is None:
                return result

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                result = await self.sync_once()
                if self.failures:
                    log.info("registry change feed readable again after %d failures", self.failures)
                self.failures = 0
                if result.events:
                    log.info(
                        "applied %d registry change events (cursor %d of %d)", result.events, result.cursor, result.head
                    )
                delay = self.interval
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the consumer must outlive any failure of either side
                self.failures += 1
                message = describe(exc)
                if self.failures in (1, 10) or self.failures % 100 == 0:
                    log.warning("registry change feed: %s (%s; failure %d)", message, exc, self.failures)
                try:
                    await asyncio.to_thread(self._record_error, message)
                except Exception as db_exc:  # metrics' own database is down as well
                    log.debug("cannot record the sync error: %s", db_exc)
                delay = min(self.interval * 2 ** min(self.failures, 10), max(self.interval, self.max_backoff))
            try:
                await asyncio.wait_for(self._stopping.wait(), timeout=delay)
            except TimeoutError:
                pass

    def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self.run(), name="metrics-registry-feed")

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
