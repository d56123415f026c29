"""一企一档's figures: an enterprise's tax and revenue by month with 同比, scoped like building tax;
the enterprise list's tax columns only for those who may see tax."""

from __future__ import annotations

import pytest

from tests.metrics.conftest import (
    JIYUQIAO,
    YANGYUAN,
    add_building,
    add_enterprise,
    add_fact,
    add_occupancy,
    client_token,
    credit_code,
    metrics_db,
    user_token,
)

BUREAU = user_token("shangwu", "bureau")
DEPARTMENT = user_token("shuiwu", "department", org="swj_tax")
STREET_JYQ = user_token("jiyuqiao", "street", streets=[JIYUQIAO])
STREET_YY = user_token("yangyuan", "street", streets=[YANGYUAN])
ADMIN = user_token("admin", "admin")
STATS = client_token("tongjiju", "stats:read")
CC = credit_code(1)
OTHER = credit_code(2)


@pytest.fixture
def seeded(metrics):
    db = metrics_db(metrics)
    add_building(db, "B001", street_code=JIYUQIAO)
    add_enterprise(db, CC, name="金融测试有限公司")
    add_enterprise(db, OTHER, name="别处测试有限公司")
    add_occupancy(db, 1, CC, "B001")
    for month, now, before in (("01", 120, 100), ("02", 90, 100), ("03", 200, 0)):
        add_fact(db, CC, f"2025-{month}", now)
        add_fact(db, CC, f"2024-{month}", before)
    add_fact(db, CC, "2025-01", 1000, kind="revenue")
    add_fact(db, CC, "2024-01", 800, kind="revenue")
    add_fact(db, CC, "2025-01", 999, source="visit")  # the tax bureau's figure wins
    add_fact(db, OTHER, "2025-01", 50)
    return metrics


class TestFigures:
    def test_monthly_with_same_month_last_year_and_ytd(self, seeded):
        resp = seeded.get(f"/api/metrics/enterprises/{CC}/figures", params={"year": 2025}, headers=BUREAU)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        jan, feb, mar = body["months"][:3]
        assert (jan["tax_total"], jan["previous_tax_total"], jan["tax_total_yoy"]) == (120.0, 100.0, 0.2)
        assert (jan["revenue"], jan["revenue_yoy"]) == (1000.0, 0.25)
        assert feb["tax_total_yoy"] == -0.1
        assert mar["tax_total_yoy"] is None  # last year 0: not computable
        assert body["months"][3]["tax_total"] is None
        assert body["ytd"] == {
            "through": "2025-03",
            "tax_total": 410.0,
            "previous_tax_total": 200.0,
            "tax_total_yoy": 1.05,
            "tax_district": None,
            "revenue": 1000.0,
        }

    def test_department_reads_the_figures(self, seeded):
        assert seeded.get(f"/api/metrics/enterprises/{CC}/figures", headers=DEPARTMENT).status_code == 200

    def test_street_sees_its_own_enterprises_only(self, seeded):
        assert seeded.get(f"/api/metrics/enterprises/{CC}/figures", headers=STREET_JYQ).status_code == 200
        assert seeded.get(f"/api/metrics/enterprises/{CC}/figures", headers=STREET_YY).status_code == 404
        assert seeded.get(f"/api/metrics/enterprises/{OTHER}/figures", headers=STREET_JYQ).status_code == 404

    def test_roles_without_tax_are_refused(self, seeded):
        assert seeded.get(f"/api/metrics/enterprises/{CC}/figures", headers=STATS).status_code == 403
        assert seeded.get(f"/api/metrics/enterprises/{CC}/figures", headers=ADMIN).status_code == 403


class TestListColumns:
    def test_ytd_and_same_period_last_year_for_visible_enterprises(self, seeded):
        params = {"codes": f"{CC},{OTHER}", "year": 2025}
        body = seeded.get("/api/metrics/enterprises/tax", params=params, headers=BUREAU).json()
        assert body["through"] == "2025-03"
        rows = {r["credit_code"]: r for r in body["items"]}
        assert (rows[CC]["tax_total"], rows[CC]["previous_tax_total"]) == (410.0, 200.0)
        assert rows[OTHER]["tax_total"] == 50.0
        street = seeded.get("/api/metrics/enterprises/tax", params=params, headers=STREET_JYQ).json()
        assert [r["credit_code"] for r in street["items"]] == [CC]

    def test_no_tax_columns_for_roles_without_tax(self, seeded):
        params = {"codes": CC}
        assert seeded.get("/api/metrics/enterprises/tax", params=params, headers=STATS).status_code == 403
        assert seeded.get("/api/metrics/enterprises/tax", params=params, headers=ADMIN).status_code == 403


def test_without_a_year_the_latest_year_with_figures_is_shown(seeded):
    body = seeded.get(f"/api/metrics/enterprises/{CC}/figures", headers=BUREAU).json()
    assert body["year"] == 2025 and body["ytd"]["through"] == "2025-03"
    assert seeded.get("/api/metrics/enterprises/tax", params={"codes": CC}, headers=BUREAU).json()["year"] == 2025
