"""Issue 14 item 6, the rest of "every refusal leaves a row": a refused read (401/403 from the
gateway or an upstream, a 404 to a signed-in caller) is audited with the user, route and reason;
requests shed by admission control (503 Overloaded) are tallied into one row per lane and window,
so an overload never becomes an audit-write storm."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from gateway.audit import shed
from gateway.audit.models import AuditEvent
from louyu_kit.db import Database
from louyu_kit.errors import error_response
from tests.conftest import ThreadServer, add_user, bearer, build_app, login, settings_for


def _rows(db_url: str) -> list[AuditEvent]:
    db = Database.from_url(db_url)
    try:
        with db.sessions() as session:
            return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    finally:
        db.dispose()


def _upstream() -> tuple[FastAPI, threading.Event]:
    """A registry stand-in: a refusal, an out-of-scope 404, an ordinary read and a slow one."""
    app = FastAPI()
    release = threading.Event()

    @app.get("/api/registry/secret")
    def secret() -> object:
        return error_response(403, "Forbidden", "您没有查看该数据的权限")

    @app.get("/api/registry/buildings/{code}")
    def building(code: str) -> object:
        return error_response(404, "BuildingNotFound", f"楼宇 {code} 不存在")

    @app.get("/api/registry/busy")
    def busy() -> object:
        return error_response(
            503, "Overloaded", "系统繁忙，请稍后重试（当前访问人数较多）", headers={"Retry-After": "1"}
        )

    @app.get("/api/registry/db-down")
    def db_down() -> object:
        return error_response(503, "DatabaseUnavailable", "数据库暂时不可用，请稍后重试")

    @app.get("/api/registry/fine")
    def fine() -> dict[str, str]:
        return {"ok": "yes"}

    @app.get("/api/registry/slow")
    def slow() -> dict[str, str]:
        release.wait(10)
        return {"ok": "slow"}

    return app, release


@pytest.fixture
def gw(make_client, db_urls, tmp_path):
    url = db_urls("gateway")
    for name, roles in {"admin": ["admin"], "leader": ["leader"], "auditor": ["auditor"]}.items():
        add_user(url, name, roles=roles)
    app, release = _upstream()
    upstream = ThreadServer(app).start()
    client = make_client("gateway", registry_url=upstream.url, frontend_dir=tmp_path / "no-frontend")
    client.db_url = url
    try:
        yield client
    finally:
        release.set()
        upstream.stop()


def test_refused_reads_of_the_gateway_have_rows(gw):
    leader = login(gw, "leader")["access_token"]
    assert gw.get("/api/auth/users", headers={**bearer(leader), "X-Request-ID": "refused-read-01"}).status_code == 403
    assert gw.get("/api/auth/users", headers={"X-Request-ID": "refused-read-02"}).status_code == 401
    admin = login(gw, "admin")["access_token"]
    assert (
        gw.get("/api/auth/users/nobody", headers={**bearer(admin), "X-Request-ID": "refused-read-03"}).status_code
        == 404
    )
    # Reads that succeed, and an unknown address asked without a token, leave no row.
    assert gw.get("/api/auth/me", headers=bearer(admin)).status_code == 200
    assert gw.get("/api/nothing-here").status_code == 404
    rows = {r.request_id: r for r in _rows(gw.db_url) if r.method == "GET"}
    assert set(rows) == {"refused-read-01", "refused-read-02", "refused-read-03"}
    forbidden, anonymous, missing = rows["refused-read-01"], rows["refused-read-02"], rows["refused-read-03"]
    assert (forbidden.actor, forbidden.action, forbidden.status, forbidden.result) == (
        "leader",
        "read_refused",
        403,
        "failure",
    )
    assert forbidden.path == "/api/auth/users" and forbidden.detail.startswith("Forbidden：")
    assert (anonymous.actor, anonymous.action, anonymous.status) == (None, "read_refused", 401)
    assert (missing.actor, missing.action, missing.status) == ("admin", "read_not_found", 404)


def test_refused_reads_through_the_proxy_have_rows(gw):
    leader = login(gw, "leader")["access_token"]
    headers = bearer(leader)
    assert gw.get("/api/registry/secret", headers={**headers, "X-Request-ID": "proxied-403"}).status_code == 403
    resp = gw.get("/api/registry/buildings/420106-0001", headers={**headers, "X-Request-ID": "proxied-404"})
    assert resp.status_code == 404
    assert gw.get("/api/registry/fine", headers={**headers, "X-Request-ID": "proxied-200"}).status_code == 200
    rows = {r.request_id: r for r in _rows(gw.db_url) if r.path.startswith("/api/registry/")}
    assert set(rows) == {"proxied-403", "proxied-404"}
    assert (rows["proxied-403"].actor, rows["proxied-403"].action) == ("leader", "read_refused")
    assert "您没有查看该数据的权限" in rows["proxied-403"].detail
    assert (rows["proxied-404"].actor, rows["proxied-404"].action) == ("leader", "read_not_found")
    assert rows["proxied-404"].detail == "BuildingNotFound：楼宇 420106-0001 不存在"


def test_reads_an_upstream_shed_are_tallied_too(gw):
    leader = login(gw, "leader")["access_token"]
    for _ in range(3):
        resp = gw.get("/api/registry/busy", headers=bearer(leader))
        assert resp.status_code == 503 and resp.headers["Retry-After"] == "1"
        assert resp.json()["error"] == "Overloaded"  # passed on as the upstream sent it
    down = gw.get("/api/registry/db-down", headers=bearer(leader))
    assert down.status_code == 503 and down.json()["error"] == "DatabaseUnavailable"
    entries = gw.app.state.shed_ledger.entries()
    assert [(e["object"], e["path"]) for e in entries] == [("registry（服务自身）", "/api/registry/busy")]
    assert "3 个请求因系统繁忙被拒绝" in entries[0]["detail"]


def _scope(ip: str, path: str = "/api/registry/buildings") -> dict[str, object]:
    app = SimpleNamespace(state=SimpleNamespace(settings=SimpleNamespace(trust_forwarded_for=False)))
    return {"type": "http", "method": "GET", "path": path, "client": (ip, 1234), "headers": [], "app": app}


def test_the_ledger_tallies_sheds_per_lane():
    ledger = shed.ShedLedger(db=None, window=5)  # type: ignore[arg-type]
    reads, writes = "registry:read", "registry:write"
    for n in range(300):
        ledger.note(_scope(f"10.0.0.{n % 7}", f"/api/registry/buildings?p={n}"), reads)
    ledger.note(_scope("10.0.1.1", "/api/registry/buildings/x"), writes)
    entries = {e["object"]: e for e in ledger.entries()}
    assert set(entries) == {"registry:read", "registry:write"}
    read = entries["registry:read"]
    assert (read["status"], read["action"], read["result"], read["ip"]) == (
        503,
        "admission.shed",
        "failure",
        "10.0.0.0",
    )
    assert read["path"] == "/api/registry/buildings?p=0"
    assert "5 秒内 300 个请求因系统繁忙被拒绝" in read["detail"]
    # At most five addresses are named, the first ones seen.
    assert "10.0.0.0、10.0.0.1、10.0.0.2、10.0.0.3、10.0.0.4；" in read["detail"] + "；"
    assert "1 个请求" in entries["registry:write"]["detail"]
    assert ledger.entries() == []  # taken: the next window starts from nothing


def test_shed_requests_leave_one_tallied_row(db_urls, tmp_path, monkeypatch):
    monkeypatch.setattr(shed, "WINDOW_SECONDS", 0.5)
    url = db_urls("gateway")
    add_user(url, "leader", roles=["leader"])
    app, release = _upstream()
    upstream = ThreadServer(app).start()
    settings = settings_for(
        "gateway",
        url,
        tmp_path,
        frontend_dir=tmp_path / "no-frontend",
        registry_url=upstream.url,
        proxy_timeout_seconds=10.0,
        proxy_read_limit=1,
        admission_read_queue=1,
        admission_read_wait_seconds=0.05,
        admission_shed_delay_seconds=0,  # 20 sheds inside one tally window
    )
    gateway = ThreadServer(build_app("gateway", settings)).start()
    try:
        with httpx.Client(base_url=gateway.url, timeout=30) as http, ThreadPoolExecutor(2) as pool:
            headers = bearer(login(http, "leader")["access_token"])
            holder = pool.submit(http.get, "/api/registry/slow", headers=headers)
            deadline = time.monotonic() + 10
            statuses: list[int] = []
            # The only read place is taken by the slow request: the next ones are shed.
            while statuses.count(503) < 20 and time.monotonic() < deadline:
                statuses.append(http.get("/api/registry/fine", headers=headers).status_code)
            release.set()
            assert holder.result().status_code == 200
        shed_count = statuses.count(503)
        assert shed_count >= 20, statuses
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            rows = [r for r in _rows(url) if r.action == "admission.shed"]
            if sum(int(r.detail.split(" 个请求")[0].rsplit(" ", 1)[-1]) for r in rows) >= shed_count:
                break
            time.sleep(0.2)
    finally:
        release.set()
        gateway.stop()
        upstream.stop()
    assert rows, "no row for the shed requests"
    # Tallied: a handful of rows (one per lane and window), not one per shed request.
    assert len(rows) < shed_count / 4
    assert all(r.object == "registry:read" and r.status == 503 and r.ip == "127.0.0.1" for r in rows)
    assert sum(int(r.detail.split(" 个请求")[0].rsplit(" ", 1)[-1]) for r in rows) == shed_count
    # A shed request is not written one by one by the audit middleware either.
    assert not [r for r in _rows(url) if r.path == "/api/registry/fine" and r.action != "admission.shed"]
