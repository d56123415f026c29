"""`make run`'s launcher: migrates, creates the admin, starts all four, stops them all on a signal."""

from __future__ import annotations

import os
import signal
import socket
import time

import httpx
import pytest

from tests.stack import ADMIN_PASSWORD, RunningProduct, start_product

pytestmark = pytest.mark.live


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_starts_signs_in_and_stops_cleanly(tmp_path, sig):
    product = start_product(tmp_path / "var")
    try:
        text = "".join(product.output)
        assert "已启动" in text and "admin" in text
        with httpx.Client(base_url=product.url, timeout=10) as http:
            token = http.post(
                "/api/auth/token", data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD}
            ).json()["access_token"]
            me = http.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
            assert me["username"] == "admin" and me["roles"] == ["admin"]
            for svc in ("registry", "tasks", "metrics"):
                assert http.get(f"/api/{svc}/ready").status_code == 200
    finally:
        code = product.stop(sig)
    assert code == 0
    assert not any(_port_open(p) for p in product.ports.values())


def test_generated_admin_password_is_printed_once_and_not_stored(tmp_path):
    data = tmp_path / "var"
    product = start_product(data, extra_env={"LOUYU_ADMIN_PASSWORD": ""})
    product.stop()
    first = "".join(product.output)
    assert "已加载演示数据（虚构）" in first  # the first start of an empty registry loads the demo
    line = next(line for line in first.splitlines() if "初始密码" in line)
    password = line.split("：", 1)[1].strip()
    assert len(password) >= 12
    demo_line = next(line for line in first.splitlines() if "演示账号密码" in line)
    demo_password = demo_line.split("：", 1)[1].strip()
    for path in data.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert password.encode() not in content, path
            assert demo_password.encode() not in content, path
    again = start_product(data, extra_env={"LOUYU_ADMIN_PASSWORD": ""})
    try:
        with httpx.Client(base_url=again.url, timeout=10) as http:
            resp = http.post(
                "/api/auth/token", data={"grant_type": "password", "username": "admin", "password": password}
            )
            assert resp.status_code == 200
            # The demo accounts see the demo registry through their own scope.
            seen = {}
            for username in ("demo_bureau", "demo_street", "demo_chief03"):
                token = http.post(
                    "/api/auth/token",
                    data={"grant_type": "password", "username": username, "password": demo_password},
                ).json()["access_token"]
                listed = http.get("/api/registry/buildings", headers={"Authorization": f"Bearer {token}"}).json()
                seen[username] = {b["name"] for b in listed["items"]}
            assert len(seen["demo_bureau"]) >= 20
            assert seen["demo_street"] == {"中交大厦", "积玉万象", "保利滨江中心", "悦江中心"}
            assert seen["demo_chief03"] == {"中交大厦"}
    finally:
        again.stop()
    assert "初始密码" not in "".join(again.output)
    assert "演示数据" not in "".join(again.output)  # … and only the first
    assert "演示账号密码" not in "".join(again.output)


HEALTH = {"gateway": "/api/auth/health", "registry": "/api/registry/health", "tasks": "/api/tasks/health"}
HEALTH["metrics"] = "/api/metrics/health"


def _answers(product: RunningProduct, name: str) -> bool:
    try:
        url = f"http://127.0.0.1:{product.ports[name]}{HEALTH[name]}"
        return httpx.get(url, timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def test_a_killed_service_is_restarted_while_the_others_keep_serving(tmp_path):
    """kill -9 of each service under `make run`: a new process within 5 s, serving again soon
    after, and the others answer throughout; the console says so."""
    product = start_product(tmp_path / "var")
    timings: dict[str, tuple[float, float]] = {}
    try:
        for name in ("metrics", "registry", "tasks", "gateway"):
            old = product.service_pid(name)
            assert old is not None, name
            os.kill(old, signal.SIGKILL)
            killed = time.monotonic()
            others = [n for n in HEALTH if n != name]
            restarted_after = answered_after = None
            while time.monotonic() - killed < 120:
                for other in others:
                    assert _answers(product, other), f"{other} stopped answering after {name} was killed"
                pid = product.service_pid(name)
                if restarted_after is None and pid is not None and pid != old:
                    restarted_after = time.monotonic() - killed
                if restarted_after is not None and _answers(product, name):
                    answered_after = time.monotonic() - killed
                    break
                time.sleep(0.1)
            assert restarted_after is not None and restarted_after < 5, (name, restarted_after)
            assert answered_after is not None, f"{name} did not answer again within 120 s"
            timings[name] = (restarted_after, answered_after)
        # Through the gateway too, once all are back.
        with httpx.Client(base_url=product.url, timeout=10) as http:
            for svc in ("registry", "tasks", "metrics"):
                assert http.get(f"/api/{svc}/health").status_code == 200
        print("restart timings (new process s, answering s):", timings)
        text = "".join(product.output)
        for name in HEALTH:
            assert f"✘ {name} 意外退出" in text and f"↻ 正在重启 {name}" in text, text[-2000:]
    finally:
        code = product.stop()
    assert code == 0
