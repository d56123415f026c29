"""Shared by the tasks browser tests: the demo accounts' password (printed once by the
product at its first start) and small API helpers to find test data."""

from __future__ import annotations

import re
import time

import httpx
from playwright.sync_api import Page, expect

from tests.browser.test_signin import sign_in
from tests.stack import RunningProduct


def demo_password(product: RunningProduct) -> str:
    """The generated password of the demo accounts (demo_bureau, demo_chief03 …)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for line in product.output:
            m = re.search(r"演示账号密码（只显示这一次）：(\S+)", line)
            if m:
                return m.group(1)
        time.sleep(0.1)
    raise AssertionError("the product printed no demo account password:\n" + "".join(product.output[-40:]))


def token(product: RunningProduct, username: str, password: str) -> str:
    with httpx.Client(base_url=product.url, timeout=10) as http:
        form = {"grant_type": "password", "username": username, "password": password}
        answer = http.post("/api/auth/token", data=form)
        assert answer.status_code == 200, answer.text
        return answer.json()["access_token"]


def api(product: RunningProduct, bearer: str) -> httpx.Client:
    return httpx.Client(base_url=product.url, timeout=20, headers={"Authorization": f"Bearer {bearer}"})


def signed_in(
    open_page, username: str, password: str, *, width: int = 1280, height: int = 800, path: str = "/"
) -> Page:
    """A page signed in as `username`, then at `path`."""
    page = open_page(width, height)
    sign_in(page, username, password)
    expect(page.get_by_test_id("current-user")).to_be_visible()
    if path != "/":
        page.goto(path)
    return page


def warm_up(product: RunningProduct, password: str, paths: tuple[str, ...]) -> None:
    """Ask the tasks service once before the screens do: the first answers after start-up
    (demo data, the daily rule) can exceed the gateway's read timeout on a busy machine."""
    with api(product, token(product, "demo_bureau", password)) as http:
        for path in paths:
            deadline = time.monotonic() + 60
            while http.get(path).status_code != 200:
                assert time.monotonic() < deadline, f"{path} did not answer"
                time.sleep(0.5)
