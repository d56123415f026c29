"""Test harness shared by every service's tests.

Lanes: ``LOUYU_TEST_DATABASE=sqlite`` (default) or ``postgres`` (127.0.0.1:5432, user postgres,
or ``LOUYU_TEST_POSTGRES_URL``). Each test gets fresh, migrated databases: on SQLite a copy
of a migrated template file, on PostgreSQL a once-migrated database per service emptied
before each test. The PostgreSQL databases are created for this run and dropped after it.

Apps are built with explicit Settings objects (never from the developer's environment).
Cross-service behaviour runs real uvicorn servers on free ports (``live_stack``).
"""

from __future__ import annotations

import atexit
import json
import os
import random
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

# Hermetic: a developer's LOUYU_* settings must not leak into the tests.
for _key in [k for k in os.environ if k.startswith("LOUYU_") and not k.startswith("LOUYU_TEST_")]:
    del os.environ[_key]

from gateway.accounts.models import ServiceClient, User  # noqa: E402
from gateway.accounts.passwords import hash_password  # noqa: E402
from gateway.auth.service import hash_client_secret  # noqa: E402
from louyu_kit.db import Database  # noqa: E402
from louyu_kit.migrations import upgrade  # noqa: E402
from louyu_kit.settings import derive_service_secret  # noqa: E402
from louyu_kit.tokens import generate_private_key_pem, public_jwk  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("gateway", "registry", "tasks", "metrics")
# The gateway's signing key for this test run (ES256, generated per process, never committed).
# ``TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api")`` signs tokens
# every app built by ``settings_for`` accepts (the name is kept for the tests that use it).
TEST_PRIVATE_KEY = generate_private_key_pem()
TEST_SECRET = TEST_PRIVATE_KEY
# Tokens some test modules make once, at import: valid for the longest lane on a crowded machine
# (they were 15 minutes, and a slow PostgreSQL lane saw 登录已过期 where nothing was wrong).
TEST_TOKEN_SECONDS = 4 * 3600
TEST_PUBLIC_JWK = public_jwk(TEST_PRIVATE_KEY)
TEST_SERVICE_KEY = "test-service-key-" + "k" * 40
_KEY_DIR = Path(tempfile.mkdtemp(prefix="louyu-test-keys-"))
atexit.register(shutil.rmtree, _KEY_DIR, True)
TEST_PRIVATE_KEY_FILE = _KEY_DIR / "gateway-signing-key.pem"
TEST_PRIVATE_KEY_FILE.write_text(TEST_PRIVATE_KEY)
TEST_PUBLIC_KEYS_FILE = _KEY_DIR / "jwks.json"
TEST_PUBLIC_KEYS_FILE.write_text(json.dumps({"keys": [TEST_PUBLIC_JWK]}))
LANE = os.environ.get("LOUYU_TEST_DATABASE", "sqlite")
PG_ADMIN_URL = os.environ.get("LOUYU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = "Louyu-Test-2026"


def pytest_report_header(config: pytest.Config) -> str:
    return f"louyu database lane: {LANE}"


# ----- databases ------------------------------------------------------------------------


class SqliteLane:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.templates: dict[str, Path] = {}

    def template(self, service: str) -> Path:
        if service not in self.templates:
            path = self.root / f"template-{service}.db"
            upgrade(ROOT / "services" / service, f"sqlite:///{path}")
            self.templates[service] = path
        return self.templates[service]

    def fresh(self, service: str, directory: Path) -> str:
        target = directory / f"{service}.db"
        shutil.copyfile(self.template(service), target)
        return f"sqlite:///{target}"

    def scratch(self, directory: Path) -> str:
        return f"sqlite:///{directory / f'scratch-{uuid.uuid4().hex[:8]}.db'}"

    def close(self) -> None:
        pass


class PostgresLane:
    def __init__(self) -> None:
        self.run_id = uuid.uuid4().hex[:8]
        self.admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.migrated: dict[str, str] = {}
        self.created: list[str] = []

    def _create(self, name: str) -> str:
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

    def fresh(self, service: str, directory: Path) -> str:
        if service not in self.migrated:
            url = self._create(f"louyu_test_{self.run_id}_{service}")
            upgrade(ROOT / "services" / service, url)
            self.migrated[service] = url
        url = self.migrated[service]
        # A fresh database holds no lease either: end any session an earlier test's app left
        # holding one (louyu_kit.leases: a PostgreSQL advisory lock is held until its session ends),
        # or this test's background work would wait for it forever.
        with self.admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = :name)"
                ),
                {"name": url.rsplit("/", 1)[1]},
            )
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                tables = [
                    r[0]
                    for r in conn.execute(
                        text(
                            "SELECT tablename FROM pg_tables "
                            "WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                        )
                    )
                ]
                # Replica mode skips the audit trail's append-only triggers for this reset only.
                conn.execute(text("SET LOCAL session_replication_role = replica"))
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
                if "change_seq" in tables:
                    conn.execute(text("INSERT INTO change_seq (id, value) VALUES (1, 0)"))
        finally:
            engine.dispose()
        return url

    def scratch(self, directory: Path) -> str:
        return self._create(f"louyu_test_{self.run_id}_scratch_{uuid.uuid4().hex[:6]}")

    def close(self) -> None:
        with self.admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def lane(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteLane | PostgresLane]:
    chosen: SqliteLane | PostgresLane
    chosen = PostgresLane() if LANE == "postgres" else SqliteLane(tmp_path_factory.mktemp("templates"))
    try:
        yield chosen
    finally:
        chosen.close()


@pytest.fixture
def db_urls(lane: SqliteLane | PostgresLane, tmp_path: Path) -> Callable[[str], str]:
    """``db_urls("registry")`` → the URL of a fresh, migrated database for this test."""
    cache: dict[str, str] = {}

    def get(service: str) -> str:
        if service not in cache:
            cache[service] = lane.fresh(service, tmp_path)
        return cache[service]

    return get


@pytest.fixture
def scratch_db_url(lane: SqliteLane | PostgresLane, tmp_path: Path) -> str:
    """An empty database (no migrations) for infrastructure tests."""
    return lane.scratch(tmp_path)


# ----- settings and apps ----------------------------------------------------------------


def settings_for(service: str, db_url: str, tmp_path: Path, **overrides: Any) -> Any:
    module = __import__(f"{service}.config", fromlist=["Settings"])
    keys: dict[str, Any] = (
        {"jwt_private_key_file": TEST_PRIVATE_KEY_FILE, "service_key": TEST_SERVICE_KEY}
        if service == "gateway"
        else {
            "jwt_public_keys_file": TEST_PUBLIC_KEYS_FILE,
            "service_secret": derive_service_secret(TEST_SERVICE_KEY, service),
        }
    )
    values: dict[str, Any] = {
        "env": "test",
        "data_dir": tmp_path,
        **keys,
        f"{service}_database_url": db_url,
        "revocation_poll_seconds": 0,
        "log_json": False,
    }
    values.update(overrides)
    return module.Settings(**values)


def build_app(service: str, settings: Any) -> FastAPI:
    module = __import__(f"{service}.main", fromlist=["create_app"])
    return module.create_app(settings)


@pytest.fixture
def make_client(db_urls: Callable[[str], str], tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    """``make_client("registry", **settings_overrides)`` → a TestClient with the app's lifespan running."""
    opened: list[TestClient] = []

    def make(service: str, **overrides: Any) -> TestClient:
        settings = settings_for(service, db_urls(service), tmp_path, **overrides)
        client = TestClient(build_app(service, settings), raise_server_exceptions=False)
        client.__enter__()
        opened.append(client)
        if service == "registry":
            use_gateway_accounts(client, TEST_CHIEFS)
        return client

    yield make
    for client in reversed(opened):
        client.__exit__(None, None, None)


# ----- the gateway's account directory, as registry asks it (registry.clients.gateway) ------

_STREETS_CSV = ROOT / "services/registry/registry/reference/data/streets_420106.csv"
_WUCHANG = [line.split(",")[0] for line in _STREETS_CSV.read_text("utf-8").splitlines()[1:] if line.strip()]
# The 楼长 accounts tests name on buildings: chief role, every Wuchang street (a registry app made
# by make_client has no gateway; tests/registry/test_chief_assignment.py checks the real one).
TEST_CHIEFS: dict[str, dict[str, Any]] = {
    name: {"roles": ["chief"], "street_codes": _WUCHANG, "is_active": True}
    for name in ("chief1", "louzhang", "another", "yangyuan_chief", "yy_chief")
}


def use_gateway_accounts(registry: TestClient, accounts: dict[str, dict[str, Any]]) -> list[str]:
    """Make registry's gateway client answer from ``accounts`` (returns the names asked, in order)."""
    from louyu_kit.auth import SignedServiceTokens
    from louyu_kit.tokens import TokenCodec
    from registry.clients.gateway import GatewayClient

    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"].startswith("Bearer ")
        name = request.url.path.rsplit("/", 1)[-1]
        asked.append(name)
        if name not in accounts:
            return httpx.Response(404, json={"error": "UserNotFound", "detail": f"账号 {name} 不存在"})
        return httpx.Response(200, json={"username": name, "display_name": name, **accounts[name]})

    app = registry.app
    app.state.gateway = GatewayClient.create(
        "http://gateway.test",
        tokens=SignedServiceTokens(
            TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api"), "registry"
        ),
        transport=httpx.MockTransport(answer),
    )
    return asked


@pytest.fixture
def gateway(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client("gateway")


# ----- data factories -------------------------------------------------------------------


@lru_cache
def _hash(password: str) -> str:
    return hash_password(password)


def add_user(
    db_url: str,
    username: str,
    *,
    roles: list[str],
    password: str = PASSWORD,
    display_name: str | None = None,
    street_codes: list[str] | None = None,
    org_unit: str | None = None,
    is_active: bool = True,
) -> None:
    db = Database.from_url(db_url)
    try:
        with db.write_sessions() as session:
            session.add(
                User(
                    username=username,
                    display_name=display_name or username,
                    password_hash=_hash(password),
                    roles=roles,
                    street_codes=street_codes or [],
                    org_unit=org_unit,
                    is_active=is_active,
                    must_change_password=False,
                )
            )
            session.commit()
    finally:
        db.dispose()


def add_client(db_url: str, client_id: str, secret: str, *, scopes: list[str]) -> None:
    db = Database.from_url(db_url)
    try:
        with db.write_sessions() as session:
            session.add(
                ServiceClient(
                    client_id=client_id, name=client_id, secret_hash=hash_client_secret(secret), scopes=scopes
                )
            )
            session.commit()
    finally:
        db.dispose()


def login(client: TestClient | httpx.Client, username: str, password: str = PASSWORD) -> dict[str, Any]:
    resp = client.post("/api/auth/token", data={"grant_type": "password", "username": username, "password": password})
    assert resp.status_code == 200, resp.text
    return resp.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# ----- live servers ---------------------------------------------------------------------


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


# Test servers listen below the kernel's ephemeral range. A port taken from that range (bind to
# port 0) can be handed, before the test server binds it, to the local end of an outgoing
# connection (a pooled PostgreSQL connection did, once: "address already in use"). Each xdist
# worker draws from its own slice, with its own random source (pytest-randomly reseeds
# ``random`` alike in every worker).
_PORTS_LOW, _PORTS_HIGH = 20000, min(32000, _ephemeral_low())
_port_random = random.Random(os.urandom(16))


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on, outside the ephemeral range (see above)."""
    worker = int("".join(ch for ch in os.environ.get("PYTEST_XDIST_WORKER", "gw0") if ch.isdigit()) or 0)
    workers = max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1))
    width = (_PORTS_HIGH - _PORTS_LOW) // workers
    low = _PORTS_LOW + (worker % workers) * width
    for _ in range(500):
        port = _port_random.randrange(low, low + width)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {low} and {low + width}")


class ThreadServer:
    """A real uvicorn server in a thread, for tests that cross process boundaries over HTTP."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        self.port = port or free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None, access_log=False, lifespan="on")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@dataclass
class LiveStack:
    servers: dict[str, ThreadServer] = field(default_factory=dict)
    db_urls: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.servers["gateway"].url

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10)

    def stop(self, service: str) -> None:
        self.servers[service].stop()


def _wait_until_ready(stack: LiveStack, timeout: float = 30) -> None:
    """A service is ready once it has its first revocation list from the gateway (fail closed)."""
    deadline = time.monotonic() + timeout
    for name in ("registry", "tasks", "metrics"):
        url = f"{stack.servers[name].url}/api/{name}/ready"
        while httpx.get(url, timeout=5).status_code != 200:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} is not ready: {httpx.get(url, timeout=5).text}")
            time.sleep(0.05)


@pytest.fixture
def live_stack(db_urls: Callable[[str], str], tmp_path: Path) -> Iterator[LiveStack]:
    """Gateway + registry + tasks + metrics as real HTTP servers on free ports."""
    ports = {name: free_port() for name in SERVICES}
    gateway_url = f"http://127.0.0.1:{ports['gateway']}"
    stack = LiveStack()
    # Each service finds its peers on this stack's ports (settings a service lacks are ignored).
    peers = {f"{n}_url": f"http://127.0.0.1:{ports[n]}" for n in ("registry", "tasks", "metrics")}
    # The services verify with the gateway's JWKS (no key file) and get their internal tokens from it.
    common = {"gateway_url": gateway_url, "revocation_poll_seconds": 0.2, "jwt_public_keys_file": None, **peers}
    for name in ("registry", "tasks", "metrics"):
        stack.db_urls[name] = db_urls(name)
        settings = settings_for(name, stack.db_urls[name], tmp_path, **common)
        stack.servers[name] = ThreadServer(build_app(name, settings), ports[name])
    stack.db_urls["gateway"] = db_urls("gateway")
    gw_settings = settings_for(
        "gateway",
        stack.db_urls["gateway"],
        tmp_path,
        frontend_dir=tmp_path / "no-frontend",
        **{f"{n}_url": f"http://127.0.0.1:{ports[n]}" for n in ("registry", "tasks", "metrics")},
    )
    stack.servers["gateway"] = ThreadServer(build_app("gateway", gw_settings), ports["gateway"])
    try:
        for server in stack.servers.values():
            server.start()
        _wait_until_ready(stack)
        yield stack
    finally:
        for server in stack.servers.values():
            if server.thread.is_alive():
                server.stop()
