"""地图 in the browser (issue #7): with no tile URL configured the leader's map shows the
district outline and one marker per placed building, and the browser requests nothing from any
host but the product's own (every request recorded); the colouring and the street filter work;
screenshots at 1920×1080 and 375×667; no console error, no axe WCAG 2 A/AA violation.

A second product started with ``LOUYU_MAP_TILE_URL`` pointing at a tiny tile server on this
machine shows the other side: the tiles are requested there (and only there), the CSP names
that origin, and the outline and markers are drawn over the tiles."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import axe_violations, keyboard_problems
from tests.browser.conftest import screenshot
from tests.browser.test_signin import no_horizontal_scroll, sign_in
from tests.browser.test_tasks_support import demo_password
from tests.conftest import free_port
from tests.stack import RunningProduct, start_product

LEADER = "demo_leader"
STREET = "420106001"  # 积玉桥街道
MARKERS = ".leaflet-overlay-pane path.leaflet-interactive"
# A 1×1 PNG (transparent).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def map_answer(product: RunningProduct, password: str, timeout: float = 120, **params: str) -> dict:
    """GET /api/metrics/map as the leader once metrics has read the demo buildings and summed
    the demo figures (the first minute after start-up it may still be catching up)."""
    deadline = time.monotonic() + timeout
    body: dict = {}
    with httpx.Client(base_url=product.url, timeout=30) as http:
        form = {"grant_type": "password", "username": LEADER, "password": password}
        token = http.post("/api/auth/token", data=form).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        while time.monotonic() < deadline:
            dashboard = http.get("/api/metrics/dashboard", headers=headers)
            answer = http.get("/api/metrics/map", params=params, headers=headers)
            if dashboard.status_code == 200 and answer.status_code == 200:
                body = answer.json()
                pending = (dashboard.json().get("sync") or {}).get("rollups_pending") or 0
                taxed = any(b["tax_total"] for b in body["buildings"])
                if body["buildings"] and taxed and not pending:
                    return body
            time.sleep(1)
    pytest.fail(f"the map has no buildings with figures after {timeout}s: {body!r:.300}")


def record_requests(page: Page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def foreign(urls: list[str], *allowed_origins: str) -> list[str]:
    """Requests to any origin but the allowed ones (data: and blob: URLs never leave the page)."""
    out = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob"):
            continue
        if f"{parts.scheme}://{parts.netloc}" not in allowed_origins:
            out.append(url)
    return out


def open_map(page: Page, password: str) -> None:
    try:
        sign_in(page, LEADER, password)
        expect(page.get_by_test_id("current-user")).to_be_visible()
    except Exception as exc:
        text = page.evaluate("() => document.body ? document.body.innerText.slice(0, 300) : ''")
        console = getattr(page, "errors", None)
        raise AssertionError(f"sign-in failed at {page.url}: {text!r}; console: {console}") from exc
    page.goto("/map")
    expect(page.locator("h1")).to_have_text("地图")
    expect(page.locator(".leaflet-container")).to_be_visible(timeout=20_000)


def legend_total(page: Page) -> int:
    counts = page.locator("[data-testid=map-legend] .map-legend__count").all_inner_texts()
    return sum(int(re.sub(r"\D", "", text)) for text in counts)


def choose_street(page: Page, label_start: str) -> None:
    page.get_by_test_id("map-street").click()
    page.locator(".el-select-dropdown__item:visible", has_text=label_start).first.click()


def test_map_without_tiles_stays_on_the_product_origin(open_page, product):
    password = demo_password(product)
    body = map_answer(product, password)
    placed = len(body["buildings"])
    assert body["outline"]["approximate"] is True

    page = open_page(1920, 1080)
    requests = record_requests(page)
    open_map(page, password)

    # The outline (one non-interactive path) and one marker per placed building; no tile at all.
    expect(page.locator(MARKERS)).to_have_count(placed, timeout=20_000)
    outline = page.locator(".leaflet-overlay-pane path:not(.leaflet-interactive)")
    expect(outline).to_have_count(len(body["outline"]["features"]))
    assert page.locator(".leaflet-tile, .leaflet-tile-pane img").count() == 0
    expect(page.locator(".map-outline-note")).to_have_text("示意边界（近似，非标准地图）")
    expect(page.get_by_test_id("map-summary")).to_contain_text(f"图上 {placed} 栋")
    expect(page.locator("[data-testid=map-table] tbody tr")).to_have_count(placed)
    assert legend_total(page) == placed
    expect(page.locator("[data-testid=map-legend] li", has_text="1亿–10亿元").first).to_be_visible()
    screenshot(page, "map-leader-1920x1080")
    # Every control (zoom, filters, the table's links and 定位 buttons) reachable by Tab, focus visible.
    assert keyboard_problems(page) == []

    # A marker: tooltip on hover (name and figure), popup on click with the figures and a link.
    first = page.locator(MARKERS).first
    first.hover()
    expect(page.locator(".leaflet-tooltip")).to_contain_text("税收")
    first.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("全口径税收")
    expect(popup).to_contain_text("空置面积")
    expect(popup.get_by_role("link", name="查看楼宇档案")).to_have_attribute("href", re.compile(r"^/buildings/"))

    # Colouring modes: the legend follows and still counts every marker.
    for mode, entry in (("空置率", "30%及以上"), ("特色主题", None), ("税收层级", "10亿元及以上")):
        page.get_by_test_id("map-mode").get_by_text(mode, exact=True).click()
        expect(page.locator("#map-legend-title")).to_have_text(f"图例：{mode}")
        if entry:
            expect(page.locator("[data-testid=map-legend] li", has_text=entry)).to_have_count(1)
        assert legend_total(page) == placed
        expect(page.locator(MARKERS)).to_have_count(placed)
    page.get_by_test_id("map-mode").get_by_text("特色主题", exact=True).click()
    screenshot(page, "map-leader-themes-1920x1080")

    # A street: its buildings only (as the API says), in the address too.
    in_street = [b for b in body["buildings"] if b["street_code"] == STREET]
    choose_street(page, "积玉桥街道")
    page.wait_for_url(re.compile(rf"street={STREET}"))
    expect(page.locator(MARKERS)).to_have_count(len(in_street), timeout=20_000)
    expect(page.locator("[data-testid=map-table] tbody tr")).to_have_count(len(in_street))
    streets = page.locator("[data-testid=map-table] tbody td.map-table__street").all_inner_texts()
    assert {t.strip() for t in streets} == {"积玉桥街道"}
    # 定位 from the table opens that building's popup on the map.
    name = page.locator("[data-testid=map-table] tbody tr").first.locator("a").inner_text()
    page.locator("[data-testid=map-table] tbody tr").first.get_by_role("button", name=re.compile("定位")).click()
    expect(page.locator(".leaflet-popup-content .map-popup__title", has_text=name)).to_be_visible()
    # The building opened before the filter is no longer shown: its popup has gone (after Leaflet's fade).
    expect(page.locator(".leaflet-popup")).to_have_count(1)
    screenshot(page, "map-leader-street-1920x1080")

    assert axe_violations(page) == []
    assert page.errors == []
    origin = product.url
    assert foreign(requests, origin) == [], "requests outside the product with no tile URL configured"
    assert any("/api/metrics/map" in url for url in requests)


def test_map_on_a_phone(open_page, product):
    password = demo_password(product)
    placed = len(map_answer(product, password)["buildings"])
    page = open_page(375, 667)
    requests = record_requests(page)
    open_map(page, password)
    expect(page.locator(MARKERS)).to_have_count(placed, timeout=20_000)
    assert no_horizontal_scroll(page)
    screenshot(page, "map-leader-375x667")
    assert page.errors == []
    assert foreign(requests, product.url) == []


class TileServer:
    """Answers every GET with a 1×1 PNG and remembers the paths asked for."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        paths = self.paths

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(PNG)))
                self.end_headers()
                self.wfile.write(PNG)

            def log_message(self, *args: object) -> None:
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def tiles() -> Iterator[TileServer]:
    server = TileServer()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def tiled_product(tmp_path_factory, tiles) -> Iterator[RunningProduct]:
    running = start_product(
        tmp_path_factory.mktemp("map-tiles") / "var",
        extra_env={
            "LOUYU_MAP_TILE_URL": f"{tiles.origin}/base/{{z}}/{{x}}/{{y}}.png",
            "LOUYU_MAP_LABEL_URL": f"{tiles.origin}/labels/{{z}}/{{x}}/{{y}}.png",
            "LOUYU_MAP_ATTRIBUTION": "本机测试瓦片 <b>不转义就会变粗</b>",
        },
    )
    try:
        yield running
    finally:
        running.stop()


def test_configured_tiles_are_requested_from_the_tile_server_only(browser, tiled_product, tiles):
    password = demo_password(tiled_product)
    placed = len(map_answer(tiled_product, password)["buildings"])
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=tiled_product.url, locale="zh-CN")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        requests = record_requests(page)
        open_map(page, password)
        expect(page.locator(MARKERS)).to_have_count(placed, timeout=20_000)
        expect(page.locator(".leaflet-tile-loaded").first).to_be_visible(timeout=20_000)
        assert any(p.startswith("/base/") for p in tiles.paths)
        assert any(p.startswith("/labels/") for p in tiles.paths)
        # The attribution is shown as text, never as HTML.
        expect(page.locator(".leaflet-control-attribution")).to_contain_text("<b>不转义就会变粗</b>")
        csp = httpx.get(f"{tiled_product.url}/map").headers["content-security-policy"]
        assert f"img-src 'self' data: blob: {tiles.origin};" in csp
        screenshot(page, "map-leader-tiles-1280x800")
        assert errors == []
        assert foreign(requests, tiled_product.url, tiles.origin) == []
    finally:
        context.close()
