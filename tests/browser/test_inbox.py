"""待办 in the browser: a department signs in, sees its 待办 badge, answers a 督办 from the
inbox and the badge goes down; a 楼长 sees a visit due in a current round in the phone's 待办."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_signin import no_horizontal_scroll
from tests.browser.test_tasks_support import api, demo_password, signed_in, token, warm_up

BUREAU = "demo_bureau"
DEPT = "demo_dept"  # 区发改局 (fgj)
CHIEF = "demo_chief03"  # 楼长 of a building in 积玉桥街道
ROUND = "待办测试扫楼轮次"


@pytest.fixture(scope="module")
def password(product) -> str:
    password = demo_password(product)
    warm_up(product, password, ("/api/tasks/units", "/api/tasks/inbox", "/api/tasks/visit-rounds"))
    return password


@pytest.fixture(scope="module")
def notice_to_fgj(product, password) -> None:
    """An open 督办 to 区发改局 on a late task of theirs (issued by the bureau unless there is one)."""
    with api(product, token(product, BUREAU, password)) as bureau, api(product, token(product, DEPT, password)) as dept:
        if dept.get("/api/tasks/supervision/notices", params={"status": "open"}).json()["items"]:
            return
        mine = dept.get("/api/tasks/tasks/mine", params={"page_size": 100}).json()["items"]
        late = [t for t in mine if t["light"] in ("red", "yellow") and t["kind"] != "section"]
        if not late:
            pytest.skip("the demo plan has no late task of 区发改局 today")
        issued = bureau.post("/api/tasks/supervision/notices", json={"task_id": late[0]["id"], "unit_code": "fgj"})
        assert issued.status_code == 201, issued.text


def test_department_answers_a_notice_from_its_inbox_and_the_badge_goes_down(
    open_page, password, product, notice_to_fgj
):
    with api(product, token(product, DEPT, password)) as dept:
        before = dept.get("/api/tasks/inbox/count").json()["total"]
    assert before >= 1
    page = signed_in(open_page, DEPT, password)
    page.errors.clear()
    expect(page.get_by_test_id("inbox-count")).to_have_text(str(before))
    # The home page starts with the 待办 panel.
    expect(page.get_by_test_id("inbox-panel")).to_contain_text("回复")

    page.get_by_test_id("inbox-badge").click()
    expect(page.locator("h1")).to_have_text("待办")
    expect(page.get_by_test_id("inbox-counts")).to_contain_text("督办")
    screenshot(page, "inbox-department")
    page.get_by_test_id("inbox-list").get_by_role("link", name="回复").first.click()

    expect(page.locator("h1")).to_have_text("督办")
    card = page.get_by_test_id("notice-list").locator("li.notice").first
    card.get_by_role("button", name="回复").click()
    card.get_by_test_id("notice-text").fill("已召开专题会研究，明确责任人和时间表，本月底前完成。")
    card.get_by_test_id("notice-submit").click()
    if before > 1:
        expect(page.get_by_test_id("inbox-count")).to_have_text(str(before - 1))
    else:
        expect(page.get_by_test_id("inbox-count")).to_be_hidden()
    with api(product, token(product, DEPT, password)) as dept:
        assert dept.get("/api/tasks/inbox/count").json()["total"] == before - 1
    assert page.errors == []
    # On a phone-sized screen the header keeps its 待办 badge and the page does not scroll sideways.
    phone = signed_in(open_page, DEPT, password, width=375, height=667, path="/inbox")
    expect(phone.get_by_test_id("inbox-badge")).to_be_visible()
    expect(phone.locator("h1")).to_have_text("待办")
    assert no_horizontal_scroll(phone)


def test_chief_sees_a_due_visit_in_the_phone_inbox(open_page, password, product):
    today = datetime.now(timezone(timedelta(hours=8))).date()
    with api(product, token(product, BUREAU, password)) as bureau:
        rounds = bureau.get("/api/tasks/visit-rounds", params={"page_size": 100}).json()["items"]
        if not any(r["name"] == ROUND for r in rounds):
            made = bureau.post(
                "/api/tasks/visit-rounds",
                json={
                    "name": ROUND,
                    "start_date": (today - timedelta(days=3)).isoformat(),
                    "end_date": (today + timedelta(days=27)).isoformat(),
                    "street_codes": ["420106001"],
                },
            )
            assert made.status_code == 201, made.text
    page = signed_in(open_page, CHIEF, password, width=375, height=667, path="/m/inbox")
    page.errors.clear()
    expect(page.locator("h1")).to_have_text("待办")
    items = page.get_by_test_id("m-inbox")
    expect(items).to_contain_text(f"（{ROUND}）")
    expect(items).to_contain_text("走访")
    expect(page.get_by_test_id("m-inbox-badge")).to_be_visible()
    screenshot(page, "inbox-chief-phone")
    # The phone's home page starts with the 待办 too.
    page.get_by_test_id("m-tab-buildings").click()
    expect(page.get_by_test_id("m-todo-hint")).to_contain_text("待办")
    page.get_by_test_id("m-tab-inbox").click()
    items.get_by_test_id("m-inbox-item").filter(has_text=ROUND).first.click()
    expect(page).to_have_url(re.compile(r"/m/visit/[^/]+$"))
    assert page.errors == []
