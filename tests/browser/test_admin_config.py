"""The bureau's business configuration in the browser: an alias added in 单位目录 is
recognised (in the page and by the API); a 特色 rule's threshold is saved and still there
after a reload, a wrong one is refused next to its field; a warning threshold is saved and
立即评估 answers; the 导入中心 offers the three kinds of import and lists a registry import
done through 楼宇数据导入; a street user sees the registry kinds only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import axe_violations
from tests.browser.conftest import screenshot
from tests.browser.test_registry import valid_uscc
from tests.browser.test_signin import no_horizontal_scroll
from tests.browser.test_tasks_support import api, demo_password, signed_in, token, warm_up

BUREAU = "demo_bureau"
STREET = "demo_street"
ALIAS = "武昌区楼宇经济主管部门"


@pytest.fixture(scope="module")
def password(product) -> str:
    secret = demo_password(product)
    warm_up(product, secret, ("/api/tasks/units?page_size=1",))
    return secret


def bureau_page(open_page, password: str, path: str) -> Page:
    return signed_in(open_page, BUREAU, password, path=path)


def test_an_alias_added_in_the_unit_directory_is_recognised(open_page, product, password):
    page = bureau_page(open_page, password, "/admin/units")
    expect(page.locator("h1")).to_have_text("单位目录")
    expect(page.get_by_test_id("unit-table")).to_contain_text("区商务局")

    # Search, then open 区商务局: its shipped aliases show.
    page.get_by_label("搜索单位名称、别名或编码").fill("商务局")
    page.get_by_role("button", name="查询", exact=True).click()
    page.get_by_test_id("unit-table").get_by_role("button", name="区商务局", exact=True).click()
    detail = page.get_by_test_id("unit-detail")
    expect(detail.locator("h2")).to_have_text("区商务局")
    expect(detail.get_by_test_id("unit-aliases")).to_contain_text("武昌区商务局")

    # Too short an alias is refused next to the field, before any call.
    detail.get_by_label("新增别名").fill("局")
    detail.get_by_test_id("add-alias").click()
    expect(detail.locator(".el-form-item__error")).to_have_text("别名至少2个字")

    detail.get_by_label("新增别名").fill(ALIAS)
    detail.get_by_test_id("add-alias").click()
    expect(detail.get_by_test_id("unit-aliases")).to_contain_text(ALIAS)
    expect(detail.get_by_label("新增别名")).to_have_value("")

    # 识别测试 in the page, and the API the plan import uses.
    page.get_by_test_id("resolve-input").fill(ALIAS)
    page.get_by_test_id("resolve-button").click()
    expect(page.get_by_test_id("resolve-result")).to_contain_text("区商务局（swj）")
    with api(product, token(product, BUREAU, password)) as http:
        answer = http.post("/api/tasks/units/resolve", json={"names": [ALIAS]})
        assert answer.status_code == 200, answer.text
        assert [u["code"] for u in answer.json()[0]["units"]] == ["swj"]
    screenshot(page, "admin-units-alias")
    assert page.errors == []

    # The same alias for another unit: the server's refusal shows next to the field.
    page.get_by_label("搜索单位名称、别名或编码").fill("发展和改革")
    page.get_by_role("button", name="查询", exact=True).click()
    page.get_by_test_id("unit-table").get_by_role("button").first.click()
    expect(detail.locator("h2")).not_to_have_text("区商务局")
    detail.get_by_label("新增别名").fill(ALIAS)
    detail.get_by_test_id("add-alias").click()
    expect(detail.locator(".el-form-item__error")).to_contain_text("已是单位 swj 的别名")
    screenshot(page, "admin-units-alias-conflict")

    # Back on 区商务局, the alias is deleted (after a confirmation) and no longer recognised.
    page.get_by_label("搜索单位名称、别名或编码").fill(ALIAS)
    page.get_by_role("button", name="查询", exact=True).click()
    page.get_by_test_id("unit-table").get_by_role("button", name="区商务局", exact=True).click()
    expect(detail.locator("h2")).to_have_text("区商务局")
    detail.get_by_role("button", name=f"删除别名{ALIAS}").click()
    page.get_by_role("dialog").get_by_role("button", name="删除").click()
    expect(detail.get_by_test_id("unit-aliases")).not_to_contain_text(ALIAS)
    expect(detail.get_by_test_id("unit-aliases")).to_contain_text("武昌区商务局")
    page.get_by_test_id("resolve-button").click()
    expect(page.get_by_test_id("resolve-result")).not_to_contain_text("区商务局（swj）")
    # The browser logs the refused request itself; nothing else went wrong.
    assert [e for e in page.errors if "status of 409" not in e] == []


def test_a_unit_is_created_then_edited(open_page, password):
    page = bureau_page(open_page, password, "/admin/units")
    expect(page.locator("h1")).to_have_text("单位目录")

    # An existing code is refused next to the field (the server's 409).
    page.get_by_test_id("new-unit").click()
    form = page.get_by_test_id("unit-form")
    form.get_by_label("单位编码").fill("swj")
    form.get_by_label("类别").click(force=True)
    page.locator(".el-select-dropdown__item:visible", has_text="区直部门").first.click()
    form.get_by_label("单位全称").fill("区楼宇经济测试中心")
    form.get_by_role("button", name="保存").click()
    expect(form.locator(".el-form-item__error")).to_have_text("单位编码 swj 已存在")

    form.get_by_label("单位编码").fill("lycs")
    form.get_by_label("别名（文件中的其他写法，每行一个）").fill("楼宇测试中心\n区楼宇测试中心")
    form.get_by_role("button", name="保存").click()
    expect(form).to_be_hidden()
    detail = page.get_by_test_id("unit-detail")
    expect(detail.locator("h2")).to_have_text("区楼宇经济测试中心")
    expect(detail.get_by_test_id("unit-aliases")).to_contain_text("区楼宇测试中心")

    # 修改 (If-Match with the version read): the short name and 停用.
    detail.get_by_test_id("edit-unit").click()
    form = page.locator("[data-testid='unit-form']:visible")  # the 新增 dialog stays in the page, hidden
    form.get_by_label("简称").fill("测试中心")
    form.locator(".el-switch").click()
    form.get_by_role("button", name="保存").click()
    expect(form).to_be_hidden()
    expect(detail).to_contain_text("测试中心")
    expect(detail).to_contain_text("停用")
    screenshot(page, "admin-units-created")
    assert [e for e in page.errors if "status of 409" not in e] == []


def test_a_theme_rule_and_a_warning_threshold_are_saved(open_page, password):
    page = bureau_page(open_page, password, "/admin/rules")
    expect(page.locator("h1")).to_have_text("特色与预警规则")
    rules = page.get_by_test_id("theme-rules")
    finance = rules.locator(".el-table__row", has_text="金融")
    expect(finance).to_be_visible()

    finance.get_by_role("button", name="修改金融的认定规则").click()
    form = page.get_by_test_id("theme-rule-form")
    form.get_by_label("占比阈值（%）").fill("120")
    form.get_by_role("button", name="保存").click()
    expect(form.locator(".el-form-item__error")).to_have_text("占比阈值应大于0且不超过100（%）")
    form.get_by_label("占比阈值（%）").fill("35.5")
    form.get_by_test_id("rule-measure").get_by_text("入驻企业数占比").click()
    form.get_by_role("button", name="保存").click()
    expect(form).to_be_hidden()
    expect(finance).to_contain_text("35.50%")
    expect(finance).to_contain_text("入驻企业数占比")

    page.reload()
    finance = page.get_by_test_id("theme-rules").locator(".el-table__row", has_text="金融")
    expect(finance).to_contain_text("35.50%")
    expect(finance).to_contain_text(BUREAU)

    # 预警: a wrong threshold is named, the corrected one saved; 立即评估 answers with its counts.
    vacancy = page.get_by_test_id("w-vacancy_high-threshold")
    vacancy.fill("0")
    page.get_by_test_id("save-warnings").click()
    expect(page.get_by_test_id("warning-rules").locator(".setting__error")).to_have_text("阈值应大于0且不超过100")
    vacancy.fill("40")
    page.get_by_test_id("save-warnings").click()
    expect(page.get_by_test_id("save-warnings")).to_be_disabled()
    page.reload()
    expect(page.get_by_test_id("w-vacancy_high-threshold")).to_have_value("40")
    page.get_by_test_id("evaluate-warnings").click()
    expect(page.get_by_test_id("evaluation-result")).to_contain_text("评估完成", timeout=60_000)
    screenshot(page, "admin-rules")
    assert page.errors == []


def test_the_import_centre_lists_a_registry_import(open_page, password, tmp_path):
    code = valid_uscc("91420106MA4KC7701")
    csv = tmp_path / "导入中心测试企业.csv"
    csv.write_bytes(
        f"统一社会信用代码,企业名称,行业代码,在册\r\n{code},导入中心测试有限公司,6513,是\r\n".encode("utf-8-sig")
    )

    page = bureau_page(open_page, password, "/imports")
    expect(page.locator("h1")).to_have_text("导入中心")
    cards = page.get_by_test_id("import-cards")
    for title in ("楼宇", "企业", "税收数据", "工作方案"):
        expect(cards.locator("h3", has_text=title).first).to_be_visible()

    page.get_by_test_id("go-enterprises").click()
    expect(page).to_have_url(re.compile(r"/imports/registry\?kind=enterprises$"))
    expect(page.locator("h1")).to_have_text("楼宇数据导入")
    page.get_by_test_id("import-file").set_input_files(str(csv))
    page.get_by_test_id("import-check").click()
    expect(page.get_by_test_id("import-apply")).to_be_enabled()
    page.get_by_test_id("import-apply").click()
    expect(page.get_by_test_id("import-report")).to_contain_text("已导入")

    page.get_by_test_id("back-to-centre").click()
    expect(page.locator("h1")).to_have_text("导入中心")
    history = page.get_by_test_id("import-centre-history")
    newest = history.locator(".el-table__row").first
    expect(newest).to_contain_text("导入中心测试企业.csv")
    expect(newest).to_contain_text("已导入")
    expect(newest).to_contain_text(BUREAU)
    expect(history).to_contain_text("企业（预检）")
    expect(page.locator("[data-testid^='history-failure-']")).to_have_count(0)
    screenshot(page, "import-centre-bureau")
    assert page.errors == []


def test_a_street_user_sees_the_registry_kinds_only(open_page, password):
    page = signed_in(open_page, STREET, password, path="/imports")
    expect(page.locator("h1")).to_have_text("导入中心")
    cards = page.get_by_test_id("import-cards").locator("h3")
    expect(cards).to_have_text(["楼宇", "房源", "企业", "入驻"])
    expect(page.get_by_test_id("history-filter")).to_have_count(0)
    expect(page.locator("[data-testid^='history-failure-']")).to_have_count(0)
    screenshot(page, "import-centre-street")

    page.goto("/admin/units")
    expect(page).to_have_url(re.compile(r"/forbidden"))
    assert page.errors == []


def own_violations(page: Page) -> list[str]:
    """axe's findings, less the page-size select of the shared list pager (components/ListPager.vue:
    Element Plus gives el-pagination's select no label and no way to pass one; the browser tour
    reports it on every list page)."""
    out = []
    for line in axe_violations(page):
        target = line.split(" at ", 1)[1].split(" <", 1)[0] if " at " in line else ""
        alone = not line.endswith("more)")
        pager = alone and target.startswith("#") and page.locator(target).evaluate("e => !!e.closest('.el-pagination')")
        if not pager:
            out.append(line)
    return out


@pytest.mark.parametrize("path,title", [
    ("/admin/units", "单位目录"),
    ("/admin/rules", "特色与预警规则"),
    ("/imports", "导入中心"),
    ("/imports/registry", "楼宇数据导入"),
])  # fmt: skip
def test_the_pages_pass_axe_and_fit_a_phone(open_page, password, path, title):
    for width, height in ((1280, 800), (375, 667)):
        page = bureau_page(open_page, password, path)
        page.set_viewport_size({"width": width, "height": height})
        expect(page.locator("h1")).to_have_text(title)
        expect(page.locator(".list-status[role='status']")).to_have_count(0)
        if path == "/admin/units":
            page.get_by_test_id("unit-table").get_by_role("button").first.click()
            expect(page.get_by_test_id("unit-detail").locator("h2")).to_be_visible()
        assert own_violations(page) == [], f"{path} at {width}px"
        assert no_horizontal_scroll(page), f"horizontal scroll on {path} at {width}px"
        assert page.errors == []
