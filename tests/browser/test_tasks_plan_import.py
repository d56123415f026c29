"""The plan import screen: the 区商务局 pastes the real plan (武昌政办〔2025〕3号), the preview
shows its 12 tasks with their units, phases and goals; a title corrected in the preview is
saved; the plan's task tree shows the tasks with their lights."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_tasks_support import api, demo_password, signed_in, token

PLAN = Path("/work/shared/data/wuchang-plan-2025.txt")
ROOT_PLAN = Path(__file__).resolve().parents[3] / "shared" / "data" / "wuchang-plan-2025.txt"


@pytest.fixture(scope="module")
def plan_text() -> str:
    for path in (ROOT_PLAN, PLAN):
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.skip("the plan document (shared/data/wuchang-plan-2025.txt) is not on this machine")


def test_import_the_real_plan(open_page, product, plan_text):
    password = demo_password(product)
    page = signed_in(open_page, "demo_bureau", password, path="/tasks")
    expect(page.locator("h1")).to_have_text("任务")
    # From here on every console error is ours (the cockpit shown at sign-in has its own tests).
    page.errors.clear()
    bad = []
    page.on("response", lambda r: r.status >= 500 and bad.append(f"{r.status} {r.url}"))
    page.get_by_test_id("import-plan").click()
    expect(page.locator("h1")).to_have_text("导入工作方案")

    page.get_by_test_id("plan-text").fill(plan_text)
    page.get_by_test_id("preview-plan").click()

    # Parsing goes through the gateway on a busy test machine: allow it a while.
    expect(page.get_by_test_id("task-count")).to_contain_text("4 个分组，12 项任务", timeout=30_000)
    expect(page.get_by_test_id("plan-title")).to_be_visible()
    tree = page.get_by_test_id("plan-tree")
    first = tree.locator("tr.tree__row--task").first
    expect(first.get_by_role("textbox", name="1. 标题")).to_have_value("优化楼长制运行体系")
    # 区商务局 leads; "各街道办事处" is expanded to the streets.
    expect(first.locator(".unit--lead")).to_contain_text("区商务局")
    expect(first).to_contain_text("积玉桥街道")
    expect(tree.locator(".unit--unknown")).to_have_count(0)
    expect(page.get_by_test_id("plan-warnings")).to_be_visible()
    phases = page.get_by_test_id("plan-phases")
    expect(phases.locator("tbody tr")).to_have_count(3)
    goals = page.get_by_test_id("plan-goals")
    expect(goals).to_contain_text("亿元楼宇")
    expect(goals).to_contain_text("特色楼宇")
    expect(goals).to_contain_text("招商共享中心")
    # 招商共享中心 is counted from tasks' centres (#17): nothing in this plan is typed by the bureau.
    expect(goals).not_to_contain_text("区商务局填报")
    expect(page.get_by_test_id("plan-units")).to_contain_text("区商务局")
    screenshot(page, "tasks-plan-import-preview")

    # A correction before saving: the first task's title.
    title = first.get_by_role("textbox", name="1. 标题")
    title.fill("优化楼长制运行体系（浏览器更正）")
    page.get_by_test_id("recheck-plan").click()
    expect(page.get_by_test_id("recheck-plan")).not_to_have_class(re.compile("is-loading"), timeout=30_000)
    expect(page.get_by_test_id("import-error")).to_have_count(0)
    expect(page.get_by_test_id("task-count")).to_contain_text("12 项任务")
    expect(tree.locator("tr.tree__row--task").first.locator("input").first).to_have_value(
        "优化楼长制运行体系（浏览器更正）"
    )

    # The demo data holds this very document already: saving says so, and keeps the preview.
    page.get_by_test_id("save-plan").click()
    expect(page.get_by_test_id("import-error")).to_contain_text("已导入", timeout=30_000)
    expect(page.get_by_test_id("task-count")).to_contain_text("12 项任务")
    # The demo copy is removed (as a clerk would delete a wrong import); saving now works.
    with api(product, token(product, "demo_bureau", password)) as http:
        for plan in http.get("/api/tasks/plans", params={"page_size": 100}).json()["items"]:
            if plan["doc_number"] == "武昌政办〔2025〕3号":
                assert http.delete(f"/api/tasks/plans/{plan['id']}").status_code == 204
    page.get_by_test_id("save-plan").click()
    expect(page).to_have_url(re.compile(r"/tasks\?plan=\d+"))
    expect(page.get_by_role("status").filter(has_text="方案已保存")).to_be_visible()
    task_tree = page.get_by_test_id("task-tree")
    expect(task_tree).to_contain_text("优化楼长制运行体系（浏览器更正）")
    expect(task_tree).to_contain_text("构建全区楼宇生态圈")
    expect(page.get_by_test_id("light-counts")).to_be_visible()
    screenshot(page, "tasks-plan-tree")

    # A task's page: units, timeline, the update form.
    task_tree.get_by_role("link", name="优化楼长制运行体系（浏览器更正）").click()
    expect(page.locator("h1")).to_contain_text("优化楼长制运行体系（浏览器更正）")
    expect(page.get_by_test_id("task-facts")).to_contain_text("区商务局")
    page.get_by_test_id("update-text").fill("已明确各楼宇楼长和联络员，召开楼长工作会。")
    page.get_by_test_id("update-progress").locator("input").fill("30")
    page.get_by_test_id("submit-update").click()
    expect(page.get_by_test_id("task-timeline")).to_contain_text("已明确各楼宇楼长和联络员")
    expect(page.get_by_test_id("task-timeline")).to_contain_text("30%")
    screenshot(page, "tasks-task-page")
    assert bad == []
    # The one refused request is the duplicate save (409), said on the page.
    assert [e for e in page.errors if "409" not in e] == []
