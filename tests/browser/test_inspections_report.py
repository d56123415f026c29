"""代表视察 and the 办理情况报告 in the browser: 积玉桥街道 answers the demo's overdue 整改意见
from its 待办 list on the 代表视察 page; the bureau's report page previews the draft; the
report's HTML printed (print media) shows every section and none of the screen-only chrome."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_tasks_support import api, demo_password, signed_in, token, warm_up

BUREAU = "demo_bureau"
STREET = "demo_street"  # 积玉桥街道


@pytest.fixture(scope="module")
def password(product) -> str:
    password = demo_password(product)
    warm_up(product, password, ("/api/tasks/inspections", "/api/tasks/opinions/figures", "/api/tasks/plans"))
    return password


def test_street_answers_its_overdue_opinion(open_page, password):
    page = signed_in(open_page, STREET, password, path="/inspections")
    expect(page.locator("h1")).to_have_text("人大代表视察座谈")
    expect(page.get_by_test_id("opinion-figures")).to_contain_text("逾期未反馈")
    expect(page.get_by_test_id("inspection-list")).to_contain_text("（演示）区人大代表视察")
    # Deputies' names are masked in the list.
    expect(page.get_by_test_id("inspection-list")).to_contain_text("张**")
    page.errors.clear()
    mine = page.get_by_test_id("my-opinions")
    mine.get_by_role("link", name="停车难").click()
    share = page.locator("[data-testid^=share-]", has_text="积玉桥街道")
    expect(share).to_contain_text("待整改")
    expect(share).to_contain_text("已提醒")
    share.get_by_test_id("answer-text").fill("已协调 3 栋楼宇地下车库错时共享，新增泊位 80 个。")
    share.get_by_test_id("answer-submit").click()
    expect(share).to_contain_text("已反馈待确认")
    expect(share).to_contain_text("新增泊位 80 个")
    screenshot(page, "inspections-answered")
    assert page.errors == []


def test_report_page_previews_the_draft(open_page, password):
    page = signed_in(open_page, BUREAU, password, path="/report")
    expect(page.locator("h1")).to_have_text("办理情况报告")
    page.get_by_test_id("preview-draft").click()
    frame = page.frame_locator("[data-testid=report-frame]")
    expect(frame.locator("h1")).to_have_text("关于区人大一号议案办理情况的报告", timeout=30_000)
    expect(frame.locator(".draft")).to_have_text("草稿")
    screenshot(page, "report-draft")
    with page.expect_download() as download:
        page.get_by_test_id("report-docx").click()
    assert download.value.suggested_filename.endswith(".docx")
    assert page.errors == []


def test_report_html_prints_its_sections_without_screen_chrome(product, browser, password):
    with api(product, token(product, BUREAU, password)) as http:
        plan_id = http.get("/api/tasks/plans").json()["items"][0]["id"]
        resp = http.get(f"/api/tasks/plans/{plan_id}/report.html", params={"red_head": True})
    assert resp.status_code == 200, resp.text
    context = browser.new_context(viewport={"width": 900, "height": 1200}, locale="zh-CN")
    try:
        page = context.new_page()
        page.set_content(resp.text)
        toolbar = page.locator("[data-chrome=toolbar]")
        expect(toolbar).to_be_visible()  # on screen: the printing hint
        page.emulate_media(media="print")
        expect(toolbar).to_be_hidden()
        for section, heading in (
            ("1", "一、议案办理总体情况"),
            ("2", "二、目标完成情况"),
            ("3", "三、各项任务办理情况"),
            ("4", "四、各责任单位工作总结"),
            ("5", "五、人大代表视察、座谈及整改意见办理情况"),
            ("annex", "附件：任务办理情况一览表"),
        ):
            part = page.locator(f"[data-section='{section}']")
            expect(part).to_be_visible()
            expect(part.locator("h2")).to_have_text(heading)
        expect(page.locator(".masthead")).to_have_text("武昌区楼宇经济工作领导小组办公室")
        expect(page.locator("[data-section='5']")).to_contain_text("整改意见")
        assert page.locator(".annex-table tbody tr").count() > 10
        # The annex starts on a new page and table headers repeat on paper.
        assert page.locator(".annex").evaluate("e => getComputedStyle(e).breakBefore") == "page"
        assert page.locator(".annex-table thead").evaluate("e => getComputedStyle(e).display") == "table-header-group"
        assert "张明华" not in resp.text  # deputies' names stay masked in the export
        page.pdf(path=None, format="A4")  # it lays out on A4 paper
    finally:
        context.close()
