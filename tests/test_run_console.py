"""`make run`'s console (issue #22): a person reads it. After the start-up steps and the address
it shows the accounts in a box, one-time passwords last, and then stays quiet: no access-log
line, only warnings, errors, restarts and a summary a minute. Every request is in the services'
JSON log files under $LOUYU_DATA_DIR/logs/ with its request id; LOUYU_LOG_CONSOLE=all brings the
access lines back to the console."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry, Counter
from prometheus_client.exposition import generate_latest

from tests.stack import ADMIN_PASSWORD, RunningProduct, start_product

ROOT = Path(__file__).resolve().parent.parent
# An access-log line on the console, plain (`louyu.access request gateway GET /api/… 200 …`) or JSON.
ACCESS_LINE = re.compile(r"louyu\.access|\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /\S* \d{3}\b")
# What may follow the box: a warning or an error of a service, a restart, the activity summary.
AFTER_THE_BOX = re.compile(r"\b(WARNING|ERROR|CRITICAL)\b|^(✘|↻|✔|· )")
WATCH_SECONDS = 20


def _run_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("louyu_run_script", ROOT / "scripts" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


run = _run_module()


def _log_records(data_dir: Path, service: str) -> list[dict]:
    path = data_dir / "logs" / f"{service}.log"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _requests_by_a_person(product: RunningProduct, username: str, password: str) -> list[str]:
    """Sign in and read a few pages through the gateway; the request ids of the reads."""
    ids = []
    with httpx.Client(base_url=product.url, timeout=10) as http:
        token = http.post(
            "/api/auth/token", data={"grant_type": "password", "username": username, "password": password}
        ).json()["access_token"]
        for path in ("/api/auth/me", "/api/registry/buildings", "/api/metrics/sync"):
            resp = http.get(path, headers={"Authorization": f"Bearer {token}"})
            assert resp.status_code < 500, (path, resp.text)
            ids.append(resp.headers["x-request-id"])
    return ids


def _box(lines: list[str]) -> tuple[int, int]:
    """Where the accounts box starts and ends (after the "已启动" line)."""
    started = next(i for i, line in enumerate(lines) if "已启动" in line)
    top = next(i for i in range(started, len(lines)) if lines[i].startswith("┌"))
    bottom = next(i for i in range(top, len(lines)) if lines[i].startswith("└"))
    return top, bottom


@pytest.mark.live
def test_after_start_up_the_console_shows_the_box_last_and_no_access_line(tmp_path):
    data = tmp_path / "var"
    product = start_product(data, extra_env={"LOUYU_ADMIN_PASSWORD": ""})
    try:
        ready_at = time.monotonic()
        lines = "".join(product.output).splitlines()
        demo_password = next(line.split("：", 1)[1].strip() for line in lines if "演示账号密码" in line)
        ids = _requests_by_a_person(product, "demo_bureau", demo_password)
        time.sleep(max(0.0, WATCH_SECONDS - (time.monotonic() - ready_at)))
        console = "".join(product.output).splitlines()  # 20 s after start-up, before stopping
    finally:
        code = product.stop()
    assert code == 0

    # The start-up steps, then the address, then the box: the one-time passwords are its last lines.
    top, bottom = _box(console)
    started = next(i for i, line in enumerate(console) if "已启动" in line)
    assert console[0].startswith("▶ 数据库迁移")
    steps = [line for line in console[:started] if line.strip() and not AFTER_THE_BOX.search(line)]
    assert all(line.startswith("▶") for line in steps), steps  # (a service's warning may come early)
    box = console[top + 1 : bottom]
    assert all(line.startswith("│ ") for line in box)
    one_time = [i for i, line in enumerate(box) if "只显示这一次" in line]
    assert one_time == [len(box) - 2, len(box) - 1], box
    assert "初始密码" in box[-2] and "演示账号密码" in box[-1]
    assert any("admin" in line for line in box[: one_time[0]])
    assert any("demo_bureau" in line for line in box[: one_time[0]])

    # Nothing but warnings, errors, restarts or summaries after the box, and no access line at all.
    after = [line for line in console[bottom + 1 :] if line.strip()]
    assert all(AFTER_THE_BOX.search(line) for line in after), after
    assert [line for line in console if ACCESS_LINE.search(line)] == []
    print(f"console: {len(console)} lines at {WATCH_SECONDS} s after start-up, {len(after)} after the box")

    # The files have every request with its request id: the gateway's line and the service's line.
    gateway = {r.get("request_id") for r in _log_records(data, "gateway") if r["logger"] == "louyu.access"}
    upstream = {
        r.get("request_id")
        for service in ("registry", "metrics")
        for r in _log_records(data, service)
        if r["logger"] == "louyu.access"
    }
    assert set(ids) <= gateway
    assert set(ids[1:]) <= upstream  # /api/auth/me is the gateway's own
    assert {p.name for p in (data / "logs").iterdir()} >= {
        f"{s}.log" for s in ("gateway", "registry", "tasks", "metrics")
    }
    # Routine polls are DEBUG: metrics reads registry's feed every 2 s, yet no empty read is logged.
    empty_reads = [
        r
        for r in _log_records(data, "registry")
        if r.get("path") == "/api/registry/changes" and r["logger"] == "louyu.access"
    ]
    assert len(empty_reads) <= 5, "feed reads with nothing new must not be logged at INFO"


@pytest.mark.live
def test_log_console_all_brings_the_access_lines_back(tmp_path):
    data = tmp_path / "var"
    product = start_product(data, extra_env={"LOUYU_LOG_CONSOLE": "all"})
    try:
        with httpx.Client(base_url=product.url, timeout=10) as http:
            token = http.post(
                "/api/auth/token", data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD}
            ).json()["access_token"]
            rid = http.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).headers["x-request-id"]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(rid in line for line in product.output):
            time.sleep(0.1)
        seen = [line for line in product.output if rid in line]
    finally:
        code = product.stop()
    assert code == 0
    assert len(seen) == 1 and ACCESS_LINE.search(seen[0]) and "GET /api/auth/me 200" in seen[0], seen
    assert "[gateway]" in seen[0]  # which service said it
    assert rid in {r.get("request_id") for r in _log_records(data, "gateway")}
    assert any("全部日志也显示在此" in line for line in product.output)


# ----- the launcher's parts, without starting anything ------------------------------------------


def _exposition(counts: dict[tuple[str, str, str, str], int]) -> str:
    registry = CollectorRegistry()
    counter = Counter("louyu_http_requests", "test", ["service", "method", "route", "status"], registry=registry)
    for labels, n in counts.items():
        counter.labels(*labels).inc(n)
    return generate_latest(registry).decode()


def test_the_activity_line_counts_what_people_asked_since_the_last_line():
    pages = "/api/registry/{path:path}"
    texts = iter(
        [
            _exposition({("gateway", "GET", pages, "200"): 5}),
            _exposition(
                {
                    ("gateway", "GET", pages, "200"): 12,
                    ("gateway", "POST", pages, "201"): 2,
                    ("gateway", "GET", pages, "403"): 1,
                    ("gateway", "GET", pages, "503"): 1,
                    ("gateway", "POST", "/api/auth/token", "200"): 3,  # sign-ins and service tokens
                    ("gateway", "POST", "/api/auth/token", "401"): 2,
                    ("gateway", "GET", "/api/auth/revocations", "200"): 500,
                    ("gateway", "GET", "/api/auth/.well-known/jwks.json", "200"): 4,
                    ("registry", "GET", "/api/registry/changes", "200"): 300,
                }
            ),
            _exposition({("gateway", "GET", pages, "200"): 12, ("gateway", "POST", pages, "201"): 2}),
            _exposition({("gateway", "GET", pages, "200"): 3}),  # the gateway restarted
        ]
    )
    activity = run.Activity(8000, fetch=lambda: next(texts))
    assert activity.line() is None  # the starting point
    line = activity.line(run.datetime(2026, 12, 7, 9, 30))
    assert line == "· 09:30 最近一分钟：请求 11 次，写入 2 次，被拒（4xx） 1 次，出错（5xx） 1 次，登录失败 2 次"
    assert activity.line() is None  # nothing happened in that minute (routine polls are not counted)
    assert "请求 3 次" in activity.line()


def test_an_unreadable_gateway_gives_no_activity_line():
    def fail() -> str:
        raise httpx.ConnectError("refused")

    assert run.Activity(8000, fetch=fail).line() is None


def test_the_supervisor_writes_the_activity_line_once_a_minute_at_most(capsys):
    now = [0.0]
    calls = []

    class Fake:
        def line(self) -> str:
            calls.append(now[0])
            return f"· activity {len(calls)}"

    supervisor = run.Supervisor({}, lambda name: None, {}, clock=lambda: now[0], activity=Fake())
    for step in range(0, 1300):  # 130 s in 0.1 s ticks
        now[0] = step / 10
        supervisor.summarize()
    assert calls == [0.0, 60.0, 120.0]
    assert capsys.readouterr().out.splitlines() == ["· activity 1", "· activity 2", "· activity 3"]


def test_the_accounts_box_puts_the_one_time_passwords_last():
    accounts = run.Accounts()
    accounts.admin((None, ["已创建管理员账号：admin", "初始密码（只显示这一次，请妥善保存）：Abc-123-xyz"]))
    accounts.demo("Demo-456-pqr")
    box = accounts.box()
    assert box[0].startswith("┌") and box[-1].startswith("└")
    assert box[1] == "│ 已创建管理员账号：admin"
    assert [line.split("：", 1)[1] for line in box[-3:-1]] == ["Abc-123-xyz", "Demo-456-pqr"]
    assert all("demo_" not in line for line in box[-3:])
    assert sum("demo_" in line for line in box) == len(run.DEMO_ACCOUNTS)
    shown: list[str] = []
    accounts.show(shown.append)
    accounts.show(shown.append)  # once only
    assert len(shown) == 1


def test_without_new_accounts_the_box_says_how_to_sign_in():
    accounts = run.Accounts()
    accounts.admin((None, ["管理员账号已存在：admin（忘记密码可运行 make reset-admin）"]))
    accounts.demo(None)
    assert accounts.box()[1:-1] == ["│ 管理员账号已存在：admin（忘记密码可运行 make reset-admin）"]
    assert run.width("楼宇a") == 5
