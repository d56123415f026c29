"""一企一档 and 线索匹配 in the browser: the enterprise page shows its tax by month and the visit
that met it; a demo lead with needs shows its matched spaces with the reasons."""

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
