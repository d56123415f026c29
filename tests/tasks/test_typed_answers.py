"""Typed answers of the tasks service: each converted route has a named OpenAPI schema, and its
response model keeps every key the service function built for the same call."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from louyu_kit.clock import today_in_china
from tests.tasks.conftest import BUREAU, CHIEF_SGH, FGJ, LEADER, REAL_PLAN, new_plan, new_task
from tests.tasks.field import ONE_PIXEL_PNG, Stack, chief_building, make_stack, space
from tests.typed_answers import Capture, named_schema, page_keys, same_keys

TODAY = today_in_china()


@pytest.fixture
def capture(monkeypatch: pytest.MonkeyPatch) -> Iterator[Capture]:
    yield Capture(monkeypatch)


def test_units_answers_are_typed_and_keep_every_key(tasks_client: TestClient, capture: Capture) -> None:
    from tasks.units import service

    capture.wrap(service, "read_model")
    body = {"code": "zdzs_bj", "name": "北京驻点招商小分队", "kind": "squad", "aliases": ["驻京招商小分队"]}
    created = tasks_client.post("/api/tasks/units", json=body, headers=BUREAU)
    assert created.status_code == 201, created.text
    same_keys(created.json(), capture.last())
    got = tasks_client.get("/api/tasks/units/all_squads", headers=LEADER)
    assert got.status_code == 200, got.text
    same_keys(got.json(), capture.last())
    got = tasks_client.get("/api/tasks/units/zdzs_bj", headers=LEADER)
    patched = tasks_client.patch(
        "/api/tasks/units/zdzs_bj",
        json={"name": "驻京招商小分队（北京）"},
        headers={**BUREAU, "If-Match": got.headers["ETag"]},
    )
    assert patched.status_code == 200, patched.text
    same_keys(patched.json(), capture.last())

    capture.wrap(service, "list_page")
    listed = tasks_client.get("/api/tasks/units", params={"kind": "street", "page_size": 50}, headers=LEADER)
    assert listed.status_code == 200, listed.text
    page_keys(listed.json(), capture.last()[0])
    resolved = tasks_client.post(
        "/api/tasks/units/resolve", json={"names": ["驻京招商小分队", "某某局"]}, headers=LEADER
    )
    assert resolved.status_code == 200, resolved.text
    assert set(resolved.json()[0]) == {"written", "matched_by", "collective", "units", "warning"}

    for path, method in [
        ("/api/tasks/units", "get"),
        ("/api/tasks/units", "post"),
        ("/api/tasks/units/resolve", "post"),
        ("/api/tasks/units/{code}", "get"),
        ("/api/tasks/units/{code}", "patch"),
    ]:
        named_schema(tasks_client, path, method)


def test_plans_answers_are_typed_and_keep_every_key(tasks_client: TestClient, capture: Capture) -> None:
    from tasks.plans import service

    capture.wrap(service, "import_plan")
    saved = tasks_client.post("/api/tasks/plans/import", json={"text": REAL_PLAN, "save": True}, headers=BUREAU)
    assert saved.status_code == 201, saved.text
    same_keys(saved.json(), capture.last())

    capture.wrap(service, "read_model")
    plan = tasks_client.get(f"/api/tasks/plans/{saved.json()['plan_id']}", headers=LEADER)
    assert plan.status_code == 200, plan.text
    same_keys(plan.json(), capture.last())

    capture.wrap(service, "goals")
    goals = tasks_client.get("/api/tasks/goals", headers=LEADER)
    assert goals.status_code == 200, goals.text
    same_keys(goals.json()["items"], capture.last())

    listed = tasks_client.get("/api/tasks/plans", headers=LEADER)
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"][0]["task_count"] > 0

    for path, method in [
        ("/api/tasks/plans/import", "post"),
        ("/api/tasks/plans", "get"),
        ("/api/tasks/plans/{plan_id}", "get"),
        ("/api/tasks/goals", "get"),
    ]:
        named_schema(tasks_client, path, method)


# ----- the routes of issue 13 item 5: work, supervision, visits, leads, demands, bulletins, assessment ---


def _ok(resp: Any, code: int = 200) -> Any:
    assert resp.status_code == code, resp.text
    return resp.json()


def _named_all(client: TestClient, routes: list[tuple[str, str]]) -> None:
    for path, method in routes:
        named_schema(client, path, method)


@pytest.fixture
def stack(make_client: Callable[..., TestClient]) -> Stack:
    # The daily 督办 rule stays off: the notices are the ones the tests issue.
    return make_stack(make_client, tasks_supervision_interval_seconds=0)


def test_task_answers_are_typed_and_keep_every_key(
    tasks_client: TestClient, db_session: Callable[[], Any], capture: Capture
) -> None:
    from tasks.work import service

    with db_session() as session:
        plan = new_plan(session)
        parent = new_task(session, plan, "打造特色楼宇", lead="swj", co=("fgj",), due=TODAY + timedelta(days=30))
        new_task(session, plan, "摸清楼宇底数", kind="subtask", parent=parent, lead="fgj", due=TODAY)
        plan_id, task_id = plan.id, parent.id
    client = tasks_client

    capture.wrap(service, "read_model")
    created = _ok(
        client.post(
            "/api/tasks/tasks",
            json={"plan_id": plan_id, "parent_id": task_id, "kind": "milestone", "title": "完成楼宇普查"},
            headers=BUREAU,
        ),
        201,
    )
    same_keys(created, capture.last())
    got = client.get(f"/api/tasks/tasks/{task_id}", headers=LEADER)
    same_keys(_ok(got), capture.last())
    assert got.json()["children"] and got.json()["units"]
    patched = client.patch(
        f"/api/tasks/tasks/{task_id}", json={"body": "按方案推进"}, headers={**BUREAU, "If-Match": got.headers["ETag"]}
    )
    same_keys(_ok(patched), capture.last())
    reported = client.post(
        f"/api/tasks/tasks/{task_id}/updates", json={"progress": 40, "text": "已完成摸底"}, headers=FGJ
    )
    same_keys(_ok(reported, 201), capture.last())

    capture.wrap(service, "add_attachment")
    attached = client.post(
        f"/api/tasks/tasks/{task_id}/attachments",
        files={"file": ("现场.png", ONE_PIXEL_PNG, "application/octet-stream")},
        data={"text": "现场照片"},
        headers=FGJ,
    )
    same_keys(_ok(attached, 201), capture.last())

    capture.wrap(service, "list_page")
    listed = _ok(client.get("/api/tasks/tasks", params={"plan": plan_id}, headers=LEADER))
    assert listed["total"] == 3
    page_keys(listed, capture.last()[0])
    mine = _ok(client.get("/api/tasks/tasks/mine", headers=FGJ))
    assert mine["items"]
    page_keys(mine, capture.last()[0])

    capture.wrap(service, "timeline")
    timeline = _ok(client.get(f"/api/tasks/tasks/{task_id}/updates", headers=LEADER))
    assert timeline["items"][-1]["attachments"]
    page_keys(timeline, capture.last()[0])

    _named_all(
        client,
        [
            ("/api/tasks/tasks", "get"),
            ("/api/tasks/tasks", "post"),
            ("/api/tasks/tasks/mine", "get"),
            ("/api/tasks/tasks/{task_id}", "get"),
            ("/api/tasks/tasks/{task_id}", "patch"),
            ("/api/tasks/tasks/{task_id}/updates", "post"),
            ("/api/tasks/tasks/{task_id}/updates", "get"),
            ("/api/tasks/tasks/{task_id}/attachments", "post"),
        ],
    )


def test_supervision_answers_are_typed_and_keep_every_key(
    make_client: Callable[..., TestClient], db_session: Callable[[], Any], capture: Capture
) -> None:
    from tasks.supervision import service

    client = make_client("tasks", tasks_supervision_interval_seconds=0)
    with db_session() as session:
        plan = new_plan(session)
        late = new_task(session, plan, "逾期任务", lead="fgj", due=TODAY - timedelta(days=3))
        new_task(session, plan, "也逾期的任务", lead="swj", due=TODAY - timedelta(days=1))
        late_id = late.id

    capture.wrap(service, "read_many")
    issued = _ok(client.post("/api/tasks/supervision/notices", json={"task_id": late_id}, headers=BUREAU), 201)
    same_keys(issued, capture.last()[0])
    url = f"/api/tasks/supervision/notices/{issued['id']}"
    same_keys(_ok(client.get(url, headers=LEADER)), capture.last()[0])
    same_keys(_ok(client.post(f"{url}/escalate", headers=BUREAU)), capture.last()[0])
    same_keys(_ok(client.post(f"{url}/response", json={"response": "已召开专题会"}, headers=FGJ)), capture.last()[0])
    same_keys(_ok(client.post(f"{url}/close", json={"note": "已核实"}, headers=BUREAU)), capture.last()[0])

    capture.wrap(service, "run_rule")
    same_keys(_ok(client.post("/api/tasks/supervision/run", headers=BUREAU)), capture.last())

    listed = _ok(client.get("/api/tasks/supervision/notices", headers=LEADER))
    assert listed["total"] >= 2
    page_keys(listed, capture.last())  # the notices read_many built for the page

    capture.wrap(service, "open_by_unit")
    by_unit = _ok(client.get("/api/tasks/supervision/open-by-unit", headers=LEADER))
    assert by_unit
    same_keys(by_unit, capture.last())

    _named_all(
        client,
        [
            ("/api/tasks/supervision/notices", "get"),
            ("/api/tasks/supervision/notices", "post"),
            ("/api/tasks/supervision/open-by-unit", "get"),
            ("/api/tasks/supervision/notices/{notice_id}", "get"),
            ("/api/tasks/supervision/notices/{notice_id}/response", "post"),
            ("/api/tasks/supervision/notices/{notice_id}/escalate", "post"),
            ("/api/tasks/supervision/notices/{notice_id}/close", "post"),
            ("/api/tasks/supervision/run", "post"),
        ],
    )


def test_visit_answers_are_typed_and_keep_every_key(stack: Stack, capture: Capture) -> None:
    from tasks.visits import service

    building = chief_building(stack.registry)
    leased = space(stack.registry, building["code"])
    client = stack.tasks

    capture.wrap(service, "round_read")
    start = TODAY.replace(month=1, day=1).isoformat()
    body = {"name": "年度扫楼", "start_date": start, "end_date": f"{TODAY.year}-12-31"}
    round_ = _ok(client.post("/api/tasks/visit-rounds", json=body, headers=BUREAU), 201)
    same_keys(round_, capture.last())
    same_keys(_ok(client.get(f"/api/tasks/visit-rounds/{round_['id']}", headers=LEADER)), capture.last())
    rounds = _ok(client.get("/api/tasks/visit-rounds", headers=LEADER))
    page_keys(rounds, capture.seen[-len(rounds["items"]) :])

    capture.wrap(service, "read_model")
    visit_body = {
        "client_ref": "draft-typed-0001",
        "building_code": building["code"],
        "units": ["水果湖街道"],
        "notes": "10层原租户已搬离",
        "spaces": [{"space_id": leased["id"], "status": "vacant", "available_from": "2025-07-01"}],
        "tenants": [{"move": "left", "enterprise_name": "某某科技有限公司", "floor": 10, "area": 500}],
        "leads": [{"company_name": "意向科技有限公司", "area_wanted": 800, "contact_phone": "13912345678"}],
        "demands": [{"enterprise_name": "在楼企业有限公司", "category": "parking", "text": "员工停车位不足"}],
    }
    visit = _ok(client.post("/api/tasks/visits", json=visit_body, headers=CHIEF_SGH), 201)
    same_keys(visit, capture.last())
    assert visit["space_changes"] and visit["tenant_moves"] and visit["lead_ids"] and visit["demand_ids"]
    replay = _ok(client.post("/api/tasks/visits", json=visit_body, headers=CHIEF_SGH))  # the same draft again: 200
    same_keys(replay, capture.last())

    photo = _ok(
        client.post(
            f"/api/tasks/visits/{visit['id']}/photos",
            files={"file": ("现场.png", ONE_PIXEL_PNG, "application/octet-stream")},
            headers=CHIEF_SGH,
        ),
        201,
    )
    read = _ok(client.get(f"/api/tasks/visits/{visit['id']}", headers=LEADER))
    same_keys(read, capture.last())
    same_keys(photo, capture.last()["photo_list"][0])  # the upload answers what the visit lists

    capture.wrap(service, "summaries")
    listed = _ok(client.get("/api/tasks/visits", headers=LEADER))
    page_keys(listed, capture.last())

    capture.wrap(service, "coverage")
    coverage = _ok(client.get(f"/api/tasks/visit-rounds/{round_['id']}/coverage", headers=LEADER))
    assert coverage["by_street"] and coverage["by_chief"]
    same_keys(coverage, capture.last())

    capture.wrap(service, "round_buildings")
    buildings = _ok(client.get(f"/api/tasks/visit-rounds/{round_['id']}/buildings", headers=LEADER))
    assert buildings["items"]
    page_keys(buildings, capture.last()[0])
    unvisited = _ok(client.get(f"/api/tasks/visit-rounds/{round_['id']}/unvisited", headers=LEADER))
    page_keys(unvisited, capture.last()[0])

    _named_all(
        client,
        [
            ("/api/tasks/visit-rounds", "post"),
            ("/api/tasks/visit-rounds", "get"),
            ("/api/tasks/visit-rounds/{round_id}", "get"),
            ("/api/tasks/visit-rounds/{round_id}/coverage", "get"),
            ("/api/tasks/visit-rounds/{round_id}/buildings", "get"),
            ("/api/tasks/visit-rounds/{round_id}/unvisited", "get"),
            ("/api/tasks/visits", "post"),
            ("/api/tasks/visits", "get"),
            ("/api/tasks/visits/{visit_id}", "get"),
            ("/api/tasks/visits/{visit_id}/photos", "post"),
        ],
    )
    replayed = client.app.openapi()["paths"]["/api/tasks/visits"]["post"]["responses"]["200"]  # type: ignore[attr-defined]
    assert replayed["content"]["application/json"]["schema"]["$ref"].endswith("/VisitRead")


def test_lead_answers_are_typed_and_keep_every_key(stack: Stack, capture: Capture) -> None:
    from tasks.leads import service

    building = chief_building(stack.registry)
    client = stack.tasks
    capture.wrap(service, "read_model")
    body = {
        "company_name": "意向科技有限公司",
        "building_code": building["code"],
        "area_wanted": 800,
        "contact_name": "张经理",
        "contact_phone": "13912345678",
        "owner_unit": "swj",
    }
    lead = _ok(client.post("/api/tasks/leads", json=body, headers=BUREAU), 201)
    same_keys(lead, capture.last())
    url = f"/api/tasks/leads/{lead['id']}"
    got = client.get(url, headers=LEADER)
    same_keys(_ok(got), capture.last())
    patched = client.patch(url, json={"note": "已约见"}, headers={**BUREAU, "If-Match": got.headers["ETag"]})
    same_keys(_ok(patched), capture.last())
    moved = _ok(client.post(f"{url}/stage", json={"stage": "contacted"}, headers=BUREAU))
    assert len(moved["steps"]) == 2
    same_keys(moved, capture.last())
    listed = _ok(client.get("/api/tasks/leads", headers=BUREAU))
    page_keys(listed, capture.seen[-1:])
    reveal = _ok(client.post(f"{url}/contact/reveal", headers=BUREAU))
    assert reveal == {"contact_name": "张经理", "contact_phone": "13912345678"}

    _named_all(
        client,
        [
            ("/api/tasks/leads", "post"),
            ("/api/tasks/leads", "get"),
            ("/api/tasks/leads/{lead_id}", "get"),
            ("/api/tasks/leads/{lead_id}", "patch"),
            ("/api/tasks/leads/{lead_id}/stage", "post"),
            ("/api/tasks/leads/{lead_id}/contact/reveal", "post"),
        ],
    )


def test_demand_answers_are_typed_and_keep_every_key(stack: Stack, capture: Capture) -> None:
    from tasks.demands import service
    from tasks.demands.models import CATEGORIES

    building = chief_building(stack.registry)
    client = stack.tasks
    capture.wrap(service, "read_model")
    body = {
        "enterprise_name": "在楼企业有限公司",
        "category": "parking",
        "text": "员工停车位不足",
        "building_code": building["code"],
        "contact_name": "李经理",
        "contact_phone": "13812341234",
    }
    demand = _ok(client.post("/api/tasks/demands", json=body, headers=CHIEF_SGH), 201)
    same_keys(demand, capture.last())
    url = f"/api/tasks/demands/{demand['id']}"
    same_keys(_ok(client.get(url, headers=LEADER)), capture.last())
    for action, headers, data in [
        ("assign", BUREAU, {"unit": "fgj", "note": "请发改局牵头"}),
        ("start", FGJ, {"note": "已联系企业"}),
        ("answer", FGJ, {"answer": "已协调周边停车场"}),
        ("close", CHIEF_SGH, {"satisfaction": 2, "note": "车位太远"}),
        ("reopen", CHIEF_SGH, {"reason": "车位距离过远"}),
    ]:
        acted = _ok(client.post(f"{url}/{action}", json=data, headers=headers))
        same_keys(acted, capture.last())
    assert len(acted["steps"]) == 6

    listed = _ok(client.get("/api/tasks/demands", headers=BUREAU))
    page_keys(listed, capture.seen[-1:])
    overdue = _ok(client.get("/api/tasks/demands/overdue", headers=BUREAU))
    assert overdue["items"] == []
    reveal = _ok(client.post(f"{url}/contact/reveal", headers=BUREAU))
    assert reveal == {"contact_name": "李经理", "contact_phone": "13812341234"}
    categories = _ok(client.get("/api/tasks/demand-categories", headers=LEADER))
    assert [(c["code"], c["name"]) for c in categories] == list(CATEGORIES.items())
    assert all(set(c) == {"code", "name", "days"} and c["days"] > 0 for c in categories)

    _named_all(
        client,
        [
            ("/api/tasks/demand-categories", "get"),
            ("/api/tasks/demands", "post"),
            ("/api/tasks/demands", "get"),
            ("/api/tasks/demands/overdue", "get"),
            ("/api/tasks/demands/{demand_id}", "get"),
            ("/api/tasks/demands/{demand_id}/assign", "post"),
            ("/api/tasks/demands/{demand_id}/start", "post"),
            ("/api/tasks/demands/{demand_id}/answer", "post"),
            ("/api/tasks/demands/{demand_id}/close", "post"),
            ("/api/tasks/demands/{demand_id}/reopen", "post"),
            ("/api/tasks/demands/{demand_id}/contact/reveal", "post"),
        ],
    )


def test_bulletin_answers_are_typed_and_keep_every_key(
    stack: Stack, db_session: Callable[[], Any], capture: Capture
) -> None:
    from tasks.bulletins import service
    from tests.tasks.test_bulletins_api import fake_metrics, wire_metrics

    with db_session() as session:
        plan = new_plan(session)
        new_task(session, plan, "打造特色楼宇", lead="swj", co=("fgj",), due=TODAY - timedelta(days=3))
        new_task(session, plan, "招商共享中心", lead="swj", due=TODAY + timedelta(days=5))
    building = chief_building(stack.registry)
    leased = space(stack.registry, building["code"])
    start = TODAY.replace(month=1, day=1).isoformat()
    body = {"name": "年度扫楼", "start_date": start, "end_date": f"{TODAY.year}-12-31"}
    _ok(stack.tasks.post("/api/tasks/visit-rounds", json=body, headers=BUREAU), 201)
    visit = {
        "building_code": building["code"],
        "spaces": [{"space_id": leased["id"], "status": "vacant"}],
        "leads": [{"company_name": "意向科技有限公司"}],
        "demands": [{"enterprise_name": "在楼企业有限公司", "category": "parking", "text": "停车难"}],
    }
    _ok(stack.tasks.post("/api/tasks/visits", json=visit, headers=CHIEF_SGH), 201)
    client = stack.tasks

    capture.wrap(service, "read_model")
    for metrics_up in (True, False):
        wire_metrics(client, fake_metrics() if metrics_up else None)
        issued = _ok(client.post("/api/tasks/bulletins", json={"period": str(TODAY.year)}, headers=BUREAU), 201)
        same_keys(issued, capture.last())
        assert (issued["data"]["metrics"] is not None) is metrics_up
        assert any(s["table"] for s in issued["sections"]) and issued["data"]["visits"]["rounds"]
        same_keys(_ok(client.get(f"/api/tasks/bulletins/{issued['id']}", headers=LEADER)), capture.last())
    listed = _ok(client.get("/api/tasks/bulletins", headers=LEADER))
    assert listed["total"] == 2
    page_keys(listed, capture.seen[-2:])

    _named_all(
        client,
        [
            ("/api/tasks/bulletins", "post"),
            ("/api/tasks/bulletins", "get"),
            ("/api/tasks/bulletins/{bulletin_id}", "get"),
        ],
    )


def test_assessment_answers_are_typed_and_keep_every_key(
    make_client: Callable[..., TestClient], db_session: Callable[[], Any], capture: Capture
) -> None:
    from tasks.assessment import service
    from tests.tasks.test_assessment_api import fake_metrics, wire_metrics

    client = make_client("tasks", tasks_supervision_interval_seconds=0)
    with db_session() as session:
        plan = new_plan(session)
        new_task(session, plan, "逾期任务", lead="swj", co=("fgj",), due=TODAY - timedelta(days=1))
    wire_metrics(client, fake_metrics())

    capture.wrap(service, "rules")
    rules = _ok(client.get("/api/tasks/assessment/rules", headers=LEADER))
    same_keys(rules, capture.last())
    put = client.put("/api/tasks/assessment/rules/kind:street", json={"base": 90}, headers=BUREAU)
    rule = _ok(put)
    after = _ok(client.get("/api/tasks/assessment/rules", headers=LEADER))
    same_keys(after, capture.last())
    assert rule == next(r for r in after if r["target"] == "kind:street")  # the PUT answers what the list shows

    capture.wrap(service, "run_read")
    run = _ok(client.post("/api/tasks/assessment/runs", json={"period": str(TODAY.year)}, headers=BUREAU), 201)
    assert run["items"] and run["items"][0]["breakdown"]
    same_keys(run, capture.last())
    same_keys(_ok(client.get(f"/api/tasks/assessment/runs/{run['run_id']}", headers=LEADER)), capture.last())
    scores = client.get("/api/tasks/assessment/scores", params={"period": str(TODAY.year)}, headers=FGJ)
    same_keys(_ok(scores), capture.last())

    _named_all(
        client,
        [
            ("/api/tasks/assessment/rules", "get"),
            ("/api/tasks/assessment/rules/{target}", "put"),
            ("/api/tasks/assessment/runs", "post"),
            ("/api/tasks/assessment/runs/{run_id}", "get"),
            ("/api/tasks/assessment/scores", "get"),
        ],
    )
