"""诉求: the whole lifecycle including reopen, deadlines by category, the overdue list, and a
department that sees and answers only the demands of its own unit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from louyu_kit.clock import today_in_china
from tasks.demands.models import Demand
from tests.tasks.conftest import BUREAU, CHIEF_SGH, FGJ, LEADER, STREET_SGH, SWUJ, token
from tests.tasks.field import changes, chief_building, make_stack


@pytest.fixture
def stack(make_client):
    return make_stack(make_client)


def submit(client, headers=None, **fields) -> dict:
    # A 楼长 submits; naming the unit at once is for the bureau (or the street).
    headers = headers or (BUREAU if "unit" in fields else CHIEF_SGH)
    body = {"enterprise_name": "数创科技有限公司", "category": "parking", "text": "员工停车位不足", **fields}
    resp = client.post("/api/tasks/demands", json=body, headers=headers)
    assert resp.status_code == 201, resp.text
    return resp.json()


def act(client, demand: dict, action: str, headers, **body) -> dict:
    resp = client.post(f"/api/tasks/demands/{demand['id']}/{action}", json=body, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


class TestLifecycle:
    def test_submitted_assigned_started_answered_closed_reopened_answered_closed(self, stack):
        building = chief_building(stack.registry)
        demand = submit(stack.tasks, building_code=building["code"], contact_phone="13812341234")
        assert demand["status"] == "submitted"
        assert demand["street_code"] == building["street_code"]
        assert demand["due_date"] == (today_in_china() + timedelta(days=10)).isoformat()  # parking: 10 days
        assert demand["contact_phone"] == "138****1234"

        demand = act(stack.tasks, demand, "assign", BUREAU, unit="区发展和改革局", note="请发改局牵头")
        assert (demand["status"], demand["unit_code"], demand["unit_name"]) == ("assigned", "fgj", "区发改局")
        demand = act(stack.tasks, demand, "start", FGJ, note="已联系企业")
        assert demand["status"] == "in_progress"
        demand = act(stack.tasks, demand, "answer", FGJ, answer="已协调周边停车场提供50个车位")
        assert demand["status"] == "answered" and demand["answered_by"] == "fagai"
        demand = act(stack.tasks, demand, "close", CHIEF_SGH, satisfaction=2, note="企业认为车位太远")
        assert demand["status"] == "closed" and demand["satisfaction"] == 2

        demand = act(stack.tasks, demand, "reopen", CHIEF_SGH, reason="车位距离过远，企业不满意")
        assert demand["status"] == "reopened"
        assert demand["reopen_count"] == 1 and demand["satisfaction"] is None and demand["closed_at"] is None
        demand = act(stack.tasks, demand, "answer", FGJ, answer="改为园区地下车库车位")
        demand = act(stack.tasks, demand, "close", BUREAU, satisfaction=5)
        assert demand["status"] == "closed" and demand["satisfaction"] == 5

        steps = stack.tasks.get(f"/api/tasks/demands/{demand['id']}", headers=BUREAU).json()["steps"]
        assert [s["action"] for s in steps] == [
            "submit",
            "assign",
            "start",
            "answer",
            "close",
            "reopen",
            "answer",
            "close",
        ]
        assert [s["status_after"] for s in steps][-3:] == ["reopened", "answered", "closed"]
        events = changes(stack.tasks, "demand")
        assert len(events) == 8 and events[-1]["data"]["status"] == "closed"
        assert "contact_phone" not in events[0]["data"]

    def test_a_demand_cannot_be_closed_before_it_is_answered(self, stack):
        demand = submit(stack.tasks, unit="fgj")
        resp = stack.tasks.post(f"/api/tasks/demands/{demand['id']}/close", json={"satisfaction": 5}, headers=BUREAU)
        assert resp.status_code == 409
        assert "须先答复" in resp.json()["detail"]

    def test_satisfaction_is_one_to_five(self, stack):
        demand = submit(stack.tasks, unit="fgj")
        act(stack.tasks, demand, "answer", FGJ, answer="已办理完毕")
        resp = stack.tasks.post(f"/api/tasks/demands/{demand['id']}/close", json={"satisfaction": 6}, headers=BUREAU)
        assert resp.status_code == 422
        assert resp.json()["fields"][0]["field"] == "satisfaction"

    def test_a_chief_submits_but_does_not_assign(self, stack):
        body = {"enterprise_name": "某公司", "category": "policy", "text": "政策咨询", "unit": "fgj"}
        resp = stack.tasks.post("/api/tasks/demands", json=body, headers=CHIEF_SGH)
        assert resp.status_code == 403 and "承办单位" in resp.json()["detail"]
        assert stack.tasks.get("/api/tasks/demands", headers=BUREAU).json()["total"] == 0

    def test_an_unknown_unit_is_422_naming_the_field(self, stack):
        resp = stack.tasks.post(
            "/api/tasks/demands",
            json={"enterprise_name": "某公司", "category": "policy", "text": "政策咨询", "unit": "区不存在局"},
            headers=BUREAU,
        )
        assert resp.status_code == 422
        assert resp.json()["fields"][0]["field"] == "unit.0"

    def test_deadline_follows_the_configured_days_of_the_category(self, make_client):
        stack = make_stack(make_client, tasks_demand_deadlines="policy=3,other=30")
        policy = submit(stack.tasks, category="policy")
        talent = submit(stack.tasks, category="talent")
        assert policy["due_date"] == (today_in_china() + timedelta(days=3)).isoformat()
        assert talent["due_date"] == (today_in_china() + timedelta(days=30)).isoformat()
        days = {c["code"]: c["days"] for c in stack.tasks.get("/api/tasks/demand-categories", headers=BUREAU).json()}
        assert days["policy"] == 3 and days["parking"] == 30


class TestDepartmentScope:
    def test_a_department_sees_and_answers_only_demands_of_its_unit(self, stack):
        mine = submit(stack.tasks, unit="fgj", text="项目审批咨询")
        theirs = submit(stack.tasks, unit="swuj", text="税务登记迁入")
        unassigned = submit(stack.tasks, text="尚未交办的诉求")

        listed = stack.tasks.get("/api/tasks/demands", headers=FGJ).json()
        assert [d["id"] for d in listed["items"]] == [mine["id"]]
        assert stack.tasks.get(f"/api/tasks/demands/{theirs['id']}", headers=FGJ).status_code == 404
        assert stack.tasks.get(f"/api/tasks/demands/{unassigned['id']}", headers=FGJ).status_code == 404
        refused = stack.tasks.post(
            f"/api/tasks/demands/{theirs['id']}/answer", json={"answer": "越权答复"}, headers=FGJ
        )
        assert refused.status_code == 404
        act(stack.tasks, mine, "answer", FGJ, answer="已答复企业")

        # The tax bureau answers its own, not the development bureau's.
        assert stack.tasks.get(f"/api/tasks/demands/{mine['id']}", headers=SWUJ).status_code == 404
        act(stack.tasks, theirs, "answer", SWUJ, answer="已办理迁入")
        # Reassigned elsewhere, the demand leaves the department's list.
        act(stack.tasks, mine, "reopen", BUREAU, reason="企业仍有疑问")
        act(stack.tasks, mine, "assign", BUREAU, unit="swuj")
        assert stack.tasks.get("/api/tasks/demands", headers=FGJ).json()["total"] == 0

    def test_org_unit_given_as_a_name_resolves_to_the_unit(self, stack):
        demand = submit(stack.tasks, unit="fgj")
        by_name = token("fagai2", "department", org="区发展和改革局")
        assert stack.tasks.get(f"/api/tasks/demands/{demand['id']}", headers=by_name).status_code == 200

    def test_the_bureau_cannot_answer_for_a_department_and_a_department_cannot_assign(self, stack):
        demand = submit(stack.tasks, unit="fgj")
        resp = stack.tasks.post(f"/api/tasks/demands/{demand['id']}/answer", json={"answer": "代答复"}, headers=BUREAU)
        assert resp.status_code == 403
        resp = stack.tasks.post(f"/api/tasks/demands/{demand['id']}/assign", json={"unit": "swuj"}, headers=FGJ)
        assert resp.status_code == 403

    def test_a_street_sees_the_demands_of_its_buildings_and_the_leader_sees_all(self, stack):
        building = chief_building(stack.registry)
        in_street = submit(stack.tasks, building_code=building["code"])
        submit(stack.tasks, headers=BUREAU)
        assert [d["id"] for d in stack.tasks.get("/api/tasks/demands", headers=STREET_SGH).json()["items"]] == [
            in_street["id"]
        ]
        assert stack.tasks.get("/api/tasks/demands", headers=LEADER).json()["total"] == 2
        assert stack.tasks.post("/api/tasks/demands", json={}, headers=LEADER).status_code == 403


class TestOverdueAndContacts:
    def test_the_overdue_list_holds_open_demands_past_their_deadline(self, stack, tasks_db_url):
        late = submit(stack.tasks, unit="fgj", text="逾期未办")
        answered_late = submit(stack.tasks, unit="fgj", text="逾期但已答复")
        submit(stack.tasks, unit="fgj", text="未到期")
        act(stack.tasks, answered_late, "answer", FGJ, answer="已答复")
        from louyu_kit.db import Database

        db = Database.from_url(tasks_db_url)
        try:
            with db.write_sessions.begin() as session:
                session.execute(
                    update(Demand)
                    .where(Demand.id.in_([late["id"], answered_late["id"]]))
                    .values(due_date=today_in_china() - timedelta(days=1))
                )
        finally:
            db.dispose()
        overdue = stack.tasks.get("/api/tasks/demands/overdue", headers=BUREAU).json()
        assert [d["id"] for d in overdue["items"]] == [late["id"]]
        assert overdue["items"][0]["overdue"] is True
        assert stack.tasks.get("/api/tasks/demands/overdue", headers=FGJ).json()["total"] == 1
        assert stack.tasks.get("/api/tasks/demands/overdue", headers=SWUJ).json()["total"] == 0

    def test_revealing_the_contact_phone_is_audited(self, stack):
        demand = submit(stack.tasks, unit="fgj", contact_name="李经理", contact_phone="13812341234")
        resp = stack.tasks.post(f"/api/tasks/demands/{demand['id']}/contact/reveal", headers=FGJ)
        assert resp.status_code == 200
        assert resp.json() == {"contact_name": "李经理", "contact_phone": "13812341234"}
        assert resp.headers["x-audit-action"] == "phone.reveal"
        assert resp.headers["x-audit-object"] == f"demand:{demand['id']}"
        assert stack.tasks.post(f"/api/tasks/demands/{demand['id']}/contact/reveal", headers=LEADER).status_code == 403
