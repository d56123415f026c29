"""The 大屏 kiosk account (role ``screen``, issue #18) reads the dashboard, the map and the warning
counts district-wide, and nothing else: other reads and every write answer 403."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.metrics.conftest import add_building, metrics_db, user_token

SCREEN = user_token("dapingmu", "screen")


def test_reads_what_the_screen_shows(metrics: TestClient) -> None:
    add_building(metrics_db(metrics), "420106-0001", name="中交大厦", leasable_area=1000.0)
    board = metrics.get("/api/metrics/dashboard", headers=SCREEN)
    assert board.status_code == 200, board.text
    assert board.json()["scope"]["level"] == "district"
    assert metrics.get("/api/metrics/map", headers=SCREEN).status_code == 200
    assert metrics.get("/api/metrics/warnings/levels", headers=SCREEN).status_code == 200


def test_other_reads_and_writes_are_refused(metrics: TestClient) -> None:
    add_building(metrics_db(metrics), "420106-0001", name="中交大厦", leasable_area=1000.0)
    for path in (
        "/api/metrics/warnings",
        "/api/metrics/warnings/rules",
        "/api/metrics/rankings/buildings",
        "/api/metrics/buildings/420106-0001",
        "/api/metrics/goals",
        "/api/metrics/kpis",
        "/api/metrics/streets",
        "/api/metrics/stats/aggregates",
        "/api/metrics/facts",
    ):
        assert metrics.get(path, headers=SCREEN).status_code == 403, path
    assert metrics.post("/api/metrics/warnings/evaluate", headers=SCREEN).status_code == 403
    change = {"rules": [{"code": "tax_drop"}]}
    assert metrics.put("/api/metrics/warnings/rules", json=change, headers=SCREEN).status_code == 403
