"""Aggregates for the statistics bureau (JSON, CSV, .xlsx), against ``rollup_case``."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from tests.metrics import rollup_case
from tests.metrics.conftest import BUREAU, JIYUQIAO, LEADER, STATS_CLIENT, YANGYUAN, metrics_db

URL = "/api/metrics/stats/aggregates"


@pytest.fixture
def api(metrics):
    rollup_case.build(metrics_db(metrics))
    return metrics


def get(api, headers=STATS_CLIENT, **params):
    resp = api.get(URL, params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp


def test_by_street_with_yoy_and_district_total(api):
    body = get(api, period="2025-06", by="street").json()
    rows = {r["code"]: r for r in body["items"]}
    assert rows[JIYUQIAO]["name"] == "积玉桥街道"
    assert rows[JIYUQIAO]["tax_total"] == 350_000 and rows[JIYUQIAO]["buildings"] == 2
    assert rows[JIYUQIAO]["previous_tax_total"] == 230_000
    assert rows[JIYUQIAO]["yoy"] == round(120_000 / 230_000, 4)
    assert rows[YANGYUAN]["tax_total"] == 30_000
    assert body["district"]["tax_total"] == 390_000
    assert body["district"]["unattributed"]["tax_total"] == 10_000


def test_by_industry_section_covers_every_enterprise(api):
    body = get(api, period="2025-06", by="section").json()
    rows = {r["code"]: (r["name"], r["tax_total"], r["enterprises"]) for r in body["items"] if r["enterprises"]}
    assert rows == {
        "F": ("批发和零售业", 10_000, 1),  # F5, in no building
        "I": ("信息传输、软件和信息技术服务业", 200_000, 1),
        "J": ("金融业", 150_000, 2),
        "M": ("科学研究和技术服务业", 30_000, 1),
    }


def test_by_theme_zone_and_month(api):
    theme = get(api, period="2025-06", by="theme").json()
    groups = [(r["code"], r["name"], r["tax_total"]) for r in theme["items"] if r["kind"] == "group" and r["tax_total"]]
    assert groups == [("finance", "金融", 180_000)]
    zone = get(api, period="2025-06", by="zone").json()
    assert {r["name"]: r["tax_total"] for r in zone["items"]} == {
        "滨江商务区": 180_000,
        "其他/未分类（未划入功能区）": 200_000,
        "未入楼企业": 10_000,
    }
    months = get(api, period="2025-Q2", by="month").json()
    assert [(r["code"], r["tax_total"]) for r in months["items"]] == [
        ("2025-04", 390_000),
        ("2025-05", 390_000),
        ("2025-06", 390_000),
        ("_other", 0),
    ]


def test_csv_has_chinese_headers_and_a_district_row(api):
    resp = get(api, period="2025-06", by="street", format="csv")
    assert resp.headers["content-type"].startswith("text/csv")
    assert "attachment" in resp.headers["content-disposition"]
    text = resp.content.decode("utf-8-sig")
    notes = [line for line in text.strip().split("\r\n") if line.startswith("#")]
    assert notes[0] == "# 口径说明"  # the figures' definitions come first, as # lines
    lines = [line for line in text.strip().split("\r\n") if not line.startswith("#")]
    assert lines[0].startswith("代码,街道,楼宇数,有数据的企业数,全口径税收（元）,区级税收（元）")
    assert lines[1].startswith(f"{JIYUQIAO},积玉桥街道,2,")
    assert "350000.00" in lines[1]
    assert lines[-1].startswith("_total,合计,3,,390000.00")


def test_xlsx_keeps_exact_amounts(api):
    resp = get(api, period="2025-06", by="section", format="xlsx", headers=BUREAU)
    sheet = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("代码", "行业门类")
    finance = next(r for r in rows if r[0] == "J")
    assert Decimal(str(finance[4])) == Decimal("150000")
    assert rows[-1][1] == "合计"


def test_xlsx_amounts_are_numbers_with_separators_and_every_sheet_prints(api):
    resp = get(api, period="2025-06", by="street", format="xlsx", headers=BUREAU)
    assert resp.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(resp.content))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    money = [i for i, h in enumerate(headers, start=1) if "（元）" in str(h)]
    assert money, headers
    cell = sheet.cell(row=2, column=money[0])
    assert cell.data_type == "n" and cell.number_format.startswith("#,##0")
    assert len(book.worksheets) == 2  # the data and its 口径说明
    for each in book.worksheets:
        assert each.print_title_rows == "$1:$1" and each.page_setup.fitToWidth == 1
        assert int(each.page_setup.paperSize) == 9 and "&P" in each.oddFooter.center.text


def test_bad_dimension_is_422(api):
    resp = api.get(URL, params={"by": "person"}, headers=STATS_CLIENT)
    assert resp.status_code == 422


# ----- totals add up (#13 item 3) -------------------------------------------------------


def _sum(rows, key):
    return sum(Decimal(str(r[key] or 0)) for r in rows)


@pytest.mark.parametrize("by", ["street", "theme", "section", "zone", "month"])
@pytest.mark.parametrize("period", ["2025-06", "2025-Q2", "2025-YTD"])
def test_every_dimension_adds_up_to_the_district(api, by, period):
    body = get(api, period=period, by=by).json()
    total = body["total_row"]
    assert (total["code"], total["name"]) == ("_total", "合计")
    district = body["district"]
    for key in ("tax_total", "tax_district"):
        assert total[key] == district[key], key
        assert abs(_sum(body["items"], key) - Decimal(str(district[key]))) <= Decimal("0.01"), (by, key)
    kpi = api.get("/api/metrics/kpis", params={"period": period}, headers=LEADER).json()
    assert total["tax_total"] == kpi["tax_total"]  # the district card of the same range and 口径


def test_the_unattributed_and_other_rows(api):
    body = get(api, period="2025-06", by="street").json()
    rows = {r["code"]: r for r in body["items"]}
    assert (rows["_unattributed"]["name"], rows["_unattributed"]["tax_total"]) == ("未入楼企业", 10_000)
    assert rows["_other"]["kind"] == "other" and rows["_other"]["tax_total"] == 0
    # Every street of the district is listed; one without buildings shows zeros.
    assert len([r for r in body["items"] if r["kind"] == "group"]) == 15
    assert (rows["420106013"]["name"], rows["420106013"]["buildings"], rows["420106013"]["tax_total"]) == (
        "珞珈山街道",
        0,
        0,
    )
    theme = {r["code"]: r for r in get(api, period="2025-06", by="theme").json()["items"]}
    # B2 has no theme; nothing counted twice here.
    assert (theme["_other"]["name"], theme["_other"]["tax_total"]) == ("无主题楼宇", 200_000)
    assert theme["_duplicates"]["tax_total"] == 0


def test_a_building_with_two_themes_is_taken_off_once(api):
    from tests.metrics.conftest import add_theme

    db = metrics_db(api)
    add_theme(db, "digital", "数字经济", ["65"])
    with db.write_sessions() as session:
        from metrics.readmodel.models import RmBuilding

        session.get(RmBuilding, "B1").themes = ["finance", "digital"]
        session.commit()
    body = get(api, period="2025-06", by="theme").json()
    rows = {r["code"]: r for r in body["items"]}
    assert rows["finance"]["tax_total"] == 180_000 and rows["digital"]["tax_total"] == 150_000
    assert rows["_duplicates"]["tax_total"] == -150_000
    assert _sum(body["items"], "tax_total") == Decimal(str(body["total_row"]["tax_total"]))


def test_amounts_in_wan_yuan_on_request(api):
    body = get(api, period="2025-06", by="street", unit="wan").json()
    assert body["unit"] == "万元"
    rows = {r["code"]: r for r in body["items"]}
    assert rows[JIYUQIAO]["tax_total"] == 35.0 and body["total_row"]["tax_total"] == 39.0
    text = get(api, period="2025-06", by="street", format="csv", unit="wan").content.decode("utf-8-sig")
    notes = [line for line in text.splitlines() if line.startswith("#")]
    assert any("金额单位：万元" in line for line in notes)
    assert any(line.startswith("# 全口径税收（万元）；tax_total；") for line in notes)
    assert "全口径税收（万元）" in next(line for line in text.splitlines() if not line.startswith("#"))
    assert "35.000000" in text and "39.000000" in text


def test_street_by_section_cross_tab(api):
    resp = api.get("/api/metrics/stats/cross-tab", params={"period": "2025-06"}, headers=STATS_CLIENT)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    rows = {r["code"]: r for r in body["items"]}
    assert rows[JIYUQIAO]["values"]["J"] == 150_000 and rows[JIYUQIAO]["values"]["I"] == 200_000
    assert rows[YANGYUAN]["values"]["M"] == 30_000
    assert rows["_unattributed"]["values"]["F"] == 10_000
    assert rows["420106013"]["total"] == 0  # a street without buildings is a row of zeros
    # Row totals, column totals and the grand total add up to the district figure.
    assert sum(r["total"] for r in body["items"]) == body["grand_total"] == body["district"] == 390_000
    assert sum(body["column_totals"].values()) == body["grand_total"]
    for code, value in body["column_totals"].items():
        assert sum(r["values"][code] for r in body["items"]) == value
    xlsx = api.get(
        "/api/metrics/stats/cross-tab", params={"period": "2025-06", "format": "xlsx", "unit": "wan"}, headers=BUREAU
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][-1] == "合计（万元）" and table[-1][1] == "合计" and Decimal(str(table[-1][-1])) == Decimal("39")
    # The 口径说明 names the one figure every cell holds (here 区级税收, in 元).
    csv_text = api.get(
        "/api/metrics/stats/cross-tab",
        params={"period": "2025-06", "format": "csv", "basis": "tax_district"},
        headers=STATS_CLIENT,
    ).content.decode("utf-8-sig")
    notes = [line for line in csv_text.splitlines() if line.startswith("#")]
    assert notes[0] == "# 口径说明"
    assert any(line.startswith("# 区级税收（元）；tax_district；") for line in notes)
    assert any("金额单位：元" in line for line in notes)


def test_cross_tab_is_for_the_bureau_and_leaders_only(api):
    from tests.metrics.conftest import STREET

    assert api.get("/api/metrics/stats/cross-tab", headers=STREET).status_code == 403
    assert api.get("/api/metrics/stats/cross-tab", headers=LEADER).status_code == 200


def test_cross_tab_of_district_tax_over_a_quarter_in_wan_by_hand(api):
    """统计数据 page (issue #18): 区级 口径, 万元, a quarter. By hand from rollup_case: each month
    积玉桥 has 金融 (J) 150 000 and 软件 (I) 200 000 全口径, 杨园 科研 (M) 30 000, the enterprise in no
    building 批发 (F) 10 000; 区级 is half; three months → J 22.5, I 30, M 4.5, F 1.5, 合计 58.5 万元."""
    resp = api.get(
        "/api/metrics/stats/cross-tab",
        params={"period": "2025-Q2", "basis": "tax_district", "unit": "wan"},
        headers=LEADER,
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    rows = {r["code"]: r for r in body["items"]}
    assert body["unit"] == "万元" and body["basis"] == "tax_district"
    assert (rows[JIYUQIAO]["values"]["J"], rows[JIYUQIAO]["values"]["I"], rows[JIYUQIAO]["total"]) == (22.5, 30.0, 52.5)
    assert (rows[YANGYUAN]["values"]["M"], rows[YANGYUAN]["total"]) == (4.5, 4.5)
    assert (rows["_unattributed"]["values"]["F"], rows["_unattributed"]["total"]) == (1.5, 1.5)
    assert rows["_other"]["total"] == 0
    assert body["column_totals"]["J"] == 22.5 and body["column_totals"]["F"] == 1.5
    assert body["grand_total"] == body["district"] == 58.5
