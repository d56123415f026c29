"""One building, one set of figures (#13 item 2), in the browser: the leader reads a demo
building's 统计日期, 入驻率, 入驻面积, 空置面积 and 在楼企业 from its page header, from its 税收指标
tab and from its popup on the map — the three read the same text, for the same date, and it is
what registry's building answer says."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from tests.browser.test_map import LEADER, map_answer
from tests.browser.test_signin import sign_in
from tests.browser.test_tasks_support import demo_password

KEYS = ("on", "rate", "occupied", "vacant", "tenants")


def figures_in(page: Page, scope: str) -> dict[str, str]:
    box = page.locator(f"{scope} [data-testid=building-figures]")
    expect(box).to_be_visible(timeout=20_000)
    return {key: box.locator(f"[data-figure={key}] dd").inner_text().strip() for key in KEYS}


def popup_figures(page: Page) -> dict[str, str]:
    popup = page.locator(".leaflet-popup-content dl")
    expect(popup).to_be_visible()
    terms = [t.strip() for t in popup.locator("dt").all_inner_texts()]
    values = [v.strip() for v in popup.locator("dd").all_inner_texts()]
    pairs = dict(zip(terms, values, strict=True))
    labels = {"on": "统计日期", "rate": "入驻率", "occupied": "入驻面积", "vacant": "空置面积", "tenants": "在楼企业"}
    return {key: pairs[label] for key, label in labels.items()}


def registry_figures(product, password: str, code: str) -> dict:  # type: ignore[no-untyped-def]
    with httpx.Client(base_url=product.url, timeout=30) as http:
        form = {"grant_type": "password", "username": LEADER, "password": password}
        token = http.post("/api/auth/token", data=form).json()["access_token"]
        resp = http.get(f"/api/registry/buildings/{code}", headers={"Authorization": f"Bearer {token}"})
        assert resp.status_code == 200, resp.text
        return resp.json()["figures"]


def test_header_tax_tab_and_map_popup_show_the_same_figures(open_page, product):
    password = demo_password(product)
    body = map_answer(product, password)
    # A building with tenants and figures (not 在建, not 未填报), placed on the map.
    building = next(b for b in body["buildings"] if b["figures_status"] == "reported" and b["tenants"])
    code, name = building["code"], building["name"]
    expected = registry_figures(product, password, code)

    page = open_page(1440, 900)
    sign_in(page, LEADER, password)
    expect(page.get_by_test_id("current-user")).to_be_visible(timeout=30_000)
    page.goto("/map")
    expect(page.locator(".leaflet-container")).to_be_visible(timeout=30_000)
    row = page.locator(f"[data-testid=map-table] tbody tr[data-code='{code}']")
    expect(row).to_be_visible(timeout=30_000)
    row.get_by_role("button", name=re.compile("定位")).click()
    expect(page.locator(".leaflet-popup-content .map-popup__title", has_text=name)).to_be_visible(timeout=15_000)
    on_map = popup_figures(page)

    page.goto(f"/buildings/{code}")
    expect(page.locator("h1")).to_have_text(name, timeout=30_000)
    header = figures_in(page, "[data-testid=vacancy-summary]")

    page.get_by_role("tab", name="税收指标").click()
    tax_tab = figures_in(page, "[data-testid=building-tax]")

    assert header == tax_tab == on_map, (header, tax_tab, on_map)
    # …and they are registry's figures of that date, written out.
    year, month, day = (int(x) for x in expected["on"].split("-"))
    assert header["on"] == f"{year}年{month}月{day}日"
    assert header["tenants"] == f"{expected['tenant_count']}家"
    assert abs(float(header["rate"].rstrip("%")) - expected["occupancy_rate"] * 100) <= 0.05
    assert page.errors == []
