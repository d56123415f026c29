"""One design (#7): a building's page and a 工作简报 on paper (print media: no application
around them, the title and the date of printing on top, the content whole); the cockpit on a
1920×1080 meeting-room screen (large figures, one data call, no horizontal scroll); and the
way dates and money read on the pages (2025年3月8日, 万元/亿元; never a raw ISO date)."""

from __future__ import annotations

import re
import time

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.test_signin import no_horizontal_scroll, sign_in
from tests.browser.test_tasks_support import demo_password, warm_up
from tests.stack import RunningProduct

DAY = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
MONTH = re.compile(r"\d{4}年\d{1,2}月")
MONEY = re.compile(r"\d[\d,]*(\.\d+)?(万元|亿元)")
# What a page must never show: a date or a moment as the API writes it.
RAW_DATE = re.compile(r"\b(19|20)\d\d-\d\d-\d\d(T[\d:.]+)?\b")
RAW_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")

# Parts of the application that must not be printed.
SHELL = (".shell-header", ".shell-aside", ".shell-header__search")


@pytest.fixture(scope="module")
def password(product: RunningProduct) -> str:
    password = demo_password(product)
    warm_up(product, password, ("/api/tasks/units", "/api/tasks/bulletins"))
    return password


def api(product: RunningProduct, username: str, password: str) -> httpx.Client:
    with httpx.Client(base_url=product.url, timeout=30) as http:
        answer = http.post(
            "/api/auth/token", data={"grant_type": "password", "username": username, "password": password}
        )
        assert answer.status_code == 200, answer.text
    return httpx.Client(
        base_url=product.url, timeout=60, headers={"Authorization": f"Bearer {answer.json()['access_token']}"}
    )


@pytest.fixture(scope="module")
def building(product: RunningProduct, password: str) -> dict:
    """A demo building with tenants (for the tenants list and their tax)."""
    with api(product, "demo_bureau", password) as http:
        items = http.get("/api/registry/buildings", params={"page_size": 50}).json()["items"]
    with_tenants = [b for b in items if (b.get("tenant_count") or 0) > 0]
    assert with_tenants, "the demo data has no building with tenants"
    return with_tenants[0]


@pytest.fixture(scope="module")
def bulletin(product: RunningProduct, password: str) -> dict:
    """An issued 工作简报 (the bureau issues one for June 2025 unless one is there)."""
    with api(product, "demo_bureau", password) as http:
        existing = http.get("/api/tasks/bulletins", params={"page_size": 50}).json()["items"]
        if existing:
            return existing[0]
        made = http.post("/api/tasks/bulletins", json={"period": "2025-06"})
        assert made.status_code == 201, made.text
        return made.json()


def signed_in(open_page, username: str, password: str, width: int = 1280, height: int = 800) -> Page:
    page = open_page(width, height)
    sign_in(page, username, password)
    expect(page.get_by_test_id("current-user")).to_be_visible()
    return page


def assert_printed_like_paper(page: Page, name: str) -> None:
    """In print media: no header, side menu, search box or buttons; the title and the date of printing on top."""
    page.emulate_media(media="print")
    for selector in SHELL:
        for el in page.locator(selector).all():
            expect(el).to_be_hidden()
    buttons = page.locator("main .el-button")
    for i in range(buttons.count()):
        expect(buttons.nth(i)).to_be_hidden()
    for el in page.locator("main .filter-bar, main .el-pagination, main .el-tabs__header").all():
        expect(el).to_be_hidden()
    expect(page.locator("h1.page-header__title")).to_be_visible()
    printed = page.get_by_test_id("printed-on")
    expect(printed).to_be_visible()
    expect(printed).to_have_text(re.compile(r"^打印日期：\d{4}年\d{1,2}月\d{1,2}日$"))
    # Black text on white paper.
    colours = page.evaluate(
        """() => [getComputedStyle(document.body).backgroundColor,
                  getComputedStyle(document.querySelector('h1.page-header__title')).color]"""
    )
    assert colours == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"], colours
    screenshot(page, f"print-{name}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(ARTIFACTS / f"print-{name}.pdf"), format="A4", print_background=False)
    assert (ARTIFACTS / f"print-{name}.pdf").stat().st_size > 10_000


class TestPrint:
    def test_a_building_page_prints_without_the_application_around_it(self, open_page, password, building):
        page = signed_in(open_page, "demo_bureau", password)
        page.goto(f"/buildings/{building['code']}?tab=tenants")
        expect(page.locator("h1")).to_have_text(building["name"])
        expect(page.get_by_test_id("tenants")).to_be_visible()
        expect(page.get_by_test_id("printed-on")).to_be_hidden()  # only on paper
        screen_rows = page.get_by_test_id("tenants").locator(".el-table__body tr").count()
        assert screen_rows > 0

        assert_printed_like_paper(page, "building-tenants")
        # The tenants list on paper: a plain table whose header row repeats, one row per tenant.
        expect(page.get_by_test_id("tenants")).to_be_hidden()
        paper = page.locator("table.print-table")
        expect(paper).to_be_visible()
        expect(paper.locator("thead th").first).to_have_text("企业")
        assert paper.locator("tbody tr").count() == screen_rows
        styles = page.evaluate(
            """() => { const t = document.querySelector('table.print-table');
                       const row = t.tBodies[0].rows[0];
                       return [getComputedStyle(t.tHead).display, getComputedStyle(row).breakInside] }"""
        )
        assert styles == ["table-header-group", "avoid"], styles
        assert page.errors == []

    def test_the_tax_tab_prints_its_chart_and_figures(self, open_page, password, building):
        page = signed_in(open_page, "demo_bureau", password)
        page.goto(f"/buildings/{building['code']}?tab=tax")
        expect(page.get_by_test_id("building-kpis")).to_be_visible(timeout=30_000)
        expect(page.get_by_test_id("trend-chart").locator("svg")).to_be_visible()
        page.emulate_media(media="print")
        chart = page.get_by_test_id("trend-chart")
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box and box["height"] > 100, box  # scaled to the sheet, not collapsed
        expect(page.get_by_test_id("building-kpis")).to_be_visible()
        assert_printed_like_paper(page, "building-tax")
        assert page.errors == []

    def test_a_bulletin_prints_itself_not_the_page(self, open_page, password, bulletin):
        page = signed_in(open_page, "demo_bureau", password)
        page.goto("/bulletins")
        expect(page.locator("h1.page-header__title")).to_have_text("工作简报")
        page.get_by_test_id("bulletin-list").locator("button", has_text=bulletin["title"]).first.click()
        expect(page.get_by_test_id("bulletin-frame")).to_be_visible()
        expect(page.get_by_test_id("bulletin-print")).to_be_hidden()

        assert_printed_like_paper(page, "bulletin")
        expect(page.get_by_test_id("bulletin-frame")).to_be_hidden()
        expect(page.get_by_test_id("bulletin-list")).to_be_hidden()
        copy = page.get_by_test_id("bulletin-print")
        expect(copy).to_be_visible()
        expect(copy.locator("h1")).to_have_text(bulletin["title"])
        expect(copy.locator(".masthead")).to_have_text("楼宇经济工作简报")
        expect(copy.locator("table").first).to_be_visible()
        assert copy.locator("script").count() == 0
        assert page.errors == []


def wait_for_dashboard(product: RunningProduct, password: str, timeout: float = 120) -> None:
    """The cockpit once metrics has summed the demo figures."""
    deadline = time.monotonic() + timeout
    with api(product, "demo_leader", password) as http:
        while time.monotonic() < deadline:
            answer = http.get("/api/metrics/dashboard")
            if answer.status_code == 200:
                body = answer.json()
                cards = {c["key"]: c for c in body.get("cards", [])}
                if cards.get("tax_total", {}).get("value") and body.get("tax_by_street"):
                    return
            time.sleep(1)
    pytest.fail("the dashboard has no figures")


class TestCockpitOnABigScreen:
    def test_readable_from_across_the_room_with_one_data_call(self, open_page, product, password):
        wait_for_dashboard(product, password)
        page = open_page(1920, 1080)
        calls: list[str] = []
        page.on("request", lambda r: "/api/metrics/dashboard" in r.url and calls.append(r.url))
        sign_in(page, "demo_leader", password)
        expect(page.locator("h1")).to_have_text("驾驶舱")
        cards = page.get_by_test_id("kpi-cards")
        expect(cards.locator(".kpi").first).to_be_visible(timeout=30_000)
        expect(page.get_by_test_id("trend-chart").locator("svg")).to_be_visible()
        page.wait_for_load_state("networkidle")

        sizes = page.evaluate(
            """() => {
              const px = (el) => parseFloat(getComputedStyle(el).fontSize)
              const all = (sel) => [...document.querySelectorAll(sel)]
              const svgText = all('[data-testid="trend-chart"] svg text, [data-testid="kpi-cards"] ~ .grid svg text')
                .map((t) => parseFloat(t.style.fontSize || t.getAttribute('font-size') || getComputedStyle(t).fontSize))
              return {
                values: all('.kpi__value').map(px),
                labels: all('.kpi__label').map(px),
                chart: svgText,
                cardsBottom: document.querySelector('[data-testid="kpi-cards"]').getBoundingClientRect().bottom,
              }
            }"""
        )
        assert sizes["values"] and min(sizes["values"]) >= 32, sizes["values"]
        assert min(sizes["labels"]) >= 16, sizes["labels"]
        assert sizes["chart"] and min(sizes["chart"]) >= 14, sizes["chart"]
        assert sizes["cardsBottom"] <= 1080, "the KPI cards do not fit above the fold"
        assert no_horizontal_scroll(page)
        screenshot(page, "design-cockpit-1920")
        assert len(calls) == 1, calls
        assert page.errors == []

    @pytest.mark.parametrize("size", [(1280, 800), (375, 667)])
    def test_still_fine_on_a_laptop_and_a_phone(self, open_page, product, password, size):
        wait_for_dashboard(product, password)
        page = open_page(*size)
        sign_in(page, "demo_leader", password)
        expect(page.get_by_test_id("kpi-cards").locator(".kpi").first).to_be_visible(timeout=30_000)
        value = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.kpi__value')).fontSize)")
        assert 20 <= value < 32, value
        assert no_horizontal_scroll(page)
        screenshot(page, f"design-cockpit-{size[0]}")
        assert page.errors == []


def main_text(page: Page) -> str:
    return page.locator("main").inner_text()


class TestDatesAndMoney:
    def test_pages_write_dates_and_money_the_chinese_way(self, open_page, product, password, building, bulletin):
        wait_for_dashboard(product, password)
        page = signed_in(open_page, "demo_bureau", password)
        seen: dict[str, str] = {}

        page.goto("/dashboard")
        expect(page.get_by_test_id("kpi-cards").locator(".kpi").first).to_be_visible(timeout=30_000)
        seen["dashboard"] = main_text(page)
        assert MONEY.search(seen["dashboard"]), "no 万元/亿元 on the cockpit"
        assert MONTH.search(seen["dashboard"]), "no 2025年M月 on the cockpit"

        page.goto(f"/buildings/{building['code']}?tab=tenants")
        expect(page.get_by_test_id("tenants")).to_be_visible()
        seen["tenants"] = main_text(page)
        assert DAY.search(seen["tenants"]), "no YYYY年M月D日 in the tenants list"

        page.goto(f"/buildings/{building['code']}?tab=tax")
        expect(page.get_by_test_id("tenant-tax")).to_be_visible(timeout=30_000)
        seen["tax"] = main_text(page)
        assert MONEY.search(seen["tax"]), "no 万元/亿元 in the building's tax"
        assert "元/㎡" in seen["tax"]

        page.goto("/bulletins")
        expect(page.get_by_test_id("bulletin-list")).to_be_visible()
        seen["bulletins"] = main_text(page)
        assert DAY.search(seen["bulletins"]), "no YYYY年M月D日 in the bulletin list"

        page.goto("/demands")
        expect(page.locator("h1")).to_have_text("企业诉求")
        page.wait_for_load_state("networkidle")
        seen["demands"] = main_text(page)

        # 督办 reasons are sentences the tasks service writes ("时限 2025-09-30"): shown the Chinese way.
        page.goto("/supervision?status=all")
        expect(page.locator("h1")).to_have_text("督办")
        page.wait_for_load_state("networkidle")
        seen["supervision"] = main_text(page)

        for name, text in seen.items():
            assert not RAW_MOMENT.search(text), f"{name}: a raw ISO date-time: {RAW_MOMENT.search(text).group(0)}"
            raw = RAW_DATE.search(text)
            assert not raw, f"{name}: a raw ISO date: {raw.group(0)}"
        assert page.errors == []
