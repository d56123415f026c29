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


def test_the_real_plans_goals_are_copied_and_tracked(make_client: Callable[..., TestClient]):
    tasks = make_client("tasks")
    metrics = make_client("metrics", metrics_sync_seconds=0, metrics_goals_sync_seconds=0, metrics_warnings_seconds=0)
    saved = tasks.post("/api/tasks/plans/import", json={"text": REAL_PLAN, "save": True}, headers=BUREAU)
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
    with session_of(metrics) as session:
        goals = {g.metric: g for g in service.goal_progress(session, year=2025)}
    assert set(goals) == {"yiyuan_buildings", "featured_buildings", "sharing_centres"}
    assert goals["yiyuan_buildings"].target == Decimal(2) and goals["featured_buildings"].target == Decimal(8)
    assert goals["sharing_centres"].target == Decimal(3)
    assert all(g.source == "tasks" and g.year == 2025 for g in goals.values())
    assert goals["yiyuan_buildings"].baseline_year == 2024 and goals["yiyuan_buildings"].current_value == 0
