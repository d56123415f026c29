"""一企一档 and 线索匹配 in the browser: the enterprise page shows its tax by month and the visit
that met it, its 申报与兑现 and the events it was invited to; a demo lead with needs shows its
matched spaces with the reasons."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_tasks_support import api, demo_password, signed_in, token, warm_up

BUREAU = "demo_bureau"
CHIEF = "demo_chief03"  # 楼长 of 中交大厦 in 积玉桥街道


@pytest.fixture(scope="module")
def password(product) -> str:
    password = demo_password(product)
    warm_up(product, password, ("/api/tasks/leads", "/api/registry/spaces/available"))
    return password


@pytest.fixture(scope="module")
def visited_taxpayer(product, password) -> dict:
    """A taxpaying tenant of the 楼长's building, met on a visit recorded now."""
    with (
        api(product, token(product, CHIEF, password)) as chief,
        api(product, token(product, BUREAU, password)) as bureau,
    ):
        building = chief.get("/api/registry/buildings").json()["items"][0]
        tenants = chief.get(f"/api/registry/buildings/{building['code']}/tenants").json()
        taxpayer = None
        for tenant in tenants:
            figures = bureau.get(f"/api/metrics/enterprises/{tenant['credit_code']}/figures")
            if figures.status_code == 200 and figures.json()["ytd"]["tax_total"]:
                taxpayer = {"credit_code": tenant["credit_code"], "name": tenant["enterprise_name"]}
                break
        if taxpayer is None:
            pytest.skip(f"no tenant of the demo building {building['name']} has tax figures")
        visit = chief.post(
            "/api/tasks/visits",
            json={
                "building_code": building["code"],
                "notes": "浏览器测试：走访在楼企业",
                "tenants": [
                    {"move": "present", "enterprise_name": taxpayer["name"], "credit_code": taxpayer["credit_code"]}
                ],
            },
        )
        assert visit.status_code == 201, visit.text
        return {"building": building, "enterprise": taxpayer}


def test_enterprise_page_shows_tax_history_and_visits(open_page, password, visited_taxpayer):
    enterprise, building = visited_taxpayer["enterprise"], visited_taxpayer["building"]
    page = signed_in(open_page, BUREAU, password, path=f"/enterprises/{enterprise['credit_code']}")
    expect(page.locator("h1")).to_have_text(enterprise["name"])
    months = page.get_by_test_id("enterprise-tax-months")
    expect(months).to_be_visible(timeout=20_000)
    expect(months).to_contain_text("1月")
    expect(months).to_contain_text("万元")
    expect(page.get_by_test_id("enterprise-tax")).to_contain_text("同比")
    visits = page.get_by_test_id("enterprise-visits")
    expect(visits).to_contain_text(building["name"])
    expect(visits).to_contain_text("在楼")
    # Tags in Chinese, never their codes.
    body = page.locator("main").inner_text()
    assert "global500" not in body and "china500" not in body
    screenshot(page, "enterprise-record")
    assert page.errors == []


def test_a_lead_shows_its_matched_spaces_with_reasons(open_page, password, product):
    with api(product, token(product, BUREAU, password)) as bureau:
        leads = bureau.get("/api/tasks/leads", params={"q": "演示", "page_size": 50}).json()["items"]
        with_matches = [x for x in leads if bureau.get(f"/api/tasks/leads/{x['id']}/matches").json()["items"]]
    assert with_matches, "no demo lead matches a demo space"
    lead = with_matches[0]
    page = signed_in(open_page, BUREAU, password, path=f"/leads/{lead['id']}")
    expect(page.locator("h1")).to_have_text(lead["company_name"])
    panel = page.get_by_test_id("lead-matches")
    expect(panel.locator("tbody tr").first).to_be_visible(timeout=20_000)
    for reason in ("面积契合", "可用日期", "楼宇主题契合", "租金"):
        expect(panel.locator("tbody tr").first).to_contain_text(reason)
    screenshot(page, "lead-matches")
    assert page.errors == []


@pytest.fixture(scope="module")
def paid_and_invited(product, password) -> dict:
    """A demo enterprise with a demo policy application, invited now to a 银企对接 recorded for it."""
    with api(product, token(product, BUREAU, password)) as bureau:
        apps = bureau.get("/api/tasks/policy-applications", params={"status": "paid", "page_size": 50}).json()
        application = next((a for a in apps["items"] if a["amount_granted"]), None)
        assert application, "no paid demo policy application"
        event = bureau.post(
            "/api/tasks/events",
            json={
                "kind": "bank_enterprise",
                "title": "浏览器测试：银企对接会",
                "event_date": "2025-06-18",
                "place": "区政务中心会议室",
                "units": ["swj"],
                "attendance": 36,
                "invitees": [
                    {
                        "category": "enterprise",
                        "name": application["enterprise_name"],
                        "credit_code": application["credit_code"],
                    }
                ],
            },
        )
        assert event.status_code == 201, event.text
        return application


def test_enterprise_page_shows_applications_and_events(open_page, password, paid_and_invited):
    application = paid_and_invited
    page = signed_in(open_page, BUREAU, password, path=f"/enterprises/{application['credit_code']}")
    expect(page.get_by_text(application["credit_code"]).first).to_be_visible(timeout=20_000)
    section = page.get_by_test_id("enterprise-policy")
    for title in ("政策匹配", "申报与兑现", "政策送达", "参加活动", "共享中心经历"):
        expect(section.get_by_role("heading", name=title)).to_be_visible(timeout=20_000)
    applications = page.get_by_test_id("enterprise-applications")
    expect(applications).to_contain_text(application["policy_title"])
    expect(applications).to_contain_text("已兑现")
    expect(applications).to_contain_text("元")
    events = page.get_by_test_id("enterprise-events")
    expect(events).to_contain_text("浏览器测试：银企对接会")
    expect(events).to_contain_text("银企对接")
    expect(events).to_contain_text("2025年6月18日")
    expect(events).to_contain_text("参加 36 人")
    text = section.inner_text()
    assert "bank_enterprise" not in text and "paid" not in text
    screenshot(page, "enterprise-policies-events")
    assert page.errors == []
