"""Goals of every form, across the services: a plan imported in the real tasks service (one
fixture per form), its goals copied by metrics' tasks client, measured on a small district, and
read from the cockpit's answer (GET /api/metrics/dashboard) with progress and a sentence that
names the figure (never its code).

The district (2025, goal year; 2024 the baseline year):
- B1, B2, B3 with 10,000 m² leasable each; stays E1 8,000 m² in B1 (registered, in statistics),
  E2 6,000 m² in B2 (registered), E3 4,000 m² in B3 → 入驻率 60.0%, 注册率 66.7%, 纳统率 33.3%;
- 全口径 tax: E1 1.2亿 in 2024 and 2025; E2 0.5亿 in 2024, 1亿 in 2025; E3 0.3亿 in 2025
  → 亿元楼宇 2024: 1 (B1), 2025: 2 (B1, B2), new in 2025: 1 (B2).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from louyu_kit.auth import SignedServiceTokens
from louyu_kit.tokens import TokenCodec
from metrics.clients.tasks import TasksClient
from metrics.goals import service
from metrics.rollups.service import rebuild_all
from tests.conftest import TEST_SECRET
from tests.metrics.conftest import (
    BUREAU,
    LEADER,
    add_building,
    add_enterprise,
    add_fact,
    add_occupancy,
    credit_code,
    metrics_db,
)
from tests.tasks.conftest import BUREAU as TASKS_BUREAU
from tests.tasks.conftest import DATA

CODES = ("yiyuan_buildings", "occupancy_rate", "registration_rate", "sharing_centres", "building_tax")


def _district(client: TestClient) -> None:
    db = metrics_db(client)
    for n, (area, registered, in_statistics, y2024, y2025) in enumerate(
        [
            (8_000, True, True, "120000000", "120000000"),
            (6_000, True, False, "50000000", "100000000"),
            (4_000, False, False, None, "30000000"),
        ],
        start=1,
    ):
        code = f"420106-000{n}"
        add_building(db, code, name=f"楼宇{n}", gfa=12_000.0, leasable_area=10_000.0)
        add_enterprise(db, credit_code(n), registered_in_district=registered, in_statistics=in_statistics)
        add_occupancy(db, n, credit_code(n), code, area=area, start=date(2020, 1, 1))
        if y2024:
            add_fact(db, credit_code(n), "2024-06", y2024)
        add_fact(db, credit_code(n), "2025-06", y2025)
    with db.write_sessions() as session:
        rebuild_all(session)
        session.commit()


@pytest.fixture
def services(make_client: Callable[..., TestClient]) -> tuple[TestClient, TestClient]:
    tasks = make_client("tasks")
    metrics = make_client("metrics", metrics_sync_seconds=0, metrics_goals_sync_seconds=0, metrics_warnings_seconds=0)
    _district(metrics)
    return tasks, metrics


def _copy(tasks: TestClient, metrics: TestClient) -> int:
    client = TasksClient.create(
        "http://tasks.test",
        tokens=SignedServiceTokens(
            TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api"), "metrics"
        ),
        transport=httpx.ASGITransport(app=tasks.app),
    )

    async def copy() -> int:
        try:
            return await service.pull(metrics_db(metrics), client)
        finally:
            await client.aclose()

    return asyncio.run(copy())


def _import(tasks: TestClient, name: str, *, plan: dict[str, Any] | None = None) -> dict[str, Any]:
    text = (DATA / "goal_forms" / f"{name}.txt").read_text(encoding="utf-8")
    body: dict[str, Any] = {"text": text, "save": True}
    if plan is not None:
        body["plan"] = plan
    resp = tasks.post("/api/tasks/plans/import", json=body, headers=TASKS_BUREAU)
    assert resp.status_code == 201, resp.text
    return resp.json()


def _cockpit_goal(metrics: TestClient, metric: str) -> dict[str, Any]:
    resp = metrics.get("/api/metrics/dashboard", params={"period": "2025"}, headers=LEADER)
    assert resp.status_code == 200, resp.text
    [goal] = [g for g in resp.json()["goals"] if g["metric"] == metric]
    assert not any(code in goal["computation"] for code in CODES), goal["computation"]
    return goal


@pytest.mark.parametrize(
    ("name", "metric", "comparison", "current", "progress", "sentence"),
    [
        (
            "increase", "yiyuan_buildings", "increase", "1", "50.0",
            "2024年亿元楼宇 1 栋（基线）；2025年亿元楼宇 2 栋，其中新增 1 栋（2024年未达到）；"
            "目标新增 2 栋，完成 50.0%。",
        ),
        (
            "absolute", "yiyuan_buildings", "at_least", "2", "50.0",
            "亿元楼宇 现有 2 栋（2025年），目标达到 4 栋，完成 50.0%。",
        ),
        (
            "rate_at_least", "occupancy_rate", "at_least", "60.0", "75.0",
            "入驻率（全区入驻面积 ÷ 可出租面积）2025年 60%，目标达到 80%，完成 75.0%。",
        ),
        (
            "rate_not_below", "registration_rate", "at_least", "66.7", "83.4",
            "注册率（在册企业 ÷ 在楼企业）2025年 66.7%，目标达到 80%，完成 83.4%。",
        ),
            (
            "rate_at_most", "vacancy_rate", "at_most", "40.0", "100.0",
            "空置率（1 − 入驻率（空置面积 ÷ 可出租面积））2025年 40%，目标不高于 45%，完成 100.0%。",
        ),
],
)  # fmt: skip
def test_a_computed_goal_of_each_form_reaches_the_cockpit_with_progress(
    services, name, metric, comparison, current, progress, sentence
):
    tasks, metrics = services
    imported = _import(tasks, name)
    assert [(g["metric"], g["comparison"]) for g in imported["goals"]] == [(metric, comparison)]
    assert _copy(tasks, metrics) == 1
    goal = _cockpit_goal(metrics, metric)
    assert goal["comparison"] == comparison and goal["measured_by"] == "metrics" and goal["computed"] is True
    assert Decimal(str(goal["current_value"])) == Decimal(current) and Decimal(str(goal["progress"])) == Decimal(
        progress
    )
    assert goal["achieved"] is (comparison == "at_most") and goal["year"] == 2025
    assert goal["computation"].endswith(sentence), goal["computation"]


TALENT = {"metric": "talent_stations", "metric_name": "人才驿站", "comparison": "increase", "target": "3",
          "unit": "个", "text": "新建楼宇人才驿站3个"}  # fmt: skip


def _import_bureau_count(tasks: TestClient) -> dict[str, Any]:
    """A plan whose one goal is a count only the bureau keeps (人才驿站: no data measures it),
    added by the bureau in the preview (招商共享中心 is computed from tasks' centres since #17)."""
    text = (DATA / "goal_forms" / "unclassified.txt").read_text(encoding="utf-8")
    preview = tasks.post("/api/tasks/plans/import", json={"text": text}, headers=TASKS_BUREAU).json()
    return _import(tasks, "unclassified", plan={**preview, "goals": [TALENT]})


def test_a_count_only_the_bureau_keeps_is_entered_and_reaches_the_cockpit(services):
    tasks, metrics = services
    imported = _import_bureau_count(tasks)
    assert [(g["metric"], g["measured_by"]) for g in imported["goals"]] == [("talent_stations", "bureau")]
    _copy(tasks, metrics)
    goal = _cockpit_goal(metrics, "talent_stations")
    assert goal["current_value"] is None and goal["progress"] is None
    assert goal["computation"] == "“人才驿站”无法由税收和登记数据计算，当前值由区商务局填报；尚未填报。"

    value = {"value": 2, "as_of": "2025-09-30", "note": "中南路、积玉桥"}
    assert metrics.patch(f"/api/metrics/goals/{goal['id']}/value", json=value, headers=LEADER).status_code == 403
    resp = metrics.patch(f"/api/metrics/goals/{goal['id']}/value", json=value, headers=BUREAU)
    assert resp.status_code == 200, resp.text
    assert resp.headers["X-Audit-Action"] == "goals.value" and resp.headers["X-Audit-Object"] == f"goal:{goal['id']}"
    assert resp.json()["manual_by"] == "shangwu" and resp.json()["manual_as_of"] == "2025-09-30"

    goal = _cockpit_goal(metrics, "talent_stations")
    assert Decimal(str(goal["current_value"])) == 2 and Decimal(str(goal["progress"])) == Decimal("66.7")
    assert goal["computation"] == (
        "人才驿站 已新增 2 个，目标新增 3 个，完成 66.7%（截至2025年9月30日，区商务局 shangwu 填报：中南路、积玉桥）。"
    )


def test_an_unclassifiable_sentence_warns_and_the_goal_added_in_the_preview_reaches_the_cockpit(services):
    tasks, metrics = services
    text = (DATA / "goal_forms" / "unclassified.txt").read_text(encoding="utf-8")
    preview = tasks.post("/api/tasks/plans/import", json={"text": text}, headers=TASKS_BUREAU).json()
    assert preview["goals"] == []
    assert [w["code"] for w in preview["warnings"] if w["level"] == "warning"] == ["goal_unclassified"]
    # The bureau reads the warning and adds the goal in the preview (a figure only it keeps).
    added = {"metric": "building_tax", "metric_name": "楼宇税收", "comparison": "at_least", "target": "50",
             "unit": "亿元", "text": "全年楼宇税收突破50亿元"}  # fmt: skip
    checked = tasks.post(
        "/api/tasks/plans/import", json={"text": text, "plan": {**preview, "goals": [added]}}, headers=TASKS_BUREAU
    ).json()
    assert [w["code"] for w in checked["warnings"] if w["level"] == "warning"] == ["goal_unclassified"]
    assert checked["goals"][0]["measured_by"] == "bureau"
    _import(tasks, "unclassified", plan={**preview, "goals": [added]})
    _copy(tasks, metrics)

    goal = _cockpit_goal(metrics, "building_tax")
    assert goal["metric_name"] == "楼宇税收" and goal["measured_by"] == "bureau"
    assert goal["computation"] == "“楼宇税收”无法由税收和登记数据计算，当前值由区商务局填报；尚未填报。"
    resp = metrics.patch(f"/api/metrics/goals/{goal['id']}/value", json={"value": 20}, headers=BUREAU)
    assert resp.status_code == 200, resp.text
    goal = _cockpit_goal(metrics, "building_tax")
    assert Decimal(str(goal["progress"])) == 40 and goal["computation"].startswith(
        "楼宇税收 现有 20 亿元，目标达到 50 亿元，完成 40.0%（截至"
    )


def test_a_computed_goal_takes_no_value_and_a_future_date_is_refused(services):
    tasks, metrics = services
    _import(tasks, "increase")
    _import_bureau_count(tasks)
    _copy(tasks, metrics)
    yiyuan = _cockpit_goal(metrics, "yiyuan_buildings")
    resp = metrics.patch(f"/api/metrics/goals/{yiyuan['id']}/value", json={"value": 1}, headers=BUREAU)
    assert resp.status_code == 422 and resp.json()["detail"] == "“亿元楼宇”由税收和登记数据计算，不能填报当前值"
    talent = _cockpit_goal(metrics, "talent_stations")
    resp = metrics.patch(
        f"/api/metrics/goals/{talent['id']}/value", json={"value": 1, "as_of": "2999-01-01"}, headers=BUREAU
    )
    assert resp.status_code == 422 and resp.json()["fields"][0]["field"] == "manual_as_of"
    assert _cockpit_goal(metrics, "talent_stations")["current_value"] is None  # nothing half-written
