"""一企一档 in tasks: an enterprise's visits, demands and leads, scoped (the enterprise must be
visible to the caller in registry; each list by the caller's own scope)."""

from __future__ import annotations

import pytest

from tests.registry.conftest import move_in, new_enterprise
from tests.tasks.conftest import BUREAU, CHIEF_SGH, STREET_SGH, token
from tests.tasks.field import chief_building, make_stack

STREET_JYQ = token("jiyuqiao", "street", streets=("420106001",))


@pytest.fixture
def stack(make_client):
    return make_stack(make_client)


def test_visits_demands_and_leads_of_one_enterprise(stack):
    building = chief_building(stack.registry)
    enterprise = new_enterprise(stack.registry, 1, name="数创科技有限公司")
    cc = enterprise["credit_code"]
    assert move_in(stack.registry, cc, building["code"], "2024-01-01", area=300).status_code == 201
    body = {
        "building_code": building["code"],
        "notes": "走访数创科技",
        "tenants": [{"move": "present", "enterprise_name": "数创科技有限公司", "credit_code": cc}],
        "demands": [
            {"enterprise_name": "数创科技有限公司", "credit_code": cc, "category": "parking", "text": "停车难"}
        ],
    }
    visit = stack.tasks.post("/api/tasks/visits", json=body, headers=CHIEF_SGH)
    assert visit.status_code == 201, visit.text
    lead = stack.tasks.post(
        "/api/tasks/leads",
        json={"company_name": "数创科技有限公司", "credit_code": cc, "area_min": 500},
        headers=BUREAU,
    )
    assert lead.status_code == 201, lead.text
    stack.tasks.post("/api/tasks/leads", json={"company_name": "别的公司"}, headers=BUREAU)

    resp = stack.tasks.get(f"/api/tasks/enterprises/{cc}/record", headers=BUREAU)
    assert resp.status_code == 200, resp.text
    record = resp.json()
    assert record["name"] == "数创科技有限公司"
    assert [(v["id"], v["seen_as"]) for v in record["visits"]] == [(visit.json()["id"], "在楼")]
    assert [d["text"] for d in record["demands"]] == ["停车难"]
    assert record["demands"][0]["status_label"] and record["demands"][0]["category_label"] != "parking"
    assert [x["id"] for x in record["leads"]] == [lead.json()["id"]]

    street = stack.tasks.get(f"/api/tasks/enterprises/{cc}/record", headers=STREET_SGH)
    assert street.status_code == 200
    assert len(street.json()["visits"]) == 1 and len(street.json()["demands"]) == 1


def test_a_street_user_of_another_street_gets_404(stack):
    building = chief_building(stack.registry)
    cc = new_enterprise(stack.registry, 1)["credit_code"]
    move_in(stack.registry, cc, building["code"], "2024-01-01", area=300)
    assert stack.tasks.get(f"/api/tasks/enterprises/{cc}/record", headers=STREET_JYQ).status_code == 404
