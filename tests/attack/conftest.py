"""The attack lane (issue #14, `make test-attack`): one disposable product started the way
`make run` starts it (scripts/run.py via tests/stack.py), on free ports, a temporary data
directory and — on the PostgreSQL lane — databases made for this run and dropped after it.

Every part counts what it tried and what got through (``figures``); the totals are printed at
the end of the run and written to test-artifacts/attack-figures-<lane>.json.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.conftest import LANE, PG_ADMIN_URL, ROOT
from tests.stack import ADMIN_PASSWORD, RunningProduct, start_product

# The parts, in the order they run (the ones that change the demo data or the product come last).
PARTS = (
    "jwt",
    "concurrency",
    "hostile",
    "audit",
    "routes",
    "schemathesis",
    "supervise",
)
SERVICES = ("gateway", "registry", "tasks", "metrics")
PREFIX = {"gateway": "/api/auth", "registry": "/api/registry", "tasks": "/api/tasks", "metrics": "/api/metrics"}
DEMO_USERS = {
    "leader": "demo_leader",
    "bureau": "demo_bureau",
    "department": "demo_dept",
    "street": "demo_street",
    "chief": "demo_chief03",
    "auditor": "demo_auditor",
    "admin": "admin",
    "screen": "demo_screen",
}
SCOPES = ("facts:write", "stats:read")
OWN_STREET = "420106001"  # demo_street and demo_chief03 (积玉桥街道)


@dataclass
class Figure:
    tried: int = 0
    through: int = 0
    notes: list[str] = field(default_factory=list)


FIGURES: dict[str, Figure] = {}


def figure(part: str) -> Figure:
    return FIGURES.setdefault(part, Figure())


# ----- ordering, marker, figures --------------------------------------------------------


def _part(item: pytest.Item) -> int:
    name = Path(str(item.fspath)).stem.removeprefix("test_")
    return PARTS.index(name) if name in PARTS else len(PARTS)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    attack = [i for i in items if i.get_closest_marker("attack")]
    if attack and len(attack) == len(items):
        items.sort(key=_part)  # stable: the order inside a part stays as written


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FIGURES:
        return
    tr = terminalreporter
    tr.section(f"attack lane figures ({LANE})")
    for part in sorted(FIGURES, key=lambda p: PARTS.index(p) if p in PARTS else len(PARTS)):
        fig = FIGURES[part]
        tr.write_line(f"{part:<14} tried {fig.tried:>6}   got through {fig.through:>4}")
        for note in fig.notes[:40]:
            tr.write_line(f"    {note}")
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / f"attack-figures-{LANE}.json").write_text(
        json.dumps(
            {p: {"tried": f.tried, "through": f.through, "notes": f.notes} for p, f in FIGURES.items()},
            ensure_ascii=False,
            indent=1,
        )
    )


# ----- the product ----------------------------------------------------------------------


class Product:
    """The running product plus what the parts need: tokens per role, service ports and pids."""

    def __init__(self, running: RunningProduct, data_dir: Path) -> None:
        self.running = running
        self.data_dir = data_dir
        self.ports = running.ports
        self.demo_password = next(line.split("：", 1)[1].strip() for line in running.output if "演示账号密码" in line)
        self.http = httpx.Client(base_url=running.url, timeout=30)
        self._tokens: dict[str, str] = {}
        self.client_secrets: dict[str, tuple[str, str]] = {}
        self.db_urls: dict[str, str] = {}

    @property
    def url(self) -> str:
        return self.running.url

    def service_url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def password_of(self, username: str) -> str:
        return ADMIN_PASSWORD if username == "admin" else self.demo_password

    def sign_in(self, username: str, password: str | None = None, *, ip: str | None = None) -> httpx.Response:
        headers = {"X-Forwarded-For": ip} if ip else {}
        return self.http.post(
            "/api/auth/token",
            data={"grant_type": "password", "username": username, "password": password or self.password_of(username)},
            headers=headers,
        )

    def pair(self, who: str) -> dict[str, Any]:
        """A fresh token pair for a role (its demo account) or a machine scope (its client)."""
        if who in SCOPES:
            client_id, secret = self.client(who)
            resp = self.http.post(
                "/api/auth/token",
                data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
            )
        else:
            resp = self.sign_in(DEMO_USERS.get(who, who))
        assert resp.status_code == 200, resp.text
        return resp.json()

    def token(self, who: str) -> str:
        if who not in self._tokens:
            self._tokens[who] = self.pair(who)["access_token"]
        return self._tokens[who]

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(who)}"}

    def forget_tokens(self) -> None:
        self._tokens.clear()

    def client(self, scope: str) -> tuple[str, str]:
        if scope not in self.client_secrets:
            resp = self.http.post(
                "/api/auth/clients",
                json={"name": f"攻击测试 {scope}", "scopes": [scope]},
                headers=self.headers("admin"),
            )
            assert resp.status_code == 201, resp.text
            body = resp.json()
            self.client_secrets[scope] = (body["client_id"], body["client_secret"])
        return self.client_secrets[scope]

    def pids(self) -> dict[str, int]:
        """The service processes run.py started (children of the launcher), by service name."""
        found: dict[str, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid != self.running.proc.pid:
                continue
            for arg in cmdline:
                name = arg.decode(errors="replace").split(".main:", 1)[0]
                if name in SERVICES:
                    found[name] = int(entry.name)
        return found

    def peak_rss_mb(self) -> dict[str, float]:
        peaks: dict[str, float] = {}
        for name, pid in self.pids().items():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[name] = int(line.split()[1]) / 1024
        return peaks


def _postgres_databases(run_id: str) -> tuple[dict[str, str], Any]:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    env: dict[str, str] = {}
    with admin.connect() as conn:
        for service in SERVICES:
            name = f"louyu_attack_{run_id}_{service}"
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            env[f"LOUYU_{service.upper()}_DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    return env, admin


def _drop_postgres(admin: Any, run_id: str) -> None:
    with admin.connect() as conn:
        for service in SERVICES:
            conn.execute(text(f'DROP DATABASE IF EXISTS "louyu_attack_{run_id}_{service}" WITH (FORCE)'))
    admin.dispose()


def _start(tmp_path_factory: pytest.TempPathFactory) -> tuple[Product, Any, str]:
    data_dir = tmp_path_factory.mktemp("attack-product")
    env = {
        # The audit part throttles sign-in from made-up client addresses, never from 127.0.0.1.
        "LOUYU_TRUST_FORWARDED_FOR": "true",
        "LOUYU_LOGIN_IP_MAX_FAILURES": "20",
    }
    run_id = uuid.uuid4().hex[:8]
    admin = None
    if LANE == "postgres":
        databases, admin = _postgres_databases(run_id)
        env.update(databases)
    try:
        running = start_product(data_dir, extra_env=env, timeout=300)
    except RuntimeError:
        if admin is not None:
            _drop_postgres(admin, run_id)
        raise
    product = Product(running, data_dir)
    product.db_urls = {
        s: env.get(f"LOUYU_{s.upper()}_DATABASE_URL") or f"sqlite:///{data_dir / f'{s}.db'}" for s in SERVICES
    }
    return product, admin, run_id


@pytest.fixture(scope="session")
def product(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Product]:
    try:
        started = _start(tmp_path_factory)
    except RuntimeError:
        # The launcher gives its services 60 s to get ready; on a starved machine, once more.
        started = _start(tmp_path_factory)
    product, admin, run_id = started
    try:
        yield product
    finally:
        product.http.close()
        product.running.stop()
        if admin is not None:
            _drop_postgres(admin, run_id)


def is_chinese(text_: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text_)


def env_flag(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0", "false")
