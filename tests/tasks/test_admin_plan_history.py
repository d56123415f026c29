"""导入中心: the list of imported plans says how many tasks each brought in (its history row)."""

from __future__ import annotations

import pytest

from tests.tasks.conftest import new_plan, new_task, token

BUREAU = token("demo_bureau", "bureau")


@pytest.fixture
def plans(db_session):
    """Two plans: the older with a group, two tasks and a subtask; the newer with nothing yet."""
    with db_session() as session:
        older = new_plan(session, "较早的工作方案")
        group = new_task(session, older, "（一）主要任务", kind="section")
        first = new_task(session, older, "任务一", parent=group)
        new_task(session, older, "任务二", parent=group)
        new_task(session, older, "子任务", kind="subtask", parent=first)
        newer = new_plan(session, "较新的工作方案")
        return {"older": older.id, "newer": newer.id}


class TestPlanList:
    def test_each_plan_counts_its_tasks_but_not_its_groups(self, tasks_client, plans):
        resp = tasks_client.get("/api/tasks/plans", headers=BUREAU)
        assert resp.status_code == 200
        items = resp.json()["items"]
        assert [(p["id"], p["task_count"]) for p in items] == [(plans["newer"], 0), (plans["older"], 3)]
        assert items[1]["title"] == "较早的工作方案"
        assert items[1]["created_at"]

    def test_a_plan_read_alone_keeps_its_shape(self, tasks_client, plans):
        resp = tasks_client.get(f"/api/tasks/plans/{plans['older']}", headers=BUREAU)
        assert resp.status_code == 200
        assert "task_count" not in resp.json()
