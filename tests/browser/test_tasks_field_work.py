"""Field work on the desktop: a demand goes round its whole life (登记 → 交办 → 答复 → 办结
with satisfaction → 重办) between the 区商务局 and the department it is assigned to, who
sees only its own demands; a 扫楼 round shows its coverage and the buildings not visited."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_tasks_support import demo_password, signed_in, warm_up

BUREAU = "demo_bureau"
DEPT = "demo_dept"  # 区发改局


@pytest.fixture(scope="module")
def password(product) -> str:
    password = demo_password(product)
    warm_up(product, password, ("/api/tasks/units", "/api/tasks/demands", "/api/tasks/visit-rounds"))
    return password


def pick(page: Page, field, option: str) -> None:
    """Choose `option` in an Element Plus select (its list is rendered at the end of <body>)."""
    field.click()
    box = field.locator("input")
    if box.get_attribute("readonly") is None:  # a filterable select: narrow the list first
        box.fill(option)
    page.locator(".el-select-dropdown__item:visible", has_text=option).first.click()


def action(page: Page, name: str) -> None:
    page.get_by_test_id("demand-actions").locator(".el-radio-button", has_text=name).click()


def server_errors(page: Page) -> list[str]:
    bad: list[str] = []
    page.on("response", lambda r: r.status >= 500 and bad.append(f"{r.status} {r.url}"))
    return bad


def test_demand_lifecycle_between_bureau_and_department(open_page, password, product):
    desk = signed_in(open_page, BUREAU, password, path="/demands")
    expect(desk.locator("h1")).to_have_text("企业诉求")
    desk.errors.clear()
    bad = server_errors(desk)

    # 登记 a demand by hand.
    desk.get_by_test_id("new-demand").click()
    form = desk.get_by_test_id("demand-form")
    form.get_by_label("企业名称").fill("武汉诉求测试生物科技有限公司")
    pick(desk, form.locator(".el-form-item", has_text="类别").locator(".el-select"), "人才服务")
    form.get_by_label("诉求内容").fill("研发人员落户和子女入学政策咨询，希望明确办理渠道")
    form.get_by_role("button", name="登记").click()
    expect(desk.locator("h1")).to_contain_text("武汉诉求测试生物科技有限公司")
    expect(desk.get_by_test_id("demand-status")).to_have_text("已提交")

    # 交办 to 区发改局.
    action(desk, "交办")
    pick(desk, desk.get_by_test_id("demand-actions").locator(".el-select"), "区发改局")
    desk.get_by_test_id("demand-submit").click()
    expect(desk.get_by_test_id("demand-status")).to_have_text("已交办")
    expect(desk.get_by_test_id("demand-steps")).to_contain_text("交办")
    demand_url = desk.url

    # The department sees it in its list and answers it.
    dept = signed_in(open_page, DEPT, password, path="/demands")
    dept.errors.clear()
    bad += server_errors(dept)
    table = dept.get_by_test_id("demand-table")
    expect(table).to_contain_text("武汉诉求测试生物科技有限公司")
    table.get_by_role("link", name="武汉诉求测试生物科技有限公司").click()
    action(dept, "答复")
    dept.get_by_test_id("demand-actions").get_by_role("textbox").first.fill(
        "已对接区人才服务中心，落户按人才绿卡办理，入学由教育局统筹安排。"
    )
    dept.get_by_test_id("demand-submit").click()
    expect(dept.get_by_test_id("demand-status")).to_have_text("已答复")
    screenshot(dept, "tasks-demand-answered")

    # The bureau closes it with the enterprise's satisfaction, then reopens it.
    desk.goto(demand_url)
    expect(desk.get_by_test_id("demand-status")).to_have_text("已答复")
    action(desk, "办结")
    desk.get_by_text("2 分 不满意").click()
    desk.get_by_test_id("demand-submit").click()
    expect(desk.get_by_test_id("demand-status")).to_have_text("已办结")
    action(desk, "重办")
    desk.get_by_test_id("demand-submit").click()
    expect(desk.get_by_test_id("form-error")).to_contain_text("请补充")  # a reason is needed
    desk.get_by_test_id("demand-actions").get_by_role("textbox").first.fill("企业反映入学安排未落实，请继续跟进")
    desk.get_by_test_id("demand-submit").click()
    expect(desk.get_by_test_id("demand-status")).to_have_text("已重办")
    expect(desk.get_by_test_id("demand-steps")).to_contain_text("企业反映入学安排未落实")
    screenshot(desk, "tasks-demand-reopened")
    assert bad == [], "".join(
        line for line in product.output[-200:] if "503" in line or "WARN" in line or "ERROR" in line
    )
    assert desk.errors == []
    assert dept.errors == []


def test_a_visit_round_shows_coverage_and_the_buildings_not_visited(open_page, password):
    desk = signed_in(open_page, BUREAU, password, path="/visits")
    expect(desk.locator("h1")).to_have_text("扫楼")
    desk.errors.clear()
    desk.get_by_test_id("new-round").click()
    form = desk.get_by_test_id("round-form")
    form.get_by_label("轮次名称").fill("浏览器测试扫楼轮次")
    for label, day in (("开始日期", "2026-01-01"), ("结束日期", "2026-12-31")):
        field = form.locator(".el-form-item", has_text=label).locator("input")
        field.fill(day)
        field.press("Enter")
    pick(desk, form.locator(".el-form-item", has_text="走访街道").locator(".el-select"), "积玉桥")
    desk.keyboard.press("Escape")  # a multiple select stays open after a pick
    form.get_by_role("button", name="创建").click()

    expect(desk.locator("h1")).to_have_text("浏览器测试扫楼轮次")
    coverage = desk.get_by_test_id("round-coverage")
    expect(coverage.get_by_test_id("coverage-by-street")).to_contain_text("积玉桥")
    expect(desk.get_by_test_id("round-buildings")).to_be_visible()
    expect(desk.get_by_test_id("round-buildings")).to_contain_text("未走访")
    screenshot(desk, "tasks-visit-round")
    assert desk.errors == []


def test_a_lead_recorded_and_moved_along(open_page, password):
    desk = signed_in(open_page, BUREAU, password, path="/leads")
    expect(desk.locator("h1")).to_have_text("招商线索")
    desk.errors.clear()
    desk.get_by_test_id("new-lead").click()
    form = desk.get_by_test_id("lead-form")
    form.get_by_label("意向企业").fill("武汉线索测试数字科技有限公司")
    form.get_by_label("意向面积（㎡）").fill("800")
    form.get_by_label("联系电话").fill("13912345678")
    form.get_by_role("button", name="保存").click()
    expect(desk.locator("h1")).to_have_text("武汉线索测试数字科技有限公司")
    # The phone number is masked until asked for (audited).
    expect(desk.locator(".el-descriptions")).to_contain_text("139****5678")
    pick(desk, desk.locator(".move .el-select"), "已接洽")
    desk.get_by_role("button", name="确定").click()
    expect(desk.locator(".el-timeline")).to_contain_text("已接洽")
    desk.goto("/leads?q=线索测试")
    expect(desk.get_by_test_id("lead-table")).to_contain_text("已接洽")
    assert desk.errors == []
