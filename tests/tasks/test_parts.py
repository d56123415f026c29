"""责任分解: each unit's part — the derivation rule, who reports on which part, 督办 per part,
the lead's confirmation, the reporting cycle (提醒 on the due day, 督办 after the grace days)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from louyu_kit.clock import today_in_china
from louyu_kit.db import Database
from tasks.parts import service as parts
from tasks.parts.derive import PartState, derive, task_light
from tasks.parts.models import TaskPart
from tasks.plans.models import Plan
from tasks.supervision.models import SupervisionNotice
from tasks.supervision.service import run_rule
from tasks.work.lights import LightRules
from tasks.work.models import Task
from tests.tasks.conftest import (
    BUREAU,
    CHIEF_SGH,
    FGJ,
    LEADER,
    SHUIGUOHU,
    STREET_SGH,
    SWUJ,
    YANGYUAN,
    new_plan,
    new_task,
)

TODAY = today_in_china()
RULES = LightRules()


def st(unit: str, progress: int, role: str = "co", weight: int = 1) -> PartState:
    status = "done" if progress >= 100 else "in_progress" if progress else "not_started"
    return PartState(unit_code=unit, role=role, progress=progress, status=status, weight=weight)


class TestDerivationRule:
    def test_progress_is_the_weighted_mean(self):
        d = derive([st("swj", 80, "lead"), st("fgj", 20)], confirmed=False)
        assert (d.progress, d.status, d.weakest_progress) == (50, "in_progress", 20)
        d = derive([st("swj", 80, "lead", weight=3), st("fgj", 20)], confirmed=False)
        assert d.progress == 65

    def test_weight_zero_leaves_a_part_out_of_progress_but_not_of_the_light(self):
        d = derive([st("swj", 60, "lead"), st("fgj", 0, weight=0)], confirmed=False)
        assert (d.progress, d.weakest_progress) == (60, 0)

    def test_all_parts_done_is_99_until_the_lead_confirms(self):
        parts_ = [st("swj", 100, "lead"), st("fgj", 100)]
        assert (derive(parts_, confirmed=False).progress, derive(parts_, confirmed=False).status) == (99, "in_progress")
        assert (derive(parts_, confirmed=True).progress, derive(parts_, confirmed=True).status) == (100, "done")

    def test_confirmation_does_not_hold_when_a_part_falls_back(self):
        d = derive([st("swj", 100, "lead"), st("fgj", 90)], confirmed=True)
        assert (d.progress, d.status) == (95, "in_progress")

    def test_nothing_begun_is_not_started_and_suspended_stays(self):
        assert derive([st("swj", 0, "lead"), st("fgj", 0)], confirmed=False).status == "not_started"
        assert derive([st("swj", 40, "lead")], confirmed=False, suspended=True).status == "suspended"

    def test_the_weakest_part_sets_the_light(self):
        start, due, today = date(2025, 1, 1), date(2025, 12, 31), date(2025, 7, 1)  # half the time gone
        ahead, behind = st("swj", 90, "lead"), st("fgj", 10)
        kwargs = {"start_date": start, "due_date": due, "today": today, "rules": RULES}
        d = derive([ahead, behind], confirmed=False)
        # The mean (50%) alone would be green; the co-unit at 10% is 40 points behind: yellow.
        assert task_light([ahead], progress=90, status="in_progress", **kwargs) == "green"
        assert task_light([ahead, behind], progress=d.progress, status=d.status, **kwargs) == "yellow"
        after_due = {**kwargs, "today": date(2026, 1, 2)}
        assert task_light([ahead, behind], progress=d.progress, status=d.status, **after_due) == "red"
        done = derive([st("swj", 100, "lead"), st("fgj", 100)], confirmed=True)
        assert task_light([], progress=done.progress, status=done.status, **after_due) == "green"


@pytest.fixture
def client(make_client):
    return make_client("tasks", tasks_supervision_interval_seconds=0, tasks_report_grace_days=5)


@pytest.fixture
def task_id(db_session):
    """A task of 区商务局 (lead) with 区发改局 and 水果湖街道, half its time gone."""
    with db_session() as session:
        plan = new_plan(session)
        task = new_task(
            session, plan, "盘活存量商务楼宇", lead="swj", co=("fgj", SHUIGUOHU),
            start=TODAY - timedelta(days=100), due=TODAY + timedelta(days=100),
        )  # fmt: skip
        return task.id


def parts_of(client, task_id, headers=LEADER):
    resp = client.get(f"/api/tasks/tasks/{task_id}/parts", headers=headers)
    assert resp.status_code == 200, resp.text
    return {p["unit_code"]: p for p in resp.json()["items"]}


def report(client, part_id, headers, **body):
    return client.post(f"/api/tasks/parts/{part_id}/reports", json=body, headers=headers)


class TestReports:
    def test_parts_are_listed_lead_first_with_duty_light_and_due_date(self, client, task_id):
        body = client.get(f"/api/tasks/tasks/{task_id}/parts", headers=LEADER).json()
        assert [p["unit_code"] for p in body["items"]] == ["swj", "fgj", SHUIGUOHU]
        assert [p["role"] for p in body["items"]] == ["lead", "co", "co"]
        assert body["cycle"] == {"months": 1, "day": 25, "scope": "default", "grace_days": 5}
        assert body["due_dates"] and all(d["due_date"].endswith("-25") for d in body["due_dates"])
        assert "加权平均" in body["rule"]

    def test_a_unit_reports_on_its_own_part_and_the_task_is_derived(self, client, task_id):
        p = parts_of(client, task_id)
        assert report(client, p["swj"]["id"], BUREAU, progress=90, text="已完成申报").status_code == 201
        resp = report(client, p["fgj"]["id"], FGJ, progress=30, text="项目梳理中")
        assert resp.status_code == 201, resp.text
        mine = {x["unit_code"]: x for x in resp.json()["items"]}
        assert (mine["fgj"]["progress"], mine["fgj"]["last_report_text"]) == (30, "项目梳理中")
        assert mine["fgj"]["can_report"] and not mine["swj"]["can_report"]
        task = client.get(f"/api/tasks/tasks/{task_id}", headers=LEADER).json()
        assert task["progress"] == round((90 + 30 + 0) / 3)  # 40
        # 水果湖街道 at 0% with half the time gone: the task is yellow because of it.
        assert task["light"] == "yellow" and task["light_reason"].startswith("水果湖街道")
        timeline = client.get(f"/api/tasks/tasks/{task_id}/updates", headers=LEADER).json()["items"]
        assert [(e["unit_code"], e["progress_after"]) for e in timeline if e["kind"] == "progress"] == [
            ("swj", 90), ("fgj", 30),
        ]  # fmt: skip

    def test_a_unit_cannot_report_on_another_units_part(self, client, task_id):
        p = parts_of(client, task_id)
        resp = report(client, p["swj"]["id"], FGJ, progress=100)
        assert resp.status_code == 403
        assert "只能报送本单位的分项" in resp.json()["detail"] and "区商务局" in resp.json()["detail"]
        assert report(client, p["fgj"]["id"], BUREAU, progress=100).status_code == 403
        assert report(client, p["fgj"]["id"], LEADER, progress=100).status_code == 403
        # A department outside the task reads it but reports nothing on it.
        assert report(client, p["fgj"]["id"], SWUJ, progress=100).status_code == 403
        assert parts_of(client, task_id)["swj"]["progress"] == 0

    def test_a_chief_reports_only_on_the_parts_of_their_street(self, client, task_id, db_session):
        p = parts_of(client, task_id)
        assert report(client, p[SHUIGUOHU]["id"], CHIEF_SGH, progress=20, text="扫楼完成").status_code == 201
        resp = report(client, p["fgj"]["id"], CHIEF_SGH, progress=20)
        assert resp.status_code == 403 and "楼长只能报送所属街道的分项" in resp.json()["detail"]
        with db_session() as session:
            plan = session.get(Plan, session.get(Task, task_id).plan_id)
            other = new_task(session, plan, "新建成楼宇招商", lead="swj", co=(YANGYUAN,))
            other_id = other.id
        yangyuan = parts_of(client, other_id)[YANGYUAN]
        assert report(client, yangyuan["id"], CHIEF_SGH, progress=20).status_code == 404  # not their street
        assert report(client, yangyuan["id"], STREET_SGH, progress=20).status_code in (403, 404)

    def test_shared_task_progress_is_closed(self, client, task_id):
        # The old single progress: a co-unit's report now moves only its own part.
        resp = client.post(f"/api/tasks/tasks/{task_id}/updates", json={"progress": 100}, headers=FGJ)
        assert resp.status_code == 201, resp.text
        assert resp.json()["progress"] == 33 and resp.json()["status"] == "in_progress"
        p = parts_of(client, task_id)
        assert (p["fgj"]["progress"], p["swj"]["progress"], p[SHUIGUOHU]["progress"]) == (100, 0, 0)
        # A leader, with no part, cannot set the task's progress at all.
        assert (
            client.post(f"/api/tasks/tasks/{task_id}/updates", json={"progress": 50}, headers=LEADER).status_code == 403
        )

    def test_only_the_lead_confirms_completion_once_every_part_is_done(self, client, task_id):
        p = parts_of(client, task_id)
        report(client, p["swj"]["id"], BUREAU, progress=100)
        report(client, p["fgj"]["id"], FGJ, progress=100)
        early = client.post(f"/api/tasks/tasks/{task_id}/complete", headers=BUREAU)
        assert early.status_code == 409 and "水果湖街道（0%）" in early.json()["detail"]
        report(client, p[SHUIGUOHU]["id"], STREET_SGH, progress=100)
        task = client.get(f"/api/tasks/tasks/{task_id}", headers=LEADER).json()
        assert (task["progress"], task["status"]) == (99, "in_progress")
        assert client.post(f"/api/tasks/tasks/{task_id}/complete", headers=FGJ).status_code == 403
        done = client.post(f"/api/tasks/tasks/{task_id}/complete", headers=BUREAU)
        assert done.status_code == 200 and done.json()["confirmed"]
        task = client.get(f"/api/tasks/tasks/{task_id}", headers=LEADER).json()
        assert (task["progress"], task["status"], task["light"]) == (100, "done", "green")

    def test_bureau_edits_a_duty_and_names_the_lead(self, client, task_id):
        p = parts_of(client, task_id)
        resp = client.patch(f"/api/tasks/parts/{p['fgj']['id']}", json={"duty": "统筹设备更新申报"}, headers=BUREAU)
        assert resp.status_code == 200
        fgj = {x["unit_code"]: x for x in resp.json()["items"]}["fgj"]
        assert (fgj["duty"], fgj["duty_source"]) == ("统筹设备更新申报", "edited")
        assert client.patch(f"/api/tasks/parts/{p['fgj']['id']}", json={"duty": "x"}, headers=FGJ).status_code == 403
        version = client.get(f"/api/tasks/tasks/{task_id}", headers=BUREAU).headers["etag"]
        resp = client.patch(
            f"/api/tasks/tasks/{task_id}",
            json={"lead_unit_code": "fgj", "co_unit_codes": ["swj", SHUIGUOHU]},
            headers={**BUREAU, "If-Match": version},
        )
        assert resp.status_code == 200, resp.text
        roles = {u: x["role"] for u, x in parts_of(client, task_id).items()}
        assert roles == {"fgj": "lead", "swj": "co", SHUIGUOHU: "co"}

    def test_removing_a_unit_removes_its_part(self, client, task_id):
        version = client.get(f"/api/tasks/tasks/{task_id}", headers=BUREAU).headers["etag"]
        client.patch(f"/api/tasks/tasks/{task_id}", json={"co_unit_codes": ["fgj"]},
                     headers={**BUREAU, "If-Match": version})  # fmt: skip
        assert set(parts_of(client, task_id)) == {"swj", "fgj"}


class TestSupervisionPerPart:
    def test_the_lagging_co_unit_gets_the_notice_not_the_lead(self, client, task_id, tasks_db_url):
        p = parts_of(client, task_id)
        report(client, p["swj"]["id"], BUREAU, progress=80)
        report(client, p[SHUIGUOHU]["id"], STREET_SGH, progress=60)
        # 区发改局 stays at 0% with half the time gone.
        db = Database.from_url(tasks_db_url)
        try:
            with db.write_sessions.begin() as session:
                result = run_rule(session, today=TODAY, rules=RULES, respond_days=5)
                notices = list(session.query(SupervisionNotice).filter_by(source="rule"))
                assert result["issued"] == 1
                assert [(n.unit_code, n.level, n.source) for n in notices] == [("fgj", 1, "rule")]
                assert "配合单位" in notices[0].reason
                # It has not reported either (the others just did): the missed report too.
                assert result["reminded"] == 1
                reminded = session.query(SupervisionNotice).filter_by(source="report").one()
                assert reminded.unit_code == "fgj"
        finally:
            db.dispose()
        body = client.get("/api/tasks/supervision/notices?level=1", headers=LEADER).json()["items"][0]
        assert (body["unit_name"], body["issuer_name"]) == ("区发改局", "区商务局")

    def test_manual_notice_defaults_to_the_weakest_part(self, client, task_id):
        p = parts_of(client, task_id)
        report(client, p["swj"]["id"], BUREAU, progress=80)
        report(client, p[SHUIGUOHU]["id"], STREET_SGH, progress=60)
        resp = client.post("/api/tasks/supervision/notices", json={"task_id": task_id}, headers=BUREAU)
        assert resp.status_code == 201 and resp.json()["unit_code"] == "fgj"
        green = client.post("/api/tasks/supervision/notices", json={"task_id": task_id, "unit_code": "swj"},
                            headers=BUREAU)  # fmt: skip
        assert green.status_code == 409 and green.json()["error"] == "PartOnTrack"

    def test_assessment_counts_each_units_own_part(self, db_session):
        from tasks.assessment.service import _task_counts
        from tasks.bulletins.periods import parse

        with db_session() as session:
            plan = new_plan(session)
            new_task(session, plan, "已到期", lead="swj", co=("fgj",), start=date(2025, 1, 1), due=date(2025, 6, 30),
                     parts={"swj": 100, "fgj": 40})  # fmt: skip
            counts = _task_counts(session, parse("2025"), date(2025, 12, 31))
        assert counts[("swj", "lead")] == [1, 0] and counts[("fgj", "co")] == [0, 1]


class TestReportingCycle:
    def test_due_state_of_the_cycle(self):
        dates = [date(2025, 3, 25), date(2025, 4, 25), date(2025, 5, 25)]
        kw = {"grace_days": 5, "done": False}
        assert parts.due_state(dates, [], today=date(2025, 3, 24), **kw).state == "upcoming"
        assert parts.due_state(dates, [], today=date(2025, 3, 25), **kw).state == "due"
        assert parts.due_state(dates, [], today=date(2025, 3, 30), **kw).state == "due"
        late = parts.due_state(dates, [], today=date(2025, 3, 31), **kw)
        assert (late.next_due_date, late.state) == (date(2025, 3, 25), "overdue")
        on_time = parts.due_state(dates, [date(2025, 3, 20)], today=date(2025, 3, 31), **kw)
        assert (on_time.next_due_date, on_time.state) == (date(2025, 4, 25), "upcoming")
        # A late report covers the missed date; the next month still needs its own.
        caught_up = parts.due_state(dates, [date(2025, 4, 2)], today=date(2025, 4, 26), **kw)
        assert caught_up.covered[date(2025, 3, 25)] and (caught_up.next_due_date, caught_up.state) == (
            date(2025, 4, 25), "due",
        )  # fmt: skip
        assert parts.due_state(dates, [], today=date(2025, 4, 1), grace_days=5, done=True).state == "none"

    def test_missing_report_is_a_reminder_then_a_supervision_after_grace(self, client, db_session, tasks_db_url):
        with db_session() as session:
            plan = new_plan(session)
            task = new_task(session, plan, "常态化开展系列活动", lead="swj", co=("fgj",),
                            start=date(2025, 3, 1), due=date(2025, 12, 31), parts={"swj": 10, "fgj": 10})  # fmt: skip
            task_id = task.id
        db = Database.from_url(tasks_db_url)
        kw = {"rules": RULES, "respond_days": 5, "report_day": 25, "grace_days": 5}
        try:
            with db.write_sessions.begin() as session:
                assert run_rule(session, today=date(2025, 3, 24), **kw)["reminded"] == 0
                due = parts.due_parts(session, unit_codes=["fgj"], today=date(2025, 3, 24), within_days=3)
                assert [(d.unit_code, d.due_date, d.state) for d in due] == [("fgj", date(2025, 3, 25), "upcoming")]
            with db.write_sessions.begin() as session:
                result = run_rule(session, today=date(2025, 3, 25), **kw)
                assert (result["reminded"], result["issued"], result["escalated"]) == (2, 0, 0)
                notices = session.query(SupervisionNotice).order_by(SupervisionNotice.unit_code).all()
                assert [(n.unit_code, n.level, n.source, n.respond_by) for n in notices] == [
                    ("fgj", 1, "report", date(2025, 3, 30)), ("swj", 1, "report", date(2025, 3, 30)),
                ]  # fmt: skip
                assert run_rule(session, today=date(2025, 3, 25), **kw)["reminded"] == 0  # once a day
            # 区商务局 reports within the grace days: its 提醒 is answered by the report.
            with db.write_sessions.begin() as session:
                task = session.get(Task, task_id)
                part = session.query(TaskPart).filter_by(task_id=task_id, unit_code="swj").one()
                from tasks.access import Actor
                from tasks.parts.schemas import PartReportCreate

                actor = Actor(username="shangwu", roles=frozenset({"bureau"}), unit_codes=frozenset({"swj"}))
                row, _ = parts.report(
                    session, part, task, data=PartReportCreate(progress=30, text="已报送"), actor=actor
                )
                row.created_at = datetime(2025, 3, 28, 2, 0, tzinfo=UTC)  # made on 28 March (China)
            with db.write_sessions.begin() as session:
                due = parts.due_parts(session, unit_codes=None, today=date(2025, 3, 31))
                assert [(d.unit_code, d.state, d.overdue) for d in due] == [("fgj", "overdue", True)]
                result = run_rule(session, today=date(2025, 3, 31), **kw)
                assert result["escalated"] == 1
                levels = {n.unit_code: (n.level, n.status) for n in session.query(SupervisionNotice)}
                assert levels == {"fgj": (2, "open"), "swj": (1, "responded")}  # 督办 after the grace days
        finally:
            db.dispose()

    def test_bureau_sets_the_cycle_per_plan_and_per_task(self, client, task_id):
        plan_id = client.get(f"/api/tasks/tasks/{task_id}", headers=LEADER).json()["plan_id"]
        resp = client.put(f"/api/tasks/plans/{plan_id}/report-cycle", json={"months": 3, "day": 10}, headers=BUREAU)
        assert resp.status_code == 200 and resp.json()["scope"] == "plan"
        read = client.get(f"/api/tasks/plans/{plan_id}/report-cycle", headers=LEADER).json()
        assert (read["months"], read["day"], read["scope"]) == (3, 10, "plan")
        assert client.get(f"/api/tasks/tasks/{task_id}/parts", headers=LEADER).json()["cycle"]["months"] == 3
        client.put(f"/api/tasks/tasks/{task_id}/report-cycle", json={"months": 1, "day": 5}, headers=BUREAU)
        body = client.get(f"/api/tasks/tasks/{task_id}/parts", headers=LEADER).json()
        assert (body["cycle"]["day"], body["cycle"]["scope"]) == (5, "task")
        assert all(d["due_date"].endswith("-05") for d in body["due_dates"])
        assert client.put(f"/api/tasks/tasks/{task_id}/report-cycle", json={"day": 5}, headers=FGJ).status_code == 403
        assert (
            client.put(f"/api/tasks/tasks/{task_id}/report-cycle", json={"day": 31}, headers=BUREAU).status_code == 422
        )

    def test_my_due_parts(self, client, task_id):
        resp = client.get("/api/tasks/parts/due?within_days=60", headers=FGJ)
        assert resp.status_code == 200
        assert {d["unit_code"] for d in resp.json()} == {"fgj"}


class TestImportAndBackfill:
    def test_import_creates_a_part_per_unit_with_the_plans_duty(self, db_session):
        from tasks.plans import service as plans
        from tasks.plans.schemas import ImportRequest
        from tests.tasks.conftest import REAL_PLAN

        with db_session() as session:
            result = plans.import_plan(session, request=ImportRequest(text=REAL_PLAN, save=True), actor="t")
            rows = session.query(TaskPart).join(Task, Task.id == TaskPart.task_id).filter(
                Task.plan_id == result["plan_id"]
            ).all()  # fmt: skip
            assert rows
            tax = [p for p in rows if p.unit_code == "swuj"]
            assert tax and tax[0].duty.startswith("参与扫楼行动") and tax[0].duty_source == "plan"
            units = {(t, u) for t, u in session.query(TaskPart.task_id, TaskPart.unit_code)}
            from tasks.work.models import TaskUnit

            task_units = {
                (t, u)
                for t, u, k in session.query(TaskUnit.task_id, TaskUnit.unit_code, Task.kind).join(
                    Task, Task.id == TaskUnit.task_id
                )
                if k != "section"
            }
            assert units == task_units
