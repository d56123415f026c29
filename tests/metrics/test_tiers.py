"""Tiers: the 亿元 boundary (≥, exactly 100,000,000.00 counts; 99,999,999.99 does not), new
buildings in a tier compared with the previous year, 月亿楼, year-to-date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from metrics.rollups import queries
from tests.metrics import rollup_case
from tests.metrics.conftest import (
    LEADER,
    add_building,
    add_enterprise,
    add_fact,
    add_occupancy,
    credit_code,
    metrics_db,
)

X, Y, Z = credit_code(201), credit_code(202), credit_code(203)


@pytest.fixture
def db(metrics):
    db = metrics_db(metrics)
    for n, (code, building) in enumerate(((X, "BX"), (Y, "BY"), (Z, "BZ")), start=1):
        add_building(db, building)
        add_enterprise(db, code)
        add_occupancy(db, n, code, building, start=date(2023, 1, 1))
    # X: twelve months adding up to exactly 100,000,000.00 (eleven × 8,333,333.33 + 8,333,333.37).
    for month in range(1, 12):
        add_fact(db, X, f"2025-{month:02d}", "8333333.33")
    add_fact(db, X, "2025-12", "8333333.37")
    # Y: one cent short in 2025; a 亿元楼 already in 2024.
    add_fact(db, Y, "2025", "99999999.99")
    add_fact(db, Y, "2024", "150000000")
    # Z: 1亿 in a single month (月亿楼), 十亿元楼 for the year.
    add_fact(db, Z, "2025-03", "100000000")
    add_fact(db, Z, "2025-04", "900000000")
    rollup_case.rebuild(db)
    return db


def test_exactly_one_yi_counts_and_one_cent_less_does_not(db):
    with db.sessions() as session:
        totals = queries.building_totals(session, period="2025")
        assert totals["BX"] == Decimal("100000000.00")
        assert totals["BY"] == Decimal("99999999.99")
        result = queries.tiers(session, period="2025")
    tiers = {t.key: t for t in result["tiers"]}
    assert tiers["yiyuan"].buildings == ["BX", "BZ"]
    assert tiers["wuqianwan"].buildings == ["BX", "BY", "BZ"]
    assert tiers["shiyi"].buildings == ["BZ"]
    assert result["monthly_yi"] == ["BZ"]


def test_new_in_a_tier_compared_with_last_year(db):
    with db.sessions() as session:
        result = queries.tiers(session, period="2025")
    tiers = {t.key: t for t in result["tiers"]}
    # BY was a 亿元楼 in 2024 but not in 2025; BX and BZ are new.
    assert tiers["yiyuan"].new == ["BX", "BZ"]
    assert tiers["wuqianwan"].new == ["BX", "BZ"]


def test_year_to_date_counts_the_months_so_far(db):
    with db.sessions() as session:
        ytd = queries.tiers(session, period="2025-04-YTD")
    tiers = {t.key: t for t in ytd["tiers"]}
    # X has 4 × 8,333,333.33 by April; Y's year total is not in a year-to-date.
    assert tiers["qianwan"].buildings == ["BX", "BZ"]
    assert tiers["yiyuan"].buildings == ["BZ"]


def test_tiers_endpoint(db, metrics):
    resp = metrics.get("/api/metrics/tiers", params={"period": "2025"}, headers=LEADER)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    yiyuan = next(t for t in body["items"] if t["key"] == "yiyuan")
    assert yiyuan["count"] == 2 and yiyuan["threshold"] == 100_000_000
    assert [b["code"] for b in yiyuan["new"]] == ["BX", "BZ"]
    assert body["monthly_yi"]["count"] == 1
    assert "恰好 1 亿元计为亿元楼宇" in body["rule"]
    resp = metrics.get("/api/metrics/tiers", params={"period": "2025-06"}, headers=LEADER)
    assert resp.status_code == 422
