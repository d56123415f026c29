"""绩效考核: scores per unit for a period from configurable rules, with the breakdown; the street
bonus for new 亿元 / 特色 buildings from a (fake) metrics app, and left out when it is down."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from louyu_kit.clock import today_in_china
from louyu_kit.db import Database
from louyu_kit.http import make_async_client
from tasks.clients.metrics import MetricsClient
from tasks.demands.models import Demand
from tasks.supervision.models import SupervisionNotice
from tests.conftest import free_port
from tests.tasks.conftest import BUREAU, CHIEF_SGH, FGJ, JIYUQIAO, LEADER, SHUIGUOHU, STREET_SGH, new_plan, new_task

TODAY = today_in_china()
PERIOD = str(TODAY.year)


def fake_metrics() -> FastAPI:
    """Tiers and 特色 verdicts as metrics answers them: B1 (水果湖) is new on both, B2 (积玉桥)
    was already 特色 last year."""
    app = FastAPI()

    @app.get("/api/metrics/tiers")
    def tiers(period: str) -> dict:
        return {
            "items": [{"key": "qianwan", "new": []}, {"key": "yiyuan", "new": [{"code": "B1", "name": "数创大厦"}]}]
        }

    @app.get("/api/metrics/featured")
    def featured(year: int) -> dict:
        items = [{"building_code": "B2", "street_code": JIYUQIAO, "qualifies": True}]
        if year == TODAY.year:
            items.append({"building_code": "B1", "street_code": SHUIGUOHU, "qualifies": True})
        return {"items": items, "total": len(items), "qualifying": len(items), "year": year}

    return app


def wire_metrics(tasks, app: FastAPI | None) -> None:
    url = "http://metrics" if app else f"http://127.0.0.1:{free_port()}"
    transport = httpx.ASGITransport(app=app) if app else None
    tasks.app.state.metrics = MetricsClient(make_async_client(url, timeout=2, transport=transport))


@pytest.fixture
def tasks(make_client, db_session, tasks_db_url):
    client = make_client("tasks", tasks_supervision_interval_seconds=0)
    now = datetime.now(UTC)
    with db_session() as session:
        plan = new_plan(session)
        # Done: both units' parts at 100% (责任分解), confirmed by the lead.
        done = new_task(
            session, plan, "按期完成的任务", lead="swj", co=("fgj",), due=TODAY + timedelta(days=1), progress=100,
            status="done",
        )  # fmt: skip
        done.completed_at = now
        new_task(session, plan, "逾期任务", lead="swj", co=("fgj",), due=TODAY - timedelta(days=1))
        new_task(session, plan, "明年的任务", lead="swj", due=date(TODAY.year + 1, 6, 30))
        session.add(
            SupervisionNotice(
                task_id=done.id,
                unit_code="swj",
                level=1,
                light="yellow",
                respond_by=TODAY + timedelta(days=3),
                issued_by="shangwu",
                status="responded",
                response="已加快推进",
                responded_at=now,
            )
        )
    for unit, text in (("fgj", "按期答复的诉求"), ("swuj", "超期的诉求")):
        body = {"enterprise_name": "某企业", "category": "policy", "text": text, "unit": unit}
        assert client.post("/api/tasks/demands", json=body, headers=BUREAU).status_code == 201
    answered = client.get("/api/tasks/demands", params={"unit": "fgj"}, headers=BUREAU).json()["items"][0]
    assert (
        client.post(f"/api/tasks/demands/{answered['id']}/answer", json={"answer": "已答复"}, headers=FGJ).status_code
        == 200
    )
    db = Database.from_url(tasks_db_url)
    try:
        with db.write_sessions.begin() as session:
            session.execute(update(Demand).where(Demand.unit_code == "swuj").values(due_date=TODAY - timedelta(days=1)))
    finally:
        db.dispose()
    return client


def run(client, period: str = PERIOD) -> dict:
    resp = client.post("/api/tasks/assessment/runs", json={"period": period}, headers=BUREAU)
    assert resp.status_code == 201, resp.text
    return resp.json()


def row(result: dict, code: str) -> dict:
    return next(i for i in result["items"] if i["unit_code"] == code)


def points(item: dict) -> dict[str, tuple]:
    return {b["key"]: (b["count"], b["points"]) for b in item["breakdown"]}


def test_scores_with_their_breakdown_and_the_street_bonus(tasks):
    wire_metrics(tasks, fake_metrics())
    result = run(tasks)
    assert result["metrics_available"] is True

    swj = row(result, "swj")
    assert points(swj) | {} == {
        "base": (None, 100),
        "task_on_time": (1, 2),
        "task_overdue": (1, -3),
        "co_task_on_time": (0, 0),
        "co_task_overdue": (0, 0),
        "notice_answered": (1, 1),
        "notice_unanswered": (0, 0),
        "demand_on_time": (0, 0),
        "demand_overdue": (0, 0),
        "event_held": (0, 0),
    }
    assert swj["score"] == 100 and swj["rule"] == "*"
    fgj = row(result, "fgj")
    assert points(fgj)["co_task_on_time"] == (1, 1) and points(fgj)["co_task_overdue"] == (1, -1.5)
    assert points(fgj)["demand_on_time"] == (1, 1) and fgj["score"] == 100.5
    swuj = row(result, "swuj")
    assert points(swuj)["demand_overdue"] == (1, -2) and swuj["score"] == 98

    shuiguohu, jiyuqiao = row(result, SHUIGUOHU), row(result, JIYUQIAO)
    assert points(shuiguohu)["yiyuan_bonus"] == (1, 5) and points(shuiguohu)["featured_bonus"] == (1, 3)
    assert shuiguohu["score"] == 108 and shuiguohu["rank"] == 1
    assert points(jiyuqiao)["featured_bonus"] == (0, 0) and jiyuqiao["score"] == 100 and jiyuqiao["rank"] == 2
    departments = [i for i in result["items"] if i["unit_kind"] == "department"]
    assert [(i["unit_code"], i["rank"]) for i in departments] == [("fgj", 1), ("swj", 2), ("swuj", 3)]

    stored = tasks.get("/api/tasks/assessment/scores", params={"period": PERIOD, "kind": "department"}, headers=LEADER)
    assert stored.status_code == 200
    assert [(i["unit_code"], i["score"]) for i in stored.json()["items"]] == [
        ("fgj", 100.5),
        ("swj", 100),
        ("swuj", 98),
    ]


def test_the_street_bonus_is_left_out_when_metrics_is_down(tasks):
    wire_metrics(tasks, None)
    result = run(tasks)
    assert result["metrics_available"] is False
    street = row(result, SHUIGUOHU)
    bonus = next(b for b in street["breakdown"] if b["key"] == "yiyuan_bonus")
    assert (bonus["count"], bonus["points"]) == (None, 0) and "不可用" in bonus["detail"]
    assert street["score"] == 100


def test_rules_are_configurable_per_kind_and_unit(tasks):
    wire_metrics(tasks, None)
    rules = tasks.get("/api/tasks/assessment/rules", headers=BUREAU).json()
    assert [(r["target"], r["version"], r["weights"]["task_overdue"]) for r in rules] == [("*", 0, -3)]

    harsher = {**rules[0]["weights"], "task_overdue": -10}
    put = tasks.put("/api/tasks/assessment/rules/kind:department", json=harsher, headers=BUREAU)
    assert put.status_code == 200, put.text
    assert put.json()["target_name"] == "全部区直部门"
    own = {**rules[0]["weights"], "base": 90}
    assert tasks.put("/api/tasks/assessment/rules/swuj", json=own, headers=BUREAU).status_code == 200

    result = run(tasks)
    swj = row(result, "swj")
    assert swj["rule"] == "kind:department" and points(swj)["task_overdue"] == (1, -10) and swj["score"] == 93
    swuj = row(result, "swuj")
    assert swuj["rule"] == "swuj" and swuj["score"] == 88
    assert row(result, SHUIGUOHU)["rule"] == "*"

    again = tasks.put("/api/tasks/assessment/rules/kind:department", json=harsher, headers=BUREAU)
    assert again.status_code == 428
    stale = tasks.put(
        "/api/tasks/assessment/rules/kind:department", json=harsher, headers={**BUREAU, "If-Match": '"9"'}
    )
    assert stale.status_code == 412
    bad = tasks.put("/api/tasks/assessment/rules/nosuchunit", json=harsher, headers=BUREAU)
    assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "target"
    too_much = tasks.put("/api/tasks/assessment/rules/fgj", json={**harsher, "task_overdue": 5}, headers=BUREAU)
    assert too_much.status_code == 422 and too_much.json()["fields"][0]["field"] == "task_overdue"
    assert tasks.put("/api/tasks/assessment/rules/fgj", json=harsher, headers=FGJ).status_code == 403


def test_who_sees_which_scores(tasks):
    wire_metrics(tasks, None)
    assert tasks.get("/api/tasks/assessment/scores", params={"period": PERIOD}, headers=BUREAU).status_code == 404
    run(tasks)
    own = tasks.get("/api/tasks/assessment/scores", params={"period": PERIOD}, headers=FGJ).json()
    assert [i["unit_code"] for i in own["items"]] == ["fgj"]
    street = tasks.get("/api/tasks/assessment/scores", params={"period": PERIOD}, headers=STREET_SGH).json()
    assert [i["unit_code"] for i in street["items"]] == [SHUIGUOHU]
    assert tasks.get("/api/tasks/assessment/scores", params={"period": PERIOD}, headers=CHIEF_SGH).status_code == 403
    assert tasks.post("/api/tasks/assessment/runs", json={"period": PERIOD}, headers=LEADER).status_code == 403
    # A quarter counts only what falls in it: last year's quarter has nothing but base scores.
    old = run(tasks, f"{TODAY.year - 1}-Q4")
    assert {i["score"] for i in old["items"]} == {100}


def test_the_real_metrics_service_answers_the_street_bonus(tasks, make_client):
    """Against the metrics app itself (an empty one): tiers and 特色 verdicts are read."""
    wire_metrics(tasks, make_client("metrics").app)
    result = run(tasks)
    assert result["metrics_available"] is True
    assert points(row(result, SHUIGUOHU))["yiyuan_bonus"] == (0, 0)
