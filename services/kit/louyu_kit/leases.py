"""Leases: background work that must run once per service, however many processes serve it.

With ``LOUYU_WORKERS`` > 1 (or several replicas on Kubernetes) every process of a service runs
its lifespan, but the change-feed consumer, the rollup worker, the goal copy, the daily
warnings, the nightly apply-stays and the daily 督办 rule must run in one process at a time.
Each service has one lease; the process holding it runs all of that service's background work;
the others serve requests and try again every ``retry`` seconds, so when the holder dies another
process takes the work over.

A lease is held by something the operating system or the database releases when its holder
dies, so there is no expiry to tune and no clock to trust:
- PostgreSQL: a session advisory lock (``pg_try_advisory_lock``) on a connection of its own,
  shared by every replica on any machine;
- SQLite (one machine by nature): an exclusive ``flock`` on a file beside the database.
An in-memory SQLite database has one process by definition: the lease is always held.

Who commits: nothing here writes to a table.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import logging
import os
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import NullPool

log = logging.getLogger("louyu.leases")

# How often a process without the lease tries again, and how often a holder checks it still holds it.
RETRY_SECONDS = 5.0


def _key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for a lease name."""
    return int.from_bytes(hashlib.blake2b(f"louyu-lease:{name}".encode(), digest_size=8).digest(), "big", signed=True)


class Lease:
    """One named lease of this process. ``try_acquire`` and ``still_held`` block briefly (call
    them from a thread); both are safe to call again while held."""

    def __init__(self, url: str, name: str) -> None:
        self.url = url
        self.name = name
        self._lock = threading.Lock()
        self._held = False
        self._file: int | None = None
        self._conn: Connection | None = None
        self._engine: Any = None
        parsed = make_url(url) if url else None
        self._backend = parsed.get_backend_name() if parsed else "sqlite"
        database = parsed.database if parsed else None
        self._always = self._backend == "sqlite" and (not database or database == ":memory:")
        self._path = None if self._always or self._backend != "sqlite" else Path(f"{database}.{name}.lease")

    @property
    def held(self) -> bool:
        return self._held

    def try_acquire(self) -> bool:
        with self._lock:
            if self._held:
                return True
            if self._always:
                self._held = True
            elif self._path is not None:
                self._held = self._flock()
            else:
                self._held = self._advisory()
            return self._held

    def still_held(self) -> bool:
        """False when the lease was lost (the database connection holding it broke)."""
        with self._lock:
            if not self._held:
                return False
            if self._conn is None:
                return True
            try:
                self._conn.execute(text("SELECT 1"))
                return True
            except Exception:  # noqa: BLE001 - any failure of the holding connection loses the lease
                log.warning("lease %s lost: its database connection failed", self.name)
                self._drop()
                return False

    def release(self) -> None:
        with self._lock:
            self._drop()

    def _flock(self) -> bool:
        assert self._path is not None
        try:
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:  # the database's directory is missing or read-only: as a database down
            log.warning("lease %s: cannot open %s (%s), will retry", self.name, self._path, exc.strerror)
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._file = fd
        return True

    def _advisory(self) -> bool:
        if self._engine is None:
            self._engine = create_engine(self.url, poolclass=NullPool, connect_args={"connect_timeout": 5})
        try:
            conn = self._engine.connect()
        except Exception:  # noqa: BLE001 - database down: not held, tried again later
            log.warning("lease %s: database unavailable, will retry", self.name)
            return False
        try:
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _key(self.name)}).scalar())
            conn.commit()
        except Exception:  # noqa: BLE001
            conn.close()
            return False
        if not got:
            conn.close()
            return False
        self._conn = conn
        return True

    def _drop(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._file, fcntl.LOCK_UN)
                os.close(self._file)
            self._file = None
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()  # closing the session releases the advisory lock
            self._conn = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        self._held = False


async def run_leased(
    lease: Lease, work: Callable[[], Awaitable[None]], *, retry: float = RETRY_SECONDS, label: str = ""
) -> None:
    """Run ``work()`` (a coroutine that runs until cancelled) whenever this process holds
    ``lease``: wait for it, run the work, cancel the work if the lease is lost, and wait again.
    Several jobs of one service share its lease; each runs through its own ``run_leased``."""
    what = label or lease.name
    while True:
        if not await anyio.to_thread.run_sync(lease.try_acquire):
            await asyncio.sleep(retry)
            continue
        log.debug("lease %s held: running %s", lease.name, what)
        task = asyncio.create_task(_as_coroutine(work), name=f"leased-{what}")
        try:
            while not task.done():
                done, _ = await asyncio.wait({task}, timeout=retry)
                if done:
                    break
                if not await anyio.to_thread.run_sync(lease.still_held):
                    log.warning("lease %s lost: stopping %s until it is held again", lease.name, what)
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                    break
            if task.done() and not task.cancelled():
                task.result()  # a job that ended by itself (or failed) ends here too
                return
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task


async def _as_coroutine(work: Callable[[], Awaitable[None]]) -> None:
    await work()
