"""督办: notices by a person and by the daily rule, responses, escalation, open notices per unit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from louyu_kit.db import Database
from tasks.supervision.models import SupervisionNotice
from tasks.supervision.service import run_rule
from tasks.work.lights import LightRules, today_in_china
from tests.tasks.conftest import BUREAU, FGJ, LEADER, SHUIGUOHU, STREET_SGH, SWUJ, internal_token, new_plan, new_task

TODAY = today_in_china()


@pytest.fixture
def client(make_client):
    return make_client("tasks", tasks_supervision_interval_seconds=0, tasks_supervision_respond_days=5)


@pytest.fixture
def tasks(db_session):
    with db_session() as session:
        plan = new_plan(session)
        green = new_task(session, plan, "正常任务", lead="fgj", due=TODAY + timedelta(days=90))
        yellow = new_task(session, plan, "临期任务", lead="swuj", co=(SHUIGUOHU,), due=TODAY + timedelta(days=3))
        red = new_task(session, plan, "逾期任务", lead="fgj", co=("swj",), due=TODAY - timedelta(days=2))
        done = new_task(session, plan, "已完成", lead="fgj", due=TODAY - timedelta(days=9), progress=100, status="done")
        return {"green": green.id, "yellow": yellow.id, "red": red.id, "done": done.id}


def issue(client, task_id, headers=BUREAU, **body):
    return client.post("/api/tasks/supervision/notices", json={"task_id": task_id, **body}, headers=headers)


class TestIssue:
    def test_bureau_issues_on_a_red_task_to_its_lead_unit(self, client, tasks):
        resp = issue(client, tasks["red"])
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert (body["unit_code"], body["level"], body["light"], body["status"]) == ("fgj", 2, "red", "open")
        assert body["respond_by"] == (TODAY + timedelta(days=5)).isoformat()
        assert body["reason"].startswith("已逾期 2 天")
        timeline = client.get(f"/api/tasks/tasks/{tasks['red']}/updates", headers=LEADER).json()["items"]
        assert timeline[-1]["kind"] == "supervision" and "督办单" in timeline[-1]["text"]
        assert client.get(f"/api/tasks/tasks/{tasks['red']}", headers=LEADER).json()["open_notices"] == 1

    def test_yellow_task_gets_level_one_and_a_co_unit_may_be_chosen(self, client, tasks):
        body = issue(client, tasks["yellow"], unit_code=SHUIGUOHU).json()
        assert (body["unit_code"], body["level"]) == (SHUIGUOHU, 1)

    def test_green_task_is_409(self, client, tasks):
        resp = issue(client, tasks["green"])
        assert resp.status_code == 409 and resp.json()["error"] == "TaskOnTrack"
        assert issue(client, tasks["done"]).status_code == 409

    def test_unit_not_responsible_is_422(self, client, tasks):
        resp = issue(client, tasks["red"], unit_code="swuj")
        assert resp.status_code == 422 and resp.json()["fields"][0]["field"] == "unit_code"

    def test_second_open_notice_to_the_same_unit_is_409(self, client, tasks):
        issue(client, tasks["red"])
        resp = issue(client, tasks["red"])
        assert resp.status_code == 409 and resp.json()["error"] == "NoticeAlreadyOpen"

    def test_only_the_bureau_issues(self, client, tasks):
        assert issue(client, tasks["red"], headers=FGJ).status_code == 403
        assert issue(client, tasks["red"], headers=LEADER).status_code == 403


class TestResponse:
    def test_addressed_unit_responds_bureau_closes(self, client, tasks):
        notice = issue(client, tasks["red"]).json()
        url = f"/api/tasks/supervision/notices/{notice['id']}"
        assert client.post(f"{url}/response", json={"response": "已整改"}, headers=SWUJ).status_code == 404
        resp = client.post(f"{url}/response", json={"response": "已召开专题会，月底前完成"}, headers=FGJ)
        assert resp.status_code == 200 and resp.json()["status"] == "responded"
        assert resp.json()["responded_by"] == "fagai"
        assert client.post(f"{url}/close", json={}, headers=FGJ).status_code == 403
        closed = client.post(f"{url}/close", json={"note": "已核实"}, headers=BUREAU)
        assert closed.status_code == 200 and closed.json()["status"] == "closed"
        again = client.post(f"{url}/response", json={"response": "补充"}, headers=FGJ)
        assert again.status_code == 409

    def test_empty_response_is_422(self, client, tasks):
        notice = issue(client, tasks["red"]).json()
        resp = client.post(
            f"/api/tasks/supervision/notices/{notice['id']}/response", json={"response": ""}, headers=FGJ
        )
        assert resp.status_code == 422 and resp.json()["fields"][0]["field"] == "response"

    def test_escalation_up_to_level_three(self, client, tasks):
        notice = issue(client, tasks["yellow"]).json()
        url = f"/api/tasks/supervision/notices/{notice['id']}/escalate"
        assert client.post(url, headers=BUREAU).json()["level"] == 2
        body = client.post(url, headers=BUREAU).json()
        assert (body["level"], body["level_name"]) == (3, "通报")
        assert client.post(url, headers=BUREAU).status_code == 409


class TestLists:
    def test_units_see_only_their_notices(self, client, tasks):
        issue(client, tasks["red"])
        issue(client, tasks["yellow"], unit_code=SHUIGUOHU)
        assert client.get("/api/tasks/supervision/notices", headers=LEADER).json()["total"] == 2
        mine = client.get("/api/tasks/supervision/notices", headers=STREET_SGH).json()
        assert [n["unit_code"] for n in mine["items"]] == [SHUIGUOHU]
        assert client.get("/api/tasks/supervision/notices", headers=SWUJ).json()["total"] == 0

    def test_open_by_unit(self, client, tasks):
        first = issue(client, tasks["red"]).json()
        issue(client, tasks["yellow"])
        client.post(f"/api/tasks/supervision/notices/{first['id']}/response", json={"response": "推进中"}, headers=FGJ)
        rows = {r["unit_code"]: r for r in client.get("/api/tasks/supervision/open-by-unit", headers=LEADER).json()}
        assert (rows["fgj"]["open"], rows["fgj"]["responded"], rows["fgj"]["max_level"]) == (0, 1, 2)
        assert (rows["swuj"]["open"], rows["swuj"]["unit_name"]) == (1, "区税务局")


class TestDailyRule:
    def run(self, client):
        resp = client.post("/api/tasks/supervision/run", headers=BUREAU)
        assert resp.status_code == 200, resp.text
        return resp.json()

    def test_issues_on_yellow_and_red_once_per_day(self, client, tasks):
        # Per part (责任分解): every unit of the yellow and the red task is behind (all at 0%),
        # so each gets its own notice — the co-units too, not only the lead.
        assert self.run(client) == {"run_date": TODAY.isoformat(), "issued": 4, "escalated": 0, "reminded": 0}
        assert self.run(client) == {"run_date": TODAY.isoformat(), "issued": 0, "escalated": 0, "reminded": 0}
        notices = client.get("/api/tasks/supervision/notices", headers=LEADER).json()["items"]
        assert {(n["task_id"], n["unit_code"], n["level"], n["source"]) for n in notices} == {
            (tasks["red"], "fgj", 2, "rule"), (tasks["red"], "swj", 2, "rule"),
            (tasks["yellow"], "swuj", 1, "rule"), (tasks["yellow"], SHUIGUOHU, 1, "rule"),
        }  # fmt: skip

    def test_unanswered_notice_escalates_once_past_its_deadline(self, client, tasks, tasks_db_url):
        db = Database.from_url(tasks_db_url)
        rules = LightRules()
        try:
            with db.write_sessions.begin() as session:
                assert run_rule(session, today=TODAY, rules=rules, respond_days=5)["issued"] == 4
            later = TODAY + timedelta(days=6)
            with db.write_sessions.begin() as session:
                result = run_rule(session, today=later, rules=rules, respond_days=5)
            # Both notices are past their deadline and unanswered: one level up each, no new ones
            # (the tasks still have an open notice).
            assert (result["issued"], result["escalated"]) == (0, 4)
            with db.write_sessions.begin() as session:
                again = run_rule(session, today=later, rules=rules, respond_days=5)
                levels = sorted(n.level for n in session.query(SupervisionNotice))
            assert (again["issued"], again["escalated"]) == (0, 0)
            assert levels == [2, 2, 3, 3]
        finally:
            db.dispose()

    def test_closed_notice_lets_the_rule_issue_again_another_day(self, client, tasks, tasks_db_url):
        db = Database.from_url(tasks_db_url)
        try:
            with db.write_sessions.begin() as session:
                run_rule(session, today=TODAY, rules=LightRules(), respond_days=5)
                for notice in session.query(SupervisionNotice):
                    notice.status = "closed"
            with db.write_sessions.begin() as session:
                assert run_rule(session, today=TODAY, rules=LightRules(), respond_days=5)["issued"] == 0
                tomorrow = TODAY + timedelta(days=1)
                assert run_rule(session, today=tomorrow, rules=LightRules(), respond_days=5)["issued"] == 4
        finally:
            db.dispose()

    def test_rule_runs_when_the_service_starts(self, make_client, tasks):
        client = make_client("tasks", tasks_supervision_interval_seconds=3600)
        notices = client.get("/api/tasks/supervision/notices", headers=LEADER).json()
        assert notices["total"] == 4 and {n["source"] for n in notices["items"]} == {"rule"}

    def test_rule_off_when_the_interval_is_zero(self, make_client, tasks):
        client = make_client("tasks", tasks_supervision_interval_seconds=0)
        assert client.get("/api/tasks/supervision/notices", headers=LEADER).json()["total"] == 0

    def test_notices_are_in_the_change_feed(self, client, tasks):
        self.run(client)
        events = client.get("/api/tasks/changes", headers=internal_token()).json()["items"]
        assert [e["op"] for e in events if e["entity"] == "supervision"] == ["create"] * 4
