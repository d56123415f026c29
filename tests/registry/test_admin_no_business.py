"""三员分立 (issue #14 items 4 and 5): the administrator reads no change feed and writes no
business reference data; feeds are for their consuming services' tokens only."""

from __future__ import annotations

import pytest

from louyu_kit.tokens import INTERNAL, TokenCodec
from tests.conftest import TEST_SECRET
from tests.registry.conftest import BUREAU, LEADER, token

ADMIN = token("admin", "admin")
THEME = {"name": "金融服务", "industry_prefixes": ["J"], "description": ""}
STREETS = {
    "district_code": "420102",
    "district_name": "江岸区",
    "streets": [{"code": "420102001", "name": "大智街道"}],
}


def service_token(name: str) -> dict[str, str]:
    codec = TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api")
    return {"Authorization": f"Bearer {codec.issue(sub=f'service:{name}', typ=INTERNAL, ttl_seconds=60).token}"}


class TestChangeFeedsAreForServices:
    @pytest.mark.parametrize("svc", ["registry", "tasks", "metrics"])
    def test_the_admin_reads_no_feed(self, make_client, svc):
        # The reproduction: GET /api/registry/changes as admin → 200 with every event.
        client = make_client(svc)
        resp = client.get(f"/api/{svc}/changes", headers=ADMIN)
        assert resp.status_code == 403
        assert "items" not in resp.json()

    @pytest.mark.parametrize("svc", ["registry", "tasks", "metrics"])
    def test_no_person_reads_a_feed(self, make_client, svc):
        client = make_client(svc)
        for headers in (BUREAU, LEADER, token("sj", "auditor")):
            assert client.get(f"/api/{svc}/changes", headers=headers).status_code == 403
        assert client.get(f"/api/{svc}/changes").status_code == 401

    def test_metrics_still_consumes_the_registry_feed(self, registry):
        registry.post("/api/registry/buildings", json={"name": "中交大厦", "street_code": "420106001"}, headers=BUREAU)
        resp = registry.get("/api/registry/changes", headers=service_token("metrics"))
        assert resp.status_code == 200
        assert [e["entity"] for e in resp.json()["items"]] == ["building"]

    def test_a_service_that_is_not_a_consumer_is_refused(self, registry):
        resp = registry.get("/api/registry/changes", headers=service_token("tasks"))
        assert resp.status_code == 403 and resp.json()["error"] == "NotAConsumer"


class TestReferenceDataIsTheBureaus:
    def test_the_admin_cannot_change_a_theme(self, registry):
        # The reproduction: PUT /api/registry/themes/{code} as admin → 200.
        assert registry.put("/api/registry/themes/finance", json=THEME, headers=ADMIN).status_code == 403
        new = {"code": "ai", "name": "人工智能", "industry_prefixes": ["6513"]}
        assert registry.post("/api/registry/themes", json=new, headers=ADMIN).status_code == 403
        themes = {t["code"]: t for t in registry.get("/api/registry/themes", headers=LEADER).json()}
        assert "ai" not in themes and themes["finance"]["industry_prefixes"] != ["J"]

    def test_the_admin_cannot_load_streets(self, registry):
        assert registry.post("/api/registry/streets", json=STREETS, headers=ADMIN).status_code == 403
        assert registry.get("/api/registry/streets", params={"district": "420102"}, headers=ADMIN).json() == []

    def test_the_bureau_still_can(self, registry):
        assert registry.put("/api/registry/themes/finance", json=THEME, headers=BUREAU).status_code == 200
        assert registry.post("/api/registry/streets", json=STREETS, headers=BUREAU).status_code == 200

    def test_the_admin_still_reads_the_streets_for_the_account_form(self, registry):
        streets = registry.get("/api/registry/streets", headers=ADMIN)
        assert streets.status_code == 200 and len(streets.json()) == 15

    def test_metrics_rules_are_the_bureaus(self, make_client):
        metrics = make_client("metrics")
        featured = metrics.put("/api/metrics/featured/rules/finance", json={"measure": "area"}, headers=ADMIN)
        assert featured.status_code == 403
        rules = {"rules": [{"code": "vacancy_rate", "enabled": False}]}
        assert metrics.put("/api/metrics/warnings/rules", json=rules, headers=ADMIN).status_code == 403

    def test_the_admin_reads_the_unit_list_only(self, make_client):
        tasks = make_client("tasks")
        assert tasks.get("/api/tasks/units", headers=ADMIN).status_code == 200
        body = {"code": "xyz", "name": "测试单位", "kind": "department"}
        assert tasks.post("/api/tasks/units", json=body, headers=ADMIN).status_code == 403
