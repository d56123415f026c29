"""Capacity and graceful overload (issue #24), on a real uvicorn server with probe routes.

Not timed: each test waits for a state (a request admitted, a thread busy) and checks answers.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, Depends
from sqlalchemy import text

from louyu_kit.db import SessionDep
from louyu_kit.service import create_service_app
from louyu_kit.settings import KitSettings
from tests.conftest import TEST_SECRET, ThreadServer


class Probe:
    """Routes that block until released, and remember how far they got."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered: list[str] = []
        self.finished: list[str] = []
        self.lock = threading.Lock()

    def note(self, where: list[str], what: str) -> None:
        with self.lock:
            where.append(what)

    def router(self) -> APIRouter:
        router = APIRouter()

        def slow_dependency(tag: str = "") -> str:
            # Stands for expensive work before the handler (a big query, a computation).
            self.note(self.entered, tag)
            self.release.wait(20)
            return tag

        @router.get("/probe/slow")
        def slow(tag: str = Depends(slow_dependency)) -> dict[str, str]:
            self.note(self.finished, tag)
            return {"tag": tag}

        @router.post("/probe/write")
        def write(tag: str = "") -> dict[str, str]:
            self.note(self.finished, f"write:{tag}")
            return {"tag": tag}

        @router.get("/probe/hold-connection")
        def hold_connection(session: SessionDep, tag: str = "") -> dict[str, str]:
            session.execute(text("SELECT 1"))  # takes a pooled connection until the request ends
            self.note(self.entered, tag)
            self.release.wait(20)
            return {"tag": tag}

        @router.get("/probe/query")
        def query(session: SessionDep) -> dict[str, int]:
            return {"one": session.execute(text("SELECT 1")).scalar_one()}

        return router


@pytest.fixture
def probe_server(scratch_db_url: str, tmp_path: Path) -> Iterator[Callable[..., tuple[Probe, ThreadServer]]]:
    started: list[tuple[Probe, ThreadServer]] = []

    def start(**overrides: Any) -> tuple[Probe, ThreadServer]:
        settings = KitSettings(
            env="test", data_dir=tmp_path, jwt_secret=TEST_SECRET, revocation_poll_seconds=0, **overrides
        )
        probe = Probe()
        app = create_service_app(
            name="probe", title="probe", settings=settings, database_url=scratch_db_url, routers=[probe.router()]
        )
        server = ThreadServer(app).start()
        started.append((probe, server))
        return probe, server

    yield start
    for probe, server in started:
        probe.release.set()
        server.stop()


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def lane(http: httpx.Client, name: str, service: str = "probe") -> dict[str, Any]:
    ready = http.get(f"/api/{service}/ready")
    assert ready.status_code == 200, ready.text
    return next(item for item in ready.json()["lanes"] if item["lane"] == name)


def test_over_the_limit_is_503_with_retry_after_and_writes_still_pass(probe_server):
    probe, server = probe_server(admission_read_limit=2, admission_read_queue=1, admission_read_wait_seconds=0.2)
    with httpx.Client(base_url=server.url, timeout=30) as http, ThreadPoolExecutor(4) as pool:
        storm = [pool.submit(http.get, "/api/probe/probe/slow", params={"tag": f"r{i}"}) for i in range(2)]
        wait_until(lambda: len(probe.entered) == 2, "two reads admitted")
        assert lane(http, "read")["in_flight"] == 2
        # The read lane is full: the next read waits its 0.2 s in the queue and is then shed.
        shed = http.get("/api/probe/probe/slow", params={"tag": "r-extra"})
        assert shed.status_code == 503
        assert shed.headers["Retry-After"] == "1"
        body = shed.json()
        assert body["error"] == "Overloaded" and "繁忙" in body["detail"] and body["request_id"]
        # A write during the read storm has its own share and goes through.
        write = http.post("/api/probe/probe/write", params={"tag": "w1"})
        assert write.status_code == 200, write.text
        assert "write:w1" in probe.finished
        ready = http.get("/api/probe/ready").json()
        assert ready["saturated"] is True
        assert next(item for item in ready["lanes"] if item["lane"] == "read")["shed"] == 1
        probe.release.set()
        assert [f.result().status_code for f in storm] == [200, 200]
    assert "r-extra" not in probe.entered


def test_a_shed_request_is_counted_not_logged_at_info(probe_server, caplog):
    """A storm sheds thousands of requests a second: each costs no INFO line (its access line is
    DEBUG), while an answered request keeps its INFO access line."""
    probe, server = probe_server(admission_read_limit=1, admission_read_queue=1, admission_read_wait_seconds=0)
    caplog.set_level(logging.DEBUG)
    with httpx.Client(base_url=server.url, timeout=30) as http, ThreadPoolExecutor(2) as pool:
        held = pool.submit(http.get, "/api/probe/probe/slow", params={"tag": "held"})
        wait_until(lambda: probe.entered == ["held"], "one read admitted")
        shed = http.get("/api/probe/probe/slow", params={"tag": "shed"})
        assert shed.status_code == 503
        probe.release.set()
        assert held.result().status_code == 200
        assert lane(http, "read")["shed"] == 1
    shed_id, held_id = shed.headers["x-request-id"], held.result().headers["x-request-id"]
    wait_until(lambda: any(getattr(r, "request_id", None) == held_id for r in caplog.records), "the access line")
    lines = {getattr(r, "request_id", None): r for r in caplog.records if r.name == "louyu.access"}
    assert lines[shed_id].levelno == logging.DEBUG and lines[shed_id].status == 503
    assert lines[held_id].levelno == logging.INFO and lines[held_id].status == 200
    assert not [r for r in caplog.records if r.name == "louyu.admission" and r.levelno >= logging.INFO]


def test_a_read_whose_client_left_is_cancelled_and_not_computed(probe_server):
    probe, server = probe_server(admission_read_limit=4)
    with httpx.Client(base_url=server.url, timeout=0.5) as http:
        with pytest.raises(httpx.ReadTimeout):
            http.get("/api/probe/probe/slow", params={"tag": "gone"})  # the client gives up
    with httpx.Client(base_url=server.url, timeout=10) as http:
        wait_until(lambda: lane(http, "read")["gone"] == 1, "the server to notice the client left")
        probe.release.set()  # the expensive part finishes; the handler must not run after it
        wait_until(lambda: lane(http, "read")["in_flight"] == 0, "the abandoned request to end")
        assert probe.entered == ["gone"]
        assert probe.finished == []
        # The process still answers, and the next request runs to its end.
        assert http.get("/api/probe/probe/slow", params={"tag": "next"}).json() == {"tag": "next"}
    assert probe.finished == ["next"]


def test_a_queued_read_whose_client_left_never_starts(probe_server):
    probe, server = probe_server(admission_read_limit=1, admission_read_wait_seconds=10)
    with httpx.Client(base_url=server.url, timeout=30) as http, ThreadPoolExecutor(2) as pool:
        first = pool.submit(http.get, "/api/probe/probe/slow", params={"tag": "first"})
        wait_until(lambda: probe.entered == ["first"], "the first read admitted")
        with httpx.Client(base_url=server.url, timeout=0.5) as impatient, pytest.raises(httpx.ReadTimeout):
            impatient.get("/api/probe/probe/slow", params={"tag": "queued"})
        assert lane(http, "read")["waiting"] == 1
        probe.release.set()
        assert first.result().status_code == 200
        wait_until(lambda: lane(http, "read")["in_flight"] == 0, "the lane to empty")
    assert "queued" not in probe.entered and probe.finished == ["first"]


def test_a_pool_time_out_is_a_503_in_chinese_not_a_500(probe_server):
    probe, server = probe_server(
        db_pool_size=1, db_pool_overflow=0, db_pool_timeout_seconds=0.2, admission_read_limit=4
    )
    with httpx.Client(base_url=server.url, timeout=30) as http, ThreadPoolExecutor(2) as pool:
        holder = pool.submit(http.get, "/api/probe/probe/hold-connection", params={"tag": "holder"})
        wait_until(lambda: probe.entered == ["holder"], "the only pooled connection taken")
        resp = http.get("/api/probe/probe/query")
        assert resp.status_code == 503, resp.text
        body = resp.json()
        assert body["error"] == "Busy" and "繁忙" in body["detail"]
        assert resp.headers["Retry-After"] == "1"
        assert "QueuePool" not in resp.text and "timeout" not in resp.text.lower()
        # Readiness does not wait for the pool: it answers on a connection of its own.
        assert http.get("/api/probe/ready").status_code == 200
        probe.release.set()
        assert holder.result().status_code == 200
        assert http.get("/api/probe/probe/query").json() == {"one": 1}


def test_health_and_ready_answer_while_every_worker_thread_is_busy(probe_server):
    probe, server = probe_server(threads=2, admission_read_limit=6, admission_read_wait_seconds=5)
    with httpx.Client(base_url=server.url, timeout=30) as http, ThreadPoolExecutor(4) as pool:
        busy = [pool.submit(http.get, "/api/probe/probe/slow", params={"tag": f"b{i}"}) for i in range(3)]
        wait_until(lambda: len(probe.entered) == 2, "both worker threads busy")
        wait_until(lambda: lane(http, "read")["in_flight"] == 3, "a third request waiting for a thread")
        assert len(probe.entered) == 2  # the third has no thread
        with httpx.Client(base_url=server.url, timeout=2) as quick:
            assert quick.get("/api/probe/health").json() == {"status": "ok", "service": "probe"}
            ready = quick.get("/api/probe/ready")
            assert ready.status_code == 200 and ready.json()["status"] == "ready"
        probe.release.set()
        assert [f.result().status_code for f in busy] == [200, 200, 200]


def test_a_lane_lets_wait_as_many_as_it_serves_within_the_wait_and_sheds_the_rest_at_once():
    """Lane.room(): with no measured rate, ``limit`` may wait; once places are freed at a steady
    rate, as many as that rate serves within ``wait``; never more than ``queue``; a rate measured
    long ago counts for nothing. The newcomer beyond the room is shed without waiting."""
    import asyncio

    from louyu_kit.admission import RATE_STALE_SECONDS, Lane

    now = [100.0]
    lane = Lane("read", limit=4, queue=300, wait=0.5, clock=lambda: now[0])
    assert lane.room() == 4
    # 200 places freed a second for 2 s.
    lane.in_flight = 4
    for _ in range(400):
        now[0] += 0.005
        lane.in_flight += 1
        lane.release()
    assert 190 <= lane.rate <= 210
    assert 95 <= lane.room() <= 105  # 200/s × 0.5 s
    lane.queue = 50
    assert lane.room() == 50  # the hard cap
    lane.queue = 300
    now[0] += RATE_STALE_SECONDS + 0.1
    assert lane.room() == 4  # stale: back to the limit
    writes = Lane("write", limit=3, queue=256, wait=10, adaptive=False, clock=lambda: now[0])
    assert writes.room() == 256  # writes wait up to their queue whatever the rate

    async def storm() -> tuple[list[bool], float]:
        lane.rate, lane._window_start = 20.0, now[0]  # 20/s × 0.5 s: room for 10
        lane.in_flight = lane.limit
        waiters = [asyncio.ensure_future(lane.acquire()) for _ in range(10)]
        await asyncio.sleep(0)
        assert lane.waiting == 10
        eleventh = asyncio.ensure_future(lane.acquire())
        await asyncio.sleep(0)
        assert eleventh.done()  # shed at once, not after waiting its 0.5 s
        for _ in range(10):
            lane.release()
        return [eleventh.result()] + list(await asyncio.gather(*waiters))

    results = asyncio.run(storm())
    assert results[0] is False and all(results[1:])
    assert lane.shed == 1


def test_a_shed_answer_is_held_for_the_shed_delay(probe_server):
    """A client retrying at once cannot spin the process on refusals: the 503 comes after
    ``admission_shed_delay_seconds`` (a timer), still with Retry-After."""
    probe, server = probe_server(
        admission_read_limit=1, admission_read_queue=1, admission_read_wait_seconds=0, admission_shed_delay_seconds=0.3
    )
    with httpx.Client(base_url=server.url, timeout=30) as http, ThreadPoolExecutor(2) as pool:
        held = pool.submit(http.get, "/api/probe/probe/slow", params={"tag": "held"})
        wait_until(lambda: probe.entered == ["held"], "one read admitted")
        started = time.monotonic()
        shed = http.get("/api/probe/probe/slow", params={"tag": "shed"})
        assert time.monotonic() - started >= 0.3
        assert shed.status_code == 503 and shed.headers["Retry-After"] == "1"
        probe.release.set()
        assert held.result().status_code == 200
    assert "shed" not in probe.entered
