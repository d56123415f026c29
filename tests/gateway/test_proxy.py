"""The gateway in front of real services: proxying, request ids, an upstream down or slow."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import ThreadServer, add_user, bearer, build_app, free_port, login, settings_for

pytestmark = pytest.mark.live

# A route the administrator may read on each service (no business data: 三员分立).
ADMIN_READ = {"registry": "/api/registry/meta", "tasks": "/api/tasks/units", "metrics": "/api/metrics/sync"}


@pytest.fixture
def stack(live_stack):
    add_user(live_stack.db_urls["gateway"], "admin", roles=["admin"])
    return live_stack


def test_proxies_each_service_with_streaming_and_request_id(stack):
    with stack.client() as http:
        token = login(http, "admin")["access_token"]
        for svc in ("registry", "tasks", "metrics"):
            assert http.get(f"/api/{svc}/health").json() == {"status": "ok", "service": svc}
            assert http.get(f"/api/{svc}/ready").json()["status"] == "ready"
            resp = http.get(
                ADMIN_READ[svc],
                headers={**bearer(token), "X-Request-ID": f"req-{svc}-0001"},
            )
            assert resp.status_code == 200
            assert resp.headers["x-request-id"] == f"req-{svc}-0001"
            assert http.get(f"/api/{svc}/openapi.json").json()["info"]["title"]
            assert "swagger-ui" in http.get(f"/api/{svc}/docs").text


def test_upstream_error_body_keeps_the_request_id(stack):
    with stack.client() as http:
        resp = http.get("/api/registry/changes", headers={"X-Request-ID": "trace-abc-123"})
    assert resp.status_code == 401
    assert resp.json()["request_id"] == "trace-abc-123"
    assert resp.headers.get_list("x-request-id") == ["trace-abc-123"]


def test_stopped_upstream_gives_503_fast_and_others_still_work(stack):
    stack.stop("tasks")
    with stack.client() as http:
        started = time.monotonic()
        resp = http.get("/api/tasks/health", headers={"X-Request-ID": "down-tasks-01"})
        elapsed = time.monotonic() - started
        assert resp.status_code == 503
        body = resp.json()
        assert body["error"] == "UpstreamUnavailable"
        assert "任务督办服务" in body["detail"]
        assert body["request_id"] == "down-tasks-01"
        assert elapsed < 2.0
        assert http.get("/api/registry/health").status_code == 200
        assert http.get("/api/metrics/health").status_code == 200
        assert login(http, "admin")


def test_slow_upstream_gives_503_within_two_seconds(db_urls, tmp_path):
    slow = FastAPI()

    @slow.get("/api/metrics/{path:path}")
    async def crawl(path: str) -> dict:
        await asyncio.sleep(2.5 if "export" in path else 5)
        return {}

    slow_server = ThreadServer(slow).start()
    registry_server = ThreadServer(
        build_app("registry", settings_for("registry", db_urls("registry"), tmp_path))
    ).start()
    gw_settings = settings_for(
        "gateway",
        db_urls("gateway"),
        tmp_path,
        metrics_url=slow_server.url,
        registry_url=registry_server.url,
        tasks_url=f"http://127.0.0.1:{free_port()}",
    )
    gw = ThreadServer(build_app("gateway", gw_settings)).start()
    try:
        import httpx

        with httpx.Client(base_url=gw.url, timeout=10) as http:
            started = time.monotonic()
            resp = http.get("/api/metrics/dashboard")
            elapsed = time.monotonic() - started
            assert resp.status_code == 503 and "超时" in resp.json()["detail"]
            assert elapsed < 2.0
            # The slow one does not hold the others up.
            started = time.monotonic()
            assert http.get("/api/registry/health").status_code == 200
            assert time.monotonic() - started < 0.5
            # An export is a file built from many rows: it gets the long (write) timeout.
            assert http.get("/api/metrics/exports/facts").status_code == 200
            assert http.get("/api/metrics/dashboard/export").status_code == 200
    finally:
        gw.stop()
        registry_server.stop()
        slow_server.stop()


def test_writes_through_the_proxy_are_audited(stack):
    add_user(stack.db_urls["gateway"], "auditor", roles=["auditor"])
    with stack.client() as http:
        token = login(http, "admin")["access_token"]
        http.post("/api/registry/changes", headers=bearer(token))  # 405 upstream, still a write attempt
        audit = http.get(
            "/api/auth/audit",
            params={"actor": "admin", "action": "http."},
            headers=bearer(login(http, "auditor")["access_token"]),
        ).json()["items"]
    assert [(a["method"], a["path"], a["status"]) for a in audit] == [("POST", "/api/registry/changes", 405)]


@pytest.mark.parametrize("buffered", [True, False], ids=["read-whole", "relayed"])
def test_answers_pass_through_byte_for_byte_read_whole_or_relayed(stack, monkeypatch, buffered):
    """A small answer is read whole and sent in one piece, a large one relayed as it comes: either
    way the client gets the upstream's bytes as sent (still gzipped) with its headers."""
    from gateway import proxy

    monkeypatch.setattr(proxy, "BUFFERED_BYTES", 1024 * 1024 if buffered else 0)
    path, gz = "/api/registry/openapi.json", {"Accept-Encoding": "gzip"}
    with httpx.Client(base_url=stack.servers["registry"].url, timeout=10) as direct:
        with direct.stream("GET", path, headers=gz) as resp:
            expected = b"".join(resp.iter_raw())
            assert resp.headers["content-encoding"] == "gzip"
    with stack.client() as http, http.stream("GET", path, headers=gz) as resp:
        got = b"".join(resp.iter_raw())
        assert resp.status_code == 200
        assert resp.headers["content-encoding"] == "gzip"
        assert int(resp.headers["content-length"]) == len(expected)
    assert got == expected
    assert len(expected) < 1024 * 1024  # read whole in the buffered case
