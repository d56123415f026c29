"""The background worker of the metrics process: recomputes marked rollups every few seconds."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.exc import SQLAlchemyError

from louyu_kit.clock import today_in_china
from louyu_kit.db import Database
from louyu_kit.leases import run_leased
from metrics.featured import store as featured_store
from metrics.rollups import service
from metrics.rollups.models import RollupState
from metrics.rollups.periods import month_key

log = logging.getLogger("louyu.metrics.rollups")

INTERVAL_SECONDS = 2.0
NUDGE_POLL_SECONDS = 0.05  # how soon a nudge from a request's thread is seen


def refresh_once(db: Database) -> service.RefreshResult | None:
    """Recompute what is marked (and start a new month's occupancy); None when nothing was due."""
    with db.sessions() as session:
        state = session.get(RollupState, 1)
        today = today_in_china()
        month_due = state is None or (state.stock_to or "") < month_key(today.year, today.month)
        if not month_due and service.pending(session) == 0:
            idle = True
            verdicts_due = featured_store.is_due(session)
        else:
            idle = verdicts_due = False
    if idle:
        if verdicts_due:
            store_verdicts(db)
        return None
    # PostgreSQL: take the marks in a short transaction first, so hooks marking the same keys
    # meanwhile never wait for the recompute (SQLite: one writer at a time anyway).
    with db.write_sessions() as session:
        service.claim(session)
        session.commit()
    with db.write_sessions() as session:
        result = service.refresh(session, take=False)
        session.commit()
    if result.enterprise_periods:
        log.info("rollups refreshed: %d enterprise-periods", result.enterprise_periods)
    store_verdicts(db)
    return result


def store_verdicts(db: Database) -> list[int]:
    """Store the 特色 verdicts of one due year (a year not stored, or the current year on a new
    day), so no read computes them (metrics.featured.store)."""
    with db.write_sessions() as session:
        years = featured_store.ensure(session, limit=1)
        session.commit()
    if years:
        log.info("featured verdicts stored for %s", years)
    return years


# Set when a large change was committed in this process (a bureau batch): the worker starts
# its round at once instead of at the end of its interval.
_wake = threading.Event()


def nudge() -> None:
    """A change big enough for the worker was committed: look now (this process's worker; a
    worker in another process still looks within INTERVAL_SECONDS)."""
    _wake.set()


async def _until_nudged(seconds: float) -> None:
    """Wait up to ``seconds`` or until ``nudge``, on the event loop: a thread blocked in
    ``Event.wait`` would hold the app's shutdown (which waits for its threads) for the rest of
    the interval, where a cancelled sleep ends at once."""
    deadline = time.monotonic() + seconds
    while not _wake.is_set() and time.monotonic() < deadline:
        await asyncio.sleep(NUDGE_POLL_SECONDS)


async def _run(db: Database) -> None:
    failures = 0
    while True:
        await _until_nudged(INTERVAL_SECONDS)
        _wake.clear()
        try:
            await asyncio.to_thread(refresh_once, db)
            failures = 0
        except SQLAlchemyError as exc:
            failures += 1
            if failures in (1, 10) or failures % 300 == 0:
                log.warning("rollups not refreshed (%s); retrying", type(exc).__name__)


@asynccontextmanager
async def rollup_worker(app: FastAPI) -> AsyncIterator[None]:
    """Run the worker for the app's lifetime."""
    task = asyncio.create_task(
        run_leased(app.state.lease, lambda: _run(app.state.db), label="rollups"), name="metrics-rollups"
    )
    try:
        yield
    finally:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
