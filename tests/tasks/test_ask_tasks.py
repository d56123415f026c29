"""问数 for tasks (#20): "区发改局有几项任务亮红灯" read into unit + light and answered with the
same list function and scope as GET /api/tasks/tasks; 督办单; unknown units named."""

from __future__ import annotations

from datetime import timedelta

import pytest

from louyu_kit.clock import today_in_china
from tests.tasks.conftest import BUREAU, FGJ, STREET_SGH, new_plan, new_task


@pytest.fixture
def client(tasks_client, db_session):
    today = today_in_china()
    with db_session() as session:
        plan = new_plan(session)
        new_task(session, plan, "发改局逾期任务一", lead="fgj", due=today - timedelta(days=10))
        new_task(session, plan, "发改局逾期任务二", lead="swj", co=("fgj",), due=today - timedelta(days=3))
        new_task(session, plan, "发改局按期任务", lead="fgj", due=today + timedelta(days=200), start=today)
        new_task(
            session, plan, "发改局已完成任务", lead="fgj", due=today - timedelta(days=5), progress=100, status="done"
        )
        new_task(session, plan, "商务局逾期任务", lead="swj", due=today - timedelta(days=1))
    return tasks_client


def _ask(client, question, headers=BUREAU):
    resp = client.post("/api/tasks/ask", json={"question": question}, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def _total(client, headers=BUREAU, **params):
    resp = client.get("/api/tasks/tasks", params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()["total"]


def test_red_tasks_of_a_unit_are_counted_as_the_task_list_counts_them(client):
    got = _ask(client, "区发改局有几项任务亮红灯")
    assert got["status"] == "answered"
    assert (got["reading"]["unit"], got["reading"]["light"], got["reading"]["intent"]) == ("fgj", "red", "count")
    assert got["reading_text"] == "对象：任务；单位：区发改局；灯色：红灯；方式：计数"
    expected = _total(client, unit="fgj", light="red")
    assert expected == 2
    assert got["figures"][0]["value"] == expected
    assert got["link"] == "/tasks?unit=fgj&light=red"
    assert {r["name"] for r in got["table"]["rows"]} == {"发改局逾期任务一", "发改局逾期任务二"}


def test_states_and_every_unit(client):
    done = _ask(client, "发改局已完成的任务有哪些")
    assert (done["reading"]["unit"], done["reading"]["status"], done["reading"]["intent"]) == ("fgj", "done", "list")
    assert done["figures"][0]["value"] == _total(client, unit="fgj", status="done") == 1
    overdue = _ask(client, "有几项任务逾期")
    assert overdue["reading"]["unit"] is None and overdue["reading"]["light"] == "red"
    assert overdue["figures"][0]["value"] == _total(client, light="red") == 3


def test_a_department_counts_within_its_own_scope(client):
    got = _ask(client, "有几项任务亮红灯", headers=FGJ)
    assert got["figures"][0]["value"] == _total(client, headers=FGJ, light="red")
    street = _ask(client, "区发改局有几项任务亮红灯", headers=STREET_SGH)
    assert street["figures"][0]["value"] == _total(client, headers=STREET_SGH, unit="fgj", light="red")


def test_notices_are_counted_as_the_notice_list_counts_them(client):
    got = _ask(client, "本月督办单有多少")
    assert got["reading"]["subject"] == "notices"
    resp = client.get("/api/tasks/supervision/notices", headers=BUREAU)
    assert got["figures"][0]["value"] == resp.json()["total"]


def test_an_unknown_unit_is_named(client):
    got = _ask(client, "区火星局有几项任务亮红灯")
    assert got["status"] == "unknown"
    assert got["unknown"] and "火星" in got["unknown"][0]
