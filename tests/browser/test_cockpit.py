"""驾驶舱 in the browser, on the demo data `make run` loads (registry demo buildings and
enterprises, metrics' synthetic tax figures): the leader sees the KPI cards, charts and
warnings at 1920×1080, drills down from a street's bar to the street's buildings, to one
building's 税收指标 tab, to one of its enterprises; a street user's cockpit shows only its
street; the cockpit stacks on a phone."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_signin import no_horizontal_scroll, sign_in
from tests.stack import ADMIN_PASSWORD

PASSWORD = "Jiashicang-Louyu-2026!"
STREET = "420106001"  # 积玉桥街道


def make_user(product, username: str, display_name: str, roles: list[str], streets: list[str] = ()) -> str:
    """An account whose initial password has already been replaced by PASSWORD (idempotent per session)."""
    if "auditor" in roles:
        # 三员分立: an auditor is made on the server's command line, never by the admin.
        initial = _cli_auditor(product, username, display_name)
        if initial is None:
            return username
        return _replace_initial(product, username, initial)
    with httpx.Client(base_url=product.url, timeout=15) as http:
        admin = http.post(
            "/api/auth/token", data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD}
        ).json()["access_token"]
        initial = "Initial-Pass-2026"
        created = http.post(
            "/api/auth/users",
            json={
                "username": username,
                "display_name": display_name,
                "password": initial,
                "roles": roles,
                "street_codes": list(streets),
            },
            headers={"Authorization": f"Bearer {admin}"},
        )
        if created.status_code == 409:
            return username
        assert created.status_code == 201, created.text
    return _replace_initial(product, username, initial)


def _cli_auditor(product, username: str, display_name: str) -> str | None:
    """``python -m gateway create-auditor`` against the running product; its printed password
    (None when the account exists already)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOUYU_")}
    env.update(LOUYU_DATA_DIR=str(product.data_dir), LOUYU_LOG_JSON="false")
    done = subprocess.run(
        [sys.executable, "-m", "gateway", "create-auditor", username, display_name],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if "已被使用" in done.stderr + done.stdout:
        return None
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1].rpartition("：")[2]


def _replace_initial(product, username: str, initial: str) -> str:
    with httpx.Client(base_url=product.url, timeout=15) as http:
        token = http.post(
            "/api/auth/token", data={"grant_type": "password", "username": username, "password": initial}
        ).json()["access_token"]
        changed = http.post(
            "/api/auth/password",
            json={"current_password": initial, "new_password": PASSWORD},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert changed.status_code == 204, changed.text
    return username


def api_token(product, username: str) -> str:
    with httpx.Client(base_url=product.url, timeout=15) as http:
        return http.post(
            "/api/auth/token", data={"grant_type": "password", "username": username, "password": PASSWORD}
        ).json()["access_token"]


def active_warnings(product, username: str) -> int:
    headers = {"Authorization": f"Bearer {api_token(product, username)}"}
    with httpx.Client(base_url=product.url, timeout=15, headers=headers) as http:
        return http.get("/api/metrics/warnings", params={"active": "true"}).json()["total"]


def wait_for_figures(
    product, username: str, timeout: float = 120, *, goals: bool = False, warnings: bool = False
) -> dict:
    """The dashboard once metrics has read the registry's demo data and summed the demo figures
    (and, with ``goals`` / ``warnings``, once it shows them: it keeps them up to half a minute)."""
    token = api_token(product, username)
    deadline = time.monotonic() + timeout
    body: dict = {}
    with httpx.Client(base_url=product.url, timeout=30, headers={"Authorization": f"Bearer {token}"}) as http:
        while time.monotonic() < deadline:
            answer = http.get("/api/metrics/dashboard")
            if answer.status_code == 200:
                body = answer.json()
                cards = {c["key"]: c for c in body.get("cards", [])}
                pending = (body.get("sync") or {}).get("rollups_pending") or 0
                ready = cards.get("tax_total", {}).get("value") and body.get("tax_by_street") and not pending
                if ready and (body.get("goals") or not goals) and (body.get("warnings") or not warnings):
                    return body
            time.sleep(1)
    pytest.fail(f"the dashboard has no figures after {timeout}s: {body!r:.500}")


PLAN_GOALS = (
    {"metric": "yiyuan_buildings", "target": 2, "unit": "栋", "text": "新增亿元楼宇2栋"},
    {"metric": "featured_buildings", "target": 8, "unit": "栋", "text": "新增特色楼宇8栋"},
    # Counted by metrics from tasks' centres (#17): no value typed.
    {"metric": "sharing_centres", "target": 3, "unit": "个", "text": "建成3个招商共享中心"},
)


def ensure_goals(product, year: int) -> None:
    """The plan's three goals for ``year``: from tasks when it has them, else entered by hand (区商务局);
    and the early warnings evaluated now rather than at the daily run."""
    bureau = make_user(product, "mubiao_zhao", "赵商务", ["bureau"])
    headers = {"Authorization": f"Bearer {api_token(product, bureau)}"}
    with httpx.Client(base_url=product.url, timeout=15, headers=headers) as http:
        have = {g["metric"] for g in http.get("/api/metrics/goals", params={"year": year}).json()["items"]}
        for goal in PLAN_GOALS:
            if goal["metric"] not in have:
                created = http.post("/api/metrics/goals", json={**goal, "year": year})
                assert created.status_code == 201, created.text
        # The warnings are evaluated daily; the bureau can ask for it now.
        evaluated = http.post("/api/metrics/warnings/evaluate")
        assert evaluated.status_code == 200, evaluated.text


@pytest.fixture(scope="module")
def leader(product) -> str:
    name = make_user(product, "lingdao_wang", "王区长", ["leader"])
    body = wait_for_figures(product, name)
    ensure_goals(product, body["period"]["year"])
    wait_for_figures(product, name, goals=True, warnings=active_warnings(product, name) > 0)
    return name


@pytest.fixture(scope="module")
def street_user(product) -> str:
    return make_user(product, "jiyuqiao_zhou", "周街道", ["street"], [STREET])


def signed_in(open_page, username: str, width: int = 1920, height: int = 1080) -> Page:
    page = open_page(width, height)
    sign_in(page, username, PASSWORD)
    expect(page.get_by_test_id("current-user")).to_be_visible()
    return page


def test_leader_sees_the_cockpit_and_drills_down_to_an_enterprise(open_page, leader, product):
    page = signed_in(open_page, leader)
    expect(page.locator("h1")).to_have_text("驾驶舱")

    # The first screen: cards with units, the goal-bearing 亿元楼宇 card, charts, tiers, top buildings, warnings.
    expect(page.get_by_test_id("kpi-tax_total")).to_contain_text("亿元")
    expect(page.get_by_test_id("kpi-tax_total")).to_contain_text("较")
    expect(page.get_by_test_id("kpi-yiyuan_buildings")).to_contain_text("目标新增2栋")
    expect(page.get_by_test_id("kpi-yiyuan_buildings").get_by_role("progressbar")).to_be_visible()
    expect(page.get_by_test_id("kpi-featured_buildings")).to_contain_text("目标新增8栋")
    expect(page.get_by_test_id("kpi-sharing_centres")).to_contain_text("目标新增3个")
    expect(page.get_by_test_id("kpi-tax_per_m2_gfa")).to_contain_text("元/㎡")
    expect(page.get_by_test_id("demo-banner")).to_contain_text("演示数据（虚构）")
    expect(page.get_by_test_id("sync-badge")).to_be_visible()
    expect(page.get_by_test_id("street-chart").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("trend-chart").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("theme-chart").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("tiers")).to_contain_text("亿元楼宇")
    expect(page.get_by_test_id("top-buildings").locator("tbody tr")).to_have_count(10)
    # The active warnings (evaluated by the bureau just before), each with its building and date.
    if active_warnings(product, leader):
        warnings = page.get_by_test_id("warnings")
        expect(warnings.locator("li").first).to_be_visible()
        expect(warnings.locator("li").first).to_contain_text("出现于")
    else:
        expect(page.get_by_test_id("warnings-empty")).to_contain_text("当前没有预警")
    assert no_horizontal_scroll(page), "horizontal scroll on the cockpit at 1920×1080"
    screenshot(page, "cockpit-leader-1920")

    # Totals add up: the street breakdown's 合计 is the district card, its rows (every street,
    # 未入楼企业, 其他/未分类) sum to it.
    district_total_matches_the_card(page, product, leader)

    # A street's bar (the largest, drawn on top) opens that street: its buildings ranked, their
    # 合计 the street's card.
    first_street = page.get_by_test_id("street-chart").locator('path[fill="#1f4e8c"]').last
    first_street.click()
    page.wait_for_url("**/dashboard/streets/**")
    expect(page.locator("h1")).to_contain_text("街道楼宇经济")
    expect(page.get_by_test_id("street-kpis")).to_contain_text("全口径税收")
    ranking = page.get_by_test_id("street-buildings")
    expect(ranking.locator("a").first).to_be_visible()
    street_card = page.get_by_test_id("kpi-tax_total").locator(".kpi__value").inner_text()
    expect(ranking.locator("tfoot")).to_contain_text("合计")
    expect(ranking.locator("tfoot")).to_contain_text(street_card)
    expect(page.get_by_test_id("street-warnings")).to_be_visible()
    screenshot(page, "cockpit-street")

    # → the building's 税收指标 tab: KPIs, monthly series, 特色 verdict, tenants with their tax.
    building = ranking.locator("a").first
    building_name = building.inner_text()
    building.click()
    expect(page.locator("h1")).to_have_text(building_name)
    tax = page.get_by_test_id("building-tax")
    expect(tax.get_by_test_id("building-kpis")).to_contain_text("坪效（按建筑面积）")
    expect(tax.get_by_test_id("trend-chart").locator("svg")).to_be_visible()
    expect(tax.get_by_test_id("featured-verdict")).to_contain_text("特色楼宇")
    tenants = tax.get_by_test_id("tenant-tax")
    expect(tenants.locator("a").first).to_be_visible()
    expect(tenants).to_contain_text("万元")
    screenshot(page, "cockpit-building-tax")

    # → the enterprise (一企一档).
    enterprise = tenants.locator("a").first
    enterprise_name = enterprise.inner_text()
    enterprise.click()
    expect(page.locator("h1")).to_have_text(enterprise_name)
    assert page.errors == []


def district_total_matches_the_card(page: Page, product, username: str) -> None:
    """The cockpit's street breakdown: 合计 = the 全口径税收 card (as shown, and in 元 as the API
    answers it), every street listed, 未入楼企业 and 其他/未分类 rows, rows summing to 合计."""
    table = page.get_by_test_id("street-breakdown")
    total = table.get_by_test_id("street-breakdown-total")
    expect(total).to_contain_text("合计")
    card = page.get_by_test_id("kpi-tax_total").locator(".kpi__value").inner_text()
    shown_total = total.locator("td").first.inner_text()
    assert shown_total == card, f"合计 {shown_total} ≠ 全口径税收 card {card}"
    headers = {"Authorization": f"Bearer {api_token(product, username)}"}
    with httpx.Client(base_url=product.url, timeout=30, headers=headers) as http:
        period = page.evaluate("new URLSearchParams(location.search).get('period')")
        body = http.get("/api/metrics/dashboard", params={"period": period} if period else {}).json()
    card_value = next(c for c in body["cards"] if c["key"] == "tax_total")["value"]
    total_value = float(total.locator("td").first.get_attribute("data-value"))
    assert abs(total_value - card_value) <= 0.01, (total_value, card_value)
    rows = table.locator("tbody tr")
    kinds = rows.evaluate_all("rs => rs.map(r => r.dataset.kind)")
    assert kinds.count("group") == 15, kinds  # every street of Wuchang, with zeros where no building
    assert "unattributed" in kinds and "other" in kinds, kinds
    expect(table.locator('tbody tr[data-kind="unattributed"]')).to_contain_text("未入楼企业")
    values = rows.evaluate_all("rs => rs.map(r => Number(r.querySelector('td').dataset.value || 0))")
    assert abs(sum(values) - total_value) <= 0.01, (sum(values), total_value)


def test_period_selector_changes_the_figures(open_page, leader):
    page = signed_in(open_page, leader)
    expect(page.get_by_test_id("kpi-tax_total")).to_contain_text("亿元")
    year_figure = page.get_by_test_id("kpi-tax_total").locator(".kpi__value").inner_text()
    page.get_by_test_id("period-kind").get_by_text("季度").click()
    page.wait_for_url("**period=*-Q1*")
    expect(page.locator(".page-header__desc")).to_contain_text("第一季度")
    expect(page.get_by_test_id("kpi-tax_total").locator(".kpi__value")).not_to_have_text(year_figure)
    page.get_by_test_id("period-kind").get_by_text("月度").click()
    page.wait_for_url("**period=*-01*")
    expect(page.locator(".page-header__desc")).to_contain_text("年1月")
    assert page.errors == []


def test_a_theme_slice_opens_the_theme_buildings(open_page, leader):
    page = signed_in(open_page, leader)
    chart = page.get_by_test_id("theme-chart")
    expect(chart.locator("svg")).to_be_visible()
    chart.scroll_into_view_if_needed()
    # A point on the edge of the largest slice (drawn in the first colour; the legend's mark of
    # the same colour is smaller), in the viewport's coordinates.
    box = chart.evaluate(
        """e => {
            const area = (p) => { const r = p.getBoundingClientRect(); return r.width * r.height }
            const slice = [...e.querySelectorAll('path[fill="#1f4e8c"]')].sort((a, b) => area(b) - area(a))[0]
            const pt = slice.getPointAtLength(slice.getTotalLength() * 0.15)
            const m = slice.getScreenCTM()
            return { x: pt.x * m.a + pt.y * m.c + m.e, y: pt.x * m.b + pt.y * m.d + m.f }
        }"""
    )
    page.mouse.click(box["x"], box["y"])
    page.wait_for_url("**/dashboard/themes/**")
    expect(page.locator("h1")).to_contain_text("主题楼宇")
    expect(page.get_by_test_id("street-kpis")).to_contain_text("全口径税收")
    ranking = page.get_by_test_id("street-buildings")
    expect(ranking.locator("a").first).to_be_visible()
    # Only the theme's buildings: as many rows as the theme's building count.
    count = int(page.get_by_test_id("kpi-buildings").locator(".kpi__value").inner_text().rstrip("栋"))
    expect(ranking.locator("tbody tr")).to_have_count(count)
    screenshot(page, "cockpit-theme")
    assert page.errors == []


def test_a_street_user_sees_only_its_street(open_page, street_user):
    page = signed_in(open_page, street_user)
    expect(page.locator("h1")).to_have_text("驾驶舱")
    expect(page.get_by_test_id("kpi-tax_total")).to_contain_text("元")
    expect(page.locator(".page-header__desc")).to_contain_text("积玉桥街道楼宇经济运行情况")
    links = page.get_by_test_id("street-breakdown").locator("tbody a")
    expect(links).to_have_count(1)
    expect(links.first).to_have_text("积玉桥街道")
    # Its own buildings' bars instead of one street bar; a bar opens the building's figures.
    expect(page.get_by_text("本街道楼宇全口径税收")).to_be_visible()
    expect(page.get_by_test_id("street-chart").locator("svg")).to_contain_text("中交大厦")
    rows = page.get_by_test_id("top-buildings").locator("tbody tr")
    for i in range(rows.count()):
        expect(rows.nth(i)).to_contain_text("积玉桥街道")
    screenshot(page, "cockpit-street-user")
    page.get_by_test_id("street-chart").locator('path[fill="#1f4e8c"]').last.click()
    page.wait_for_url("**/buildings/**tab=tax**")
    expect(page.get_by_test_id("building-tax").get_by_test_id("building-kpis")).to_contain_text("全口径税收")
    assert page.errors == []


def test_cockpit_on_a_phone(open_page, leader):
    page = signed_in(open_page, leader, 375, 667)
    expect(page.get_by_test_id("kpi-tax_total")).to_contain_text("亿元")
    expect(page.get_by_test_id("street-chart").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("top-buildings").locator("li").first).to_be_visible()
    assert no_horizontal_scroll(page), "horizontal scroll on the cockpit at 375 px"
    screenshot(page, "cockpit-phone")
    assert page.errors == []
