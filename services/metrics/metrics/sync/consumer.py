"""The background consumer of registry's change feed: the only code in metrics that calls registry.

It reads pages of up to 1,000 events after its stored cursor and applies them (one page, or
while catching up a batch of pages up to ``BATCH_EVENTS``) in one transaction together with the
new cursor and the rollups' hook (``metrics.sync.state.apply_page``), so a crash of either side
loses nothing and applies nothing twice. While registry (or metrics' own database) is
unreachable it retries with a growing pause (up to ``MAX_BACKOFF`` seconds) and records the
error for ``GET /api/metrics/sync``; once registry answers again it reads every page it missed
back to back. When caught up it polls every ``interval`` seconds. A fresh read model simply
starts from seq 0; while a batch is being applied the next batch's pages are being fetched.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import OperationalError

from louyu_kit.db import Database
from louyu_kit.errors import LouyuError
from louyu_kit.leases import Lease, run_leased
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
    if isinstance(exc, OperationalError):
        return "指标服务数据库暂时无法写入，稍后自动重试"
    return f"同步出错（{type(exc).__name__}），稍后自动重试"


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
        lease: Lease | None = None,
    ) -> None:
        self.db = db
        self.lease = lease
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

    async def _read_pages(self, after: int, queue: asyncio.Queue[Any], max_pages: int | None) -> None:
        """Fetch pages after ``after`` into ``queue`` until registry has no more (then ``None``);
        a failure is queued too, after the pages read before it."""
        pages = 0
        try:
            while True:
                page = await self._fetch(after)
                if int(page["last_seq"]) < after:
                    raise FeedReplaced(
                        f"登记服务的变更序号（{page['last_seq']}）小于本地游标（{after}）："
                        "登记库可能已被替换为较早的备份，请运行 python -m metrics sync-reset 重建读模型"
                    )
                await queue.put(page)
                pages += 1
                if not page["items"] or not page["has_more"] or (max_pages is not None and pages >= max_pages):
                    break
                after = int(page["next_after"])
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            await queue.put(exc)
            return
        await queue.put(None)

    async def sync_once(self, *, max_pages: int | None = None) -> SyncResult:
        """Read and apply pages until caught up (or ``max_pages``); raise on the first failure
        (what was read and applied before it stays applied).

        Pages are gathered up to ``batch_events`` events and applied in one transaction (one
        cursor move, one call of the rollups' hook): catching up after an outage, or from an
        empty read model, costs one transaction per 10,000 events, not one per page. A reader
        task keeps fetching the next batch's pages while one is written."""
        result = SyncResult()
        after = await asyncio.to_thread(self._read_cursor)
        queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=-(-self.batch_events // self.page_size) + 1)
        reader = asyncio.create_task(self._read_pages(after, queue, max_pages))
        try:
            while True:
                items: list[dict[str, Any]] = []
                pages, last, failure, finished = 0, None, None, False
                while len(items) < self.batch_events:
                    got = await queue.get()
                    if got is None:
                        finished = True
                        break
                    if isinstance(got, Exception):
                        failure = got
                        break
                    last = got
                    result.head = int(got["last_seq"])
                    if not got["items"]:
                        break
                    items.extend(got["items"])
                    pages += 1
                result.cursor = after
                if items:
                    assert last is not None
                    next_after, last_seq = int(items[-1]["seq"]), int(last["last_seq"])
                    moved = await asyncio.to_thread(
                        self._apply, after=after, items=items, next_after=next_after, last_seq=last_seq
                    )
                    if not moved:
                        # Another replica applied these pages first: go on from where it left the cursor.
                        reader.cancel()
                        await asyncio.gather(reader, return_exceptions=True)
                        after = await asyncio.to_thread(self._read_cursor)
                        queue = asyncio.Queue(maxsize=queue.maxsize)
                        reader = asyncio.create_task(self._read_pages(after, queue, max_pages))
                        continue
                    result.events += len(items)
                    result.pages += pages
                    after = result.cursor = next_after
                    set_change_feed_lag(CONSUMER, self.source, last_seq - after)
                elif last is not None:
                    # Nothing new: registry answered, and we are at its head.
                    set_change_feed_lag(CONSUMER, self.source, int(last["last_seq"]) - after)
                    await asyncio.to_thread(self._record_poll, at_cursor=after, last_seq=int(last["last_seq"]))
                if failure is not None:
                    raise failure
                if finished or not items:
                    return result
        finally:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)

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
                else:  # the routine poll, every few seconds: never INFO
                    log.debug("registry change feed: nothing new (cursor %d)", result.cursor)
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
        # Run where the service's lease is held (louyu_kit.leases): once per service.
        lease = self.lease
        work = self.run if lease is None else lambda: run_leased(lease, self.run, label="registry-feed")
        self._task = asyncio.create_task(work(), name="metrics-registry-feed")

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
