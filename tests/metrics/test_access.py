"""Who reads which metrics: street users their streets, 楼长 their buildings, the statistics
bureau aggregates without enterprises, the tax bureau's ingest client nothing here."""

from __future__ import annotations

import pytest

from tests.metrics import rollup_case
from tests.metrics.conftest import (
    ADMIN,
    AUDITOR,
    CHIEF,
    DEPARTMENT,
    JIYUQIAO,
    STATS_CLIENT,
    STREET,
    TAX_CLIENT,
    YANGYUAN,
    metrics_db,
)


@pytest.fixture
def api(metrics):
    rollup_case.build(metrics_db(metrics))
    return metrics


def status(api, url, headers, **params):
    return api.get(url, params=params, headers=headers).status_code


class TestStreetUser:
    def test_reads_its_street(self, api):
        body = api.get(
            "/api/metrics/kpis", params={"level": "street", "code": JIYUQIAO, "period": "2025-06"}, headers=STREET
        ).json()
        assert body["tax_total"] == 350_000

    def test_other_street_and_its_buildings_are_404(self, api):
        assert status(api, "/api/metrics/kpis", STREET, level="street", code=YANGYUAN) == 404
        assert status(api, "/api/metrics/kpis", STREET, level="building", code="B3") == 404
        assert status(api, "/api/metrics/buildings/B3", STREET) == 404
        assert status(api, "/api/metrics/buildings/B3/enterprises", STREET) == 404
        assert status(api, "/api/metrics/rankings/buildings", STREET, street=YANGYUAN) == 404

    def test_district_figures_are_refused(self, api):
        resp = api.get("/api/metrics/kpis", params={"level": "district"}, headers=STREET)
        assert resp.status_code == 403
        assert resp.json()["detail"] == "您只能查看本人负责的街道或楼宇的数据"
        assert status(api, "/api/metrics/stats/aggregates", STREET) == 403

    def test_lists_hold_only_its_buildings(self, api):
        ranking = api.get("/api/metrics/rankings/buildings", params={"period": "2025-06"}, headers=STREET).json()
        assert [r["code"] for r in ranking["items"]] == ["B2", "B1"]
        streets = api.get("/api/metrics/streets", params={"period": "2025-06"}, headers=STREET).json()
        assert [s["code"] for s in streets["items"]] == [JIYUQIAO]
        assert streets.get("unattributed") is None  # 未入楼企业 is the district's alone
        theme = api.get(
            "/api/metrics/kpis", params={"level": "theme", "code": "finance", "period": "2025-06"}, headers=STREET
        ).json()
        assert theme["tax_total"] == 150_000  # B1 only; B3 (杨园) is filtered out

    def test_sees_tenants_of_its_buildings(self, api):
        body = api.get("/api/metrics/buildings/B1/enterprises", params={"period": "2025-06"}, headers=STREET).json()
        assert [e["name"] for e in body["items"]] == ["甲金融有限公司", "乙金融有限公司"]


class TestChief:
    def test_own_building_only(self, api):
        assert status(api, "/api/metrics/buildings/B1", CHIEF) == 200
        assert status(api, "/api/metrics/buildings/B2", CHIEF) == 404
        assert status(api, "/api/metrics/kpis", CHIEF, level="street", code=JIYUQIAO) == 404
        ranking = api.get("/api/metrics/rankings/buildings", headers=CHIEF).json()
        assert [r["code"] for r in ranking["items"]] == ["B1"]


class TestStatisticsBureauSystem:
    def test_reads_aggregates(self, api):
        assert status(api, "/api/metrics/kpis", STATS_CLIENT, level="district") == 200
        assert status(api, "/api/metrics/stats/aggregates", STATS_CLIENT, by="section") == 200
        assert status(api, "/api/metrics/rankings/buildings", STATS_CLIENT) == 200

    def test_no_enterprise_detail(self, api):
        resp = api.get("/api/metrics/buildings/B1/enterprises", headers=STATS_CLIENT)
        assert resp.status_code == 403
        page = api.get("/api/metrics/buildings/B1", params={"period": "2025-06"}, headers=STATS_CLIENT).json()
        assert page["top_taxpayers"] is None
        assert page["kpis"]["tax_total"] == 150_000
        text = api.get("/api/metrics/stats/aggregates", params={"by": "section"}, headers=STATS_CLIENT).text
        assert "甲金融有限公司" not in text and rollup_case.F1 not in text

    def test_no_dashboard(self, api):
        assert status(api, "/api/metrics/dashboard", STATS_CLIENT) == 403


@pytest.mark.parametrize("headers", [TAX_CLIENT, AUDITOR, ADMIN], ids=["facts-write-client", "auditor", "admin"])
@pytest.mark.parametrize(
    "url",
    [
        "/api/metrics/kpis",
        "/api/metrics/rankings/buildings",
        "/api/metrics/buildings/B1",
        "/api/metrics/buildings/B1/enterprises",
        "/api/metrics/dashboard",
        "/api/metrics/stats/aggregates",
        "/api/metrics/tiers",
    ],
)
def test_no_domain_reads(metrics, url, headers):
    assert status(metrics, url, headers) == 403


def test_department_reads_the_district(api):
    assert status(api, "/api/metrics/kpis", DEPARTMENT, level="district") == 200
    assert status(api, "/api/metrics/buildings/B3/enterprises", DEPARTMENT) == 200
