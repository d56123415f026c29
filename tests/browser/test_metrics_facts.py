"""税收数据导入 in the browser: the bureau uploads a facts CSV with one bad row (reported by
row, column and reason; nothing can be applied), then the corrected file (checked, applied,
listed among the batches), and the code the registry does not know shows as 在税不在册."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_cockpit import api_token, make_user, signed_in
from tests.browser.test_registry import valid_uscc


@pytest.fixture(scope="module")
def bureau(product) -> str:
    return make_user(product, "shuishou_chen", "陈商务", ["bureau"])


def a_registered_enterprise(product, username: str) -> str:
    token = api_token(product, username)
    with httpx.Client(base_url=product.url, timeout=15, headers={"Authorization": f"Bearer {token}"}) as http:
        items = http.get("/api/registry/enterprises", params={"page_size": 1}).json()["items"]
    assert items, "the demo data has no enterprise"
    return items[0]["credit_code"]


def test_upload_facts_with_a_bad_row_then_the_corrected_file(open_page, bureau, product, tmp_path):
    known = a_registered_enterprise(product, bureau)
    unknown = valid_uscc("91420106MA4KXY901")  # a well-formed code the registry does not have
    bad = unknown[:17] + ("0" if unknown[17] != "0" else "1")  # wrong check character
    header = "统一社会信用代码,企业名称,期间,指标,数值\r\n"
    good_rows = (
        f"{known},,2025-12,全口径税收,1250000\r\n"
        f"{known},,2025-12,区级税收,400000.5\r\n"
        f"{unknown},,2025-12,全口径税收,880000\r\n"
    )
    broken = tmp_path / "税务局2025年12月.csv"
    broken.write_bytes((header + good_rows + f"{bad},,2025-12,全口径税收,10000\r\n").encode("utf-8-sig"))
    fixed = tmp_path / "税务局2025年12月-改.csv"
    fixed.write_bytes((header + good_rows).encode("utf-8-sig"))

    page = signed_in(open_page, bureau, 1280, 800)
    page.get_by_test_id("nav-metrics-facts").or_(page.get_by_role("link", name="税收数据")).first.click()
    expect(page.locator("h1")).to_have_text("税收数据导入")
    expect(page.get_by_test_id("sync-badge")).to_contain_text("同步")

    # The file with a bad row: reported by row (header = row 1), column and reason; cannot be applied.
    page.get_by_test_id("facts-file").set_input_files(str(broken))
    page.get_by_test_id("facts-check").click()
    report = page.get_by_test_id("facts-report")
    expect(report).to_contain_text("预检发现 1 行有问题")
    rejected = page.get_by_test_id("facts-rejected")
    expect(rejected).to_contain_text("第 5 行")
    expect(rejected).to_contain_text("统一社会信用代码")
    expect(rejected).to_contain_text("校验")
    expect(page.get_by_test_id("facts-apply")).to_be_disabled()
    screenshot(page, "metrics-facts-rejected")

    # The corrected file: checked clean, applied, listed among the batches.
    page.get_by_test_id("facts-file").set_input_files(str(fixed))
    page.get_by_test_id("facts-check").click()
    expect(page.get_by_test_id("facts-report")).to_contain_text("预检通过")
    expect(page.get_by_test_id("facts-rejected")).to_have_count(0)
    page.get_by_test_id("facts-apply").click()
    expect(page.get_by_test_id("facts-report")).to_contain_text("已导入：3 行数据已保存")
    expect(page.get_by_test_id("facts-batches")).to_contain_text("税务局2025年12月-改.csv")

    # The code the registry does not know: 在税不在册.
    expect(page.get_by_test_id("unregistered")).to_contain_text(unknown)
    screenshot(page, "metrics-facts-applied")
    assert page.errors == []


def test_facts_page_on_a_phone(open_page, bureau):
    page = signed_in(open_page, bureau, 375, 667)
    page.goto("/metrics/facts")
    expect(page.locator("h1")).to_have_text("税收数据导入")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "metrics-facts-phone")
    assert page.errors == []


def test_the_facts_page_is_refused_to_the_leader(open_page, product):
    leader = make_user(product, "lingdao_li", "李副区长", ["leader"])
    page = signed_in(open_page, leader, 1280, 800)
    page.goto("/metrics/facts")
    expect(page.get_by_text("无权访问").first).to_be_visible()
    assert page.errors == []
