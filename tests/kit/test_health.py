"""health answers while the process lives; ready answers 503 when the database cannot be reached."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import build_app, free_port, settings_for


@pytest.mark.parametrize("service", ["registry", "tasks", "metrics"])
def test_health_and_ready(make_client, service):
    client = make_client(service)
    assert client.get(f"/api/{service}/health").json() == {"status": "ok", "service": service}
    ready = client.get(f"/api/{service}/ready").json()
    assert (ready["status"], ready["service"], ready["saturated"]) == ("ready", service, False)
    # Readiness reports each lane's load (issue #24): in flight against the limit.
    assert {lane["lane"] for lane in ready["lanes"]} == {"read", "write"}
    assert all(lane["in_flight"] == 0 and lane["limit"] > 0 for lane in ready["lanes"])


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_ready_is_503_when_the_database_is_unreachable(tmp_path, kind):
    if kind == "sqlite":
        url = "sqlite:////nonexistent-louyu-dir/registry.db"
    else:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/louyu_nowhere"
    app = build_app("registry", settings_for("registry", url, tmp_path))
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/api/registry/health").status_code == 200
        resp = client.get("/api/registry/ready")
    assert resp.status_code == 503
    body = resp.json()
    assert body["error"] == "Unavailable" and "数据库" in body["detail"]
    assert "nonexistent" not in resp.text and "psycopg" not in resp.text


def test_gateway_with_its_database_down_answers_503(tmp_path):
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/louyu_nowhere"
    app = build_app("gateway", settings_for("gateway", url, tmp_path))
    with TestClient(app, raise_server_exceptions=False) as client:
        resp = client.post("/api/auth/token", data={"grant_type": "password", "username": "a", "password": "b"})
    assert resp.status_code == 503
    assert resp.json()["detail"] == "数据库暂时无法连接，请稍后重试"
