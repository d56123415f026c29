"""The header's search box in the browser, on the demo data: grouped results, the keyboard
(arrows, Enter, Escape, Ctrl+K and /), a credit code, 查看全部, a street that does not find
another street's building, the administrator without a box, and the phone's search panel."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_signin import no_horizontal_scroll, sign_in
from tests.browser.test_tasks_support import api, demo_password, signed_in, token, warm_up
from tests.stack import ADMIN_PASSWORD

BUREAU = "demo_bureau"
STREET = "demo_street"  # 积玉桥街道 (420106001)


@pytest.fixture(scope="module")
def password(product) -> str:
    password = demo_password(product)
    warm_up(product, password, ("/api/tasks/units", "/api/tasks/tasks", "/api/registry/buildings"))
    return password


@pytest.fixture(scope="module")
def demo(product, password) -> dict:
    """中交大厦 (积玉桥街道), 阿里中心 (徐家棚街道) and one demo enterprise, as the bureau reads them."""
    with api(product, token(product, BUREAU, password)) as http:
        found = {}
        for name in ("中交大厦", "阿里中心"):
            items = http.get("/api/registry/buildings", params={"q": name}).json()["items"]
            found[name] = next(b for b in items if b["name"] == name)
        enterprise = http.get("/api/registry/enterprises", params={"page_size": 1}).json()["items"][0]
    assert found["中交大厦"]["street_code"] == "420106001" and found["阿里中心"]["street_code"] != "420106001"
    return {"zhongjiao": found["中交大厦"], "ali": found["阿里中心"], "enterprise": enterprise}


def search_box(page: Page):
    return page.get_by_role("combobox", name="搜索楼宇、企业、任务、单位")


def settled(page: Page) -> None:
    """Wait until every source has answered the current query."""
    expect(page.locator('[data-testid="search-popup"][aria-busy="false"]')).to_be_visible()


def active_option_text(page: Page) -> str:
    return page.evaluate(
        "() => { const id = document.activeElement.getAttribute('aria-activedescendant');"
        " return id ? document.getElementById(id).textContent : '' }"
    )


def test_bureau_finds_opens_and_dismisses_with_the_keyboard(open_page, password, demo):
    page = signed_in(open_page, BUREAU, password)
    expect(page.locator("h1")).to_be_visible()
    box = search_box(page)
    expect(box).to_have_attribute("aria-expanded", "false")

    # Part of a building's name: the results come grouped, the building under 楼宇.
    box.fill("中交")
    listbox = page.get_by_role("listbox", name="搜索结果")
    expect(listbox).to_be_visible()
    settled(page)
    expect(box).to_have_attribute("aria-expanded", "true")
    buildings = listbox.get_by_role("group", name="楼宇")
    expect(buildings.get_by_role("option").first).to_contain_text("中交大厦")
    headings = listbox.locator('[role="group"] > [role="presentation"]').all_inner_texts()
    assert headings and set(headings) <= {"楼宇", "企业", "任务", "单位"}, headings
    expect(buildings.locator("mark").first).to_have_text("中交")
    screenshot(page, "search-results-desktop")

    # ArrowDown makes the first result active; Enter opens the building's page.
    box.press("ArrowDown")
    assert "中交大厦" in active_option_text(page)
    box.press("Enter")
    page.wait_for_url(f"**/buildings/{demo['zhongjiao']['code']}")
    expect(page.locator("h1")).to_have_text("中交大厦")
    expect(box).to_have_value("")

    # Ctrl+K from the page comes back to the box; a whole credit code finds its enterprise.
    page.locator("h1").click()
    page.keyboard.press("Control+k")
    expect(box).to_be_focused()
    enterprise = demo["enterprise"]
    page.keyboard.type(enterprise["credit_code"])
    settled(page)
    options = listbox.get_by_role("option")
    expect(options).to_have_count(1)
    expect(listbox.get_by_role("group", name="企业")).to_contain_text(enterprise["name"])
    box.press("Enter")
    page.wait_for_url(f"**/enterprises/{enterprise['credit_code']}")
    expect(page.locator("h1")).to_have_text(enterprise["name"])

    # / comes to the box too; Escape closes the list, a second Escape clears the box.
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(box).to_be_focused()
    page.keyboard.type("中心")
    settled(page)
    expect(listbox).to_be_visible()
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("中心")
    box.press("Escape")
    expect(box).to_have_value("")

    # More than five buildings: 查看全部 leads to the building list filtered by the query.
    box.fill("中心")
    settled(page)
    more = listbox.get_by_role("option", name="查看全部楼宇结果")
    expect(more).to_be_visible()
    more.click()
    page.wait_for_url(f"**/buildings?q={quote('中心')}")
    expect(page.locator("h1")).to_have_text("楼宇")

    # Tasks by title; the task list reads the same ?q= (where its 查看全部 lands).
    box.fill("楼宇")
    settled(page)
    tasks = listbox.get_by_role("group", name="任务")
    expect(tasks.get_by_role("option").first).to_contain_text("楼宇")
    page.goto(f"/tasks?q={quote('楼宇')}")
    expect(page.get_by_label("任务名称")).to_have_value("楼宇")
    tree_links = page.get_by_test_id("task-tree").get_by_role("link")
    expect(tree_links.first).to_be_visible()
    assert all("楼宇" in text for text in tree_links.all_inner_texts())
    assert page.errors == []


def test_a_street_does_not_find_another_streets_building(open_page, password, demo):
    page = signed_in(open_page, STREET, password)
    box = search_box(page)
    box.fill("中交大厦")  # its own street's building: found
    settled(page)
    expect(page.get_by_role("group", name="楼宇")).to_contain_text("中交大厦")

    box.fill("阿里中心")  # 徐家棚街道's: not among the street's results
    settled(page)
    expect(page.get_by_role("group", name="楼宇")).to_have_count(0)
    box.fill(demo["ali"]["code"])  # nor by its code
    settled(page)
    expect(page.get_by_role("group", name="楼宇")).to_have_count(0)
    screenshot(page, "search-street-scoped")
    assert page.errors == []


def test_the_administrator_has_no_search_box(open_page):
    page = open_page()
    sign_in(page, "admin", ADMIN_PASSWORD)
    expect(page.get_by_test_id("current-user")).to_be_visible()
    expect(page.get_by_test_id("global-search")).to_have_count(0)
    expect(page.get_by_test_id("search-toggle")).to_have_count(0)
    assert page.errors == []


def test_phone_opens_a_full_width_search_panel(open_page, password, demo):
    page = signed_in(open_page, BUREAU, password, width=375, height=667)
    box = search_box(page)
    expect(box).to_be_hidden()
    toggle = page.get_by_role("button", name="搜索", exact=True)
    expect(toggle).to_be_visible()
    assert no_horizontal_scroll(page)

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(box).to_be_focused()
    box.fill("中交")
    settled(page)
    option = page.get_by_role("group", name="楼宇").get_by_role("option").first
    expect(option).to_contain_text("中交大厦")
    panel = page.get_by_role("search", name="全局搜索").bounding_box()
    assert panel and panel["x"] <= 1 and panel["width"] >= 373, panel
    assert no_horizontal_scroll(page), "horizontal scroll with the search panel open"
    screenshot(page, "search-panel-phone")

    option.click()
    page.wait_for_url(f"**/buildings/{demo['zhongjiao']['code']}")
    expect(box).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    # Escape on an empty box closes the panel and gives the focus back to the icon.
    toggle.click()
    expect(box).to_be_focused()
    box.press("Escape")
    expect(box).to_be_hidden()
    expect(toggle).to_be_focused()
    assert no_horizontal_scroll(page)
    assert page.errors == []
