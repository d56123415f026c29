"""POST /plans/import (preview, corrections, save), plans, the task tree, goals for metrics."""

from __future__ import annotations

import pytest

from tests.tasks.conftest import BUREAU, FGJ, LEADER, REAL_PLAN, STREETS, internal_token, token


@pytest.fixture
def client(make_client):
    return make_client("tasks", tasks_supervision_interval_seconds=0)


def import_plan(client, text=REAL_PLAN, **body):
    return client.post("/api/tasks/plans/import", json={"text": text, **body}, headers=BUREAU)


def group_tasks(body):
    return [t for g in body["tasks"] for t in g["children"]]


class TestPreview:
    def test_preview_answers_the_whole_structure_and_saves_nothing(self, client):
        resp = import_plan(client)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["saved"] is False and body["plan_id"] is None
        assert body["title"] == "区十六届人大四次会议一号议案办理工作方案"
        assert len(group_tasks(body)) == 12
        assert {(g["metric"], g["target"]) for g in body["goals"]} == {
            ("yiyuan_buildings", "2"), ("featured_buildings", "8"), ("sharing_centres", "3"),
        }  # fmt: skip
        assert [p["start_date"] for p in body["phases"]] == ["2025-03-01", "2025-03-01", "2025-10-01"]
        assert client.get("/api/tasks/plans", headers=LEADER).json()["total"] == 0

    def test_only_the_bureau_imports(self, client):
        resp = client.post("/api/tasks/plans/import", json={"text": REAL_PLAN}, headers=FGJ)
        assert resp.status_code == 403

    def test_empty_text_is_422_naming_the_field(self, client):
        resp = client.post("/api/tasks/plans/import", json={"text": ""}, headers=BUREAU)
        assert resp.status_code == 422 and resp.json()["fields"][0]["field"] == "text"


class TestCorrections:
    def test_corrected_unit_replaces_an_unknown_name(self, client):
        text = "关于试点的方案\n一、主要任务\n1.开展试点。（责任单位：区商务局、区火星开发局）\n"
        preview = import_plan(client, text).json()
        assert any(w["code"] == "unknown_unit" for w in preview["warnings"])
        units = preview["tasks"][0]["units"]
        units[1].update(code="fgj", matched_by="manual")
        preview["lead_unit"] = {"written": "区商务局", "code": "swj", "role": "lead"}
        checked = import_plan(client, text, plan=preview).json()
        assert [u["name"] for u in checked["tasks"][0]["units"]] == ["区商务局", "区发改局"]
        assert not [w for w in checked["warnings"] if w["code"] == "unknown_unit"]
        saved = import_plan(client, text, plan=checked, save=True)
        assert saved.status_code == 201, saved.text
        tasks = client.get("/api/tasks/tasks", params={"plan": saved.json()["plan_id"]}, headers=LEADER).json()
        assert tasks["total"] == 1 and tasks["items"][0]["lead_unit_code"] == "swj"

    def test_a_retyped_name_is_looked_up_again(self, client):
        text = "关于试点的方案\n一、主要任务\n1.开展试点。（责任单位：区商务局、区火星开发局）\n"
        preview = import_plan(client, text).json()
        preview["tasks"][0]["units"][1]["written"] = "各街道办事处"
        checked = import_plan(client, text, plan=preview).json()
        units = checked["tasks"][0]["units"]
        assert [u["code"] for u in units] == ["swj", *STREETS]
        assert {u["written"] for u in units[1:]} == {"各街道办事处"}

    def test_unknown_code_in_a_correction_is_422_with_the_path(self, client):
        preview = import_plan(client).json()
        preview["tasks"][0]["children"][1]["units"][0]["code"] = "nope"
        resp = import_plan(client, plan=preview)
        assert resp.status_code == 422
        assert resp.json()["fields"][0]["field"] == "plan.tasks[0].children[1].units[0].code"

    def test_collective_code_is_refused_in_a_correction(self, client):
        preview = import_plan(client).json()
        preview["tasks"][0]["children"][0]["units"][0]["code"] = "all_streets"
        resp = import_plan(client, plan=preview)
        assert resp.status_code == 422 and "统称" in resp.json()["detail"]

    def test_phase_dates_in_wrong_order_are_422(self, client):
        preview = import_plan(client).json()
        preview["phases"][0]["end_date"] = "2025-02-01"
        resp = import_plan(client, plan=preview)
        assert resp.status_code == 422


class TestSave:
    @pytest.fixture
    def saved(self, client):
        resp = import_plan(client, save=True)
        assert resp.status_code == 201, resp.text
        return resp.json()

    def test_real_plan_saved_with_tasks_units_and_due_dates(self, client, saved):
        plan_id = saved["plan_id"]
        tasks = client.get(
            "/api/tasks/tasks", params={"plan": plan_id, "kind": "task", "page_size": 50}, headers=LEADER
        ).json()
        assert tasks["total"] == 12
        assert {t["lead_unit_code"] for t in tasks["items"]} == {"swj"}
        assert {t["due_date"] for t in tasks["items"]} == {"2025-09-30"}  # end of 全面推进阶段
        first = client.get(f"/api/tasks/tasks/{tasks['items'][0]['id']}", headers=LEADER).json()
        assert [u["code"] for u in first["units"]] == ["zfb", "shgzb", "swj", "gsl", "mzj", "xzspj", *STREETS]
        assert first["units"][-1]["written_as"] == "各街道办事处"
        assert first["phase"]["name"] == "全面推进阶段" and first["start_date"] == "2025-03-01"

    def test_plan_read_has_duties_phases_goals(self, client, saved):
        plan = client.get(f"/api/tasks/plans/{saved['plan_id']}", headers=FGJ).json()
        assert plan["lead_unit_name"] == "区商务局"
        duties = {u["code"]: u for u in plan["units"]}
        assert duties["swj"]["role"] == "lead" and duties["swuj"]["duty"].startswith("参与扫楼行动")
        assert len([u for u in plan["units"] if u["role"] == "co"]) == 24 + 14
        assert [p["name"] for p in plan["phases"]] == ["动员部署阶段", "全面推进阶段", "总结验收阶段"]
        assert [s["title"] for s in plan["sections"]][:3] == ["指导思想", "工作目标", "主要任务"]

    def test_tree_groups_tasks_and_phase_milestones(self, client, saved):
        tree = client.get(f"/api/tasks/plans/{saved['plan_id']}/tree", headers=LEADER).json()
        groups = [n for n in tree if n["kind"] == "section"]
        assert [len(g["children"]) for g in groups[:4]] == [3, 3, 3, 3]
        steps = groups[4]
        assert steps["title"] == "工作步骤：动员部署阶段"
        assert [m["title"] for m in steps["children"]] == [
            "成立一号议案办理工作领导小组",
            "拟定《区十六届人大四次会议一号议案办理工作方案》",
            "召开动员会,部署办理工作",
        ]
        assert all(m["kind"] == "milestone" and m["due_date"] == "2025-03-31" for m in steps["children"])

    def test_same_document_number_twice_is_409(self, client, saved):
        resp = import_plan(client, save=True)
        assert resp.status_code == 409 and resp.json()["error"] == "DuplicatePlan"

    def test_goals_for_metrics(self, client, saved):
        resp = client.get("/api/tasks/goals", headers=internal_token("metrics"))
        assert resp.status_code == 200
        body = resp.json()
        assert body["total"] == 3
        by_metric = {g["metric"]: g for g in body["items"]}
        assert by_metric["yiyuan_buildings"]["target"] == "2.00" or float(by_metric["yiyuan_buildings"]["target"]) == 2
        assert by_metric["featured_buildings"]["unit"] == "栋"
        assert by_metric["sharing_centres"]["phase_end_date"] == "2025-10-31"
        assert by_metric["sharing_centres"]["plan_title"] == "区十六届人大四次会议一号议案办理工作方案"
        assert [
            (g["metric_name"], g["comparison"], g["baseline"], g["measured_by"], g["is_demo"]) for g in body["items"]
        ] == [
            ("亿元楼宇", "increase", "previous_year_end", "metrics", False),
            ("特色楼宇", "increase", "previous_year_end", "metrics", False),
            ("招商共享中心", "increase", "previous_year_end", "metrics", False),
        ]
        assert client.get("/api/tasks/goals", headers=LEADER).status_code == 200
        assert client.get("/api/tasks/goals", headers=FGJ).status_code == 403

    def test_delete_plan_removes_its_tasks(self, client, saved):
        plan_id = saved["plan_id"]
        assert client.delete(f"/api/tasks/plans/{plan_id}", headers=FGJ).status_code == 403
        assert client.delete(f"/api/tasks/plans/{plan_id}", headers=BUREAU).status_code == 204
        assert client.get(f"/api/tasks/plans/{plan_id}", headers=LEADER).status_code == 404
        assert client.get("/api/tasks/tasks", params={"plan": plan_id}, headers=LEADER).json()["total"] == 0

    def test_change_feed_carries_the_tasks(self, client, saved):
        events = client.get("/api/tasks/changes", params={"limit": 1000}, headers=internal_token()).json()["items"]
        task_events = [e for e in events if e["entity"] == "task"]
        assert len(task_events) == 12 + 6  # twelve tasks and six phase milestones
        assert {e["op"] for e in task_events} == {"create"}
        assert any(e["entity"] == "plan" for e in events)

    def test_auditor_cannot_read_plans(self, client, saved):
        assert client.get("/api/tasks/plans", headers=token("a", "auditor")).status_code == 403


class TestDemo:
    def test_demo_imports_the_real_plan_once_with_marked_progress(self, make_client, tasks_db_url):
        from tasks.demo import load_if_empty

        counts = load_if_empty(tasks_db_url)
        assert counts == {"tasks": 12, "milestones": 6, "goals": 3, "reports": counts["reports"]}
        assert load_if_empty(tasks_db_url) is None
        client = make_client("tasks", tasks_supervision_interval_seconds=0)
        dept = token("demo_dept", "department", org="fgj")
        mine = client.get("/api/tasks/tasks/mine", params={"kind": "task", "page_size": 50}, headers=dept).json()
        assert mine["total"] == 8 and all(t["is_demo"] for t in mine["items"])
        timeline = client.get(f"/api/tasks/tasks/{mine['items'][0]['id']}/updates", headers=dept).json()["items"]
        reports = [e for e in timeline if e["kind"] == "progress"]
        assert reports and all(e["text"].startswith("（演示）") and e["is_demo"] for e in reports)

    def test_demo_progress_is_dated_through_the_year_and_finished_tasks_mostly_on_time(self, tasks_db_url):
        from sqlalchemy import select

        from louyu_kit.clock import CHINA
        from louyu_kit.db import Database
        from tasks.assessment.models import AssessmentRun
        from tasks.bulletins.models import Bulletin
        from tasks.demo import load_if_empty
        from tasks.work.models import Task, TaskUpdate

        load_if_empty(tasks_db_url)
        db = Database.from_url(tasks_db_url)
        try:
            with db.write_sessions.begin() as session:
                days = {u.created_at.astimezone(CHINA).date() for u in session.scalars(select(TaskUpdate))}
                assert len(days) > 20  # not all stamped with the day of loading
                done = [t for t in session.scalars(select(Task)) if t.status == "done" and t.due_date]
                on_time = [t for t in done if t.completed_at.astimezone(CHINA).date() <= t.due_date]
                late = [t for t in done if t not in on_time]
                assert done and len(on_time) > len(late) >= 1
                periods = sorted(b.period for b in session.scalars(select(Bulletin)))
                assert periods == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
                assert session.scalar(select(AssessmentRun.period)) == "2025-Q4"
        finally:
            db.dispose()

    def test_demo_has_leads_at_every_stage_and_demands_in_every_state(self, tasks_db_url):
        from sqlalchemy import select

        from louyu_kit.db import Database
        from tasks.demands.models import STATUSES, Demand
        from tasks.demo import load_if_empty
        from tasks.leads.models import STAGES, Lead

        load_if_empty(tasks_db_url)
        db = Database.from_url(tasks_db_url)
        try:
            with db.write_sessions.begin() as session:
                leads = list(session.scalars(select(Lead)))
                assert {lead.stage for lead in leads} == set(STAGES)
                assert all("演示" in lead.company_name for lead in leads)  # every module marks its leads
                demands = list(session.scalars(select(Demand)))
                assert {d.status for d in demands} == set(STATUSES)
                assert all(d.enterprise_name.startswith("（演示）") and d.text.startswith("（演示）") for d in demands)
        finally:
            db.dispose()
