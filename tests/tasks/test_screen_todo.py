"""GET /screen/todo (issue #18): the 大屏's 督办 and 整改意见 counts, district-wide, for the
leader, the bureau and the kiosk account only; the kiosk reads nothing else in tasks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from louyu_kit.db import Database
from tasks.supervision.models import SupervisionNotice
from tasks.work.lights import today_in_china
from tests.tasks.conftest import BUREAU, FGJ, LEADER, STREET_SGH, new_plan, new_task, token

TODAY = today_in_china()
SCREEN = token("dapingmu", "screen")


@pytest.fixture
def client(make_client):
    return make_client("tasks", tasks_supervision_interval_seconds=0, tasks_supervision_respond_days=5)


def test_counts_notices_open_overdue_and_answered(client, db_session, tasks_db_url):
    with db_session() as session:
        plan = new_plan(session)
        red = new_task(session, plan, "逾期任务", lead="fgj", due=TODAY - timedelta(days=2)).id
        red2 = new_task(session, plan, "又一项逾期任务", lead="fgj", due=TODAY - timedelta(days=3)).id
    first = client.post("/api/tasks/supervision/notices", json={"task_id": red}, headers=BUREAU).json()
    client.post("/api/tasks/supervision/notices", json={"task_id": red2}, headers=BUREAU)
    client.post(f"/api/tasks/supervision/notices/{first['id']}/response", json={"response": "推进中"}, headers=FGJ)
    db = Database.from_url(tasks_db_url)
    with db.write_sessions() as session:  # the unanswered one is past its answer date
        session.execute(
            update(SupervisionNotice)
            .where(SupervisionNotice.status == "open")
            .values(respond_by=TODAY - timedelta(days=1))
        )
        session.commit()
    db.dispose()
    resp = client.get("/api/tasks/screen/todo", headers=SCREEN)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {
        "supervision_open": 1,
        "supervision_responded": 1,
        "supervision_overdue": 1,
        "opinions_open": 0,
        "opinions_overdue": 0,
        "opinions_closed": 0,
    }
    assert client.get("/api/tasks/screen/todo", headers=LEADER).status_code == 200


def test_only_district_readers_and_the_kiosk(client):
    assert client.get("/api/tasks/screen/todo", headers=STREET_SGH).status_code == 403
    assert client.get("/api/tasks/screen/todo").status_code == 401


def test_the_kiosk_reads_nothing_else_in_tasks(client):
    for path in ("/api/tasks/tasks", "/api/tasks/supervision/notices", "/api/tasks/opinions", "/api/tasks/inbox"):
        assert client.get(path, headers=SCREEN).status_code == 403, path
    assert client.post("/api/tasks/supervision/run", headers=SCREEN).status_code == 403
