"""督办, 工作简报 and 绩效考核 in the browser: the 区商务局 issues a notice on an overdue task
to 区发改局, which answers it from its 督办 page; a bulletin is issued, read as the printed
page and downloaded as .docx; the assessment is computed and a unit's breakdown opened."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_tasks_support import api, demo_password, signed_in, token, warm_up

BUREAU = "demo_bureau"
DEPT = "demo_dept"  # 区发改局 (fgj)


@pytest.fixture(scope="module")
def password(product) -> str:
    password = demo_password(product)
    warm_up(product, password, ("/api/tasks/units", "/api/tasks/plans", "/api/tasks/bulletins"))
    return password


@pytest.fixture(scope="module")
def red_task_of_fgj(product, password) -> dict:
    """An overdue (red) task of the demo plan that 区发改局 works on."""
    with api(product, token(product, BUREAU, password)) as http:
        tasks = http.get("/api/tasks/tasks", params={"unit": "fgj", "light": "red", "page_size": 50}).json()["items"]
    tasks = [t for t in tasks if t["kind"] == "task"]
    if not tasks:
        pytest.skip("the demo plan has no overdue task of 区发改局 today")
    return tasks[0]


def test_supervision_notice_issued_and_answered(open_page, password, red_task_of_fgj):
    desk = signed_in(open_page, BUREAU, password, path=f"/tasks/{red_task_of_fgj['id']}")
    expect(desk.locator("h1")).to_contain_text(red_task_of_fgj["title"])
    desk.errors.clear()
    desk.get_by_test_id("issue-notice").click()
    form = desk.get_by_test_id("notice-form")
    # The lead unit (checked by default) already has the daily rule's notice: only 区发改局 this time.
    form.locator(".el-checkbox", has_text="区商务局").click()
    form.locator(".el-checkbox", has_text="区发改局").click()
    form.get_by_role("button", name="发出督办").click()
    expect(desk.get_by_test_id("notice-form")).to_be_hidden()
    expect(desk.get_by_test_id("task-timeline")).to_contain_text("督办")

    dept = signed_in(open_page, DEPT, password, path="/supervision")
    dept.errors.clear()
    notices = dept.get_by_test_id("notice-list")
    card = notices.locator("li.notice", has_text=red_task_of_fgj["title"]).first
    expect(card).to_contain_text("区发改局")
    card.get_by_role("button", name="回复").click()
    card.get_by_test_id("notice-text").fill("已召开专题会，明确链长制联动机制，下周印发。")
    card.get_by_test_id("notice-submit").click()
    # Answered notices leave the 待回复 list; they are under 已回复.
    dept.get_by_text("已回复", exact=True).first.click()
    expect(dept.get_by_test_id("notice-list")).to_contain_text("已召开专题会")
    screenshot(dept, "tasks-supervision-answered")
    assert desk.errors == []
    assert dept.errors == []


def test_bulletin_issued_previewed_and_downloaded(open_page, password):
    page = signed_in(open_page, BUREAU, password, path="/bulletins")
    expect(page.locator("h1")).to_have_text("工作简报")
    page.errors.clear()
    page.locator(".issue .el-select").click()
    page.locator(".el-select-dropdown__item:visible", has_text="2025年全年").first.click()
    page.get_by_test_id("issue-bulletin").click()
    frame = page.frame_locator("[data-testid=bulletin-frame]")
    expect(frame.locator("body")).to_contain_text("楼宇经济", timeout=30_000)
    expect(page.get_by_test_id("bulletin-list")).to_contain_text("第1期")
    screenshot(page, "tasks-bulletin")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载 Word").last.click()
    assert download.value.suggested_filename.endswith(".docx")
    assert page.errors == []


def test_assessment_computed_with_breakdown(open_page, password):
    page = signed_in(open_page, BUREAU, password, path="/assessment?period=2025")
    expect(page.locator("h1")).to_have_text("绩效考核")
    page.errors.clear()
    page.get_by_test_id("run-assessment").click()
    table = page.get_by_test_id("score-table")
    expect(table).to_contain_text("区商务局", timeout=30_000)
    table.locator(".el-table__expand-icon").first.click()
    breakdown = page.locator("[data-testid^=breakdown-]").first
    expect(breakdown).to_contain_text("基础分")
    screenshot(page, "tasks-assessment")
    # The period had no scores when the page opened (404, said as 尚未计算): nothing else failed.
    assert [e for e in page.errors if "404" not in e] == []
