"""Goals: copied from the tasks service (a small fake tasks app over real HTTP), kept while tasks
is down, entered by hand, and measured (new 亿元 and 特色 buildings against the baseline year)."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from louyu_kit.auth import SignedServiceTokens
from louyu_kit.tokens import INTERNAL, TokenCodec, TokenInvalid
from metrics.clients.tasks import TasksClient, TasksGoal
from metrics.goals import service
from metrics.rollups.service import rebuild_all
from tests.conftest import TEST_SECRET, ThreadServer
from tests.metrics.conftest import (
    BUREAU,
    DEPARTMENT,
    LEADER,
    STREET,
    add_building,
    add_enterprise,
    add_fact,
    add_occupancy,
    add_theme,
    credit_code,
    metrics_db,
    session_of,
)

CODEC = TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api")
PLAN = "武昌区2025年楼宇经济高质量发展工作方案"
TASKS_GOALS = [
    {"id": 1, "plan_id": 7, "plan_title": PLAN, "metric": "yiyuan_buildings", "target": 2, "unit": "栋",
     "text": "新增2栋税收亿元楼宇", "phase_end_date": "2025-10-31"},
    {"id": 2, "plan_id": 7, "plan_title": PLAN, "metric": "featured_buildings", "target": 8, "unit": "栋",
     "text": "新增8栋特色楼宇", "phase_end_date": None},
    {"id": 3, "plan_id": 7, "plan_title": PLAN, "metric": "sharing_centres", "target": 3, "unit": "个",
     "text": "新建招商共享中心3个", "phase_end_date": "2025-10-31"},
]  # fmt: skip


def fake_tasks(items: list[dict[str, Any]]) -> FastAPI:
    """GET /api/tasks/goals as the contract says, for internal service tokens only."""
    app = FastAPI()
    app.state.items = items
    app.state.callers = []
    # 招商共享中心 opened per year, as tasks counts them from the centres' opening dates.
    app.state.centres = {2024: ["旧中心"], 2025: ["区级招商共享中心", "积玉桥街道招商共享中心"]}

    @app.get("/api/tasks/goals")
    def goals(request: Request) -> JSONResponse:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        try:
            claims = CODEC.verify(token, typ=INTERNAL)
        except TokenInvalid:
            return JSONResponse({"error": "Unauthorized", "detail": "请先登录"}, status_code=401)
        app.state.callers.append(claims["sub"])
        return JSONResponse({"items": app.state.items, "total": len(app.state.items)})

    @app.get("/api/tasks/centres/opened")
    def centres_opened(request: Request, year: int) -> JSONResponse:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        try:
            CODEC.verify(token, typ=INTERNAL)
        except TokenInvalid:
            return JSONResponse({"error": "Unauthorized", "detail": "请先登录"}, status_code=401)
        names = app.state.centres.get(year, [])
        items = [
            {"id": i, "name": n, "level_label": "街道", "opened_date": f"{year}-06-01"} for i, n in enumerate(names)
        ]
        return JSONResponse({"year": year, "count": len(items), "items": items})

    return app


@pytest.fixture
def tasks_server():
    server = ThreadServer(fake_tasks([dict(g) for g in TASKS_GOALS])).start()
    yield server
    if server.thread.is_alive():
        server.stop()


@pytest.fixture
def metrics(make_client, tasks_server) -> TestClient:  # type: ignore[no-untyped-def]
    client = make_client("metrics", tasks_url=tasks_server.url, metrics_sync_seconds=0, metrics_goals_sync_seconds=0)
    # No gateway here to hand out service tokens: sign them with the test key, as the gateway would.
    client.app.state.tasks.tokens = SignedServiceTokens(CODEC, "metrics")
    return client


def _goals(client: TestClient, year: int = 2025, headers=LEADER) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    resp = client.get("/api/metrics/goals", params={"year": year}, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


class TestCopyFromTasks:
    def test_sync_copies_the_plans_goals_with_an_internal_token(self, metrics, tasks_server):
        resp = metrics.post("/api/metrics/goals/sync", headers=BUREAU)
        assert resp.status_code == 200, resp.text
        assert resp.json()["synced"] == 3 and resp.json()["sync"]["last_error"] is None
        assert tasks_server.server.config.app.state.callers == ["service:metrics"]
        body = _goals(metrics)
        assert body["total"] == 3 and body["sync"]["items"] == 3
        by_metric = {g["metric"]: g for g in body["items"]}
        assert set(by_metric) == {"yiyuan_buildings", "featured_buildings", "sharing_centres"}
        yiyuan = by_metric["yiyuan_buildings"]
        assert yiyuan["source"] == "tasks" and yiyuan["plan_title"] == PLAN and Decimal(yiyuan["target"]) == 2
        assert yiyuan["year"] == 2025 and yiyuan["baseline_year"] == 2024 and yiyuan["computed"] is True
        # No phase date: the year comes from the plan's title.
        assert by_metric["featured_buildings"]["year"] == 2025
        # 招商共享中心: the centres tasks has opened in the goal's year, counted, not typed.
        centres = by_metric["sharing_centres"]
        assert centres["computed"] is True and centres["measured_by"] == "metrics"
        assert Decimal(centres["current_value"]) == 2 and Decimal(centres["progress"]) == Decimal("66.7")
        assert "区级招商共享中心、积玉桥街道招商共享中心" in centres["computation"]
        assert "目标年度内启用的区级、街道招商共享中心" in centres["computation"]

    def test_the_centres_goal_follows_the_centres_tasks_opens_and_takes_no_typed_value(self, metrics, tasks_server):
        metrics.post("/api/metrics/goals/sync", headers=BUREAU)
        centres = next(g for g in _goals(metrics)["items"] if g["metric"] == "sharing_centres")
        typed = metrics.patch(f"/api/metrics/goals/{centres['id']}", json={"manual_value": 9}, headers=BUREAU)
        assert typed.status_code == 422 and typed.json()["error"] == "GoalComputed"
        tasks_server.server.config.app.state.centres[2025].append("中南路街道招商共享中心")
        metrics.post("/api/metrics/goals/sync", headers=BUREAU)
        centres = next(g for g in _goals(metrics)["items"] if g["metric"] == "sharing_centres")
        assert Decimal(centres["current_value"]) == 3 and centres["achieved"] is True

    def test_tasks_down_keeps_the_last_copy_and_sync_answers_503(self, metrics, tasks_server):
        assert metrics.post("/api/metrics/goals/sync", headers=BUREAU).status_code == 200
        tasks_server.stop()
        resp = metrics.post("/api/metrics/goals/sync", headers=BUREAU)
        assert resp.status_code == 503
        detail = resp.json()["detail"]
        assert detail.startswith("无法从任务服务同步目标：任务服务")
        assert "同步的版本" in detail and resp.json()["error"] == "TasksUnavailable"
        body = _goals(metrics)
        assert body["total"] == 3
        assert body["sync"]["last_error"] and body["sync"]["last_ok_at"] is not None

    def test_tasks_never_reached_says_so(self, make_client):
        from tests.conftest import free_port

        client = make_client(
            "metrics", tasks_url=f"http://127.0.0.1:{free_port()}", metrics_sync_seconds=0, metrics_goals_sync_seconds=0
        )
        resp = client.post("/api/metrics/goals/sync", headers=BUREAU)
        assert resp.status_code == 503 and "尚未从任务服务取得过目标" in resp.json()["detail"]
        assert _goals(client)["total"] == 0

    def test_a_goal_removed_in_tasks_goes_and_the_bureaus_value_stays(self, metrics, tasks_server):
        # A figure metrics does not compute (the bureau types its value): 招商共享中心 once were.
        entered = {**TASKS_GOALS[2], "metric": "talent_stations", "metric_name": "招商共享中心"}
        tasks_server.server.config.app.state.items = [*TASKS_GOALS[:2], entered]
        metrics.post("/api/metrics/goals/sync", headers=BUREAU)
        centres = next(g for g in _goals(metrics)["items"] if g["metric"] == "talent_stations")
        resp = metrics.patch(
            f"/api/metrics/goals/{centres['id']}",
            json={"manual_value": 2, "manual_note": "中南、积玉桥"},
            headers=BUREAU,
        )
        assert resp.status_code == 200, resp.text
        tasks_server.server.config.app.state.items = [TASKS_GOALS[0], entered]
        assert metrics.post("/api/metrics/goals/sync", headers=BUREAU).json()["synced"] == 2
        items = _goals(metrics)["items"]
        assert {g["metric"] for g in items} == {"yiyuan_buildings", "talent_stations"}
        centres = next(g for g in items if g["metric"] == "talent_stations")
        assert Decimal(centres["current_value"]) == 2 and Decimal(centres["progress"]) == Decimal("66.7")
        assert centres["computation"].startswith("招商共享中心 已新增 2 个，目标新增 3 个，完成 66.7%（截至")
        assert centres["computation"].endswith("区商务局 shangwu 填报：中南、积玉桥）。")
        assert centres["manual_by"] == "shangwu" and centres["manual_as_of"] and centres["manual_at"]

    def test_only_the_bureau_syncs(self, metrics):
        assert metrics.post("/api/metrics/goals/sync", headers=LEADER).status_code == 403


class TestPull:
    """The copy itself (what the lifespan runs periodically), with a mocked transport."""

    def _client(self, handler) -> TasksClient:  # type: ignore[no-untyped-def]
        return TasksClient.create(
            "http://tasks.test", tokens=SignedServiceTokens(CODEC, "metrics"), transport=httpx.MockTransport(handler)
        )

    def test_a_tasks_error_is_recorded_and_raised(self, make_client):
        app = make_client("metrics", metrics_sync_seconds=0, metrics_goals_sync_seconds=0)
        db = metrics_db(app)
        client = self._client(lambda request: httpx.Response(500, json={"detail": "boom"}))
        with pytest.raises(Exception) as raised:
            asyncio.run(service.pull(db, client))
        assert getattr(raised.value, "status_code", None) == 503
        with session_of(app) as session:
            state = service.sync_state(session)
        assert state is not None and state.last_ok_at is None and "任务服务出现错误（500）" in state.last_error

    def test_nonsense_from_tasks_is_an_upstream_error(self, make_client):
        app = make_client("metrics", metrics_sync_seconds=0, metrics_goals_sync_seconds=0)
        client = self._client(lambda request: httpx.Response(200, json={"items": [{"id": 1}]}))
        with pytest.raises(Exception) as raised:
            asyncio.run(service.pull(metrics_db(app), client))
        assert "目标数据格式不正确" in str(raised.value)

    def test_goal_year(self):
        goal = TasksGoal("1", None, "", "x", Decimal(1), "", "2026年新增", None)
        assert service.goal_year(goal, today=date(2030, 1, 1)) == 2026
        goal = TasksGoal("1", None, "方案", "x", Decimal(1), "", "新增", date(2027, 3, 31))
        assert service.goal_year(goal) == 2027
        goal = TasksGoal("1", None, "方案", "x", Decimal(1), "", "新增", None)
        assert service.goal_year(goal, today=date(2030, 1, 1)) == 2030


class TestManual:
    def test_a_goal_entered_by_hand(self, metrics):
        body = {"metric": "talent_stations", "metric_name": "人才驿站", "target": 3, "unit": "个",
                "text": "新建人才驿站3个", "year": 2025, "manual_value": 1}  # fmt: skip
        assert metrics.post("/api/metrics/goals", json=body, headers=LEADER).status_code == 403
        resp = metrics.post("/api/metrics/goals", json=body, headers=BUREAU)
        assert resp.status_code == 201, resp.text
        goal = resp.json()
        assert goal["source"] == "manual" and Decimal(goal["current_value"]) == 1
        assert Decimal(goal["progress"]) == Decimal("33.3") and goal["achieved"] is False
        resp = metrics.patch(f"/api/metrics/goals/{goal['id']}", json={"target": 1}, headers=BUREAU)
        assert resp.json()["achieved"] is True
        assert metrics.delete(f"/api/metrics/goals/{goal['id']}", headers=BUREAU).status_code == 204
        assert _goals(metrics)["total"] == 0

    def test_a_goal_from_the_plan_is_changed_in_the_plan(self, metrics):
        metrics.post("/api/metrics/goals/sync", headers=BUREAU)
        goal = _goals(metrics)["items"][0]
        resp = metrics.patch(f"/api/metrics/goals/{goal['id']}", json={"target": 5}, headers=BUREAU)
        assert resp.status_code == 422 and "请在任务服务的工作方案中修改" in resp.json()["detail"]
        resp = metrics.delete(f"/api/metrics/goals/{goal['id']}", headers=BUREAU)
        assert resp.status_code == 409 and "请在任务服务的工作方案中删除" in resp.json()["detail"]
        assert metrics.patch("/api/metrics/goals/999", json={}, headers=BUREAU).status_code == 404

    def test_a_computed_goal_takes_no_value_by_hand(self, metrics):
        metrics.post("/api/metrics/goals/sync", headers=BUREAU)
        yiyuan = next(g for g in _goals(metrics)["items"] if g["metric"] == "yiyuan_buildings")
        resp = metrics.patch(f"/api/metrics/goals/{yiyuan['id']}", json={"manual_value": 5}, headers=BUREAU)
        assert resp.status_code == 422 and resp.json()["detail"] == "“亿元楼宇”由税收和登记数据计算，不能填报当前值"
        body = {"metric": "featured_buildings", "target": 3, "text": "新增特色楼宇3栋", "year": 2026, "manual_value": 1}
        assert metrics.post("/api/metrics/goals", json=body, headers=BUREAU).status_code == 422


def _yiyuan_district(client: TestClient) -> None:
    """B1 paid 1.2亿 in 2024 and 2025 (not new); B2 0.5亿 in 2024, exactly 1亿 in 2025 (new);
    B3 99,999,999.99 in 2025 (not 亿元). One enterprise per building, all year in place."""
    db = metrics_db(client)
    for n, (code, street, y2024, y2025) in enumerate(
        [
            ("420106-0001", "420106001", "120000000", "120000000"),
            ("420106-0002", "420106001", "50000000", "100000000"),
            ("420106-0003", "420106002", "0", "99999999.99"),
        ],
        start=1,
    ):
        add_building(db, code, street_code=street, name=f"楼宇{n}")
        add_enterprise(db, credit_code(n), industry_code="7010")
        add_occupancy(db, n, credit_code(n), code, start=date(2020, 1, 1))
        if Decimal(y2024):
            add_fact(db, credit_code(n), "2024-06", y2024)
        add_fact(db, credit_code(n), "2025-06", y2025)
    with db.write_sessions() as session:
        rebuild_all(session)
        session.commit()


class TestMeasure:
    def test_new_yiyuan_buildings_against_the_baseline_year(self, metrics):
        _yiyuan_district(metrics)
        metrics.post("/api/metrics/goals/sync", headers=BUREAU)
        goal = next(g for g in _goals(metrics)["items"] if g["metric"] == "yiyuan_buildings")
        assert Decimal(goal["baseline_value"]) == 1 and Decimal(goal["current_value"]) == 1
        assert Decimal(goal["progress"]) == 50 and goal["achieved"] is False
        assert [b["code"] for b in goal["buildings"]] == ["420106-0002"]
        assert "2024年亿元楼宇 1 栋（基线）" in goal["computation"]
        assert "2025年亿元楼宇 2 栋，其中新增 1 栋" in goal["computation"]
        assert "目标新增 2 栋，完成 50.0%" in goal["computation"]

    def test_a_street_user_sees_the_goal_but_only_its_own_buildings_named(self, metrics):
        _yiyuan_district(metrics)
        metrics.post("/api/metrics/goals/sync", headers=BUREAU)
        mine = next(g for g in _goals(metrics, headers=STREET)["items"] if g["metric"] == "yiyuan_buildings")
        assert [b["code"] for b in mine["buildings"]] == ["420106-0002"]
        other = {"Authorization": _street_token("420106002")}
        theirs = next(g for g in _goals(metrics, headers=other)["items"] if g["metric"] == "yiyuan_buildings")
        assert theirs["buildings"] == [] and Decimal(theirs["current_value"]) == 1
        assert _goals(metrics, headers=DEPARTMENT)["total"] == 3

    def test_new_featured_buildings_against_the_baseline_year(self, metrics):
        db = metrics_db(metrics)
        add_theme(db, "finance", "金融", ["66", "67", "68", "69"])
        add_building(db, "420106-0001", name="老金融楼")
        add_building(db, "420106-0002", name="新金融楼")
        add_enterprise(db, credit_code(1), industry_code="6620")
        add_enterprise(db, credit_code(2), industry_code="6712")
        add_occupancy(db, 1, credit_code(1), "420106-0001", start=date(2020, 1, 1))
        add_occupancy(db, 2, credit_code(2), "420106-0002", start=date(2025, 6, 1))
        metrics.post("/api/metrics/goals/sync", headers=BUREAU)
        goal = next(g for g in _goals(metrics)["items"] if g["metric"] == "featured_buildings")
        assert Decimal(goal["baseline_value"]) == 1 and Decimal(goal["current_value"]) == 1
        assert [b["name"] for b in goal["buildings"]] == ["新金融楼"]
        assert "2024年特色楼宇 1 栋（基线）" in goal["computation"]

    def test_goal_progress_for_the_dashboard(self, metrics):
        _yiyuan_district(metrics)
        metrics.post("/api/metrics/goals/sync", headers=BUREAU)
        with session_of(metrics) as session:
            items = service.goal_progress(session, year=2025)
            assert service.goal_progress(session, year=2026) == []
        assert [g.metric for g in items] == ["yiyuan_buildings", "featured_buildings", "sharing_centres"]
        assert items[0].current_value == 1 and items[0].baseline_value == 1


def _street_token(street: str) -> str:
    from tests.metrics.conftest import user_token

    return user_token("yangyuan", "street", streets=[street])["Authorization"]


class TestCommand:
    def test_python_m_metrics_goals_sync(self, metrics, tasks_server, db_urls, tmp_path, capsys):
        from metrics.goals import cli
        from tests.conftest import build_app, free_port, settings_for

        # The command asks the gateway for its service token, as in production.
        gateway = ThreadServer(build_app("gateway", settings_for("gateway", db_urls("gateway"), tmp_path))).start()
        try:
            settings = settings_for(
                "metrics", db_urls("metrics"), tmp_path, tasks_url=tasks_server.url, gateway_url=gateway.url
            )
            assert cli.sync(settings) == 0
            assert "已从任务服务同步目标 3 个" in capsys.readouterr().out
            assert _goals(metrics)["total"] == 3
            down = settings_for(
                "metrics",
                db_urls("metrics"),
                tmp_path,
                tasks_url=f"http://127.0.0.1:{free_port()}",
                gateway_url=gateway.url,
            )
            assert cli.sync(down) == 1
            assert "无法从任务服务同步目标" in capsys.readouterr().err
        finally:
            gateway.stop()
