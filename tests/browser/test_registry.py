"""The registry screens in the browser: a bureau clerk creates a building, adds a space,
registers an enterprise, moves it in, and sees it as a current tenant; the building list
at phone width."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_signin import no_horizontal_scroll, sign_in
from tests.stack import ADMIN_PASSWORD

USERNAME = "shangwu_li"
PASSWORD = "Shangwuju-Louyu-2026!"

# GB 32100-2015 check character, to make a valid credit code for the enterprise.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def valid_uscc(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


@pytest.fixture(scope="module")
def bureau_user(product) -> str:
    """A 区商务局 account whose initial password has already been replaced."""
    with httpx.Client(base_url=product.url, timeout=10) as http:
        admin = http.post(
            "/api/auth/token", data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD}
        ).json()["access_token"]
        initial = "Initial-Pass-2026"
        created = http.post(
            "/api/auth/users",
            json={"username": USERNAME, "display_name": "李商务", "password": initial, "roles": ["bureau"]},
            headers={"Authorization": f"Bearer {admin}"},
        )
        assert created.status_code == 201, created.text
        token = http.post(
            "/api/auth/token", data={"grant_type": "password", "username": USERNAME, "password": initial}
        ).json()["access_token"]
        changed = http.post(
            "/api/auth/password",
            json={"current_password": initial, "new_password": PASSWORD},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert changed.status_code == 204, changed.text
    return USERNAME


def pick(page: Page, field, option: str) -> None:
    """Choose `option` in an Element Plus select (its list is rendered at the end of <body>)."""
    field.click()
    page.locator(".el-select-dropdown__item:visible", has_text=option).first.click()


def signed_in(open_page, bureau_user: str, width: int = 1280, height: int = 800) -> Page:
    page = open_page(width, height)
    sign_in(page, bureau_user, PASSWORD)
    expect(page.get_by_test_id("current-user")).to_contain_text("李商务")
    return page


def test_create_building_add_space_move_enterprise_in(open_page, bureau_user):
    page = signed_in(open_page, bureau_user)

    # 楼宇: the list (with the demo data banner), then a new building.
    page.goto("/buildings")
    expect(page.locator("h1")).to_have_text("楼宇")
    expect(page.get_by_test_id("demo-banner")).to_contain_text("演示数据（虚构）")
    page.get_by_test_id("new-building").click()
    form = page.get_by_test_id("building-form")
    form.get_by_label("楼宇名称").fill("浏览器测试大厦")
    pick(page, form.get_by_label("所属街道"), "积玉桥")
    form.get_by_label("地址").fill("武汉市武昌区和平大道1号")
    form.get_by_label("建筑面积（㎡）").fill("32000")
    form.get_by_label("可出租面积（㎡）").fill("25000.5")
    screenshot(page, "registry-building-form")
    form.get_by_role("button", name="保存").click()

    # The new building's page.
    expect(page.locator("h1")).to_have_text("浏览器测试大厦")
    expect(page.locator(".page-header__desc")).to_contain_text("420106-")
    page.get_by_role("tab", name="楼层房源").click()
    page.get_by_test_id("add-space").click()
    space_form = page.get_by_test_id("space-form")
    space_form.get_by_label("楼层").fill("12")
    space_form.get_by_label("房号").fill("1201")
    space_form.get_by_label("面积（㎡）").fill("850.5")
    space_form.get_by_label("报价租金").fill("85")
    space_form.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("space-1201")).to_contain_text("850.5㎡")
    expect(page.get_by_test_id("space-1201")).to_contain_text("空置")
    expect(page.get_by_test_id("vacancy-summary")).to_contain_text("1套（标记空置1套）")

    # 企业: a new enterprise with a valid credit code (typed in lower case: normalised).
    code = valid_uscc("91420106MA4KBR0W1")
    page.goto("/enterprises")
    page.get_by_test_id("new-enterprise").click()
    ent_form = page.get_by_test_id("enterprise-form")
    ent_form.get_by_label("统一社会信用代码").fill(code.lower())
    ent_form.get_by_label("企业名称").fill("武汉浏览器测试科技有限公司")
    expect(page.get_by_test_id("uscc-hint")).to_contain_text("校验位正确")
    ent_form.get_by_text("在册（注册在本区）").click()
    ent_form.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_have_text("武汉浏览器测试科技有限公司")
    expect(page.get_by_text(code).first).to_be_visible()

    # 入驻: back to the building, move the enterprise into space 1201.
    page.goto("/buildings?q=浏览器测试")
    page.get_by_role("link", name="浏览器测试大厦").click()
    expect(page.locator("h1")).to_have_text("浏览器测试大厦")
    page.get_by_role("tab", name="入驻企业").click()
    page.get_by_test_id("move-in").click()
    move_form = page.get_by_test_id("move-in-form")
    move_form.get_by_label("入驻企业").click()
    move_form.get_by_label("入驻企业").fill("浏览器测试")
    page.locator(".el-select-dropdown__item:visible", has_text="武汉浏览器测试科技有限公司").click()
    move_form.get_by_test_id("pick-space-1201").click()
    screenshot(page, "registry-move-in")
    move_form.get_by_role("button", name="确认入驻").click()

    tenants = page.get_by_test_id("tenants")
    expect(tenants).to_contain_text("武汉浏览器测试科技有限公司")
    expect(tenants).to_contain_text("12层1201")
    expect(tenants).to_contain_text("850.5㎡")
    expect(page.get_by_text("当前在楼企业（1家）")).to_be_visible()
    screenshot(page, "registry-building-tenants")

    # The change history says who created the building.
    page.get_by_role("tab", name="变更记录").click()
    expect(page.get_by_test_id("change-history")).to_contain_text(USERNAME)
    expect(page.get_by_test_id("change-history")).to_contain_text("浏览器测试大厦")
    assert page.errors == []


def test_building_list_on_a_phone(open_page, bureau_user):
    page = signed_in(open_page, bureau_user, 375, 667)
    page.goto("/buildings")
    expect(page.locator("h1")).to_have_text("楼宇")
    cards = page.get_by_test_id("building-cards")
    expect(cards.get_by_role("link", name="阿里中心")).to_be_visible()
    expect(page.get_by_test_id("demo-banner")).to_be_visible()
    assert no_horizontal_scroll(page), "horizontal scroll on the building list at 375 px"
    screenshot(page, "registry-buildings-phone")

    # Filters fold behind 筛选 on a phone; a search narrows the list.
    page.get_by_role("searchbox").or_(page.get_by_label("搜索楼宇名称或别名")).first.fill("阿里")
    page.get_by_role("button", name="查询").click()
    expect(cards.locator("li")).to_have_count(1)
    cards.get_by_role("link", name="阿里中心").click()
    expect(page.locator("h1")).to_have_text("阿里中心")
    assert no_horizontal_scroll(page), "horizontal scroll on the building page at 375 px"
    screenshot(page, "registry-building-phone")
    assert page.errors == []


def test_import_enterprises_dry_run_then_apply(open_page, bureau_user, tmp_path):
    """楼宇数据导入: a GBK CSV with one bad row is reported by row and column and cannot be applied;
    the corrected file is checked, applied, and its enterprise can be found."""
    good = valid_uscc("91420106MA4KB9001")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    header = "统一社会信用代码,企业名称,行业代码,在册\r\n"
    broken = tmp_path / "企业名单.csv"
    broken.write_bytes(
        (header + f"{good},浏览器导入科技有限公司,6513,是\r\n{bad},错误代码有限公司,6513,否\r\n").encode("gbk")
    )
    fixed = tmp_path / "企业名单-改.csv"
    fixed.write_bytes((header + f"{good},浏览器导入科技有限公司,6513,是\r\n").encode("gbk"))

    page = signed_in(open_page, bureau_user)
    page.goto("/imports/registry")
    expect(page.locator("h1")).to_have_text("楼宇数据导入")
    page.get_by_test_id("import-kind").get_by_text("企业").click()
    page.get_by_test_id("import-file").set_input_files(str(broken))
    page.get_by_test_id("import-check").click()
    report = page.get_by_test_id("import-report")
    expect(report).to_contain_text("预检发现 1 处问题")
    rejected = page.get_by_test_id("rejected-rows")
    expect(rejected).to_contain_text("3")
    expect(rejected).to_contain_text("统一社会信用代码")
    expect(rejected).to_contain_text("校验位")
    expect(page.get_by_test_id("import-apply")).to_be_disabled()
    screenshot(page, "registry-import-rejected")

    page.get_by_test_id("import-file").set_input_files(str(fixed))
    page.get_by_test_id("import-check").click()
    expect(page.get_by_test_id("rejected-rows")).to_have_count(0)
    page.get_by_test_id("import-apply").click()
    expect(page.get_by_test_id("import-report")).to_contain_text("已导入")

    page.goto(f"/enterprises/{good}")
    expect(page.locator("h1")).to_have_text("浏览器导入科技有限公司")
    screenshot(page, "registry-import-enterprise")
