"""/tasks: lists, my unit's tasks, detail, access, progress reports, attachments, timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tasks.work.lights import today_in_china
from tests.tasks.conftest import (
    BUREAU,
    CHIEF_SGH,
    FGJ,
    LEADER,
    SHUIGUOHU,
    STREET_SGH,
    SWUJ,
    internal_token,
    new_plan,
    new_task,
    token,
)

TODAY = today_in_china()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def client(make_client):
    return make_client("tasks", tasks_supervision_interval_seconds=0, tasks_attachment_max_bytes=4096)


@pytest.fixture
def tasks(db_session):
    """A plan with four tasks: green (发改局 lead), yellow (税务局 lead, 水果湖 co), red (商务局), done."""
    with db_session() as session:
        plan = new_plan(session)
        green = new_task(session, plan, "绿灯任务", lead="fgj", co=("swj",), due=TODAY + timedelta(days=90))
        yellow = new_task(session, plan, "黄灯任务", lead="swuj", co=(SHUIGUOHU,), due=TODAY + timedelta(days=5))
        red = new_task(session, plan, "红灯任务", lead="swj", co=("fgj",), due=TODAY - timedelta(days=3))
        done = new_task(session, plan, "已完成任务", lead="swj", due=TODAY - timedelta(days=30), progress=100,
                        status="done")  # fmt: skip
        return {"plan": plan.id, "green": green.id, "yellow": yellow.id, "red": red.id, "done": done.id}


def ids(resp):
    assert resp.status_code == 200, resp.text
    return [t["id"] for t in resp.json()["items"]]


class TestLists:
    def test_page_shape_and_lights(self, client, tasks):
        resp = client.get("/api/tasks/tasks", headers=LEADER)
        body = resp.json()
        assert set(body) >= {"items", "total", "page", "page_size"} and body["total"] == 4
        lights = {t["title"]: t["light"] for t in body["items"]}
        assert lights == {"绿灯任务": "green", "黄灯任务": "yellow", "红灯任务": "red", "已完成任务": "green"}

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"light": "red"}, ["red"]),
            ({"light": "yellow"}, ["yellow"]),
            ({"light": "green"}, ["green", "done"]),
            ({"unit": "fgj"}, ["green", "red"]),
            ({"unit": "fgj", "role": "lead"}, ["green"]),
            ({"status": "done"}, ["done"]),
            ({"q": "黄灯"}, ["yellow"]),
            ({"unit": "swj", "light": "red"}, ["red"]),
        ],
    )
    def test_filters(self, client, tasks, params, expected):
        got = ids(client.get("/api/tasks/tasks", params={**params, "sort": "position"}, headers=LEADER))
        assert got == [tasks[k] for k in expected]

    def test_role_without_unit_is_422(self, client, tasks):
        resp = client.get("/api/tasks/tasks", params={"role": "lead"}, headers=LEADER)
        assert resp.status_code == 422 and resp.json()["fields"][0]["field"] == "role"

    def test_light_filter_pages(self, client, tasks):
        resp = client.get("/api/tasks/tasks", params={"light": "green", "page_size": 1, "page": 2}, headers=LEADER)
        assert resp.json()["total"] == 2 and len(resp.json()["items"]) == 1


class TestMine:
    def test_department_sees_its_units_tasks_by_due_date(self, client, tasks):
        body = client.get("/api/tasks/tasks/mine", headers=FGJ).json()
        assert [t["id"] for t in body["items"]] == [tasks["red"], tasks["green"]]
        assert [t["my_role"] for t in body["items"]] == ["co", "lead"]

    def test_street_user_acts_for_its_street_unit(self, client, tasks):
        assert ids(client.get("/api/tasks/tasks/mine", headers=STREET_SGH)) == [tasks["yellow"]]

    def test_org_unit_may_be_a_name(self, client, tasks):
        headers = token("swuj2", "department", org="武昌区税务局")
        assert ids(client.get("/api/tasks/tasks/mine", headers=headers)) == [tasks["yellow"]]

    def test_user_without_unit_has_no_tasks(self, client, tasks):
        headers = token("nobody", "department")
        assert client.get("/api/tasks/tasks/mine", headers=headers).json()["total"] == 0

    def test_filters_apply_to_mine(self, client, tasks):
        assert ids(client.get("/api/tasks/tasks/mine", params={"light": "red"}, headers=FGJ)) == [tasks["red"]]


class TestAccess:
    def test_department_reads_every_plan_task(self, client, tasks):
        assert client.get("/api/tasks/tasks", headers=SWUJ).json()["total"] == 4
        assert client.get(f"/api/tasks/tasks/{tasks['green']}", headers=SWUJ).status_code == 200

    def test_chief_reads_only_tasks_of_its_street(self, client, tasks):
        assert ids(client.get("/api/tasks/tasks", headers=CHIEF_SGH)) == [tasks["yellow"]]
        assert client.get(f"/api/tasks/tasks/{tasks['green']}", headers=CHIEF_SGH).status_code == 404
        tree = client.get(f"/api/tasks/plans/{tasks['plan']}/tree", headers=CHIEF_SGH).json()
        assert [n["id"] for n in tree] == [tasks["yellow"]]

    def test_chief_without_streets_sees_nothing(self, client, tasks):
        assert client.get("/api/tasks/tasks", headers=token("lz", "chief")).json()["total"] == 0

    def test_auditor_and_admin_read_no_tasks(self, client, tasks):
        for role in ("auditor", "admin"):
            assert client.get("/api/tasks/tasks", headers=token("x", role)).status_code == 403

    def test_internal_token_is_not_a_person(self, client, tasks):
        assert client.get("/api/tasks/tasks", headers=internal_token()).status_code == 401

    def test_missing_task_is_404(self, client, tasks):
        resp = client.get("/api/tasks/tasks/99999", headers=LEADER)
        assert resp.status_code == 404 and resp.json()["error"] == "TaskNotFound"

    def test_detail_says_who_may_update(self, client, tasks):
        assert client.get(f"/api/tasks/tasks/{tasks['green']}", headers=FGJ).json()["can_update"] is True
        assert client.get(f"/api/tasks/tasks/{tasks['green']}", headers=SWUJ).json()["can_update"] is False
        assert client.get(f"/api/tasks/tasks/{tasks['green']}", headers=LEADER).json()["can_update"] is False


class TestProgress:
    def report(self, client, task_id, headers, **body):
        return client.post(f"/api/tasks/tasks/{task_id}/updates", json=body, headers=headers)

    def test_lead_unit_reports_progress(self, client, tasks):
        resp = self.report(client, tasks["green"], FGJ, progress=40, text="已完成调研")
        assert resp.status_code == 201, resp.text
        body = resp.json()
        # 责任分解: the report moves 区发改局's own part; the task is the mean of its two parts.
        assert body["progress"] == 20 and body["status"] == "in_progress"
        timeline = client.get(f"/api/tasks/tasks/{tasks['green']}/updates", headers=LEADER).json()
        last = timeline["items"][-1]
        assert (last["kind"], last["progress_before"], last["progress_after"]) == ("progress", 0, 40)
        assert (last["author"], last["unit_code"], last["unit_name"]) == ("fagai", "fgj", "区发改局")
        assert last["status_before"] == "not_started" and last["status_after"] == "in_progress"

    def test_co_unit_and_street_may_report(self, client, tasks):
        assert self.report(client, tasks["red"], FGJ, text="配合单位已提交材料").status_code == 201
        assert self.report(client, tasks["yellow"], STREET_SGH, progress=70).status_code == 201
        assert self.report(client, tasks["yellow"], CHIEF_SGH, progress=75).status_code == 201

    def test_other_units_and_leaders_may_not(self, client, tasks):
        resp = self.report(client, tasks["green"], SWUJ, progress=10)
        assert resp.status_code == 403 and "牵头或配合单位" in resp.json()["detail"]
        assert self.report(client, tasks["green"], LEADER, progress=10).status_code == 403

    def test_bureau_may_report_on_any_task(self, client, tasks):
        assert self.report(client, tasks["yellow"], BUREAU, text="区商务局跟进").status_code == 201

    def test_hundred_percent_completes_and_turns_green(self, client, tasks):
        # The co-unit's part first (the task waits at 99%), then the lead's own 100% confirms.
        body = self.report(client, tasks["red"], FGJ, progress=100).json()
        assert (body["status"], body["progress"], body["light"]) == ("in_progress", 50, "red")
        body = self.report(client, tasks["red"], BUREAU, progress=100).json()
        assert body["status"] == "done" and body["light"] == "green" and body["completed_at"]

    def test_co_unit_alone_cannot_complete_the_task(self, client, tasks):
        self.report(client, tasks["green"], BUREAU, progress=100)  # 区商务局 is the co-unit here
        body = self.report(client, tasks["green"], BUREAU, status="done").json()
        assert (body["status"], body["progress"]) == ("in_progress", 50)

    def test_lower_progress_reopens_a_completed_task(self, client, tasks):
        self.report(client, tasks["red"], FGJ, progress=100)
        self.report(client, tasks["red"], BUREAU, progress=100)
        body = self.report(client, tasks["red"], BUREAU, progress=80, text="验收发现问题，重新整改").json()
        assert (body["status"], body["progress"], body["completed_at"]) == ("in_progress", 90, None)

    def test_done_status_alone_sets_full_progress(self, client, tasks):
        self.report(client, tasks["green"], BUREAU, progress=100)
        body = self.report(client, tasks["green"], FGJ, status="done").json()
        assert (body["status"], body["progress"]) == ("done", 100)

    def test_done_with_lower_progress_is_422(self, client, tasks):
        resp = self.report(client, tasks["green"], FGJ, progress=50, status="done")
        assert resp.status_code == 422 and resp.json()["fields"][0]["field"] == "progress"

    def test_empty_report_is_422(self, client, tasks):
        resp = self.report(client, tasks["green"], FGJ)
        assert resp.status_code == 422 and "请填写" in resp.json()["fields"][0]["message"]

    def test_progress_over_100_is_422(self, client, tasks):
        resp = self.report(client, tasks["green"], FGJ, progress=120)
        assert resp.status_code == 422 and resp.json()["fields"][0]["field"] == "progress"

    def test_timeline_only_grows(self, client, tasks):
        for p in (10, 20, 30):
            self.report(client, tasks["green"], FGJ, progress=p)
        items = client.get(f"/api/tasks/tasks/{tasks['green']}/updates", headers=LEADER).json()["items"]
        assert [i["progress_after"] for i in items if i["kind"] == "progress"] == [10, 20, 30]
        # No route changes or deletes a timeline entry.
        assert client.delete(f"/api/tasks/tasks/{tasks['green']}/updates", headers=BUREAU).status_code == 405

    def test_report_is_in_the_change_feed(self, client, tasks):
        self.report(client, tasks["green"], FGJ, progress=35)
        events = client.get("/api/tasks/changes", headers=internal_token()).json()["items"]
        assert events[-1]["entity"] == "task" and events[-1]["op"] == "update"
        # The task's derived progress: 区发改局's part at 35%, 区商务局's at 0% → 18%.
        assert events[-1]["data"]["progress"] == 18 and events[-1]["entity_id"] == str(tasks["green"])


class TestAttachments:
    def upload(self, client, task_id, headers, data, name="现场.png"):
        return client.post(
            f"/api/tasks/tasks/{task_id}/attachments",
            files={"file": (name, data, "application/octet-stream")},
            data={"text": "现场照片"},
            headers=headers,
        )

    def test_image_uploaded_and_downloaded(self, client, tasks):
        resp = self.upload(client, tasks["green"], FGJ, PNG)
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["content_type"] == "image/png" and body["size"] == len(PNG)
        got = client.get(f"/api/tasks/tasks/{tasks['green']}/attachments/{body['id']}", headers=LEADER)
        assert got.content == PNG and got.headers["content-type"] == "image/png"
        assert got.headers["x-content-type-options"] == "nosniff"
        timeline = client.get(f"/api/tasks/tasks/{tasks['green']}/updates", headers=LEADER).json()["items"]
        assert timeline[-1]["kind"] == "attachment" and timeline[-1]["attachments"][0]["id"] == body["id"]

    def test_type_is_read_from_the_content(self, client, tasks):
        resp = self.upload(client, tasks["green"], FGJ, PDF, name="照片.jpg")
        assert resp.status_code == 201 and resp.json()["filename"] == "照片.pdf"
        bad = self.upload(client, tasks["green"], FGJ, b"MZ\x90\x00 not an image", name="a.png")
        assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "file"

    def test_size_limit_is_413(self, client, tasks):
        resp = self.upload(client, tasks["green"], FGJ, PNG + b"\x00" * 5000)
        assert resp.status_code == 413

    def test_other_units_may_not_attach(self, client, tasks):
        assert self.upload(client, tasks["green"], SWUJ, PNG).status_code == 403

    def test_attachment_of_another_task_is_404(self, client, tasks):
        body = self.upload(client, tasks["green"], FGJ, PNG).json()
        resp = client.get(f"/api/tasks/tasks/{tasks['red']}/attachments/{body['id']}", headers=LEADER)
        assert resp.status_code == 404


class TestBureauEdits:
    def test_patch_needs_if_match_and_changes_units(self, client, tasks):
        url = f"/api/tasks/tasks/{tasks['green']}"
        etag = client.get(url, headers=BUREAU).headers["ETag"]
        body = {"lead_unit_code": "swuj", "co_unit_codes": ["fgj", SHUIGUOHU]}
        assert client.patch(url, json=body, headers=BUREAU).status_code == 428
        assert client.patch(url, json=body, headers={**FGJ, "If-Match": etag}).status_code == 403
        resp = client.patch(url, json=body, headers={**BUREAU, "If-Match": etag})
        assert resp.status_code == 200, resp.text
        assert [(u["code"], u["role"]) for u in resp.json()["units"]] == [
            ("swuj", "lead"), ("fgj", "co"), (SHUIGUOHU, "co"),
        ]  # fmt: skip
        assert client.patch(url, json={"title": "新标题"}, headers={**BUREAU, "If-Match": etag}).status_code == 412

    def test_unknown_unit_is_422_naming_the_field(self, client, tasks):
        url = f"/api/tasks/tasks/{tasks['green']}"
        etag = client.get(url, headers=BUREAU).headers["ETag"]
        resp = client.patch(url, json={"co_unit_codes": ["fgj", "nope"]}, headers={**BUREAU, "If-Match": etag})
        assert resp.status_code == 422 and resp.json()["fields"][0]["field"] == "co_unit_codes[1]"

    def test_lead_unit_adds_a_milestone_under_its_task(self, client, tasks):
        body = {"plan_id": tasks["plan"], "parent_id": tasks["green"], "kind": "milestone", "title": "完成调研报告"}
        resp = client.post("/api/tasks/tasks", json=body, headers=FGJ)
        assert resp.status_code == 201, resp.text
        created = resp.json()
        assert created["lead_unit_code"] == "fgj" and created["due_date"] == (TODAY + timedelta(days=90)).isoformat()
        assert client.post("/api/tasks/tasks", json=body, headers=SWUJ).status_code == 403
        parent = client.get(f"/api/tasks/tasks/{tasks['green']}", headers=LEADER).json()
        assert [c["title"] for c in parent["children"]] == ["完成调研报告"]

    def test_subtask_needs_a_parent(self, client, tasks):
        resp = client.post(
            "/api/tasks/tasks", json={"plan_id": tasks["plan"], "kind": "subtask", "title": "无上级"}, headers=BUREAU
        )
        assert resp.status_code == 422


class TestThroughTheGateway:
    def test_department_user_sees_its_units_tasks_and_reports(self, live_stack):
        from louyu_kit.db import Database
        from tests.conftest import add_user, bearer, login

        db = Database.from_url(live_stack.db_urls["tasks"])
        try:
            with db.write_sessions.begin() as session:
                plan = new_plan(session)
                mine = new_task(session, plan, "发改局牵头", lead="fgj", due=TODAY + timedelta(days=30)).id
                new_task(session, plan, "税务局牵头", lead="swuj", due=TODAY + timedelta(days=30))
        finally:
            db.dispose()
        add_user(live_stack.db_urls["gateway"], "fagai", roles=["department"], org_unit="fgj")
        with live_stack.client() as http:
            auth = bearer(login(http, "fagai")["access_token"])
            listed = http.get("/api/tasks/tasks/mine", headers=auth).json()
            assert [t["id"] for t in listed["items"]] == [mine]
            resp = http.post(f"/api/tasks/tasks/{mine}/updates", json={"progress": 50, "text": "过半"}, headers=auth)
            assert resp.status_code == 201 and resp.json()["progress"] == 50
            upload = http.post(
                f"/api/tasks/tasks/{mine}/attachments", files={"file": ("会议纪要.pdf", PDF)}, headers=auth
            )
            assert upload.status_code == 201, upload.text
