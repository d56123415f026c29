"""Registry down for a while, then up: metrics catches up, and the KPIs it maintained
incrementally (hooks on every page of registry events and every batch of figures) equal the
KPIs of a fresh rebuild of every rollup.

The figures arrive first, through the ingest API, for enterprises registry does not know yet
(they count for the district, no building); the stays then come through the feed in two
rounds, the second one while metrics was down and registry then unreachable (see
``sync_helpers.catch_up_scenario``): e1 moves from A to B on 2025-06-01, e2's stay is deleted,
e3 moves out of B on 2025-03-31, e4 moves into A on 2025-07-01.
"""

from __future__ import annotations

from typing import Any

import httpx

from louyu_kit.db import Database
from metrics.rollups import service
from tests.metrics.conftest import LEADER, TAX_CLIENT
from tests.metrics.sync_helpers import catch_up_scenario, wait_for
from tests.registry.conftest import credit_code

ENTERPRISES = {101: 100_000, 102: 40_000, 103: 70_000, 104: 20_000}
MONTHS = [f"{year}-{month:02d}" for year in (2024, 2025) for month in range(1, 13)]
PERIODS = ("2025", "2025-06", "2025-Q2", "2025-05-YTD", "2024")


def post_figures(metrics_url: str) -> None:
    rows = [
        {
            "credit_code": credit_code(n),
            "period": month,
            "kind": kind,
            "value": value if kind == "tax_total" else value / 2,
        }
        for n, value in ENTERPRISES.items()
        for month in MONTHS
        for kind in ("tax_total", "tax_district")
    ]
    with httpx.Client(base_url=metrics_url, timeout=30) as client:
        resp = client.post(
            "/api/metrics/facts/batches",
            json={"source": "tax_bureau", "rows": rows},
            headers={**TAX_CLIENT, "Idempotency-Key": "catch-up-test-1"},
        )
    assert resp.status_code == 201, resp.text
    assert resp.json()["accepted"] == len(rows)


def snapshot(client: httpx.Client, buildings: list[str]) -> dict[str, Any]:
    """What the KPI endpoints answer (through the gateway)."""

    def get(url: str, **params: str) -> Any:
        resp = client.get(url, params=params, headers=LEADER)
        assert resp.status_code == 200, resp.text
        return resp.json()

    out: dict[str, Any] = {}
    for period in PERIODS:
        out[f"district {period}"] = get("/api/metrics/kpis", level="district", period=period)
        out[f"ranking {period}"] = get("/api/metrics/rankings/buildings", period=period)
        out[f"streets {period}"] = get("/api/metrics/streets", period=period)
        for code in buildings:
            out[f"{code} {period}"] = get("/api/metrics/kpis", level="building", code=code, period=period)
            out[f"{code} tenants {period}"] = get(f"/api/metrics/buildings/{code}/enterprises", period=period)
    return out


def pending(metrics_db_url: str) -> int:
    db = Database.from_url(metrics_db_url)
    try:
        with db.sessions() as session:
            return service.pending(session)
    finally:
        db.dispose()


def test_kpis_after_catch_up_equal_a_fresh_rebuild(live_stack, tmp_path):
    post_figures(live_stack.servers["metrics"].url)
    story = catch_up_scenario(live_stack, tmp_path)
    assert story.while_down["registry_reachable"] is False
    a, b = story.scene.buildings
    wait_for(lambda: pending(live_stack.db_urls["metrics"]) == 0, what="rollups to be current")
    with live_stack.client() as client:
        incremental = snapshot(client, [a, b])

        # The story, by hand: e1 (100,000 a month) is in A until 2025-05-31 and in B from June;
        # e3 (70,000) in B until 2025-03-31; e4 (20,000) in A from July; e2 in no building.
        june = {r["code"]: r["tax_total"] for r in incremental["ranking 2025-06"]["items"]}
        assert june == {a: None, b: 100_000}
        may = {r["code"]: r["tax_total"] for r in incremental["ranking 2025-05-YTD"]["items"]}
        assert may == {a: 500_000, b: 3 * 70_000}
        district_2025 = incremental["district 2025"]
        assert district_2025["tax_total"] == 12 * sum(ENTERPRISES.values())
        assert district_2025["unattributed"]["tax_total"] == 12 * 40_000 + 9 * 70_000 + 6 * 20_000

        db = Database.from_url(live_stack.db_urls["metrics"])
        try:
            with db.write_sessions() as session:
                service.rebuild_all(session)
                session.commit()
        finally:
            db.dispose()
        rebuilt = snapshot(client, [a, b])
    assert rebuilt == incremental
