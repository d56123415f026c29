"""Leases (issue #24): with several processes per service, background work runs in one of them,
and another takes it over when that one dies or loses its database connection."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text

from louyu_kit.leases import Lease, run_leased
from tests.conftest import LANE, ROOT


@pytest.fixture
def url(lane, tmp_path):
    return lane.scratch(tmp_path)


def test_one_holder_at_a_time_and_the_next_after_release(url):
    first, second = Lease(url, "metrics"), Lease(url, "metrics")
    other = Lease(url, "registry")
    try:
        assert first.try_acquire() and first.held
        assert first.try_acquire()  # asking again while held is harmless
        assert not second.try_acquire() and not second.held
        assert other.try_acquire()  # another service's lease is its own
        first.release()
        assert not first.held
        assert second.try_acquire()
        assert not first.try_acquire()
    finally:
        for lease in (first, second, other):
            lease.release()


def test_a_holder_that_dies_frees_the_lease(url):
    """kill -9 of the holding process: no expiry to wait for, the next process gets it at once."""
    code = (
        "import sys, time\n"
        "from louyu_kit.leases import Lease\n"
        "lease = Lease(sys.argv[1], 'metrics')\n"
        "assert lease.try_acquire()\n"
        "print('held', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code, url], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        mine = Lease(url, "metrics")
        assert not mine.try_acquire()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        deadline = time.monotonic() + 5  # PostgreSQL notices the closed socket at once; allow for a busy machine
        while not mine.try_acquire() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert mine.held
        mine.release()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_background_work_runs_in_one_process_and_moves_when_its_holder_stops(url):
    async def scenario() -> None:
        runs = {"a": 0, "b": 0}

        def job(name: str):
            async def work() -> None:
                while True:
                    runs[name] += 1
                    await asyncio.sleep(0.01)

            return work

        a, b = Lease(url, "tasks"), Lease(url, "tasks")
        task_a = asyncio.create_task(run_leased(a, job("a"), retry=0.05))
        await asyncio.sleep(0.2)
        task_b = asyncio.create_task(run_leased(b, job("b"), retry=0.05))
        await asyncio.sleep(0.3)
        assert runs["a"] > 0 and runs["b"] == 0  # only the holder works

        task_a.cancel()  # the holder stops (the app shuts down) …
        await asyncio.gather(task_a, return_exceptions=True)
        a.release()
        before = runs["a"]
        await asyncio.sleep(0.4)
        assert runs["b"] > 0  # … and the other process takes the work over
        assert runs["a"] == before  # the stopped one did nothing more
        task_b.cancel()
        await asyncio.gather(task_b, return_exceptions=True)
        b.release()

    asyncio.run(scenario())


@pytest.mark.skipif(LANE != "postgres", reason="a lease on PostgreSQL is held by a database session")
def test_a_lost_database_session_stops_the_work_until_the_lease_is_held_again(url):
    async def scenario() -> None:
        runs: list[float] = []
        starts: list[float] = []

        async def work() -> None:
            starts.append(time.monotonic())
            while True:
                runs.append(time.monotonic())
                await asyncio.sleep(0.01)

        lease = Lease(url, "metrics")
        task = asyncio.create_task(run_leased(lease, work, retry=0.1))
        await asyncio.sleep(0.3)
        assert runs and lease.held and len(starts) == 1
        # The database ends the session holding the lock (a restart, a failover, a network cut).
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND pid <> pg_backend_pid() AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"
                )
            )
        admin.dispose()
        await asyncio.sleep(0.5)
        # The loss was noticed (the work was stopped) and the lease taken again on a new session:
        # the work started a second time.
        assert len(starts) == 2 and lease.held
        assert runs[-1] > time.monotonic() - 0.2
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        lease.release()

    asyncio.run(scenario())
