"""GET /dashboard: one call with the cockpit's first screen, against ``rollup_case``."""

from __future__ import annotations

import pytest

from tests.metrics import rollup_case
from tests.metrics.conftest import CHIEF, JIYUQIAO, LEADER, STATS_CLIENT, STREET, YANGYUAN, metrics_db


@pytest.fixture
def api(metrics):
    rollup_case.build(metrics_db(metrics))
    return metrics


def dashboard(api, headers=LEADER, **params):
    resp = api.get("/api/metrics/dashboard", params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def cards(body):
    return {c["key"]: c for c in body["cards"]}


def test_district_cards(api):
    body = dashboard(api, period="2025-06")
    c = cards(body)
    assert c["tax_total"]["value"] == 390_000  # buildings 380,000 + 10,000 of F5 in no building
    assert c["tax_total"]["previous"] == 240_000 and c["tax_total"]["yoy"] == 0.625
    assert c["tax_district"]["value"] == 195_000
    assert c["occupancy_rate"]["value"] == 0.225
    assert c["vacant_area"]["value"] == 31_000
    assert c["tenants"]["value"] == 4
    assert c["registration_rate"]["value"] == 0.5 and c["statistics_rate"]["value"] == 0.5
    assert c["buildings"]["value"] == 3
    # 坪效 of the buildings: 380,000 × 12 ÷ 70,000 m² GFA.
    assert c["tax_per_m2_gfa"]["value"] == round(380_000 * 12 / 70_000, 2)
    assert "按年折算" in c["tax_per_m2_gfa"]["note"]
    assert body["unattributed"]["tax_total"] == 10_000
    assert body["scope"]["level"] == "district"


def test_every_block_of_the_first_screen(api):
    body = dashboard(api, period="2025")
    assert body["period"]["label"] == "2025年"
    assert body["as_of"] == "2025-06"
    assert body["years"] == [2024, 2025]
    streets = [(s["code"], s["tax_total"]) for s in body["tax_by_street"] if s["tax_total"]]
    assert streets == [(JIYUQIAO, 2_100_000), (YANGYUAN, 180_000), ("_unattributed", 60_000)]
    trend = body["monthly_trend"]
    assert len(trend) == 12
    assert trend[0]["tax_total"] == 390_000 and trend[0]["previous_tax_total"] == 240_000
    assert trend[6]["tax_total"] is None
    mix = {m["code"]: m for m in body["theme_mix"]}
    assert mix["finance"]["tax_total"] == 1_080_000 and mix["finance"]["buildings"] == 2
    assert mix["_other"]["name"] == "无主题楼宇" and mix["_other"]["tax_total"] == 1_200_000
    assert [b["code"] for b in body["top_buildings"]] == ["B2", "B1", "B3"]
    qianwan = next(t for t in body["tiers"] if t["key"] == "qianwan")
    assert qianwan["count"] == 0
    assert any(t["key"] == "yueyi" for t in body["tiers"])
    assert "rollups_pending" in body["sync"]
    assert isinstance(body["warnings"], list) and isinstance(body["goals"], list)


def test_street_user_sees_its_street_only(api):
    body = dashboard(api, headers=STREET, period="2025-06")
    c = cards(body)
    assert c["tax_total"]["value"] == 350_000  # B1 + B2, no district-wide figures
    assert c["buildings"]["value"] == 2
    assert [s["code"] for s in body["tax_by_street"]] == [JIYUQIAO]  # no 未入楼企业, no empty 其他
    assert {b["code"] for b in body["top_buildings"]} == {"B1", "B2"}
    assert body["unattributed"] is None and body["goals"] == []
    assert body["monthly_trend"][5]["tax_total"] == 350_000
    assert body["scope"] == {"level": "own", "streets": [JIYUQIAO], "buildings": 2}


def test_chief_sees_his_building(api):
    body = dashboard(api, headers=CHIEF, period="2025-06")
    assert cards(body)["tax_total"]["value"] == 150_000
    assert [b["code"] for b in body["top_buildings"]] == ["B1"]


def test_statistics_bureau_system_has_no_dashboard(api):
    resp = api.get("/api/metrics/dashboard", headers=STATS_CLIENT)
    assert resp.status_code == 403
