"""`kill -9` of each service under `make run` (issue #14 item 10): the launcher starts a new
process within 5 s, it answers again, and the other services answer throughout. Runs last: it is the one part that may
leave the product down (it does, on a launcher that does not supervise)."""

from __future__ import annotations

import os
import signal
import time

import httpx
import pytest

from tests.attack.conftest import PREFIX, Product, figure

pytestmark = pytest.mark.attack

RESTART_BOUND_SECONDS = 5.0  # a new process (the bound)
ANSWER_BOUND_SECONDS = 90.0  # serving again (start-up work: migrations checked, feeds caught up)


def _healthy(product: Product, service: str) -> bool:
    try:
        url = f"{product.service_url(service)}{PREFIX[service]}/health"
        return httpx.get(url, timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.parametrize("victim", ["metrics", "tasks", "registry", "gateway"])
def test_killed_service_is_restarted_and_the_others_keep_answering(product: Product, victim: str) -> None:
    fig = figure("supervise")
    fig.tried += 1
    pids = product.pids()
    if victim not in pids:
        fig.through += 1
        fig.notes.append(f"kill -9 {victim}: not running under the launcher any more (the product is down)")
    assert victim in pids, f"{victim} is not running under the launcher (pids {pids})"
    old = pids[victim]
    os.kill(old, signal.SIGKILL)
    killed_at = time.monotonic()
    others_down: set[str] = set()
    restarted_after = answering_after = None
    while time.monotonic() - killed_at < ANSWER_BOUND_SECONDS:
        for other in PREFIX:
            if other != victim and not _healthy(product, other):
                others_down.add(other)
        pid = product.pids().get(victim)
        if restarted_after is None and pid is not None and pid != old:
            restarted_after = time.monotonic() - killed_at
        if restarted_after is not None and _healthy(product, victim):
            answering_after = time.monotonic() - killed_at
            break
        if product.running.proc.poll() is not None:
            break
        time.sleep(0.2)
    problems = []
    if restarted_after is None or restarted_after > RESTART_BOUND_SECONDS:
        problems.append(f"{victim} not restarted within {RESTART_BOUND_SECONDS:.0f} s")
    elif answering_after is None:
        problems.append(f"{victim} restarted but not answering within {ANSWER_BOUND_SECONDS:.0f} s")
    if others_down:
        problems.append(f"{', '.join(sorted(others_down))} stopped answering")
    if product.running.proc.poll() is not None:
        problems.append(f"the launcher itself exited (code {product.running.proc.returncode})")
    if problems:
        fig.through += 1
        fig.notes.append(f"kill -9 {victim}: " + "; ".join(problems))
    else:
        fig.notes.append(
            f"kill -9 {victim}: new process in {restarted_after:.1f} s, answering in {answering_after:.1f} s"
        )
    assert not problems, problems
