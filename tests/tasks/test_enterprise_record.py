"""一企一档 in tasks: an enterprise's visits, demands, leads, policies, applications, deliveries,
events and 招商共享中心 stays, scoped (the enterprise must be visible to the caller in registry;
each list by the caller's own scope)."""

from __future__ import annotations

import pytest

from tests.registry.conftest import credit_code, move_in, new_enterprise
from tests.tasks.conftest import BUREAU, CHIEF_SGH, SHUIGUOHU, STREET_SGH, token
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


# ----- policies, applications, deliveries, events and 共享中心 stays (issue #17 item 7) ----------

KCRC = token("kechuang", "department", org="kcrc")  # 区科技创新与人才服务中心


def _policy(stack, **kw) -> dict:
    body = {
        "title": "（示例）武昌区支持软件和信息技术服务业发展若干措施",
        "issuer": "武昌区人民政府",
        "level": "district",
        "published_on": "2025-03-01",
        "industry_codes": ["65"],
        **kw,
    }
    resp = stack.tasks.post("/api/tasks/policies", json=body, headers=BUREAU)
    assert resp.status_code == 201, resp.text
    return resp.json()


def _whole_record(stack):
    """A software company in the 楼长's 水果湖 building with a matching policy, an application,
    two deliveries (on the 楼长's visit and by the bureau), an event invitation and a centre stay."""
    building = chief_building(stack.registry)
    cc = new_enterprise(stack.registry, 1, name="数创软件有限公司", industry_code="6513", employees=120)["credit_code"]
    assert move_in(stack.registry, cc, building["code"], "2024-01-01", area=300).status_code == 201
    other = new_enterprise(stack.registry, 2, name="楼下零售有限公司", industry_code="5211")["credit_code"]
    assert move_in(stack.registry, other, building["code"], "2024-01-01", area=100).status_code == 201

    soft = _policy(stack)
    big = _policy(stack, title="（示例）规模企业奖励", industry_codes=[], min_employees=100)
    _policy(stack, title="（示例）金融业扶持", industry_codes=["66"])
    _policy(stack, title="（示例）已过期的政策", industry_codes=[], valid_until="2020-12-31")

    app = stack.tasks.post(
        "/api/tasks/policy-applications",
        json={
            "policy_id": soft["id"],
            "credit_code": cc,
            "applied_on": "2025-04-01",
            "status": "paid",
            "amount_granted": "120000",
            "paid_on": "2025-08-01",
        },
        headers=KCRC,
    )
    assert app.status_code == 201, app.text
    visit = stack.tasks.post(
        "/api/tasks/visits",
        json={
            "building_code": building["code"],
            "policy_deliveries": [{"policy_id": soft["id"], "credit_code": cc, "enterprise_name": "数创软件有限公司"}],
        },
        headers=CHIEF_SGH,
    )
    assert visit.status_code == 201, visit.text
    by_bureau = stack.tasks.post(
        f"/api/tasks/policies/{big['id']}/deliveries",
        json={"credit_code": cc, "enterprise_name": "数创软件有限公司", "building_code": building["code"]},
        headers=BUREAU,
    )
    assert by_bureau.status_code == 201, by_bureau.text
    event = stack.tasks.post(
        "/api/tasks/events",
        json={
            "kind": "bank_enterprise",
            "title": "数创大厦银企对接会",
            "event_date": "2025-06-18",
            "building_code": building["code"],
            "units": ["swj"],
            "attendance": 40,
            "invitees": [
                {"category": "enterprise", "name": "数创软件有限公司", "credit_code": cc},
                {"category": "enterprise", "name": "楼下零售有限公司", "credit_code": other},
            ],
        },
        headers=BUREAU,
    )
    assert event.status_code == 201, event.text
    stack.tasks.post(
        "/api/tasks/events",
        json={
            "kind": "promotion",
            "title": "别家的推介会",
            "event_date": "2025-07-01",
            "place": "某地",
            "units": ["swj"],
        },
        headers=BUREAU,
    )
    centre = stack.tasks.post(
        "/api/tasks/centres",
        json={
            "name": "水果湖街道招商共享中心",
            "level": "street",
            "street_code": SHUIGUOHU,
            "opened_date": "2023-01-01",
            "desks": 10,
        },
        headers=BUREAU,
    )
    assert centre.status_code == 201, centre.text
    stay = stack.tasks.post(
        f"/api/tasks/centres/{centre.json()['id']}/stays",
        json={
            "enterprise_name": "数创软件有限公司",
            "credit_code": cc,
            "start_date": "2023-03-01",
            "end_date": "2023-12-31",
        },
        headers=BUREAU,
    )
    assert stay.status_code == 201, stay.text
    return cc, soft, big, visit.json()


def test_the_whole_record_lists_policies_applications_deliveries_events_and_centre_stays(stack):
    cc, soft, big, visit = _whole_record(stack)
    resp = stack.tasks.get(f"/api/tasks/enterprises/{cc}/record", headers=BUREAU)
    assert resp.status_code == 200, resp.text
    record = resp.json()

    matched = {m["policy_id"]: m for m in record["policy_matches"]}
    assert set(matched) == {soft["id"], big["id"]}  # not the 金融 one, not the expired one
    assert matched[soft["id"]]["reasons"] == ["行业 6513 属于政策支持的 65 软件和信息技术服务业"]
    assert matched[soft["id"]]["applied"] and matched[soft["id"]]["delivered"]
    assert matched[big["id"]]["reasons"] == ["从业人数 120 人，符合不少于 100 人的规模要求"]
    assert not matched[big["id"]]["applied"] and matched[big["id"]]["delivered"]

    [app] = record["applications"]
    assert (app["policy_id"], app["status"], app["status_label"]) == (soft["id"], "paid", "已兑现")
    assert float(app["amount_granted"]) == 120000 and app["paid_on"] == "2025-08-01"
    assert app["applied_on"] == "2025-04-01" and app["policy_title"] == soft["title"]

    by_method = {d["method"]: d for d in record["deliveries"]}
    assert by_method["visit"]["delivered_by"] == "louzhang" and by_method["visit"]["visit_id"] == visit["id"]
    assert by_method["visit"]["method_label"] == "走访送达"
    assert by_method["other"]["delivered_by"] == "shangwu" and by_method["other"]["policy_id"] == big["id"]

    [event] = record["events"]
    assert (event["kind"], event["kind_label"], event["event_date"]) == ("bank_enterprise", "银企对接", "2025-06-18")
    assert event["building_name"] == "数创大厦" and event["attendance"] == 40
    assert event["invited_as"] == "数创软件有限公司"

    [stay] = record["centre_stays"]
    assert stay["centre_name"] == "水果湖街道招商共享中心" and stay["centre_level_label"] == "街道"
    assert (stay["start_date"], stay["end_date"], stay["current"]) == ("2023-03-01", "2023-12-31", False)

    # the shop next door was invited to the same event but has nothing else
    other = stack.tasks.get(f"/api/tasks/enterprises/{credit_code(2)}/record", headers=BUREAU).json()
    assert [e["id"] for e in other["events"]] == [event["id"]]
    assert other["applications"] == other["deliveries"] == other["centre_stays"] == []
    assert [m["policy_id"] for m in other["policy_matches"]] == []


def test_another_streets_user_gets_404_for_the_whole_record(stack):
    cc, *_ = _whole_record(stack)
    assert stack.tasks.get(f"/api/tasks/enterprises/{cc}/record", headers=STREET_JYQ).status_code == 404


def test_the_street_and_the_chief_see_only_what_their_scope_allows(stack):
    cc, soft, big, visit = _whole_record(stack)
    street = stack.tasks.get(f"/api/tasks/enterprises/{cc}/record", headers=STREET_SGH).json()
    assert len(street["applications"]) == 1 and len(street["deliveries"]) == 2
    assert len(street["events"]) == 1 and len(street["centre_stays"]) == 1

    resp = stack.tasks.get(f"/api/tasks/enterprises/{cc}/record", headers=CHIEF_SGH)
    assert resp.status_code == 200, resp.text
    chief = resp.json()
    # policies are public: the matches are the same; the 楼长 sees their own delivery only,
    # no applications (申报与兑现 is not a 楼长's), no events of other units, no centres
    assert {m["policy_id"] for m in chief["policy_matches"]} == {soft["id"], big["id"]}
    assert [(d["method"], d["delivered_by"]) for d in chief["deliveries"]] == [("visit", "louzhang")]
    assert chief["applications"] == [] and chief["events"] == [] and chief["centre_stays"] == []
    assert [m["applied"] for m in chief["policy_matches"]] == [False, False]
