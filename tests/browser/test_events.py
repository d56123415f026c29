"""楼宇活动 and 党建 in the browser: the 区商务局 records an event with invitees (an enterprise and
a 人大代表) and an outcome (a lead), sees it on the month calendar and opens it there; the
cockpit shows the 党建 panel (buildings with a party organisation, 一楼四员 filled rate)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_tasks_field_work import pick, server_errors
from tests.browser.test_tasks_support import api, demo_password, signed_in, token, warm_up

BUREAU = "demo_bureau"
LEAD = "武汉活动对接测试科技有限公司"
TITLE = "浏览器测试政企座谈会"
CHINESE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


@pytest.fixture(scope="module")
def password(product) -> str:
    password = demo_password(product)
    warm_up(product, password, ("/api/tasks/units", "/api/tasks/events/calendar", "/api/tasks/leads"))
    return password


@pytest.fixture(scope="module")
def lead(product, password) -> dict:
    """A lead found at the event (recorded by the bureau before the event is entered)."""
    with api(product, token(product, BUREAU, password)) as bureau:
        resp = bureau.post("/api/tasks/leads", json={"company_name": LEAD, "industry": "I 信息技术"})
        assert resp.status_code == 201, resp.text
        return resp.json()


def test_an_event_with_invitees_and_an_outcome_is_on_the_calendar(open_page, password, product, lead):
    desk = signed_in(open_page, BUREAU, password, path="/events")
    expect(desk.locator("h1")).to_have_text("楼宇活动")
    expect(desk.get_by_test_id("event-calendar")).to_be_visible()
    desk.errors.clear()
    bad = server_errors(desk)

    desk.get_by_test_id("record-event").click()
    form = desk.get_by_test_id("event-form")
    expect(form).to_be_visible()
    form.get_by_label("活动名称").fill(TITLE)
    form.locator(".el-radio", has_text="其他地点").click()
    form.get_by_label("地点", exact=True).fill("区政务服务中心三楼会议室")
    pick(desk, form.locator(".el-form-item", has_text="组织单位").locator(".el-select"), "区商务局")
    desk.keyboard.press("Escape")  # a multiple select stays open after a pick
    rows = form.get_by_test_id("invitee-row")
    rows.nth(0).get_by_placeholder("企业名称或姓名").fill("武汉楼宇测试企业有限公司")
    form.get_by_test_id("add-invitee").click()
    pick(desk, rows.nth(1).locator(".el-select"), "人大代表")
    rows.nth(1).get_by_placeholder("企业名称或姓名").fill("王代表")
    pick(desk, form.locator(".el-form-item", has_text="招商线索").locator(".el-select"), LEAD)
    desk.keyboard.press("Escape")
    form.locator(".el-form-item", has_text="实到人数").locator("input").fill("36")
    screenshot(desk, "event-form")
    form.get_by_test_id("save-event").click()

    detail = desk.get_by_test_id("event-detail")
    expect(detail).to_contain_text(TITLE)
    expect(detail.get_by_test_id("event-invitees")).to_contain_text("人大代表：王代表")
    expect(detail.get_by_test_id("event-invitees")).to_contain_text("企业：武汉楼宇测试企业有限公司")
    expect(detail.get_by_test_id("event-outcomes")).to_contain_text(f"招商线索：{LEAD}")
    expect(detail.get_by_test_id("event-date")).to_have_text(CHINESE_DATE)
    screenshot(desk, "event-detail")
    desk.keyboard.press("Escape")

    chip = desk.get_by_test_id("event-calendar").get_by_test_id("calendar-event").filter(has_text=TITLE)
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text("政企座谈会")
    chip.click()
    expect(desk.get_by_test_id("event-detail")).to_contain_text("区商务局")
    expect(desk.get_by_test_id("event-stats")).to_contain_text("政企座谈会")
    assert bad == [] and desk.errors == []


def test_the_cockpit_shows_the_party_panel(open_page, password):
    page = signed_in(open_page, BUREAU, password)
    panel = page.get_by_test_id("party-panel")
    expect(panel).to_contain_text("建有党组织的楼宇")
    expect(panel.get_by_test_id("party-with-organisation")).to_have_text(re.compile(r"^\d+ 栋$"))
    expect(panel.get_by_test_id("party-posts-rate")).to_have_text(re.compile(r"^\d+(\.\d)?%$"))
    screenshot(page, "cockpit-party")
