"""管理 in the browser: the administrator opens a machine client for a bureau's system and the
system posts tax figures with the secret shown once, then the client is revoked and can do
nothing more; the administrator creates an account; the auditor filters the audit log and
downloads it as CSV."""

from __future__ import annotations

import csv
import io
import re
import time
import uuid

import httpx
from playwright.sync_api import Page, expect

from tests.browser.a11y import axe_violations
from tests.browser.conftest import screenshot
from tests.browser.test_cockpit import make_user, signed_in
from tests.browser.test_metrics_facts import a_registered_enterprise
from tests.browser.test_signin import no_horizontal_scroll, sign_in
from tests.stack import ADMIN_PASSWORD


def admin_page(open_page, width: int = 1280, height: int = 800) -> Page:
    page = open_page(width, height)
    # Right after the product starts it is busy loading the demo data: give the first page time.
    page.goto("/login")
    expect(page.get_by_label("用户名")).to_be_visible(timeout=90_000)
    sign_in(page, "admin", ADMIN_PASSWORD)
    expect(page.get_by_test_id("current-user")).to_be_visible()
    return page


def settled(page: Page) -> Page:
    """The page once its transitions are over (axe measures colours as they are drawn: mid-fade they are pale)."""
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
    return page


def client_token(http: httpx.Client, client_id: str, secret: str) -> httpx.Response:
    return http.post(
        "/api/auth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )


def post_facts(http: httpx.Client, token: str, credit_code: str) -> httpx.Response:
    return http.post(
        "/api/metrics/facts/batches",
        json={
            "source": "tax_bureau",
            "rows": [{"credit_code": credit_code, "period": "2025-11", "kind": "tax_total", "value": "125000.50"}],
        },
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
    )


def pick(page: Page, select_label: str, option: str, *, scope=None) -> None:
    """Choose `option` in the Element Plus select labelled `select_label` (its list opens in the body)."""
    (scope or page).get_by_label(select_label, exact=True).click()
    # An option may show the unit's short name after its name ("区发改局 发改局").
    page.get_by_role("option", name=re.compile("^" + re.escape(option))).click()


def test_a_machine_client_posts_facts_with_its_secret_and_not_once_revoked(open_page, product):
    bureau = make_user(product, "kehuduan_zhou", "周商务", ["bureau"])
    credit_code = a_registered_enterprise(product, bureau)
    page = admin_page(open_page)

    # 管理 → 机器客户端, from the index card.
    page.goto("/admin")
    expect(page.locator("h1")).to_have_text("管理")
    cards = page.get_by_test_id("admin-cards")
    expect(cards).to_contain_text("账号与角色")
    expect(cards).not_to_contain_text("审计日志")  # 三员分立: not for the administrator
    screenshot(page, "admin-index-admin")
    cards.get_by_role("link", name="机器客户端").click()
    expect(page.locator("h1")).to_have_text("机器客户端")

    name = f"区税务局征管系统-{uuid.uuid4().hex[:6]}"
    page.get_by_test_id("new-client").click()
    form = page.get_by_test_id("client-form")
    form.get_by_label("客户端名称").fill(name)
    form.get_by_text("报送税收数据").click()
    form.get_by_role("button", name="新建并生成密钥").click()

    shown = page.get_by_test_id("client-secret-dialog")
    expect(shown).to_contain_text("密钥只显示这一次")
    client_id = shown.get_by_test_id("client-id").inner_text().strip()
    secret = shown.get_by_test_id("client-secret").inner_text().strip()
    assert client_id.startswith("lyc_") and len(secret) >= 32
    screenshot(page, "admin-client-secret")
    page.get_by_test_id("close-secret").click()
    page.get_by_role("button", name="已保存，关闭", exact=True).click()
    expect(shown).to_be_hidden()
    row = page.get_by_test_id("client-table").locator("tr", has_text=name)
    expect(row).to_contain_text("报送税收数据")
    expect(row).to_contain_text("启用")
    expect(row).not_to_contain_text(secret)  # the list never shows it again

    with httpx.Client(base_url=product.url, timeout=30) as http:
        granted = client_token(http, client_id, secret)
        assert granted.status_code == 200, granted.text
        token = granted.json()["access_token"]
        posted = post_facts(http, token, credit_code)
        assert posted.status_code == 201, posted.text
        assert posted.json()["accepted"] == 1

        # Revoked in the page: no new token, and the one it holds is refused.
        row.get_by_test_id("revoke-client").click()
        page.get_by_role("button", name="吊销", exact=True).click()
        expect(row).to_contain_text("已吊销")
        screenshot(page, "admin-client-revoked")
        refused = client_token(http, client_id, secret)
        assert refused.status_code == 403 and "吊销" in refused.json()["detail"], refused.text
        deadline = time.monotonic() + 10  # the services learn of revocations within about a second
        answer = post_facts(http, token, credit_code)
        while answer.status_code != 401 and time.monotonic() < deadline:
            time.sleep(0.3)
            answer = post_facts(http, token, credit_code)
        assert answer.status_code == 401, answer.text
    assert page.errors == []


def test_admin_creates_an_account_and_finds_it_by_unit(open_page):
    page = admin_page(open_page)
    page.goto("/admin/users")
    expect(page.locator("h1")).to_have_text("账号与角色")
    expect(page.get_by_test_id("user-table")).to_contain_text("admin")

    username = f"fgj_{uuid.uuid4().hex[:6]}"
    page.get_by_test_id("new-user").click()
    form = page.get_by_test_id("user-form")
    form.get_by_label("登录名").fill(username)
    form.get_by_label("姓名").fill("刘发改")
    # A weak initial password is refused next to the field, in Chinese.
    form.get_by_label("初始密码").fill("short")
    form.get_by_label("初始密码").blur()
    expect(form).to_contain_text("初始密码至少 8 位")
    form.get_by_label("初始密码").fill("Fagai-Init-2026")
    form.get_by_text("协办部门").click()
    pick(page, "所属单位", "区发改局", scope=form)
    form.get_by_label("手机号").fill("13912345678")
    screenshot(page, "admin-user-form")
    form.get_by_role("button", name="新建").click()
    expect(form).to_be_hidden()

    table = page.get_by_test_id("user-table")
    page.get_by_label("搜索登录名或姓名").fill(username)
    page.get_by_role("button", name="查询", exact=True).click()
    row = table.locator("tr", has_text=username)
    expect(row).to_contain_text("刘发改")
    expect(row).to_contain_text("协办部门")
    expect(row).to_contain_text("区发改局")
    expect(row).to_contain_text("待修改初始密码")

    # 单位成员: the unit filter finds the new account with the demo department's.
    page.get_by_label("搜索登录名或姓名").fill("")
    page.get_by_role("button", name="重置", exact=True).click()
    pick(page, "所属单位", "区发改局", scope=page.get_by_role("search"))
    expect(page).to_have_url(re.compile(r"org_unit=fgj"))
    expect(table).to_contain_text(username)
    expect(table.locator("tbody tr", has_text="系统管理员")).to_have_count(0)
    screenshot(page, "admin-users-by-unit")

    # Five wrong passwords lock the account; the administrator unlocks it.
    with httpx.Client(base_url=page.url.split("/admin")[0], timeout=15) as http:
        for _ in range(5):
            http.post(
                "/api/auth/token", data={"grant_type": "password", "username": username, "password": "Wrong-1234"}
            )
    page.reload()
    row = table.locator("tr", has_text=username)
    expect(row).to_contain_text("已锁定")
    row.get_by_role("button", name=f"解除 {username} 的锁定").click()
    page.get_by_role("button", name="解除锁定", exact=True).click()
    expect(row).to_contain_text("待修改初始密码")

    # Reset the password (the policy is checked as typed), then deactivate the account.
    row.get_by_role("button", name=f"重置 {username} 的密码").click()
    reset = page.get_by_test_id("password-reset-form")
    reset.get_by_label("新密码", exact=True).fill("abc")
    reset.get_by_label("再次输入新密码").fill("abc")
    reset.get_by_role("button", name="重置密码").click()
    expect(reset).to_contain_text("新密码至少 8 位")
    reset.get_by_label("新密码", exact=True).fill("Fagai-Reset-2026")
    reset.get_by_label("再次输入新密码").fill("Fagai-Reset-2026")
    reset.get_by_role("button", name="重置密码").click()
    expect(reset).to_be_hidden()
    row.get_by_role("button", name=f"编辑账号 {username}").click()
    form = page.get_by_test_id("user-form")
    expect(form.get_by_label("登录名")).to_be_disabled()
    form.locator(".el-switch__core").click()
    form.get_by_role("button", name="保存").click()
    expect(form).to_be_hidden()
    expect(row).to_contain_text("已停用")
    assert page.errors == []


def test_auditor_filters_the_log_and_downloads_it(open_page, product, tmp_path):
    auditor = make_user(product, "shenji_li", "李审计", ["auditor"])  # on the command line (三员分立)
    clerk = make_user(product, "keyuan_li", "李科员", ["leader"])  # the administrator's user.create is logged
    page = signed_in(open_page, auditor, 1280, 800)
    page.goto("/admin")
    cards = page.get_by_test_id("admin-cards")
    expect(cards).not_to_contain_text("账号与角色")
    cards.get_by_role("link", name="审计日志").click()
    expect(page.locator("h1")).to_have_text("审计日志")
    expect(page.get_by_test_id("audit-table")).to_be_visible()

    page.get_by_label("操作人").fill("admin")
    pick(page, "动作", "新建账号", scope=page.get_by_role("search"))
    page.get_by_role("button", name="查询", exact=True).click()
    table = page.get_by_test_id("audit-table")
    expect(table).to_contain_text(clerk)
    rows = table.locator("tbody tr")
    for i in range(rows.count()):
        expect(rows.nth(i)).to_contain_text("新建账号")
        expect(rows.nth(i)).to_contain_text("admin")
    screenshot(page, "admin-audit-filtered")

    page.get_by_role("button", name="导出日志").click()
    with page.expect_download() as info:
        page.get_by_role("menuitem", name="CSV 文件（.csv）").click()
    download = info.value
    assert download.suggested_filename.startswith("审计日志_") and download.suggested_filename.endswith(".csv")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    lines = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert lines[0][:5] == ["时间（北京时间）", "操作人", "操作人类型", "IP 地址", "动作"]
    assert len(lines) > 1 and all(r[1] == "admin" and r[5] == "user.create" for r in lines[1:])
    assert any(r[6] == clerk for r in lines[1:])

    # The export itself is on record.
    page.get_by_label("操作人").fill(auditor)
    pick(page, "动作", "导出审计日志", scope=page.get_by_role("search"))
    page.get_by_role("button", name="查询", exact=True).click()
    expect(table).to_contain_text("导出审计日志")
    assert page.errors == []


def test_the_pages_pass_axe_and_fit_a_phone(open_page, product):
    auditor = make_user(product, "shenji_zhao", "赵审计", ["auditor"])
    with httpx.Client(base_url=product.url, timeout=15) as http:
        admin = http.post(
            "/api/auth/token", data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD}
        ).json()["access_token"]
        made = http.post(
            "/api/auth/clients",
            json={"name": "区统计局数据平台", "scopes": ["stats:read"]},
            headers={"Authorization": f"Bearer {admin}"},
        )
        assert made.status_code == 201, made.text
    pages = [
        ("admin", "/admin", "管理", "admin-cards"),
        ("admin", "/admin/users", "账号与角色", "user-table"),
        ("admin", "/admin/clients", "机器客户端", "client-table"),
        ("auditor", "/admin", "管理", "admin-cards"),
        ("auditor", "/admin/audit", "审计日志", "audit-table"),
    ]
    for width, height in ((1280, 800), (375, 667)):
        admin_view = admin_page(open_page, width, height)
        auditor_view = signed_in(open_page, auditor, width, height)
        for who, path, title, content in pages:
            page = admin_view if who == "admin" else auditor_view
            page.goto(path)
            expect(page.locator("h1")).to_have_text(title)
            expect(page.get_by_test_id(content)).to_be_visible()
            assert axe_violations(page) == [], f"{path} as {who} at {width}px"
            assert no_horizontal_scroll(page), f"horizontal scroll on {path} at {width}px"
        # The create dialogs too.
        admin_view.goto("/admin/users")
        admin_view.get_by_test_id("new-user").click()
        expect(admin_view.get_by_test_id("user-form")).to_be_visible()
        assert axe_violations(settled(admin_view)) == [], f"user form at {width}px"
        admin_view.goto("/admin/clients")
        admin_view.get_by_test_id("new-client").click()
        expect(admin_view.get_by_test_id("client-form")).to_be_visible()
        assert axe_violations(settled(admin_view)) == [], f"client form at {width}px"
        if width < 500:
            screenshot(admin_view, "admin-client-form-phone")
        # 三员分立 in the pages too: neither opens the other's.
        admin_view.goto("/admin/audit")
        expect(admin_view.locator("h1")).to_contain_text("无权访问")
        auditor_view.goto("/admin/users")
        expect(auditor_view.locator("h1")).to_contain_text("无权访问")
        assert admin_view.errors == [] and auditor_view.errors == []
