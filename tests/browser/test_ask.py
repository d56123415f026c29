"""问数 in the browser on the demo data (#20): ask in the desktop header, read how the question
was read, edit one part by a click, follow the link; on a phone (375×667, /m/ask) ask, edit,
get the API's refusal for another street, and follow the link."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_signin import no_horizontal_scroll
from tests.browser.test_tasks_support import api, demo_password, signed_in, token, warm_up

BUREAU = "demo_bureau"
STREET = "demo_street"  # 积玉桥街道 (420106001)
PHONE = {"width": 375, "height": 667}


@pytest.fixture(scope="module")
def password(product) -> str:
    password = demo_password(product)
    warm_up(product, password, ("/api/metrics/dashboard", "/api/registry/buildings"))
    return password


@pytest.fixture(scope="module")
def zhongjiao(product, password) -> str:
    with api(product, token(product, BUREAU, password)) as http:
        items = http.get("/api/registry/buildings", params={"q": "中交大厦"}).json()["items"]
    return next(b["code"] for b in items if b["name"] == "中交大厦")


def test_desktop_ask_edit_a_part_and_follow_the_link(open_page, password, zhongjiao):
    page = signed_in(open_page, BUREAU, password)
    box = page.locator("header").get_by_role("searchbox", name="问数：用一句话提问")
    box.fill("中交大厦2025年税收同比多少")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/ask\?q="))
    reading = page.get_by_test_id("ask-reading")
    expect(reading).to_contain_text("指标：全口径税收")
    expect(reading).to_contain_text("楼宇：中交大厦")
    expect(reading).to_contain_text("期间：2025年")
    expect(reading).to_contain_text("比较：同比")
    expect(page.get_by_test_id("ask-text")).to_contain_text("中交大厦2025年")
    expect(page.get_by_test_id("ask-text")).to_contain_text("同比")
    screenshot(page, "ask-desktop")

    # Edit the period by a click: only that part changes.
    page.get_by_test_id("ask-part-period").click()
    page.get_by_test_id("ask-part-input").fill("2024年")
    page.get_by_test_id("ask-part-input").press("Enter")
    expect(page.get_by_test_id("ask-part-period")).to_contain_text("期间：2024年")
    expect(page.get_by_test_id("ask-part-entity")).to_contain_text("楼宇：中交大厦")
    expect(page.get_by_test_id("ask-text")).to_contain_text("中交大厦2024年")

    # The 口径 and the link to the screen that shows the figure.
    page.get_by_role("button", name="查看口径").click()
    expect(page.get_by_test_id("ask-definitions")).to_contain_text("全口径税收")
    page.get_by_test_id("ask-link").click()
    page.wait_for_url(f"**/buildings/{zhongjiao}")
    expect(page.locator("h1")).to_contain_text("中交大厦")


def test_phone_ask_edit_refusal_and_link(product, open_page, password):
    page = signed_in(open_page, STREET, password, path="/m/ask", **PHONE)
    expect(page.get_by_test_id("ask-empty")).to_be_visible()
    box = page.get_by_role("searchbox", name="问数：用一句话提问")
    box.fill("积玉桥街道2025年税收同比")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/m/ask\?q="))
    reading = page.get_by_test_id("ask-reading")
    expect(reading).to_contain_text("街道：积玉桥街道")
    expect(page.get_by_test_id("ask-text")).to_contain_text("积玉桥街道2025年")
    no_horizontal_scroll(page)
    screenshot(page, "ask-phone")

    page.get_by_test_id("ask-part-metric").click()
    page.get_by_test_id("ask-part-input").fill("区级税收")
    page.get_by_test_id("ask-part-input").press("Enter")
    expect(page.get_by_test_id("ask-part-metric")).to_contain_text("指标：区级税收")
    expect(page.get_by_test_id("ask-part-entity")).to_contain_text("积玉桥街道")

    # Another street: the refusal the API gives this user, word for word.
    with api(product, token(product, STREET, password)) as http:
        refusal = http.get("/api/metrics/kpis", params={"level": "street", "code": "420106012", "period": "2025"})
    assert refusal.status_code == 404
    page.goto("/m/ask?q=" + quote("水果湖街道2025年税收"))
    expect(page.get_by_test_id("ask-text")).to_have_text(refusal.json()["detail"])

    page.goto("/m/ask?q=" + quote("积玉桥街道2025年税收"))
    page.get_by_test_id("ask-link").click()
    page.wait_for_url("**/dashboard/streets/420106001**")
