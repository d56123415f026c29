"""政策库 → 精准推送 → the 楼长's 待办 → 宣讲已送达 on a visit: the bureau pushes a policy from its
page, the 楼长 finds it in the phone's 待办, ticks the enterprises told on the visit and submits;
the policy page logs the deliveries (by visit, who, which enterprise) and the 待办 item is gone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_tasks_support import api, demo_password, signed_in, token, warm_up

CHIEF = "demo_chief03"
BUREAU = "demo_bureau"
TITLE = "（示例）浏览器测试：武昌区楼宇企业普惠政策"


@pytest.fixture(scope="module")
def password(product) -> str:
    password = demo_password(product)
    warm_up(product, password, ("/api/tasks/policies", "/api/tasks/inbox", "/api/registry/buildings"))
    return password


@pytest.fixture(scope="module")
def policy(product, password) -> dict:
    """A 普惠 policy (fits every enterprise), so the demo chief's building is among the matches."""
    with api(product, token(product, BUREAU, password)) as http:
        made = http.post(
            "/api/tasks/policies",
            json={"title": TITLE, "issuer": "武昌区商务局", "level": "district", "benefit": "（示例）测试用政策"},
        )
        assert made.status_code == 201, made.text
        return made.json()


def test_a_pushed_policy_reaches_the_chief_and_is_delivered_on_a_visit(open_page, product, password, policy):
    desk = signed_in(open_page, BUREAU, password, path=f"/policies/{policy['id']}")
    expect(desk.locator("h1")).to_contain_text(TITLE, timeout=15_000)
    expect(desk.get_by_test_id("match-table")).to_be_visible(timeout=30_000)
    expect(desk.get_by_test_id("match-table")).to_contain_text("普惠政策")
    desk.get_by_test_id("push-policy").click()
    expect(desk.get_by_test_id("push-table")).to_be_visible(timeout=30_000)
    screenshot(desk, "policy-pushed")

    phone = signed_in(open_page, CHIEF, password, width=375, height=667, path="/m/inbox")
    items = phone.get_by_test_id("m-inbox")
    expect(items).to_contain_text(TITLE, timeout=15_000)
    screenshot(phone, "policy-chief-inbox")
    items.get_by_test_id("m-inbox-item").filter(has_text=TITLE).first.click()
    expect(phone).to_have_url(re.compile(r"/m/visit/[^/]+$"))
    section = phone.get_by_test_id("visit-policies")
    expect(section).to_contain_text(TITLE)
    boxes = phone.locator(f"[data-testid^='deliver-{policy['id']}-']")
    count = boxes.count()
    assert count >= 1
    for i in range(count):
        boxes.nth(i).check()
    screenshot(phone, "policy-visit-delivered")
    phone.get_by_test_id("submit-visit").click()
    expect(phone.get_by_test_id("toast")).to_contain_text("走访记录已提交")

    # The delivery log on the policy page: by visit, by the 楼长; the chief's 待办 no longer has it.
    desk.goto(f"/policies/{policy['id']}")
    log = desk.get_by_test_id("delivery-table")
    expect(log).to_be_visible(timeout=30_000)
    expect(log).to_contain_text("走访送达")
    expect(log).to_contain_text(CHIEF)
    with api(product, token(product, CHIEF, password)) as http:
        inbox = http.get("/api/tasks/inbox").json()["items"]
        assert not [i for i in inbox if i["kind"] == "policy" and TITLE in i["title"]]
    assert phone.errors == []
    assert desk.errors == []
