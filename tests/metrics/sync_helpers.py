"""Helpers for the read-model and sync tests (and for the KPI tests built on their scenarios).

- ``registry_state(url)`` / ``read_model_state(url)``: registry's current dimensions straight from
  its database, and metrics' read model (live rows only), in one comparable shape;
- ``registry_head(url)``: the last seq of registry's change feed;
- ``feed_consumer(registry_client, metrics_db_url)``: a consumer talking to an in-process
  registry app (an httpx ASGI transport that can be switched off: ``transport.down = True``);
- ``wait_for(...)``: a bounded poll for a condition (never a tuned sleep);
- ``restart(stack, service, tmp_path)``: bring a stopped live-stack server back on its port;
- ``catch_up_scenario(stack, tmp_path)``: the "registry down for a while, then up" story on a
  live stack, returning when metrics has caught up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from louyu_kit.auth import SignedServiceTokens
from louyu_kit.db import Database
from louyu_kit.tokens import ACCESS, TokenCodec
from metrics.clients.registry import RegistryClient
from metrics.sync.consumer import FeedConsumer
from tests.conftest import TEST_SECRET, TEST_TOKEN_SECONDS, LiveStack, ThreadServer, add_user, build_app, settings_for
from tests.registry.conftest import BUREAU, JIYUQIAO, YANGYUAN, credit_code

T = TypeVar("T")
CODEC = TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api")


def _leader() -> dict[str, str]:
    """A leader's token (readers of ``GET /api/metrics/sync``)."""
    issued = CODEC.issue(
        sub="lingdao",
        typ=ACCESS,
        ttl_seconds=TEST_TOKEN_SECONDS,
        claims={"kind": "user", "sid": "sid-lingdao", "roles": ["leader"], "streets": []},
    )
    return {"Authorization": f"Bearer {issued.token}"}


LEADER_SYNC = _leader()


# ----- states to compare ----------------------------------------------------------------


def registry_state(registry_db_url: str) -> dict[str, dict[Any, dict[str, Any]]]:
    """Registry's buildings, spaces, enterprises and occupancy as they are now (its database)."""
    from registry.buildings.models import Building
    from registry.enterprises.models import Enterprise
    from registry.occupancy.models import Occupancy
    from registry.reference.models import Theme
    from registry.spaces.models import Space

    db = Database.from_url(registry_db_url)
    try:
        with db.sessions() as session:
            codes = dict(session.execute(select(Building.id, Building.code)).all())
            credit = dict(session.execute(select(Enterprise.id, Enterprise.credit_code)).all())
            return {
                "building": {
                    b.code: {
                        "name": b.name,
                        "street_code": b.street_code,
                        "zone": b.zone,
                        "gfa": b.gfa,
                        "leasable_area": b.leasable_area,
                        "stage": b.stage,
                        "themes": sorted(b.themes),
                        "chief_username": b.chief_username or None,
                        "liaison_username": b.liaison_username or None,
                    }
                    for b in session.scalars(select(Building))
                },
                "space": {
                    s.id: {"building_code": codes[s.building_id], "area": s.area, "status": s.status}
                    for s in session.scalars(select(Space))
                },
                "enterprise": {
                    e.credit_code: {
                        "name": e.name,
                        "industry_code": e.industry_code,
                        "registered_in_district": e.registered_in_district,
                        "taxed_in_district": e.taxed_in_district,
                        "in_statistics": e.in_statistics,
                        "above_scale": e.above_scale,
                        "is_key": e.is_key,
                    }
                    for e in session.scalars(select(Enterprise))
                },
                "occupancy": {
                    o.id: {
                        "credit_code": credit[o.enterprise_id],
                        "building_code": codes[o.building_id],
                        "area": o.area,
                        "start_date": o.start_date,
                        "end_date": o.end_date,
                        "spaces": sorted((link.space_id, link.area) for link in o.space_links),
                    }
                    for o in session.scalars(select(Occupancy))
                },
                "theme": {
                    t.code: {"name": t.name, "industry_prefixes": list(t.industry_prefixes)}
                    for t in session.scalars(select(Theme))
                },
            }
    finally:
        db.dispose()


def read_model_state(metrics_db_url: str) -> dict[str, dict[Any, dict[str, Any]]]:
    """The same shape from metrics' read model (rows not deleted)."""
    from metrics.readmodel.models import RmBuilding, RmEnterprise, RmOccupancy, RmSpace, RmTheme

    db = Database.from_url(metrics_db_url)
    try:
        with db.sessions() as session:

            def live(model: Any) -> list[Any]:
                return list(session.scalars(select(model).where(model.deleted.is_(False))))

            return {
                "building": {
                    b.code: {
                        "name": b.name,
                        "street_code": b.street_code,
                        "zone": b.zone,
                        "gfa": b.gfa,
                        "leasable_area": b.leasable_area,
                        "stage": b.stage,
                        "themes": sorted(b.themes),
                        "chief_username": b.chief_username,
                        "liaison_username": b.liaison_username,
                    }
                    for b in live(RmBuilding)
                },
                "space": {
                    s.id: {"building_code": s.building_code, "area": s.area, "status": s.status} for s in live(RmSpace)
                },
                "enterprise": {
                    e.credit_code: {
                        "name": e.name,
                        "industry_code": e.industry_code,
                        "registered_in_district": e.registered_in_district,
                        "taxed_in_district": e.taxed_in_district,
                        "in_statistics": e.in_statistics,
                        "above_scale": e.above_scale,
                        "is_key": e.is_key,
                    }
                    for e in live(RmEnterprise)
                },
                "occupancy": {
                    o.id: {
                        "credit_code": o.credit_code,
                        "building_code": o.building_code,
                        "area": o.area,
                        "start_date": o.start_date,
                        "end_date": o.end_date,
                        "spaces": sorted((p["space_id"], p["area"]) for p in o.spaces),
                    }
                    for o in live(RmOccupancy)
                },
                "theme": {
                    t.code: {"name": t.name, "industry_prefixes": list(t.industry_prefixes)} for t in live(RmTheme)
                },
            }
    finally:
        db.dispose()


def assert_read_model_matches(registry_db_url: str, metrics_db_url: str) -> None:
    """The read model holds exactly registry's objects with registry's values.

    Themes: registry seeds its shipped themes at start-up without change events, so only the
    themes that went through the feed (created or changed through the API) can be compared."""
    expected, actual = registry_state(registry_db_url), read_model_state(metrics_db_url)
    for entity in ("building", "space", "enterprise", "occupancy"):
        assert actual[entity] == expected[entity], entity
    for code, theme in actual["theme"].items():
        assert expected["theme"].get(code) == theme, code


def registry_head(registry_db_url: str) -> int:
    from registry.db import feed

    db = Database.from_url(registry_db_url)
    try:
        with db.sessions() as session:
            return int(session.scalar(select(feed.counter.c.value).where(feed.counter.c.id == 1)) or 0)
    finally:
        db.dispose()


def metrics_cursor(metrics_db_url: str) -> int:
    from metrics.sync import state

    db = Database.from_url(metrics_db_url)
    try:
        with db.sessions() as session:
            return state.cursor(session)
    finally:
        db.dispose()


# ----- waiting --------------------------------------------------------------------------


def wait_for(probe: Callable[[], T | None], *, what: str, timeout: float = 60.0, every: float = 0.1) -> T:
    """Poll ``probe`` until it returns something truthy (returned), failing after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        try:
            last = probe()
        except (httpx.HTTPError, AssertionError) as exc:
            last = exc
        else:
            if last:
                return last
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what} (last: {last!r})")
        time.sleep(every)


# ----- an in-process registry the consumer can reach (and lose) ---------------------------


class SwitchableTransport(httpx.AsyncBaseTransport):
    """An ASGI transport to an app that can be "down" (every request fails to connect)."""

    def __init__(self, app: Any) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.down = False
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


def feed_consumer(registry: TestClient, metrics_db: Database, *, page_size: int = 1000) -> FeedConsumer:
    """A consumer reading the (running) registry app in ``registry`` into ``metrics_db``;
    ``consumer.client.client._transport`` is its SwitchableTransport (see ``transport_of``)."""
    transport = SwitchableTransport(registry.app)
    client = RegistryClient.create(
        "http://registry.test", tokens=SignedServiceTokens(CODEC, "metrics"), transport=transport
    )
    return FeedConsumer(db=metrics_db, client=client, interval=0.05, page_size=page_size)


def transport_of(consumer: FeedConsumer) -> SwitchableTransport:
    transport = consumer.client.client._transport  # noqa: SLF001 - the test's own transport
    assert isinstance(transport, SwitchableTransport)
    return transport


# ----- registry writes (through its API, as users make them) -----------------------------


def _ok(resp: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    return resp.json() if resp.content else {}


@dataclass
class RegistryWriter:
    """Registry writes through its HTTP API (TestClient or a live server's httpx client)."""

    client: Any
    headers: dict[str, str] = field(default_factory=lambda: dict(BUREAU))

    def building(self, name: str, street: str = JIYUQIAO, **fields: Any) -> dict[str, Any]:
        body = {"name": name, "street_code": street, "gfa": 50000, "leasable_area": 40000, **fields}
        return _ok(self.client.post("/api/registry/buildings", json=body, headers=self.headers), 201)

    def patch_building(self, code: str, version: int, **fields: Any) -> dict[str, Any]:
        headers = {**self.headers, "If-Match": f'"{version}"'}
        return _ok(self.client.patch(f"/api/registry/buildings/{code}", json=fields, headers=headers))

    def delete_building(self, code: str) -> None:
        _ok(self.client.delete(f"/api/registry/buildings/{code}", headers=self.headers), 204)

    def space(self, building: str, unit: str, area: float = 500, floor: int = 10) -> dict[str, Any]:
        body = {"floor": floor, "unit": unit, "area": area}
        return _ok(self.client.post(f"/api/registry/buildings/{building}/spaces", json=body, headers=self.headers), 201)

    def delete_space(self, space_id: int) -> None:
        _ok(self.client.delete(f"/api/registry/spaces/{space_id}", headers=self.headers), 204)

    def enterprise(self, n: int, industry: str = "6620", **fields: Any) -> dict[str, Any]:
        body = {"credit_code": credit_code(n), "name": f"测试企业{n}有限公司", "industry_code": industry, **fields}
        return _ok(self.client.post("/api/registry/enterprises", json=body, headers=self.headers), 201)

    def patch_enterprise(self, code: str, version: int, **fields: Any) -> dict[str, Any]:
        headers = {**self.headers, "If-Match": f'"{version}"'}
        return _ok(self.client.patch(f"/api/registry/enterprises/{code}", json=fields, headers=headers))

    def move_in(self, code: str, building: str, start: str, **fields: Any) -> dict[str, Any]:
        body = {"credit_code": code, "building_code": building, "start_date": start, **fields}
        return _ok(self.client.post("/api/registry/occupancies", json=body, headers=self.headers), 201)

    def move(self, occupancy_id: int, version: int, to: str, move_date: str, **fields: Any) -> dict[str, Any]:
        headers = {**self.headers, "If-Match": f'"{version}"'}
        body = {"to_building_code": to, "move_date": move_date, **fields}
        return _ok(self.client.post(f"/api/registry/occupancies/{occupancy_id}/move", json=body, headers=headers), 201)

    def end(self, occupancy_id: int, version: int, end_date: str) -> dict[str, Any]:
        headers = {**self.headers, "If-Match": f'"{version}"'}
        body = {"end_date": end_date}
        return _ok(self.client.post(f"/api/registry/occupancies/{occupancy_id}/end", json=body, headers=headers))

    def delete_occupancy(self, occupancy_id: int) -> None:
        _ok(self.client.delete(f"/api/registry/occupancies/{occupancy_id}", headers=self.headers), 204)

    def theme(self, code: str, name: str, prefixes: list[str]) -> dict[str, Any]:
        body = {"code": code, "name": name, "industry_prefixes": prefixes}
        return _ok(self.client.post("/api/registry/themes", json=body, headers=self.headers), 201)

    def put_theme(self, code: str, name: str, prefixes: list[str]) -> dict[str, Any]:
        body = {"name": name, "industry_prefixes": prefixes}
        return _ok(self.client.put(f"/api/registry/themes/{code}", json=body, headers=self.headers))


@dataclass
class Scene:
    """What ``first_changes`` created (codes and ids the later steps refer to)."""

    buildings: list[str] = field(default_factory=list)
    spaces: list[int] = field(default_factory=list)
    enterprises: list[str] = field(default_factory=list)
    occupancies: list[int] = field(default_factory=list)


def first_changes(w: RegistryWriter) -> Scene:
    """Two buildings with spaces, three enterprises, their stays, a theme of our own."""
    scene = Scene()
    w.theme("fintech_test", "金融科技测试", ["66", "6440"])
    a = w.building("同步测试大厦A", themes=["finance"])
    b = w.building("同步测试大厦B", street=YANGYUAN, zone="滨江")
    scene.buildings = [a["code"], b["code"]]
    scene.spaces = [w.space(a["code"], "1001", 600)["id"], w.space(a["code"], "1002", 400)["id"]]
    scene.spaces.append(w.space(b["code"], "2001", 800, floor=20)["id"])
    for n in (101, 102, 103):
        scene.enterprises.append(w.enterprise(n)["credit_code"])
    e1, e2, e3 = scene.enterprises
    scene.occupancies.append(w.move_in(e1, a["code"], "2024-01-01", spaces=[{"id": scene.spaces[0]}])["id"])
    scene.occupancies.append(w.move_in(e2, a["code"], "2024-03-01", spaces=[{"id": scene.spaces[1]}])["id"])
    scene.occupancies.append(w.move_in(e3, b["code"], "2024-05-01", area=300)["id"])
    return scene


def later_changes(w: RegistryWriter, scene: Scene) -> Scene:
    """Updates, a move between the buildings, a move-out, deletes, new objects."""
    a, b = scene.buildings
    e2 = scene.enterprises[1]
    w.patch_building(a, 1, zone="中北路", chief_username="louzhang")
    w.patch_enterprise(e2, 1, above_scale=True, in_statistics=True)
    w.put_theme("fintech_test", "金融科技测试", ["66", "6440", "6450"])
    # e1 moves from A (space 1001) to B on 2025-06-01: its stay in A ends 2025-05-31.
    moved = w.move(scene.occupancies[0], 1, b, "2025-06-01", area=250)
    scene.occupancies.append(moved["id"])
    # e3 moves out of B; e2's stay was entered by mistake and is deleted.
    w.end(scene.occupancies[2], 1, "2025-03-31")
    w.delete_occupancy(scene.occupancies[1])
    w.delete_space(scene.spaces[1])
    c = w.building("同步测试大厦C")
    w.delete_building(c["code"])
    e4 = w.enterprise(104, industry="6440")["credit_code"]
    scene.enterprises.append(e4)
    scene.occupancies.append(w.move_in(e4, a, "2025-07-01", spaces=[{"id": scene.spaces[0]}])["id"])
    return scene


# ----- live stack ---------------------------------------------------------------------------


def restart(stack: LiveStack, service: str, tmp_path: Path, **overrides: Any) -> ThreadServer:
    """Start ``service`` again on its port, on its database, with the live stack's settings."""
    old = stack.servers[service]
    assert not old.thread.is_alive(), f"{service} is still running"
    peers = {f"{name}_url": stack.servers[name].url for name in ("registry", "tasks", "metrics")}
    values = {"gateway_url": stack.url, "revocation_poll_seconds": 0.2, **peers, **overrides}
    settings = settings_for(service, stack.db_urls[service], tmp_path, **values)
    server = ThreadServer(build_app(service, settings), old.port).start()
    stack.servers[service] = server
    return server


def sync_status(stack: LiveStack) -> dict[str, Any]:
    """``GET /api/metrics/sync`` through the gateway."""
    with stack.client() as client:
        resp = client.get("/api/metrics/sync", headers=LEADER_SYNC)
    assert resp.status_code == 200, resp.text
    return resp.json()


def wait_caught_up(stack: LiveStack, *, timeout: float = 60.0) -> dict[str, Any]:
    """Wait until metrics' cursor reaches registry's head (read from registry's database)."""
    head = registry_head(stack.db_urls["registry"])

    def probe() -> dict[str, Any] | None:
        status = sync_status(stack)
        return status if status["cursor"] == head and status["lag_events"] == 0 else None

    return wait_for(probe, what=f"metrics to apply registry's feed up to seq {head}", timeout=timeout)


@dataclass
class CatchUp:
    scene: Scene
    while_down: dict[str, Any]
    after: dict[str, Any]


def catch_up_scenario(stack: LiveStack, tmp_path: Path) -> CatchUp:
    """Registry down for a while, then up; metrics catches up.

    1. First changes in registry; metrics applies them.
    2. Metrics stops; more changes are written in registry (they queue in its feed).
    3. Registry stops; metrics starts: it cannot read the feed (``/sync`` reports the error).
    4. Registry starts again: metrics reads what it missed. Returns once its cursor is at
       registry's head (the read model then equals registry: ``assert_read_model_matches``)."""
    # later_changes names louzhang as 楼长: registry checks the account with the gateway.
    add_user(stack.db_urls["gateway"], "louzhang", roles=["chief"], street_codes=[JIYUQIAO, YANGYUAN])
    with httpx.Client(base_url=stack.servers["registry"].url, timeout=10) as client:
        writer = RegistryWriter(client)
        scene = first_changes(writer)
        wait_caught_up(stack)
        stack.stop("metrics")
        later_changes(writer, scene)
    stack.stop("registry")
    restart(stack, "metrics", tmp_path, metrics_sync_seconds=0.2)
    while_down = wait_for(
        lambda: (s := sync_status(stack))["registry_reachable"] is False and s,
        what="metrics to report registry unreachable",
    )
    restart(stack, "registry", tmp_path)
    after = wait_caught_up(stack)
    return CatchUp(scene=scene, while_down=while_down, after=after)
