"""`make run`: migrate, create the first admin, start gateway + registry + tasks + metrics,
print where to sign in, supervise them (a service that dies is restarted with back-off while
the others keep serving, and the console says so), and stop them all on Ctrl-C or SIGTERM.

The console is for a person: the start-up steps, the address, then the accounts in a box with
the one-time passwords last (held back until every service is ready, so nothing scrolls them
away), then only warnings, errors, restarts and at most one line a minute summing up what the
gateway answered. Each service writes every line (access log included) to its own rotating
JSON file under ``$LOUYU_DATA_DIR/logs/`` and puts only warnings on the console
(louyu_kit.logs); ``LOUYU_LOG_CONSOLE=all`` brings every line back. This launcher never reads
the services' output: they write to the terminal themselves.

Keys: in dev the gateway's ES256 signing key and the service key are generated once into the
data directory (``jwt-signing-key.pem``, ``service-key``, mode 0600; never committed); the
services verify with the gateway's JWKS. In production the settings refuse to start without
configured keys (README, 令牌与密钥).

Every setting comes from the LOUYU_* environment (see README); with none set it runs on
SQLite files under ./var. With LOUYU_DATABASE=postgres it runs on the local PostgreSQL
(LOUYU_POSTGRES_URL), creating louyu_gateway, louyu_registry, louyu_tasks and louyu_metrics
when missing; an explicit LOUYU_<SERVICE>_DATABASE_URL still wins.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, MutableMapping
from contextlib import redirect_stdout
from datetime import datetime
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from gateway.__main__ import DEMO_ACCOUNTS, bootstrap, create_demo_accounts
from gateway.config import get_settings as gateway_settings
from louyu_kit.migrations import upgrade
from metrics.config import get_settings as metrics_settings
from metrics.demo import DemoEnterprise
from metrics.demo import load_if_empty as load_metrics_demo_if_empty
from metrics.demo import summary as metrics_demo_summary
from registry.config import get_settings as registry_settings
from registry.demo import load_if_empty as load_demo_if_empty
from registry.demo import summary as demo_summary
from registry.enterprises.models import Enterprise
from tasks.config import get_settings as tasks_settings
from tasks.demo import load_if_empty as load_tasks_demo_if_empty
from tasks.demo import summary as tasks_demo_summary

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ROOT / "services"
LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def main() -> int:
    accounts = Accounts()
    try:
        return launch(accounts)
    finally:
        # One-time passwords are never lost: shown even when the start-up failed or was stopped.
        accounts.show()


def launch(accounts: Accounts) -> int:
    created = use_local_postgres(os.environ)
    if os.environ.get("LOUYU_DATABASE", "").strip().lower().startswith("postgres"):
        made = f"（新建：{', '.join(created)}）" if created else ""
        print(f"▶ 使用 PostgreSQL 数据库{made}", flush=True)
    gw = gateway_settings()
    peers = {"registry": registry_settings(), "tasks": tasks_settings(), "metrics": metrics_settings()}
    ports = {
        "registry": peers["registry"].registry_port,
        "tasks": peers["tasks"].tasks_port,
        "metrics": peers["metrics"].metrics_port,
        "gateway": gw.gateway_port,
    }
    gw.data_dir.mkdir(parents=True, exist_ok=True)
    # Create the development keys once, before the processes race for them (no-op when configured).
    gw.signing_key()
    gw.service_master_key()

    print("▶ 数据库迁移 …", flush=True)
    upgrade(SERVICES / "gateway", gw.database_url)
    for name, settings in peers.items():
        upgrade(SERVICES / name, settings.database_url)
    # What the account set-up prints (one-time passwords among it) is held for the box shown once
    # every service is ready: printed now, the services' first lines would scroll it away.
    accounts.admin(_captured(bootstrap, gw))
    if peers["registry"].env != "production":
        counts = load_demo_if_empty(peers["registry"].database_url)
        if counts:
            print(f"▶ {demo_summary(counts)}", flush=True)
            accounts.demo(_captured(create_demo_accounts, gw)[0])
        figures = load_metrics_demo_if_empty(
            peers["metrics"].database_url, registry_demo_enterprises(peers["registry"].database_url)
        )
        if figures:
            print(f"▶ {metrics_demo_summary(figures)}", flush=True)
        plan = load_tasks_demo_if_empty(peers["tasks"].database_url)
        if plan:
            print(f"▶ {tasks_demo_summary(plan)}", flush=True)

    env = dict(os.environ)
    # A person reads this terminal: plain log lines unless JSON is asked for.
    env.setdefault("LOUYU_LOG_JSON", "false")
    env.setdefault("LOUYU_GATEWAY_URL", f"http://127.0.0.1:{ports['gateway']}")
    for name in peers:
        env.setdefault(f"LOUYU_{name.upper()}_URL", f"http://127.0.0.1:{ports[name]}")
    env.setdefault("LOUYU_FRONTEND_DIR", str(ROOT / "frontend" / "dist"))
    host = gw.gateway_host

    def spawn(name: str) -> subprocess.Popen[bytes]:
        cmd = [
            sys.executable,
            "-m",
            "louyu_kit.serve",
            f"{name}.main:create_app",
            "--host",
            host if name == "gateway" else "127.0.0.1",
            "--port",
            str(ports[name]),
        ]
        return subprocess.Popen(cmd, env=env, cwd=ROOT)

    procs: dict[str, subprocess.Popen[bytes]] = {}
    print("▶ 启动服务（registry、tasks、metrics、gateway），等待全部就绪 …", flush=True)
    for name in ("registry", "tasks", "metrics", "gateway"):
        procs[name] = spawn(name)

    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    try:
        if not _wait_ready(ports, procs, lambda: stopping):
            return 1
        url = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{ports['gateway']}"
        print(f"\n✔ 楼宇经济信息管理平台已启动：{url}")
        print(f"  接口文档：{url}/api/registry/docs  {url}/api/tasks/docs  {url}/api/metrics/docs  {url}/api/auth/docs")
        logs = gw.log_file("gateway")
        if logs is not None:
            print(f"  日志文件：{_shown(logs.parent)}/（每个服务一个，JSON，含每个请求及其请求号）")
        if gw.log_console_mode() == "all":
            print("  全部日志也显示在此（LOUYU_LOG_CONSOLE=all）。")
        else:
            print("  此处只显示警告、错误、服务重启和每分钟一行访问摘要；设置 LOUYU_LOG_CONSOLE=all 显示全部日志。")
        print("  按 Ctrl-C 停止。\n")
        accounts.show()
        Supervisor(procs, spawn, ports, activity=Activity(ports["gateway"], gw.prometheus_token)).run(lambda: stopping)
        return 0
    finally:
        _stop_all(procs)


def _captured(action: Callable[..., object], *args: object) -> tuple[object, list[str]]:
    out = io.StringIO()
    with redirect_stdout(out):
        result = action(*args)
    return result, out.getvalue().splitlines()


def _shown(path: Path) -> str:
    """``path`` as a person would type it from the repository (relative when inside it)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path.resolve())


def width(text: str) -> int:
    """Terminal columns of ``text`` (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class Accounts:
    """The sign-in box: the accounts, then the one-time passwords last; shown once."""

    PASSWORD_MARK = "只显示这一次"

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.passwords: list[str] = []
        self.shown = False

    def admin(self, captured: tuple[object, list[str]]) -> None:
        for line in captured[1]:
            (self.passwords if self.PASSWORD_MARK in line else self.lines).append(line)

    def demo(self, password: object) -> None:
        if not isinstance(password, str):
            return
        self.lines.append("演示账号（仅用于演示数据，共用一个密码）：")
        name_width = max(len(name) for name, *_ in DEMO_ACCOUNTS)
        self.lines += [f"  {name.ljust(name_width)}  {display}" for name, display, *_ in DEMO_ACCOUNTS]
        self.passwords.append(f"演示账号密码（{self.PASSWORD_MARK}）：{password}")

    def box(self) -> list[str]:
        """The box's lines: open on the right, so a password copied from its line has no border
        glued to it."""
        body = self.lines + self.passwords
        if not body:
            body = ["登录账号：admin（忘记密码可运行 make reset-admin）"]
        rule = max(40, *(width(line) + 2 for line in body))
        title = "─ 登录账号 "
        return ["┌" + title + "─" * (rule - width(title)), *(f"│ {line}" for line in body), "└" + "─" * rule]

    def show(self, print_: Callable[[str], None] = print) -> None:
        if self.shown:
            return
        self.shown = True
        print_("\n".join(self.box()) + "\n")
        sys.stdout.flush()


class Activity:
    """One console line a minute at most: what the gateway answered people and bureau systems
    since the last line (read from its own counters, GET /-/prometheus; nothing when idle).
    Probes, the services' key and revocation polls and their token requests are not counted."""

    ROUTINE = ("/health", "/ready", "/revocations", "/.well-known/jwks.json", "/-/prometheus")
    TOKEN = "/api/auth/token"
    WRITES = ("POST", "PUT", "PATCH", "DELETE")

    def __init__(self, port: int, token: object = None, *, fetch: Callable[[], str] | None = None) -> None:
        self.port = port
        secret = token.get_secret_value() if hasattr(token, "get_secret_value") else token
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        self.fetch = fetch or self._scrape
        self.last: dict[tuple[str, str, str], float] | None = None

    def _scrape(self) -> str:
        resp = httpx.get(f"http://127.0.0.1:{self.port}/-/prometheus", headers=self.headers, timeout=2)
        resp.raise_for_status()
        return resp.text

    def counts(self, text: str) -> dict[tuple[str, str, str], float]:
        counts: dict[tuple[str, str, str], float] = {}
        for family in text_string_to_metric_families(text):
            if family.name != "louyu_http_requests":
                continue
            for sample in family.samples:
                labels = sample.labels
                if not sample.name.endswith("_total") or labels.get("service") != "gateway":
                    continue
                key = (labels.get("method", ""), labels.get("route", ""), labels.get("status", ""))
                counts[key] = counts.get(key, 0) + sample.value
        return counts

    def line(self, at: datetime | None = None) -> str | None:
        """The summary since the previous call (None when nothing happened or the gateway
        cannot be read); the first call only takes the starting point."""
        try:
            now = self.counts(self.fetch())
        except (httpx.HTTPError, ValueError):
            return None
        before, self.last = self.last, now
        if before is None:
            return None
        requests = writes = client_errors = server_errors = failed_sign_ins = 0
        for (method, route, status), value in now.items():
            # A counter lower than before: the gateway restarted and counts from zero again.
            delta = (
                int(value - before.get((method, route, status), 0))
                if value >= before.get((method, route, status), 0)
                else int(value)
            )
            if not delta or route.endswith(self.ROUTINE):
                continue
            if route == self.TOKEN:
                # Sign-ins and the services' own token requests look alike: only failures count.
                failed_sign_ins += delta if status.startswith("4") else 0
                continue
            requests += delta
            writes += delta if method in self.WRITES else 0
            client_errors += delta if status.startswith("4") else 0
            server_errors += delta if status.startswith("5") else 0
        if not requests and not failed_sign_ins:
            return None
        parts = [f"请求 {requests} 次"]
        for count, what in (
            (writes, "写入"),
            (client_errors, "被拒（4xx）"),
            (server_errors, "出错（5xx）"),
            (failed_sign_ins, "登录失败"),
        ):
            if count:
                parts.append(f"{what} {count} 次")
        return f"· {(at or datetime.now()).strftime('%H:%M')} 最近一分钟：" + "，".join(parts)


START_SECONDS = 180
READY_PATHS = {
    "gateway": "/api/auth/ready",
    "registry": "/api/registry/ready",
    "tasks": "/api/tasks/ready",
    "metrics": "/api/metrics/ready",
}
HEALTH_PATHS = {name: path.removesuffix("/ready") + "/health" for name, path in READY_PATHS.items()}


class Supervisor:
    """Restart a service that died, with back-off (0.5 s, 1 s, 2 s … up to 30 s; back to 0.5 s
    once it has stayed up for a minute), while the others keep serving; say so on the console.
    The gateway already answers 503 for a service that is down."""

    FIRST_DELAY = 0.5
    MAX_DELAY = 30.0
    STABLE_SECONDS = 60.0
    SUMMARY_SECONDS = 60.0

    def __init__(
        self,
        procs: dict[str, subprocess.Popen[bytes]],
        spawn: Callable[[str], subprocess.Popen[bytes]],
        ports: dict[str, int],
        *,
        clock: Callable[[], float] = time.monotonic,
        activity: Activity | None = None,
    ) -> None:
        self.procs = procs
        self.activity = activity
        self.spawn = spawn
        self.ports = ports
        self.clock = clock
        now = clock()
        self.started: dict[str, float] = dict.fromkeys(procs, now)
        self.failures: dict[str, int] = dict.fromkeys(procs, 0)
        self.restart_at: dict[str, float] = {}
        self.recovering: set[str] = set()
        self.summary_at = now

    def delay(self, name: str) -> float:
        return min(self.MAX_DELAY, self.FIRST_DELAY * 2 ** max(0, self.failures[name] - 1))

    def tick(self) -> None:
        now = self.clock()
        for name, proc in self.procs.items():
            if name in self.restart_at:
                if now >= self.restart_at[name]:
                    del self.restart_at[name]
                    self.procs[name] = self.spawn(name)
                    self.started[name] = now
                    self.recovering.add(name)
                    print(f"↻ 正在重启 {name}（第 {self.failures[name]} 次）", file=sys.stderr, flush=True)
                continue
            code = proc.poll()
            if code is None:
                if self.failures[name] and now - self.started[name] >= self.STABLE_SECONDS:
                    self.failures[name] = 0
                continue
            self.failures[name] += 1
            self.recovering.discard(name)
            wait = self.delay(name)
            self.restart_at[name] = now + wait
            print(
                f"✘ {name} 意外退出（代码 {code}），其他服务继续运行；{wait:g} 秒后重启",
                file=sys.stderr,
                flush=True,
            )
        for name in list(self.recovering):
            if self._healthy(name):
                self.recovering.discard(name)
                print(f"✔ {name} 已恢复运行", file=sys.stderr, flush=True)

    def _healthy(self, name: str) -> bool:
        try:
            url = f"http://127.0.0.1:{self.ports[name]}{HEALTH_PATHS[name]}"
            return httpx.get(url, timeout=0.3).status_code == 200
        except httpx.HTTPError:
            return False

    def summarize(self) -> None:
        """The activity line, once a minute at most (the first call takes the starting point)."""
        if self.activity is None or self.clock() < self.summary_at:
            return
        self.summary_at = self.clock() + self.SUMMARY_SECONDS
        line = self.activity.line()
        if line:
            print(line, flush=True)

    def run(self, stopping: Callable[[], bool]) -> None:
        while not stopping():
            self.tick()
            self.summarize()
            time.sleep(0.2)


def registry_demo_enterprises(database_url: str) -> list[DemoEnterprise]:
    """The registry's demo enterprises, for metrics' synthetic figures (metrics never reads registry
    itself; this launcher may, as it sets both up)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(
                    Enterprise.credit_code,
                    Enterprise.industry_code,
                    Enterprise.employees,
                    Enterprise.is_key,
                    Enterprise.above_scale,
                    Enterprise.hq_level,
                ).where(Enterprise.is_demo.is_(True))
            ).all()
    finally:
        engine.dispose()
    return [DemoEnterprise(*row) for row in rows]


def use_local_postgres(environ: MutableMapping[str, str], *, prefix: str = "louyu_") -> list[str]:
    """``LOUYU_DATABASE=postgres``: every service without its own ``LOUYU_<SERVICE>_DATABASE_URL``
    gets ``<prefix><service>`` on the server of ``LOUYU_POSTGRES_URL`` (default: the local one,
    user postgres), created when missing. Returns the databases it created."""
    choice = environ.get("LOUYU_DATABASE", "").strip().lower()
    if choice in ("", "sqlite"):
        return []
    if choice not in ("postgres", "postgresql"):
        raise SystemExit(f"✘ LOUYU_DATABASE 只能是 sqlite 或 postgres（当前为 {choice!r}）")
    admin_url = make_url(environ.get("LOUYU_POSTGRES_URL") or LOCAL_POSTGRES)
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    created = []
    try:
        with engine.connect() as conn:
            for service in ("gateway", "registry", "tasks", "metrics"):
                key = f"LOUYU_{service.upper()}_DATABASE_URL"
                if environ.get(key):
                    continue
                name = f"{prefix}{service}"
                if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                    created.append(name)
                environ[key] = admin_url.set(database=name).render_as_string(hide_password=False)
    except OperationalError as exc:
        where = f"{admin_url.host or 'localhost'}:{admin_url.port or 5432}"
        raise SystemExit(f"✘ 无法连接 PostgreSQL（{where}）：请先启动数据库，或设置 LOUYU_POSTGRES_URL") from exc
    finally:
        engine.dispose()
    return created


def _wait_ready(ports: dict[str, int], procs: dict[str, subprocess.Popen[bytes]], stopping) -> bool:  # type: ignore[no-untyped-def]
    # Generous: on a busy machine a service takes a minute just to import (the supervisor then
    # restarts whatever dies; only a service that never becomes ready stops the launch).
    deadline = time.monotonic() + START_SECONDS
    paths = READY_PATHS
    pending = set(ports)
    while pending and time.monotonic() < deadline and not stopping():
        for name in list(pending):
            if procs[name].poll() is not None:
                print(f"✘ {name} 启动失败（代码 {procs[name].returncode}）", file=sys.stderr)
                return False
            try:
                if httpx.get(f"http://127.0.0.1:{ports[name]}{paths[name]}", timeout=1).status_code == 200:
                    pending.discard(name)
            except httpx.HTTPError:
                pass
        time.sleep(0.2)
    if pending and not stopping():
        print(f"✘ 以下服务 {START_SECONDS} 秒内未就绪：{', '.join(sorted(pending))}", file=sys.stderr)
        return False
    return not stopping()


# Who stops first: a service is stopped before the ones it polls (metrics reads registry's feed
# and tasks' goals; all three poll the gateway's revocations), so stopping prints no warning.
STOP_ORDER = (("metrics",), ("tasks", "registry"), ("gateway",))


def _stop_all(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 15
    waves = [[procs[n] for n in wave if n in procs] for wave in STOP_ORDER]
    waves.append([proc for name, proc in procs.items() if not any(name in wave for wave in STOP_ORDER)])
    for wave in waves:
        for proc in wave:
            if proc.poll() is None:
                proc.terminate()
        for proc in wave:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    print("已停止全部服务。", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
