"""The 楼长's phone pages at /m on a 375×667 screen: sign in, pick a building, mark a unit
vacant, record a demand, submit; the visit shows in the desktop visit list and the unit is
vacant in the registry. And a visit made without a signal: kept on the phone through a
reload, sent once when the network is back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_signin import no_horizontal_scroll, sign_in
from tests.browser.test_tasks_support import api, demo_password, signed_in, token, warm_up

CHIEF = "demo_chief03"
BUREAU = "demo_bureau"
PHONE = {"width": 375, "height": 667}


def _png(width: int = 64, height: int = 48) -> bytes:
    """A small solid-colour PNG (no image library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x1f\x4e\x8c" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


PNG = _png()


@pytest.fixture(scope="module")
def password(product) -> str:
    password = demo_password(product)
    warm_up(product, password, ("/api/tasks/visits", "/api/tasks/tasks/mine", "/api/registry/buildings"))
    return password


@pytest.fixture(scope="module")
def chief_building(product, password) -> dict:
    """A building of the demo chief with at least two units in use (not vacant)."""
    with api(product, token(product, CHIEF, password)) as http:
        buildings = http.get("/api/registry/buildings", params={"page_size": 100}).json()["items"]
        assert buildings, "the demo chief has no building"
        for b in buildings:
            spaces = http.get(f"/api/registry/buildings/{b['code']}/spaces").json()
            in_use = [s for s in spaces if s["status"] != "vacant"]
            if len(in_use) >= 2:
                return {"code": b["code"], "name": b["name"], "spaces": in_use}
    pytest.fail("no building of the demo chief has two units in use")


def open_visit(page: Page, building: dict) -> None:
    page.get_by_test_id(f"start-visit-{building['code']}").click()
    expect(page.get_by_test_id("visit-building")).to_have_text(building["name"])


def space_status(product, password: str, space_id: int) -> str:
    with api(product, token(product, BUREAU, password)) as http:
        answer = http.get(f"/api/registry/spaces/{space_id}")
        assert answer.status_code == 200, answer.text
        return answer.json()["status"]


def test_chief_visits_a_building_on_the_phone(open_page, product, password, chief_building):
    page = open_page(**PHONE)
    # /m asks for a sign-in and comes back to /m.
    page.goto("/m")
    page.wait_for_url("**/login**")
    page.get_by_label("用户名").fill(CHIEF)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/m")
    expect(page.locator(".m-header__title")).to_have_text("我的楼宇")
    expect(page.get_by_test_id("my-buildings")).to_contain_text(chief_building["name"])
    # The phone layout: no desktop sidebar, the tab bar at the bottom, nothing wider than the screen.
    expect(page.locator(".shell-aside")).to_have_count(0)
    tabs = page.locator(".m-tabs").bounding_box()
    assert tabs and tabs["y"] + tabs["height"] >= 667 - 1 and tabs["height"] >= 48
    assert no_horizontal_scroll(page)
    screenshot(page, "mobile-my-buildings")

    open_visit(page, chief_building)
    space = chief_building["spaces"][0]
    toggle = page.get_by_test_id(f"space-toggle-{space['id']}")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle).to_contain_text("空置")
    assert no_horizontal_scroll(page)

    page.get_by_test_id("add-demand").click()
    demand = page.get_by_test_id("demand-0")
    demand.get_by_label("提出诉求的企业").fill("武汉楼长测试科技有限公司")
    demand.get_by_label("诉求类别").select_option("parking")
    demand.get_by_label("诉求内容").fill("员工车位不足，希望协调周边公共停车场错时开放")
    # A photo from the camera (here a file): shrunk on the phone, sent after the visit.
    page.get_by_test_id("photo-input").set_input_files(
        files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}]
    )
    expect(page.locator(".photo img")).to_have_count(1)
    submit = page.get_by_test_id("submit-visit")
    box = submit.bounding_box()
    assert box and box["height"] >= 48 and box["y"] > 667 - 160, "提交 sits at the bottom, thumb-sized"
    assert no_horizontal_scroll(page)
    screenshot(page, "mobile-visit-form")
    submit.click()

    expect(page.get_by_test_id("toast")).to_contain_text("走访记录已提交")
    page.wait_for_url("**/m")
    assert space_status(product, password, space["id"]) == "vacant"

    # The desktop: the visit in the 扫楼 list, its page says what changed, the demand is in 企业诉求.
    desk = signed_in(open_page, BUREAU, password, path="/visits")
    table = desk.get_by_test_id("visit-table")
    expect(table).to_contain_text(chief_building["name"])
    # Other browser files visit this building too: open this visit, the newest of the building's.
    with api(product, token(product, BUREAU, password)) as http:
        visits = http.get("/api/tasks/visits", params={"building": chief_building["code"], "page_size": 100})
        newest = max(v["id"] for v in visits.json()["items"])
    desk.goto(f"/visits/{newest}")
    expect(desk).to_have_url(re.compile(rf"/visits/{newest}$"))
    expect(desk.locator("h1")).to_contain_text(chief_building["name"], timeout=15_000)
    expect(desk.get_by_test_id("visit-spaces")).to_contain_text(space["unit"])
    expect(desk.get_by_test_id("visit-spaces")).to_contain_text("空置")
    expect(desk.locator(".photos img")).to_have_count(1)
    screenshot(desk, "desktop-visit-record")

    # The registry's building page shows the unit vacant.
    desk.goto(f"/buildings/{chief_building['code']}")
    desk.get_by_role("tab", name="楼层房源").click()
    expect(desk.get_by_test_id("floors")).to_be_visible()
    desk.goto("/demands?q=楼长测试")
    expect(desk.get_by_test_id("demand-table")).to_contain_text("武汉楼长测试科技有限公司")
    assert page.errors == []
    assert desk.errors == []


def test_chief_reports_progress_on_a_task_from_the_phone(open_page, password):
    page = open_page(**PHONE)
    sign_in(page, CHIEF, password)
    expect(page.get_by_test_id("current-user")).to_be_visible()
    page.goto("/m")
    page.get_by_test_id("m-tab-tasks").click()
    expect(page.locator(".m-header__title")).to_have_text("我的任务")
    tasks = page.get_by_test_id("m-tasks")
    expect(tasks.locator("li").first).to_be_visible(timeout=15_000)
    first = tasks.locator("li").first
    first.get_by_role("button", name="填报进度").click()
    first.get_by_role("button", name="进度加 10").click()
    first.get_by_label("进展说明").fill("本周走访楼宇 3 栋，登记诉求 2 条")
    first.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("toast")).to_contain_text("进度已更新")
    assert no_horizontal_scroll(page)
    screenshot(page, "mobile-my-tasks")
    assert page.errors == []


def test_offline_visit_survives_a_reload_and_is_sent_once(open_page, product, password, chief_building):
    page = open_page(**PHONE)
    sign_in(page, CHIEF, password)
    expect(page.get_by_test_id("current-user")).to_be_visible()
    page.goto("/m")
    open_visit(page, chief_building)
    space = chief_building["spaces"][1]
    note = "断网测试：楼内物业反映三层电梯维修中"

    # Filled in, then the page is reloaded: nothing is lost.
    page.get_by_test_id(f"space-toggle-{space['id']}").click()
    page.get_by_label("备注").fill(note)
    page.reload()
    expect(page.get_by_test_id(f"space-toggle-{space['id']}")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_label("备注")).to_have_value(note)

    # The signal drops; 提交 keeps the visit on the phone.
    page.context.set_offline(True)
    expect(page.get_by_test_id("offline-banner")).to_be_visible()
    page.get_by_test_id("submit-visit").click()
    expect(page.get_by_test_id("toast")).to_contain_text("已保存在本机")
    expect(page.get_by_test_id("queue-banner")).to_contain_text("1 条走访记录待发送")
    screenshot(page, "mobile-visit-queued-offline")

    # Back online but the server still unreachable: the visit waits, also through a reload.
    page.route("**/api/tasks/visits", lambda route: route.abort())
    page.context.set_offline(False)
    page.reload()
    expect(page.get_by_test_id("queue-banner")).to_contain_text("1 条走访记录待发送")
    expect(page.get_by_test_id("drafts")).to_contain_text(chief_building["name"])
    assert space_status(product, password, space["id"]) != "vacant"

    # The server answers again: sent (once), and the unit is vacant.
    page.unroute("**/api/tasks/visits")
    page.get_by_role("button", name="立即发送").click()
    expect(page.get_by_test_id("toast")).to_contain_text("已发送 1 条走访记录")
    expect(page.get_by_test_id("queue-banner")).to_have_count(0)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.reload()
    expect(page.get_by_test_id("my-buildings")).to_be_visible()
    expect(page.get_by_test_id("queue-banner")).to_have_count(0)

    assert space_status(product, password, space["id"]) == "vacant"
    with api(product, token(product, BUREAU, password)) as http:
        query = {"building": chief_building["code"], "page_size": 100}
        visits = http.get("/api/tasks/visits", params=query).json()["items"]
        notes = [http.get(f"/api/tasks/visits/{v['id']}").json()["notes"] for v in visits]
    assert notes.count(note) == 1
    assert [e for e in page.errors if "ERR_INTERNET_DISCONNECTED" not in e and "ERR_FAILED" not in e] == []
