"""The system administrator reads the unit directory (to set a user's 所属单位), and nothing else of tasks."""

from __future__ import annotations

from tests.tasks.conftest import token

ADMIN = token("admin", "admin")


def test_admin_lists_units(tasks_client):
    resp = tasks_client.get("/api/tasks/units", params={"q": "发展和改革"}, headers=ADMIN)
    assert resp.status_code == 200
    assert [u["code"] for u in resp.json()["items"]] == ["fgj"]


def test_admin_reads_no_tasks_and_edits_no_units(tasks_client):
    assert tasks_client.get("/api/tasks/tasks", headers=ADMIN).status_code == 403
    assert tasks_client.get("/api/tasks/units/fgj", headers=ADMIN).status_code == 403
    resp = tasks_client.post(
        "/api/tasks/units", json={"code": "xyz", "name": "测试单位", "kind": "department"}, headers=ADMIN
    )
    assert resp.status_code == 403
