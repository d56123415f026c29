"""预警 and 统计数据 pages (issue #18) in Chromium on the demo data: the bureau sees the most
severe warnings first, filters by 严重程度, opens one and records what was done (the note is
listed with its author); the leader previews the street × 门类 cross-tab with its 合计 row and
downloads it; both pages pass axe."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.a11y import axe_violations
from tests.browser.conftest import screenshot
from tests.browser.test_cockpit import ensure_goals, make_user, signed_in, wait_for_figures


def settled(page) -> None:
    """Transitions off and one frame drawn: axe must not measure a tag halfway through its fade-in."""
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)))")


def _figures(product) -> None:
    leader = make_user(product, "lingdao_wang", "王区长", ["leader"])
    body = wait_for_figures(product, leader)
    ensure_goals(product, body["period"]["year"])


def test_bureau_handles_a_severe_warning(open_page, product):
    _figures(product)
    bureau = make_user(product, "yujing_li", "李预警", ["bureau"])
    page = signed_in(open_page, bureau)
    page.goto("/warnings")
    table = page.get_by_test_id("warning-table")
    expect(table).to_be_visible()
    expect(page.get_by_test_id("warning-levels")).to_contain_text("严重")
    first = table.locator(".el-table__body tr").first
    expect(first).to_contain_text("严重")
    settled(page)
    settled(page)
    assert axe_violations(page) == []
    first.locator("button").click()
    drawer = page.get_by_test_id("warning-detail")
    expect(drawer.get_by_text("尚无处置记录")).to_be_visible()
    page.get_by_test_id("note-text").fill("已约谈企业财务负责人，核实迁出原因")
    page.get_by_test_id("note-submit").click()
    expect(page.get_by_test_id("warning-notes")).to_contain_text("已约谈企业财务负责人")
    expect(page.get_by_test_id("warning-notes")).to_contain_text("yujing_li")
    screenshot(page, "warnings-bureau")
    assert page.errors == []


def test_leader_previews_and_downloads_the_cross_tab(open_page, product):
    _figures(product)
    leader = make_user(product, "lingdao_wang", "王区长", ["leader"])
    page = signed_in(open_page, leader)
    page.goto("/stats")
    table = page.get_by_test_id("stats-table")
    expect(table).to_contain_text("合计")
    expect(table).to_contain_text("未入楼企业")
    page.get_by_test_id("stats-dimension").click()
    page.locator(".el-select-dropdown__item:visible", has_text="街道 × 行业门类").click()
    expect(table.locator("th", has_text="合计（万元）")).to_be_visible()
    assert axe_violations(page) == []
    with page.expect_download() as info:
        page.get_by_test_id("export-xlsx").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    screenshot(page, "stats-cross-tab")
    assert page.errors == []
