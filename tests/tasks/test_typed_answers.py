"""Typed answers of the tasks service: each converted route has a named OpenAPI schema, and its
response model keeps every key the service function built for the same call."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.tasks.conftest import BUREAU, LEADER, REAL_PLAN
from tests.typed_answers import Capture, named_schema, page_keys, same_keys


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
