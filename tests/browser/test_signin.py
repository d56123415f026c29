"""Sign in at desktop and phone sizes, see who you are, move around, sign out."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.stack import ADMIN_PASSWORD

# What the administrator may open: accounts, not business data (三员分立). The home page holds
# figures, so the administrator starts at 管理; the domain pages are for the people doing the work.
SECTIONS = {
    "/": "管理",
    "/admin": "管理",
    "/admin/users": "账号与角色",
}
REFUSED_TO_ADMIN = ("/dashboard", "/buildings", "/enterprises", "/tasks", "/visits")


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size,label", [((1280, 800), "desktop"), ((375, 667), "phone")])
def test_sign_in_and_see_my_name(open_page, size, label):
    page = open_page(*size)
    page.goto("/")
    page.wait_for_url("**/login**")
    screenshot(page, f"login-{label}")
    assert no_horizontal_scroll(page)
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("current-user")).to_contain_text("系统管理员")
    expect(page.locator("h1")).to_contain_text("管理")
    assert no_horizontal_scroll(page), "horizontal scroll on the signed-in page"
    screenshot(page, f"home-{label}")
    assert page.errors == []


def test_wrong_password_shows_the_server_message(open_page):
    page = open_page()
    sign_in(page, "admin", "Not-The-Password-1")
    expect(page.get_by_test_id("login-error")).to_contain_text("用户名或密码错误")
    screenshot(page, "login-error")


def test_every_section_page_and_sign_out(open_page):
    page = open_page()
    sign_in(page, "admin", ADMIN_PASSWORD)
    expect(page.get_by_test_id("current-user")).to_be_visible()
    for path, title in SECTIONS.items():
        page.goto(path)
        expect(page.locator("h1")).to_contain_text(title)
        name = "home" if path == "/" else path.strip("/").replace("/", "-")
        screenshot(page, f"section-{name}")
    for path in REFUSED_TO_ADMIN:
        page.goto(path)
        expect(page.locator("h1")).to_contain_text("无权访问")
    page.goto("/no/such/page")
    expect(page.get_by_text("页面不存在")).to_be_visible()
    screenshot(page, "not-found")
    page.get_by_role("link", name="返回首页").or_(page.get_by_role("button", name="返回首页")).click()
    expect(page.locator("h1")).to_contain_text("管理")
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/login**")
    page.goto("/buildings")
    page.wait_for_url("**/login**")
    assert page.errors == []


def test_a_street_user_has_no_admin_section(open_page, product):
    with httpx.Client(base_url=product.url, timeout=10) as http:
        token = http.post(
            "/api/auth/token", data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD}
        ).json()["access_token"]
        created = http.post(
            "/api/auth/users",
            json={
                "username": "jiyuqiao",
                "display_name": "王街道",
                "password": "Street-Pass-2026",
                "roles": ["street"],
                "street_codes": ["420106001"],
            },
            headers={"Authorization": f"Bearer {token}"},
        )
        assert created.status_code == 201, created.text
    page = open_page(375, 667)
    sign_in(page, "jiyuqiao", "Street-Pass-2026")
    # A new account must replace its initial password first.
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("当前密码").fill("Street-Pass-2026")
    dialog.get_by_label("新密码", exact=True).fill("Huanghelou-2026!")
    dialog.get_by_label("确认新密码").fill("Huanghelou-2026!")
    screenshot(page, "change-password-phone")
    dialog.get_by_role("button", name="确认修改").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("current-user")).to_contain_text("王街道")
    page.get_by_role("button", name="打开导航菜单").click()
    expect(page.get_by_role("link", name="楼宇", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="管理")).to_have_count(0)
    screenshot(page, "street-menu-phone")
    page.goto("/admin")
    expect(page.locator("h1")).to_contain_text("无权访问")
    assert no_horizontal_scroll(page)


@pytest.mark.parametrize("service,title", [("registry", "楼宇登记服务"), ("auth", "统一门户网关")])
def test_api_docs_render_offline(open_page, service, title):
    page = open_page()
    page.goto(f"/api/{service}/docs")
    expect(page.get_by_text(title).first).to_be_visible()
    screenshot(page, f"docs-{service}")
    assert page.errors == []
