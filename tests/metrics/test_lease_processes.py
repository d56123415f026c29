"""Two metrics processes against one database never run the background work (the change-feed
consumer and the rollup worker, both under the service's lease) at the same time; when the
holder dies, the other takes the work over.

Each process runs what the metrics app runs in its lifespan: ``run_leased`` on the service's
lease (``Lease(url, "metrics")``, as ``louyu_kit.service`` makes it), around the rollup
worker's round (``metrics.rollups.worker.refresh_once``), and writes when each round starts and
ends. The test kills the first holder (SIGKILL: no clean release) and checks that no two
rounds of different processes overlap and that the second process took over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from louyu_kit.db import Database
from tests.metrics import rollup_case

CHILD = r"""
import asyncio, os, sys, time
from louyu_kit.db import Database
from louyu_kit.leases import Lease, run_leased
from metrics.rollups import worker

url, out = sys.argv[1], sys.argv[2]
db = Database.from_url(url)
lease = Lease(url, "metrics")

def note(what):
    with open(out, "a") as f:
        f.write(f"{os.getpid()} {what} {time.time():.6f}\n")

async def rounds():
    while True:
        note("start")
        await asyncio.to_thread(worker.refresh_once, db)
        await asyncio.sleep(0.05)  # a round also holds the lease while it waits for the next
        note("end")

note("ready")
asyncio.run(run_leased(lease, rounds, retry=0.2, label="rollups"))
"""


def _events(path: Path) -> list[tuple[int, str, float]]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text().splitlines():
        pid, what, at = line.split()
        out.append((int(pid), what, float(at)))
    return out


def _wait(check: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_two_metrics_processes_never_run_the_background_work_together(
    db_urls: Callable[[str], str], tmp_path: Path
) -> None:
    url = db_urls("metrics")
    db = Database.from_url(url)
    try:
        rollup_case.build(db)
    finally:
        db.dispose()
    out = tmp_path / "rounds.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    procs = [
        subprocess.Popen([sys.executable, "-c", CHILD, url, str(out)], env=env, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    try:
        _wait(lambda: sum(1 for _, w, _ in _events(out) if w == "ready") == 2, "both processes to start")
        _wait(lambda: sum(1 for _, w, _ in _events(out) if w == "end") >= 5, "rounds of the first holder")
        first = next(pid for pid, w, _ in _events(out) if w == "start")
        # Both processes have been up for several rounds: only one of them ran any.
        assert {pid for pid, w, _ in _events(out) if w == "start"} == {first}
        holder = next(p for p in procs if p.pid == first)
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        killed_at = time.time()
        other = next(p for p in procs if p.pid != first)
        _wait(
            lambda: sum(1 for pid, w, at in _events(out) if pid == other.pid and w == "end" and at > killed_at) >= 3,
            "the other process to take over",
        )
        assert other.poll() is None, other.stderr.read().decode() if other.stderr else ""
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait(10)

    # Rounds (start → end, or start → the kill for the killed holder's last one) never overlap.
    spans: list[tuple[float, float, int]] = []
    open_rounds: dict[int, float] = {}
    for pid, what, at in sorted(_events(out), key=lambda e: e[2]):
        if what == "start":
            open_rounds[pid] = at
        elif what == "end":
            spans.append((open_rounds.pop(pid), at, pid))
    for pid, started in open_rounds.items():
        spans.append((started, killed_at if pid == first else float("inf"), pid))
    spans.sort()
    for (_, end, pid), (start, _, next_pid) in zip(spans, spans[1:], strict=False):
        assert pid == next_pid or end <= start, "rounds of two processes overlapped"
    assert {pid for _, _, pid in spans} == {first, other.pid}
