"""Hot answers kept serialised (issue #24): the dashboard and the KPIs are sent from stored bytes
with an ETag; a hit does not compute, ``If-None-Match`` gets a 304, gzip above a size, and new
data gives a new ETag."""

from __future__ import annotations

import pytest

from metrics.dashboard import service as dashboard_service
from metrics.kpis import service as kpis_service
from tests.metrics import rollup_case
from tests.metrics.conftest import LEADER, STREET, add_fact, metrics_db


@pytest.fixture
def api(make_client):
    # No background consumers: the answer's sync part (always current) must stay still here.
    metrics = make_client("metrics", metrics_sync_seconds=0, metrics_goals_sync_seconds=0, metrics_warnings_seconds=0)
    rollup_case.build(metrics_db(metrics))
    return metrics


def counting(monkeypatch, module, name):
    calls = []
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        calls.append(name)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def test_a_dashboard_hit_is_not_computed_and_if_none_match_gets_304(api, monkeypatch):
    computed = counting(monkeypatch, dashboard_service, "dashboard")
    first = api.get("/api/metrics/dashboard", params={"period": "2025-06"}, headers=LEADER)
    assert first.status_code == 200 and computed == ["dashboard"]
    etag = first.headers["ETag"]
    assert etag.startswith('"') and first.json()["cards"]

    again = api.get("/api/metrics/dashboard", params={"period": "2025-06"}, headers=LEADER)
    assert again.status_code == 200 and again.headers["ETag"] == etag
    assert again.content == first.content
    assert computed == ["dashboard"]  # served from the stored bytes

    unchanged = api.get(
        "/api/metrics/dashboard", params={"period": "2025-06"}, headers={**LEADER, "If-None-Match": etag}
    )
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["ETag"] == etag

    # Another scope is another answer: a street user never gets the district's bytes.
    street = api.get("/api/metrics/dashboard", params={"period": "2025-06"}, headers=STREET)
    assert street.status_code == 200 and street.headers["ETag"] != etag
    assert computed == ["dashboard", "dashboard"]


def test_new_figures_give_a_new_etag(api):
    url, params = "/api/metrics/dashboard", {"period": "2025-06"}
    before = api.get(url, params=params, headers=LEADER)
    db = metrics_db(api)
    add_fact(db, rollup_case.F1, "2025-07", 5_000_000)
    rollup_case.rebuild(db)
    after = api.get(url, params=params, headers={**LEADER, "If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.json()["monthly_trend"] != before.json()["monthly_trend"]


def test_gzip_only_above_the_size(api):
    params = {"period": "2025-06"}
    big = api.get("/api/metrics/dashboard", params=params, headers={**LEADER, "Accept-Encoding": "gzip"})
    plain = api.get("/api/metrics/dashboard", params=params, headers={**LEADER, "Accept-Encoding": "identity"})
    assert len(plain.content) > 1024
    assert big.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert big.content == plain.content  # (the test client inflates the gzipped one)
    assert big.headers["ETag"] == plain.headers["ETag"]
    small = api.get("/api/metrics/health", headers={"Accept-Encoding": "gzip"})
    assert len(small.content) < 1024 and "Content-Encoding" not in small.headers


def test_kpis_are_served_with_an_etag_and_304(api, monkeypatch):
    computed = counting(monkeypatch, kpis_service, "kpis")
    params = {"level": "district", "period": "2025-06"}
    first = api.get("/api/metrics/kpis", params=params, headers=LEADER)
    assert first.status_code == 200, first.text
    etag = first.headers["ETag"]
    second = api.get("/api/metrics/kpis", params=params, headers={**LEADER, "If-None-Match": etag})
    assert second.status_code == 304
    assert computed == ["kpis"]


def test_a_hit_asks_the_database_four_small_questions(api):
    """A cached dashboard costs its key — the data version and the sync part, two statements each —
    and nothing else: no computation, no per-feed or per-table round trips."""
    from sqlalchemy import event

    url, params = "/api/metrics/dashboard", {"period": "2025-06"}
    assert api.get(url, params=params, headers=LEADER).status_code == 200
    engine = api.app.state.db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert api.get(url, params=params, headers=LEADER).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 4, selects


def test_the_sync_part_is_current_on_a_hit(api):
    """The answer says how current the figures are: a feed that starts failing shows at once."""
    from datetime import UTC, datetime

    from metrics.readmodel.models import SyncState

    url, params = "/api/metrics/dashboard", {"period": "2025-06"}
    first = api.get(url, params=params, headers=LEADER)
    db = api.app.state.db
    with db.write_sessions() as session:
        row = session.get(SyncState, "registry") or SyncState(source="registry", cursor=0)
        row.last_error, row.last_error_at = "registry 暂时无法连接", datetime.now(UTC)
        session.add(row)
        session.commit()
    second = api.get(url, params=params, headers=LEADER)
    assert second.headers["ETag"] != first.headers["ETag"]
    assert second.json()["sync"]["sources"][0]["last_error"] == "registry 暂时无法连接"
