"""The change-feed consumer against an in-process registry: pages, cursor in the page's
transaction, registry unreachable then back, two replicas, a replaced registry database,
``GET /api/metrics/sync``, and no request of metrics calling registry."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from louyu_kit.auth import SignedServiceTokens
from louyu_kit.errors import Unavailable
from louyu_kit.observability import sample
from metrics.clients.registry import RegistryClient
from metrics.readmodel.models import RmBuilding, RmOccupancy, SyncState
from metrics.sync import state
from metrics.sync.consumer import FeedConsumer, FeedReplaced
from tests.metrics.sync_helpers import (
    CODEC,
    LEADER_SYNC,
    RegistryWriter,
    assert_read_model_matches,
    feed_consumer,
    first_changes,
    later_changes,
    registry_head,
    transport_of,
    wait_for,
)
from tests.registry.conftest import token

LAG = "louyu_change_feed_lag_events"
LAG_LABELS = {"consumer": "metrics", "source": "registry"}


@pytest.fixture
def registry(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client("registry")


@pytest.fixture
def metrics(make_client: Callable[..., TestClient]) -> TestClient:
    """The metrics app with its own background consumer off (the tests drive one)."""
    return make_client("metrics", metrics_sync_seconds=0)


@pytest.fixture
def consumer(registry: TestClient, metrics: TestClient) -> FeedConsumer:
    return feed_consumer(registry, metrics.app.state.db, page_size=5)  # type: ignore[attr-defined]


def sync_status(metrics: TestClient) -> dict[str, Any]:
    resp = metrics.get("/api/metrics/sync", headers=LEADER_SYNC)
    assert resp.status_code == 200, resp.text
    return resp.json()


def last_error(consumer: FeedConsumer) -> str | None:
    with consumer.db.sessions() as session:
        row = state.get(session)
        return row.last_error if row else None


def cursor_of(consumer: FeedConsumer) -> int:
    with consumer.db.sessions() as session:
        return state.cursor(session)


async def until(probe: Callable[[], Any], *, what: str, timeout: float = 30.0) -> None:
    """Yield to the consumer until ``probe()`` holds (bounded)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not probe():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def test_reads_the_whole_feed_in_pages_into_registrys_state(registry, metrics, consumer, db_urls):
    writer = RegistryWriter(registry)
    later_changes(writer, first_changes(writer))
    head = registry_head(db_urls("registry"))

    result = asyncio.run(consumer.sync_once())
    assert (result.events, result.cursor, result.head) == (head, head, head)
    assert result.pages == -(-head // 5)
    assert_read_model_matches(db_urls("registry"), db_urls("metrics"))
    assert sample(LAG, LAG_LABELS) == 0

    again = asyncio.run(consumer.sync_once())
    assert (again.events, again.cursor) == (0, head)
    status = sync_status(metrics)
    assert status["cursor"] == status["head"] == head
    assert status["lag_events"] == 0 and status["lag_seconds"] == 0
    assert status["registry_reachable"] is True and status["last_error"] is None


def test_a_backlog_is_applied_in_batches_of_pages_one_transaction_each(registry, metrics, db_urls, monkeypatch):
    writer = RegistryWriter(registry)
    later_changes(writer, first_changes(writer))
    head = registry_head(db_urls("registry"))
    cursors: list[int] = []

    def heard(session, *, credit_codes, building_codes):  # type: ignore[no-untyped-def]
        cursors.append(state.cursor(session))  # the cursor this batch moved to, same transaction

    monkeypatch.setattr("metrics.rollups.hooks.on_dimensions_changed", heard)
    consumer = feed_consumer(registry, metrics.app.state.db, page_size=5)  # type: ignore[attr-defined]
    consumer.batch_events = 12  # three pages of 5 per transaction
    result = asyncio.run(consumer.sync_once())
    assert result.cursor == head and result.pages == -(-head // 5)
    assert cursors == [min(15 * i, head) for i in range(1, -(-head // 15) + 1)]
    assert_read_model_matches(db_urls("registry"), db_urls("metrics"))


def test_registry_unreachable_then_back(registry, metrics, consumer, db_urls):
    writer = RegistryWriter(registry)
    scene = first_changes(writer)
    first = asyncio.run(consumer.sync_once(max_pages=1))
    assert first.cursor == 5 and first.head > 5

    transport = transport_of(consumer)
    transport.down = True
    with pytest.raises(Unavailable):
        asyncio.run(consumer.sync_once())

    async def while_down() -> None:
        consumer.start()
        try:
            await until(lambda: consumer.failures >= 2, what="two failed polls")
        finally:
            await consumer.stop()

    asyncio.run(while_down())
    status = sync_status(metrics)
    assert status["cursor"] == 5 and status["head"] == first.head
    assert status["lag_events"] == first.head - 5
    assert status["registry_reachable"] is False
    assert "楼宇登记服务暂时无法连接" in status["last_error"]
    assert status["lag_seconds"] is not None and status["current_at"] is None
    assert sample(LAG, LAG_LABELS) == first.head - 5

    # Registry keeps changing meanwhile; the changes queue in its feed.
    later_changes(writer, scene)
    head = registry_head(db_urls("registry"))
    transport.down = False

    async def back() -> None:
        consumer.start()
        try:
            # Caught up, and the run loop has seen the poll succeed (failures reset).
            await until(lambda: cursor_of(consumer) == head and consumer.failures == 0, what=f"cursor at {head}")
        finally:
            await consumer.stop()

    asyncio.run(back())
    assert_read_model_matches(db_urls("registry"), db_urls("metrics"))
    status = sync_status(metrics)
    assert status["cursor"] == head and status["lag_events"] == 0 and status["lag_seconds"] == 0
    assert status["registry_reachable"] is True
    assert status["last_error"] and status["last_error_at"] < status["last_ok_at"]


def test_a_new_consumer_continues_from_the_stored_cursor(registry, metrics, consumer, db_urls):
    writer = RegistryWriter(registry)
    later_changes(writer, first_changes(writer))
    head = registry_head(db_urls("registry"))
    assert asyncio.run(consumer.sync_once(max_pages=2)).cursor == 10

    # Metrics restarts: a new process, a new consumer, the cursor read back from the database.
    fresh = feed_consumer(registry, metrics.app.state.db)  # type: ignore[attr-defined]
    result = asyncio.run(fresh.sync_once())
    assert (result.events, result.cursor) == (head - 10, head)
    assert transport_of(fresh).requests[0].url.params["after"] == "10"
    assert_read_model_matches(db_urls("registry"), db_urls("metrics"))


def test_a_failing_page_leaves_neither_rows_nor_cursor(registry, metrics, consumer, db_urls, monkeypatch):
    first_changes(RegistryWriter(registry))

    def broken(session, *, credit_codes, building_codes):  # type: ignore[no-untyped-def]
        raise RuntimeError("rollups failed")

    monkeypatch.setattr("metrics.rollups.hooks.on_dimensions_changed", broken)
    with pytest.raises(RuntimeError):
        asyncio.run(consumer.sync_once())
    with consumer.db.sessions() as session:
        assert state.cursor(session) == 0
        assert session.scalar(select(func.count()).select_from(RmBuilding)) == 0

    monkeypatch.undo()
    asyncio.run(consumer.sync_once())
    assert_read_model_matches(db_urls("registry"), db_urls("metrics"))


def test_a_page_another_replica_applied_first_is_not_applied_again(registry, metrics, consumer, monkeypatch):
    first_changes(RegistryWriter(registry))
    page = asyncio.run(consumer.client.changes(after=0, limit=5))
    heard: list[set[str]] = []
    monkeypatch.setattr(
        "metrics.rollups.hooks.on_dimensions_changed",
        lambda session, *, credit_codes, building_codes: heard.append(building_codes),
    )

    def apply() -> Any:
        with consumer.db.write_sessions.begin() as session:
            return state.apply_page(
                session, after=0, items=page["items"], next_after=page["next_after"], last_seq=page["last_seq"]
            )

    assert apply() is not None
    assert apply() is None  # the cursor is no longer at 0: nothing applied, the rollups not told twice
    assert len(heard) == 1
    assert cursor_of(consumer) == page["next_after"]


def test_a_registry_database_older_than_the_cursor_is_reported_and_reset_rereads(registry, metrics, consumer, db_urls):
    first_changes(RegistryWriter(registry))
    asyncio.run(consumer.sync_once())
    head = registry_head(db_urls("registry"))
    with consumer.db.write_sessions.begin() as session:
        session.execute(update(SyncState).values(cursor=head + 100))
    with pytest.raises(FeedReplaced):
        asyncio.run(consumer.sync_once())

    async def once() -> None:
        consumer.start()
        try:
            await until(lambda: "sync-reset" in (last_error(consumer) or ""), what="the failure recorded")
        finally:
            await consumer.stop()

    asyncio.run(once())
    assert "sync-reset" in sync_status(metrics)["last_error"]

    with consumer.db.write_sessions.begin() as session:
        state.reset(session)
        assert session.scalar(select(func.count()).select_from(RmOccupancy)) == 0
    assert asyncio.run(consumer.sync_once()).events == head
    assert_read_model_matches(db_urls("registry"), db_urls("metrics"))


def test_sync_status_is_for_leaders_the_bureau_and_admins(metrics):
    assert sync_status(metrics)["cursor"] == 0
    for headers in (token("shangwu", "bureau"), token("guanli", "admin")):
        assert metrics.get("/api/metrics/sync", headers=headers).status_code == 200
    for headers in (token("jiedao", "street", streets=("420106001",)), token("louzhang", "chief")):
        assert metrics.get("/api/metrics/sync", headers=headers).status_code == 403
    assert metrics.get("/api/metrics/sync").status_code == 401


def test_status_before_the_first_read(metrics):
    status = sync_status(metrics)
    assert status["head"] is None and status["registry_reachable"] is None and status["lag_seconds"] is None


class Recorder(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(503)


def _fill(path: str) -> str:
    """A concrete URL for a route template ({code} → a plausible value)."""
    out, rest = "", path
    while "{" in rest:
        head, _, tail = rest.partition("{")
        _, _, rest = tail.partition("}")
        out += head + "x1"
    return out + rest


def test_no_request_of_metrics_calls_registry(make_client: Callable[..., TestClient]):
    """Every GET route of the metrics app (dashboard, KPIs, …: all of them, present and future),
    asked by a leader and the bureau, answers without a single call to registry."""
    metrics = make_client("metrics", metrics_sync_seconds=0)
    app: Any = metrics.app
    assert app.state.feed_consumer is None
    recorder = Recorder()
    app.state.registry = RegistryClient.create(
        "http://registry.test", tokens=SignedServiceTokens(CODEC, "metrics"), transport=recorder
    )

    paths = sorted(
        {
            _fill(path)
            for path, item in app.openapi()["paths"].items()
            if "get" in item and path.startswith("/api/metrics/")
        }
    )
    assert "/api/metrics/sync" in paths
    for path in paths:
        for headers in (LEADER_SYNC, token("shangwu", "bureau")):
            metrics.get(path, headers=headers, params={"period": "2025"})
    assert recorder.requests == []

    # The recorder does see the consumer's calls (the check above can fail).
    with pytest.raises(Exception):  # noqa: B017 - the recorder answers 503
        asyncio.run(app.state.registry.changes(after=0))
    assert [r.url.path for r in recorder.requests] == ["/api/registry/changes"]


def test_the_app_runs_its_consumer_when_an_interval_is_set(make_client: Callable[..., TestClient]):
    metrics = make_client("metrics", metrics_sync_seconds=0.05, registry_url="http://127.0.0.1:9")
    consumer = metrics.app.state.feed_consumer  # type: ignore[attr-defined]
    assert isinstance(consumer, FeedConsumer)

    def failed() -> bool:
        with consumer.db.sessions() as session:
            row = session.get(SyncState, "registry")
            return row is not None and row.last_error is not None

    wait_for(failed, what="the app's consumer to try registry")
    status = sync_status(metrics)
    assert status["registry_reachable"] is False and "楼宇登记服务" in status["last_error"]
