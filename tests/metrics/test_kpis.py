"""KPIs through the API, against the hand-computed district of ``rollup_case``."""

from __future__ import annotations

import pytest

from tests.metrics import rollup_case
from tests.metrics.conftest import BUREAU, JIYUQIAO, LEADER, YANGYUAN, metrics_db


@pytest.fixture
def api(metrics):
    rollup_case.build(metrics_db(metrics))
    return metrics


def kpis(api, **params):
    resp = api.get("/api/metrics/kpis", params=params, headers=LEADER)
    assert resp.status_code == 200, resp.text
    return resp.json()


class TestDistrict:
    def test_month_totals_both_bases_and_yoy(self, api):
        body = kpis(api, level="district", period="2025-06")
        assert body["name"] == "全区"
        assert body["period"]["label"] == "2025年6月"
        assert body["tax_total"] == 390_000
        assert body["tax_district"] == 195_000
        assert body["unattributed"]["tax_total"] == 10_000
        assert body["yoy"]["tax_total"] == {"previous": 240_000, "change": 150_000, "rate": 0.625}

    def test_occupancy_from_stays_and_tenant_rates(self, api):
        body = kpis(api, level="district", period="2025-06")
        assert body["leasable_area"] == 40_000 and body["gfa"] == 70_000
        assert body["occupied_area"] == 9_000
        assert body["vacant_area"] == 31_000
        assert body["occupancy_rate"] == 0.225
        assert body["tenants"] == 4
        assert body["registration_rate"] == 0.5
        assert body["statistics_rate"] == 0.5

    def test_year_to_date_runs_to_the_latest_month_with_figures(self, api):
        body = kpis(api, level="district", period="2025-YTD")
        assert body["period"]["key"] == "2025-06-YTD"
        assert body["period"]["label"] == "2025年1-6月"
        assert body["tax_total"] == 2_340_000

    def test_default_period_is_the_latest_year_to_date(self, api):
        resp = api.get("/api/metrics/kpis", headers=BUREAU)
        assert resp.status_code == 200
        assert resp.json()["period"]["key"] == "2025-06-YTD"


class TestBuilding:
    def test_efficiency_is_annualised_on_gfa_and_occupied_area(self, api):
        body = kpis(api, level="building", code="B1", period="2025-06")
        assert body["tax_total"] == 150_000
        eff = body["efficiency"]
        assert eff["annualised"] is True and eff["factor"] == 12
        assert eff["tax_total_per_m2_gfa"] == 45.0  # 150,000 × 12 ÷ 40,000
        assert eff["tax_total_per_m2_occupied"] == 900.0  # 150,000 × 12 ÷ 2,000
        assert eff["tax_district_per_m2_gfa"] == 22.5
        ytd = kpis(api, level="building", code="B1", period="2025-06-YTD")["efficiency"]
        assert ytd["tax_total_per_m2_gfa"] == 45.0  # 900,000 × 12/6 ÷ 40,000

    def test_rank_in_district_and_street(self, api):
        body = kpis(api, level="building", code="B1", period="2025-06")
        assert body["rank"] == {"district": {"position": 2, "of": 3}, "street": {"position": 2, "of": 2}}
        assert body["occupancy_rate"] == 0.1
        assert body["yoy"]["tax_total"]["rate"] == round(20_000 / 130_000, 4)

    def test_unknown_building_is_404(self, api):
        resp = api.get("/api/metrics/kpis", params={"level": "building", "code": "NOPE"}, headers=LEADER)
        assert resp.status_code == 404
        assert resp.json()["detail"] == "楼宇 NOPE 不存在"


class TestStreetThemeZone:
    def test_street_sums_its_buildings_and_ranks_among_streets(self, api):
        body = kpis(api, level="street", code=JIYUQIAO, period="2025-06")
        assert body["name"] == "积玉桥街道"
        assert body["tax_total"] == 350_000
        assert body["buildings"] == 2
        assert body["rank"] == {"district": {"position": 1, "of": 2}, "street": None}
        assert kpis(api, level="street", code=YANGYUAN, period="2025-06")["tax_total"] == 30_000

    def test_theme_and_zone(self, api):
        assert kpis(api, level="theme", code="finance", period="2025-06")["tax_total"] == 180_000
        assert kpis(api, level="zone", code="滨江商务区", period="2025-06")["tax_total"] == 180_000

    def test_bad_period_and_level_answer_422_in_chinese(self, api):
        resp = api.get("/api/metrics/kpis", params={"period": "2025-13"}, headers=LEADER)
        assert resp.status_code == 422 and "统计期" in resp.json()["detail"]
        resp = api.get("/api/metrics/kpis", params={"level": "city"}, headers=LEADER)
        assert resp.status_code == 422 and "统计层级" in resp.json()["detail"]


class TestRankingAndDrillDown:
    def test_ranking_by_tax_then_by_occupancy(self, api):
        resp = api.get("/api/metrics/rankings/buildings", params={"period": "2025-06"}, headers=LEADER)
        body = resp.json()
        assert [(r["rank"], r["code"], r["tax_total"]) for r in body["items"]] == [
            (1, "B2", 200_000),
            (2, "B1", 150_000),
            (3, "B3", 30_000),
        ]
        by_occ = api.get(
            "/api/metrics/rankings/buildings", params={"period": "2025-06", "sort": "occupancy_rate"}, headers=LEADER
        ).json()
        assert [r["code"] for r in by_occ["items"]] == ["B2", "B3", "B1"]

    def test_ranking_filters(self, api):
        body = api.get(
            "/api/metrics/rankings/buildings", params={"period": "2025-06", "street": YANGYUAN}, headers=LEADER
        ).json()
        assert [r["code"] for r in body["items"]] == ["B3"]
        body = api.get(
            "/api/metrics/rankings/buildings", params={"period": "2025-06", "theme": "finance"}, headers=LEADER
        ).json()
        assert [r["code"] for r in body["items"]] == ["B1", "B3"]

    def test_street_to_building_to_enterprise(self, api):
        streets = api.get("/api/metrics/streets", params={"period": "2025-06"}, headers=LEADER).json()
        assert [(s["code"], s["tax_total"]) for s in streets["items"]] == [(JIYUQIAO, 350_000), (YANGYUAN, 30_000)]
        assert streets["unattributed"]["tax_total"] == 10_000
        enterprises = api.get(
            "/api/metrics/buildings/B1/enterprises", params={"period": "2025-06"}, headers=LEADER
        ).json()
        assert [(e["name"], e["tax_total"], e["share"]) for e in enterprises["items"]] == [
            ("甲金融有限公司", 100_000, 1.0),
            ("乙金融有限公司", 50_000, 1.0),
        ]

    def test_building_page_has_monthly_series_on_both_bases(self, api):
        body = api.get("/api/metrics/buildings/B2", params={"period": "2025"}, headers=LEADER).json()
        assert body["building"]["name"] == "数创大厦"
        assert len(body["monthly"]) == 12
        june = body["monthly"][5]
        assert june == {
            "period": "2025-06",
            "tax_total": 200_000,
            "tax_district": 100_000,
            "revenue": None,
            "previous_tax_total": 100_000,
            "previous_tax_district": 50_000,
        }
        assert body["monthly"][6]["tax_total"] is None
        assert body["kpis"]["tax_total"] == 1_200_000
        assert body["top_taxpayers"][0]["name"] == "丙软件有限公司"
        assert body["tier"] == {"period": "2025", "label": "", "tax_total": 1_200_000}
