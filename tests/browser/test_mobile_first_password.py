"""A new 楼长, made by the administrator, on a 375×667 phone: signs in, sets a new password
inside /m (the policy ticked off as it is typed), records a visit — never through a desktop
page, never wider than the screen. And 整层 on the phone: one tap marks a whole floor, 撤销
puts it back."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_mobile_visit import PHONE, password  # noqa: F401  (the module fixture)
from tests.browser.test_signin import no_horizontal_scroll
from tests.browser.test_tasks_support import api, token
from tests.stack import ADMIN_PASSWORD

NEW_CHIEF = "louzhang_xin"
INITIAL = "Chushi-Mima-2026"
CHOSEN = "Saolou#Wuchang9"


def _building_with_a_floor(product, password: str) -> dict:  # noqa: F811
    """A building with a floor of at least two units in use, handed to the new 楼长."""
    with api(product, token(product, "demo_bureau", password)) as http:
        for b in http.get("/api/registry/buildings", params={"page_size": 100}).json()["items"]:
            spaces = http.get(f"/api/registry/buildings/{b['code']}/spaces").json()
            floors: dict[int, list] = {}
            for s in spaces:
                floors.setdefault(s["floor"], []).append(s)
            for floor, units in sorted(floors.items()):
                if len(units) >= 2 and all(u["status"] != "vacant" for u in units):
                    return {**b, "floor": floor, "units": units}
    raise AssertionError("no demo building has a floor of two units in use")


def test_a_new_chief_sets_the_password_and_visits_on_the_phone(open_page, product, password):  # noqa: F811
    building = _building_with_a_floor(product, password)
    with httpx.Client(base_url=product.url, timeout=20) as http:
        admin = http.post(
            "/api/auth/token", data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD}
        ).json()["access_token"]
        made = http.post(
            "/api/auth/users",
            json={
                "username": NEW_CHIEF,
                "display_name": "新楼长",
                "password": INITIAL,
                "roles": ["chief"],
                "street_codes": [building["street_code"]],
            },
            headers={"Authorization": f"Bearer {admin}"},
        )
        assert made.status_code == 201, made.text
    with api(product, token(product, "demo_bureau", password)) as http:
        current = http.get(f"/api/registry/buildings/{building['code']}")
        handed = http.patch(
            f"/api/registry/buildings/{building['code']}",
            json={"chief_username": NEW_CHIEF},
            headers={"If-Match": current.headers["ETag"]},
        )
        assert handed.status_code == 200, handed.text

    page = open_page(**PHONE)
    refused: list[str] = []
    page.on("response", lambda r: r.status >= 400 and refused.append(f"{r.status} {r.request.method} {r.url}"))
    page.goto("/login")
    page.get_by_label("用户名").fill(NEW_CHIEF)
    page.get_by_label("密码").fill(INITIAL)
    page.get_by_role("button", name="登录").click()
    # A 楼长 on a phone lands on the phone pages, which ask for a new password first.
    page.wait_for_url("**/m")
    form = page.get_by_test_id("m-password-form")
    expect(form).to_be_visible()
    expect(page.locator(".m-tabs")).to_have_count(0)
    expect(page.locator(".shell-aside")).to_have_count(0)
    expect(page.get_by_test_id("change-password-dialog")).to_have_count(0)
    assert no_horizontal_scroll(page)

    form.get_by_label("初始密码").fill(INITIAL)
    new = form.get_by_label("新密码", exact=True)
    new.fill("short")
    rules = page.get_by_test_id("m-password-rules")
    expect(rules.locator("li[data-ok='false']").first).to_be_visible()
    new.fill(CHOSEN)
    form.get_by_label("再次输入新密码").fill(CHOSEN)
    expect(rules.locator("li[data-ok='false']")).to_have_count(0)
    screenshot(page, "mobile-first-password")
    assert no_horizontal_scroll(page)
    page.get_by_test_id("m-password-submit").click()

    expect(page.get_by_test_id("my-buildings")).to_contain_text(building["name"], timeout=15_000)
    expect(page.locator(".m-header__title")).to_have_text("我的楼宇")
    assert no_horizontal_scroll(page)

    # A visit: 整层空置 on a floor, 撤销, then one unit marked vacant and submitted.
    page.get_by_test_id(f"start-visit-{building['code']}").click()
    expect(page.get_by_test_id("visit-building")).to_have_text(building["name"])
    floor = building["floor"]
    whole = page.get_by_test_id(f"floor-vacant-{floor}")
    box = whole.bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 140
    whole.click()
    units = [page.get_by_test_id(f"space-toggle-{u['id']}") for u in building["units"]]
    for unit in units:
        expect(unit).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("undo-bar")).to_be_visible()
    screenshot(page, "mobile-floor-undo")
    page.get_by_test_id("undo-floor").click()
    for unit in units:
        expect(unit).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_test_id("undo-bar")).to_have_count(0)

    units[0].click()
    expect(units[0]).to_have_attribute("aria-pressed", "true")
    assert no_horizontal_scroll(page)
    page.get_by_test_id("submit-visit").click()
    expect(page.get_by_test_id("toast")).to_contain_text("走访记录已提交")
    page.wait_for_url("**/m")

    with api(product, token(product, NEW_CHIEF, CHOSEN)) as http:
        visits = http.get("/api/tasks/visits", params={"building": building["code"]}).json()["items"]
        assert visits, "the visit was not recorded"
    assert refused == [] and page.errors == []
