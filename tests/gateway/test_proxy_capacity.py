"""The gateway under load (issue #24): one read and one write lane per upstream, excess shed with
a 503 at once, and an upstream read the gateway gave up on is cancelled upstream too."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from gateway.proxy import classify
from louyu_kit.service import create_service_app
from louyu_kit.settings import KitSettings
from tests.conftest import TEST_SECRET, ThreadServer, build_app, settings_for
from tests.kit.test_capacity import Probe, lane, wait_until

pytestmark = pytest.mark.live


def scope(method: str, path: str) -> dict[str, object]:
    return {"type": "http", "method": method, "path": path}


def test_each_upstream_has_its_own_read_and_write_lane():
    assert classify(scope("GET", "/api/metrics/dashboard")) == "metrics:read"
    assert classify(scope("POST", "/api/metrics/facts/batches")) == "metrics:write"
    assert classify(scope("PATCH", "/api/registry/buildings/x")) == "registry:write"
    assert classify(scope("HEAD", "/api/tasks/tasks")) == "tasks:read"
    assert classify(scope("POST", "/api/auth/token")) == "write"  # the gateway's own routes
    assert classify(scope("GET", "/api/auth/me")) == "read"
    never = ("/api/registry/health", "/api/metrics/ready", "/api/auth/health", "/-/prometheus", "/api/auth/revocations")
    for path in never:
        assert classify(scope("GET", path)) is None  # never admitted or queued


@pytest.fixture
def upstream_and_gateway(scratch_db_url, db_urls, tmp_path):
    probe = Probe()
    settings = KitSettings(env="test", data_dir=tmp_path, jwt_secret=TEST_SECRET, revocation_poll_seconds=0)
    upstream = ThreadServer(
        create_service_app(
            name="registry", title="probe", settings=settings, database_url=scratch_db_url, routers=[probe.router()]
        )
    ).start()
    gw_settings = settings_for(
        "gateway",
        db_urls("gateway"),
        tmp_path,
        frontend_dir=tmp_path / "no-frontend",
        registry_url=upstream.url,
        proxy_timeout_seconds=1.0,
        proxy_read_limit=1,
        admission_read_wait_seconds=0.1,
    )
    gateway = ThreadServer(build_app("gateway", gw_settings)).start()
    try:
        yield probe, upstream, gateway
    finally:
        probe.release.set()
        gateway.stop()
        upstream.stop()


def test_over_the_upstream_limit_is_shed_and_writes_pass(upstream_and_gateway):
    probe, upstream, gateway = upstream_and_gateway
    with httpx.Client(base_url=gateway.url, timeout=30) as http, ThreadPoolExecutor(2) as pool:
        slow = pool.submit(httpx.get, f"{upstream.url}/api/registry/probe/slow", params={"tag": "direct"}, timeout=30)
        wait_until(lambda: probe.entered == ["direct"], "the upstream busy")
        holder = pool.submit(http.get, "/api/registry/probe/slow", params={"tag": "via-gateway"})
        wait_until(lambda: "via-gateway" in probe.entered, "the gateway's only read place taken")
        shed = http.get("/api/registry/probe/slow", params={"tag": "extra"})
        assert shed.status_code == 503 and shed.headers["Retry-After"] == "1"
        assert shed.json()["error"] == "Overloaded"
        write = http.post("/api/registry/probe/write", params={"tag": "w"})
        assert write.status_code == 200, write.text
        probe.release.set()
        assert slow.result().status_code == 200 and holder.result().status_code == 200
    assert "extra" not in probe.entered


def test_a_read_the_gateway_gave_up_on_is_cancelled_upstream(upstream_and_gateway):
    probe, upstream, gateway = upstream_and_gateway
    with httpx.Client(base_url=gateway.url, timeout=30) as http:
        resp = http.get("/api/registry/probe/slow", params={"tag": "abandoned"})
        # The gateway's read time-out (1 s here): a 503 in Chinese, not a hang …
        assert resp.status_code == 503 and "响应超时" in resp.json()["detail"]
    with httpx.Client(base_url=upstream.url, timeout=10) as direct:
        # … and the upstream noticed the gateway left and dropped the work.
        wait_until(lambda: lane(direct, "read", "registry")["gone"] == 1, "the upstream to notice")
        probe.release.set()
        wait_until(lambda: lane(direct, "read", "registry")["in_flight"] == 0, "the upstream lane to empty")
    assert probe.entered == ["abandoned"] and probe.finished == []
