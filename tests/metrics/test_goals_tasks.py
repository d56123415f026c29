"""The real tasks service's goals reach metrics: the real plan imported in tasks, copied by
metrics' tasks client (internal token), and tracked for 2025 (+2 亿元楼宇, +8 特色楼宇, 3 centres)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal

import httpx
from fastapi.testclient import TestClient

from louyu_kit.auth import SignedServiceTokens
from louyu_kit.tokens import TokenCodec
from metrics.clients.tasks import TasksClient
from metrics.goals import service
from tests.conftest import TEST_SECRET
from tests.metrics.conftest import metrics_db, session_of
from tests.tasks.conftest import BUREAU, REAL_PLAN


def _import_and_copy(make_client: Callable[..., TestClient], *, is_demo: bool = False, centres: int = 0) -> TestClient:
    tasks = make_client("tasks")
    for n in range(centres):  # 招商共享中心 opened in 2025 (the goal counts them)
        body = {"name": f"第{n + 1}招商共享中心", "level": "street", "street_code": "420106001",
                "opened_date": f"2025-0{n + 3}-01", "desks": 10}  # fmt: skip
        assert tasks.post("/api/tasks/centres", json=body, headers=BUREAU).status_code == 201
    metrics = make_client("metrics", metrics_sync_seconds=0, metrics_goals_sync_seconds=0, metrics_warnings_seconds=0)
    body = {"text": REAL_PLAN, "save": True, "is_demo": is_demo}
    saved = tasks.post("/api/tasks/plans/import", json=body, headers=BUREAU)
    assert saved.status_code in (200, 201), saved.text

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

    assert asyncio.run(copy()) == 3
    return metrics


def test_the_real_plans_goals_are_copied_and_tracked(make_client: Callable[..., TestClient]):
    metrics = _import_and_copy(make_client)
    with session_of(metrics) as session:
        goals = {g.metric: g for g in service.goal_progress(session, year=2025)}
    assert set(goals) == {"yiyuan_buildings", "featured_buildings", "sharing_centres"}
    assert goals["yiyuan_buildings"].target == Decimal(2) and goals["featured_buildings"].target == Decimal(8)
    assert goals["sharing_centres"].target == Decimal(3)
    assert all(g.source == "tasks" and g.year == 2025 for g in goals.values())
    assert goals["yiyuan_buildings"].baseline_year == 2024 and goals["yiyuan_buildings"].current_value == 0
    # 招商共享中心: counted from the centres tasks opened in 2025 (none here), not typed.
    assert goals["sharing_centres"].current_value == 0 and goals["sharing_centres"].measured_by == "metrics"
    assert goals["yiyuan_buildings"].computation.startswith("楼内企业归属本楼的全口径税收年度合计 ≥ 1亿元")


def test_the_demo_plan_shows_every_goal_with_progress(make_client: Callable[..., TestClient]):
    """make run: the demo plan's 招商共享中心 goal counts the (demo) centres tasks opened in 2025."""
    metrics = _import_and_copy(make_client, is_demo=True, centres=2)
    with session_of(metrics) as session:
        goals = {g.metric: g for g in service.goal_progress(session, year=2025)}
    centres = goals["sharing_centres"]
    assert centres.current_value == 2 and centres.progress == Decimal("66.7") and centres.computed is True
    assert centres.manual_by == "service:tasks" and "第1招商共享中心、第2招商共享中心" in centres.computation
    assert all(g.progress is not None for g in goals.values())
