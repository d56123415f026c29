"""End to end: a tenant moving out in registry reaches metrics through the change feed and the
特色 verdict changes, with its reason updated."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from louyu_kit.clock import today_in_china
from tests.metrics.conftest import LEADER
from tests.metrics.sync_helpers import RegistryWriter, feed_consumer


@pytest.fixture
def registry(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client("registry")


@pytest.fixture
def metrics(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client("metrics", metrics_sync_seconds=0, metrics_goals_sync_seconds=0, metrics_warnings_seconds=0)


def _verdict(metrics: TestClient, code: str) -> dict:  # type: ignore[type-arg]
    resp = metrics.get(f"/api/metrics/featured/buildings/{code}", headers=LEADER)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_a_finance_tenant_moving_out_in_registry_changes_the_verdict(registry, metrics):
    consumer = feed_consumer(registry, metrics.app.state.db)  # type: ignore[attr-defined]
    w = RegistryWriter(registry)
    building = w.building("长江金融大厦", gfa=52000, themes=["finance"])
    code = building["code"]
    bank, broker, other = w.enterprise(1, "6620"), w.enterprise(2, "6712"), w.enterprise(3, "7010")
    w.move_in(bank["credit_code"], code, "2020-01-01", area=3000)
    stay = w.move_in(broker["credit_code"], code, "2020-01-01", area=3300)
    w.move_in(other["credit_code"], code, "2020-01-01", area=3700)
    asyncio.run(consumer.sync_once())

    before = _verdict(metrics, code)
    assert before["qualifies"] is True and before["themes"] == ["finance"]
    assert before["summary"].startswith("符合特色楼宇（金融）：金融企业占入驻面积 63%（阈值 50%")

    # The broker leaves yesterday: finance keeps 3,000 of 6,700 ㎡.
    w.end(stay["id"], stay["version"], (today_in_china() - timedelta(days=1)).isoformat())
    asyncio.run(consumer.sync_once())

    after = _verdict(metrics, code)
    assert after["qualifies"] is False and after["themes"] == []
    finance = next(c for c in after["checks"] if c["theme"] == "finance")
    assert finance["declared"] is True
    assert finance["reasons"][0].startswith("金融企业占入驻面积 44.7%（阈值 50%；3,000㎡ / 6,700㎡）")
    assert after["summary"].startswith("不符合特色楼宇：金融企业占入驻面积 44.7%")
    asyncio.run(consumer.client.aclose())
