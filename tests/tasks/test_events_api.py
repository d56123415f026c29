"""楼宇活动: an event with organisers, invitees and outcomes (a lead and a demand), shown on the
month calendar and in the counts; street scope; the 考核 rule that counts events."""

from __future__ import annotations

from datetime import date

import pytest

from louyu_kit.clock import today_in_china
from tests.tasks.conftest import BUREAU, FGJ, JIYUQIAO, LEADER, SHUIGUOHU, STREET_SGH, token
from tests.tasks.field import chief_building, make_stack

STREET_JYQ = token("jiyuqiao", "street", streets=(JIYUQIAO,))
TODAY = today_in_china()


@pytest.fixture
def stack(make_client):
    return make_stack(make_client, tasks_supervision_interval_seconds=0)


def new_event(client, headers=BUREAU, **fields) -> dict:
    body = {
        "kind": "gov_enterprise_forum",
        "title": "数创大厦政企座谈会",
        "event_date": TODAY.isoformat(),
        "units": ["swj"],
        **fields,
    }
    resp = client.post("/api/tasks/events", json=body, headers=headers)
    assert resp.status_code == 201, resp.text
    return resp.json()


def test_an_event_with_invitees_and_outcomes_is_on_its_months_calendar(stack):
    building = chief_building(stack.registry)
    lead = stack.tasks.post(
        "/api/tasks/leads", json={"company_name": "意向科技有限公司", "building_code": building["code"]}, headers=BUREAU
    ).json()
    demand = stack.tasks.post(
        "/api/tasks/demands",
        json={"enterprise_name": "在楼企业有限公司", "category": "parking", "text": "停车位不足"},
        headers=BUREAU,
    ).json()
    event = new_event(
        stack.tasks,
        kind="bank_enterprise",
        title="银企对接会",
        event_date="2025-09-30",
        building_code=building["code"],
        units=["swj", SHUIGUOHU],
        invitees=[
            {"category": "enterprise", "name": "在楼企业有限公司"},
            {"category": "deputy", "name": "张代表"},
            {"category": "member", "name": "李委员"},
            {"category": "bank", "name": "某银行武昌支行"},
        ],
        attendance=35,
        lead_ids=[lead["id"]],
        demand_ids=[demand["id"]],
        policies="楼宇经济扶持政策十条",
    )
    assert event["kind_label"] == "银企对接" and event["building_name"] == "数创大厦"
    assert event["street_code"] == SHUIGUOHU and event["street_name"].startswith("水果湖")
    assert [u["code"] for u in event["units"]] == ["swj", SHUIGUOHU]
    assert event["invitee_counts"] == {"企业": 1, "人大代表": 1, "政协委员": 1, "银行": 1}
    assert [(o["kind"], o["id"]) for o in event["outcomes"]] == [("lead", lead["id"]), ("demand", demand["id"])]
    assert event["outcomes"][0]["status_label"] == "新线索"

    month = stack.tasks.get("/api/tasks/events/calendar", params={"month": "2025-09"}, headers=LEADER).json()
    assert month["total"] == 1 and month["items"][0]["id"] == event["id"]
    assert month["start_date"] == "2025-09-01" and month["end_date"] == "2025-09-30"
    assert (
        stack.tasks.get("/api/tasks/events/calendar", params={"month": "2025-10"}, headers=LEADER).json()["total"] == 0
    )
    bad = stack.tasks.get("/api/tasks/events/calendar", params={"month": "2025-13"}, headers=LEADER)
    assert bad.status_code == 422 and "YYYY-MM" in bad.json()["detail"]

    stats = stack.tasks.get("/api/tasks/events/stats", params={"year": 2025}, headers=BUREAU).json()
    assert stats["total"] == 1 and stats["by_kind"][0]["name"] == "银企对接"
    assert {u["code"]: u["count"] for u in stats["by_unit"]} == {"swj": 1, SHUIGUOHU: 1}


def test_a_place_or_a_building_is_needed_and_unknown_outcomes_are_422(stack):
    resp = stack.tasks.post(
        "/api/tasks/events",
        json={"kind": "promotion", "title": "专场推介会", "event_date": "2025-06-01", "units": ["swj"]},
        headers=BUREAU,
    )
    assert resp.status_code == 422 and "地点" in resp.json()["detail"]
    resp = stack.tasks.post(
        "/api/tasks/events",
        json={
            "kind": "promotion",
            "title": "专场推介会",
            "event_date": "2025-06-01",
            "units": ["swj"],
            "place": "区政务中心",
            "lead_ids": [999],
        },
        headers=BUREAU,
    )
    assert resp.status_code == 422 and "招商线索 999" in resp.json()["detail"]


def test_a_street_sees_and_records_only_its_own_streets_events(stack):
    sgh = new_event(stack.tasks, STREET_SGH, place="水果湖街道会议室", units=[SHUIGUOHU])
    assert sgh["street_code"] == SHUIGUOHU
    jyq = new_event(stack.tasks, STREET_JYQ, title="积玉桥长江楼宇议事厅", kind="yangtze_council", place="积玉桥")
    district = new_event(stack.tasks, BUREAU, title="全区政策宣讲会", kind="policy_briefing", place="区政务中心")
    assert district["street_code"] is None

    seen = stack.tasks.get("/api/tasks/events", headers=STREET_SGH).json()
    assert [e["id"] for e in seen["items"]] == [sgh["id"]]
    assert stack.tasks.get(f"/api/tasks/events/{jyq['id']}", headers=STREET_SGH).status_code == 404
    assert stack.tasks.delete(f"/api/tasks/events/{jyq['id']}", headers=STREET_SGH).status_code == 404
    # Another street's event cannot be recorded by a street …
    other = stack.tasks.post(
        "/api/tasks/events",
        json={
            "kind": "promotion",
            "title": "越界的活动",
            "event_date": "2025-06-01",
            "units": [SHUIGUOHU],
            "place": "积玉桥",
            "street_code": JIYUQIAO,
        },
        headers=STREET_SGH,
    )
    assert other.status_code == 403
    # … nor in a building of another street (registry answers 404 in the street's scope).
    jyq_building = chief_building(stack.registry, "中交大厦", chief="another", street=JIYUQIAO)
    body = {"kind": "promotion", "title": "越界", "event_date": "2025-06-01", "units": [SHUIGUOHU]}
    resp = stack.tasks.post(
        "/api/tasks/events", json={**body, "building_code": jyq_building["code"]}, headers=STREET_SGH
    )
    assert resp.status_code in (403, 404)
    # A department sees the events it organises; a leader reads all and records none.
    fgj_event = new_event(stack.tasks, BUREAU, title="发改局政策宣讲", place="区发改局", units=["fgj"])
    assert [e["id"] for e in stack.tasks.get("/api/tasks/events", headers=FGJ).json()["items"]] == [fgj_event["id"]]
    assert stack.tasks.get("/api/tasks/events", headers=LEADER).json()["total"] == 4
    leader = stack.tasks.post("/api/tasks/events", json={**body, "place": "某地"}, headers=LEADER)
    assert leader.status_code == 403


def test_the_assessment_rule_counts_events_per_organiser_and_street(stack):
    year = TODAY.year
    new_event(
        stack.tasks, STREET_SGH, place="水果湖街道会议室", units=[SHUIGUOHU], event_date=date(year, 1, 5).isoformat()
    )
    new_event(
        stack.tasks,
        BUREAU,
        place="水果湖某楼",
        units=["swj", "fgj"],
        street_code=SHUIGUOHU,
        event_date=date(year, 1, 6).isoformat(),
    )
    new_event(stack.tasks, BUREAU, place="去年的活动", units=["fgj"], event_date=date(year - 1, 12, 1).isoformat())
    weights = stack.tasks.get("/api/tasks/assessment/rules", headers=BUREAU).json()[0]["weights"]
    assert weights["event_held"] == 0.5
    resp = stack.tasks.put("/api/tasks/assessment/rules/*", json={**weights, "event_held": 2}, headers=BUREAU)
    assert resp.status_code == 200, resp.text
    result = stack.tasks.post("/api/tasks/assessment/runs", json={"period": str(year)}, headers=BUREAU).json()
    rows = {i["unit_code"]: {b["key"]: (b["count"], b["points"]) for b in i["breakdown"]} for i in result["items"]}
    assert rows[SHUIGUOHU]["event_held"] == (2, 4)  # its own, and the bureau's held in its street
    assert rows["fgj"]["event_held"] == (1, 2)  # last year's event is not in the period
    assert rows["swj"]["event_held"] == (1, 2)
    assert rows[JIYUQIAO]["event_held"] == (0, 0)


def test_attendance_and_outcomes_are_added_after_the_event_with_its_version(stack):
    event = new_event(stack.tasks, STREET_SGH, place="水果湖街道会议室", units=[SHUIGUOHU])
    lead = stack.tasks.post("/api/tasks/leads", json={"company_name": "会后对接有限公司"}, headers=BUREAU).json()
    url = f"/api/tasks/events/{event['id']}"
    read = stack.tasks.get(url, headers=STREET_SGH)
    assert read.headers["ETag"] == '"1"'
    body = {"attendance": 28, "lead_ids": [lead["id"]], "invitees": [{"category": "bank", "name": "某银行"}]}
    assert stack.tasks.patch(url, json=body, headers=STREET_SGH).status_code == 428
    changed = stack.tasks.patch(url, json=body, headers={**BUREAU, "If-Match": '"1"'})
    assert changed.status_code == 200, changed.text
    after = changed.json()
    assert after["attendance"] == 28 and after["invitee_counts"] == {"银行": 1} and after["version"] == 2
    assert [(o["kind"], o["id"]) for o in after["outcomes"]] == [("lead", lead["id"])]
    stale = stack.tasks.patch(url, json={"attendance": 30}, headers={**STREET_SGH, "If-Match": '"1"'})
    assert stale.status_code == 412
    other = stack.tasks.patch(url, json={"attendance": 30}, headers={**STREET_JYQ, "If-Match": '"2"'})
    assert other.status_code == 404
    leader = stack.tasks.patch(url, json={"attendance": 30}, headers={**LEADER, "If-Match": '"2"'})
    assert leader.status_code == 403
