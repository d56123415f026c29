"""Issue 14 items 6, 9, 14: every write and every refusal leaves an audit row, whatever happens
to the request (a 500, a throttle, a client that hangs up after the upstream committed), and
the rows cannot be rewritten, not even with SQLite's INSERT OR REPLACE."""

from __future__ import annotations

import json
import socket
import time
import uuid

import pytest
from sqlalchemy import select, text

from gateway.audit.models import AuditEvent
from louyu_kit.db import Database
from metrics.facts.models import FactBatch
from tests.conftest import LANE, add_user, bearer, login
from tests.metrics.conftest import TAX_CLIENT, credit_code


def _rows(db_url: str) -> list[AuditEvent]:
    db = Database.from_url(db_url)
    try:
        with db.sessions() as session:
            return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    finally:
        db.dispose()


@pytest.fixture
def gw(make_client, db_urls):
    url = db_urls("gateway")
    for name, roles in {"admin": ["admin"], "auditor": ["auditor"]}.items():
        add_user(url, name, roles=roles)
    client = make_client("gateway", login_ip_max_failures=3)
    client.db_url = url
    return client


def test_a_write_that_ends_in_a_500_is_audited(gw, monkeypatch):
    from gateway.accounts import service

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(service, "create_user", broken)
    token = login(gw, "admin")["access_token"]
    body = {"username": "wang.wu", "display_name": "王五", "password": "Louyu-Test-2026", "roles": ["leader"]}
    resp = gw.post("/api/auth/users", json=body, headers=bearer(token))
    assert resp.status_code == 500
    rows = [r for r in _rows(gw.db_url) if r.path == "/api/auth/users"]
    assert [(r.method, r.status, r.result, r.actor) for r in rows] == [("POST", 500, "failure", "admin")]
    assert "服务器内部错误" in (rows[0].detail or "")


def test_the_ip_throttle_firing_is_audited(gw):
    for n in range(3):
        resp = gw.post("/api/auth/token", data={"grant_type": "password", "username": f"nobody{n}", "password": "x"})
        assert resp.status_code == 401
    resp = gw.post("/api/auth/token", data={"grant_type": "password", "username": "admin", "password": "x"})
    assert resp.status_code == 429
    assert resp.json()["error"] == "TooManyAttempts"
    rows = [r for r in _rows(gw.db_url) if r.path == "/api/auth/token"]
    assert [r.action for r in rows] == ["login_failed"] * 3 + ["login_throttled"]
    last = rows[-1]
    assert (last.status, last.result, last.object) == (429, "failure", "admin")
    assert "TooManyAttempts" in last.detail and "登录失败次数过多" in last.detail


def test_a_refusal_records_its_reason(gw):
    token = login(gw, "admin")["access_token"]
    # Item 14: an explicit null for a list was a 500, and went unaudited.
    resp = gw.patch("/api/auth/users/auditor", json={"street_codes": None}, headers=bearer(token))
    assert resp.status_code == 422
    assert "street_codes" in resp.json()["detail"]
    rows = [r for r in _rows(gw.db_url) if r.path == "/api/auth/users/auditor"]
    assert [(r.method, r.status, r.result) for r in rows] == [("PATCH", 422, "failure")]
    assert rows[0].detail.startswith("ValidationError：")


@pytest.mark.live
def test_a_batch_committed_after_the_client_hung_up_is_audited(live_stack):
    """The sender closes its connection right after sending a large batch; metrics commits it
    anyway (the gateway forwards the whole body): the audit trail must say so."""
    rows = [
        {"credit_code": credit_code(n), "period": "2025-06", "kind": "tax_total", "value": 1000} for n in range(8000)
    ]
    body = json.dumps({"source": "tax_bureau", "rows": rows}).encode()
    key = uuid.uuid4().hex
    head = (
        f"POST /api/metrics/facts/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Authorization: {TAX_CLIENT['Authorization']}\r\nIdempotency-Key: {key}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    port = live_stack.servers["gateway"].port
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(head + body)
    # The socket is closed: nobody reads the answer.
    metrics_db = Database.from_url(live_stack.db_urls["metrics"])
    try:
        deadline = time.monotonic() + 60
        batch = None
        while time.monotonic() < deadline:
            with metrics_db.sessions() as session:
                batch = session.scalar(select(FactBatch).where(FactBatch.idempotency_key == key))
            if batch is not None and batch.status != "processing":
                break
            time.sleep(0.2)
        assert batch is not None, "metrics never stored the batch"
        audit: list[AuditEvent] = []
        while time.monotonic() < deadline:
            audit = [r for r in _rows(live_stack.db_urls["gateway"]) if r.path == "/api/metrics/facts/batches"]
            if audit:
                break
            time.sleep(0.2)
    finally:
        metrics_db.dispose()
    assert [(r.action, r.status, r.result) for r in audit] == [("facts.batch", 201, "success")]
    assert audit[0].object == f"fact_batch:{batch.id}"
    assert audit[0].actor == "client:tax-bureau"


# ----- tampering ---------------------------------------------------------------------------


def _one_row(db: Database) -> int:
    with db.write_sessions() as session:
        event = AuditEvent(method="POST", path="/api/auth/users", status=201, action="user.create", result="success")
        session.add(event)
        session.commit()
        return event.id


TAMPERING = {
    "sqlite": [
        "INSERT OR REPLACE INTO audit_event (id, at, method, path, status, action, result) "
        "VALUES (:id, '2026-01-01 00:00:00', 'GET', '/', 200, 'forged', 'success')",
        "REPLACE INTO audit_event (id, at, method, path, status, action, result) "
        "VALUES (:id, '2026-01-01 00:00:00', 'GET', '/', 200, 'forged', 'success')",
        "INSERT INTO audit_event (id, at, method, path, status, action, result) "
        "VALUES (:id, '2026-01-01 00:00:00', 'GET', '/', 200, 'forged', 'success') "
        "ON CONFLICT (id) DO UPDATE SET action = 'forged'",
        "UPDATE audit_event SET action = 'forged' WHERE id = :id",
        "UPDATE OR REPLACE audit_event SET action = 'forged' WHERE id = :id",
        "DELETE FROM audit_event WHERE id = :id",
    ],
    "postgres": [
        "INSERT INTO audit_event (id, at, method, path, status, action, result) "
        "VALUES (:id, now(), 'GET', '/', 200, 'forged', 'success') "
        "ON CONFLICT (id) DO UPDATE SET action = 'forged'",
        "UPDATE audit_event SET action = 'forged' WHERE id = :id",
        "DELETE FROM audit_event WHERE id = :id",
        "TRUNCATE audit_event",
    ],
}


@pytest.mark.parametrize("statement", TAMPERING[LANE if LANE == "postgres" else "sqlite"])
def test_audit_rows_cannot_be_rewritten(db_urls, statement):
    db = Database.from_url(db_urls("gateway"))
    try:
        row_id = _one_row(db)
        with db.write_sessions() as session, pytest.raises(Exception, match="append-only"):
            session.execute(text(statement), {"id": row_id} if ":id" in statement else {})
            session.commit()
        with db.sessions() as session:
            kept = session.get(AuditEvent, row_id)
            assert kept is not None and kept.action == "user.create"
            assert session.scalar(select(AuditEvent).where(AuditEvent.action == "forged")) is None
    finally:
        db.dispose()


def test_ordinary_inserts_still_work(db_urls):
    db = Database.from_url(db_urls("gateway"))
    try:
        ids = [_one_row(db) for _ in range(3)]
    finally:
        db.dispose()
    assert len(set(ids)) == 3
