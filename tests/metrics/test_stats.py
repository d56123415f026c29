"""Aggregates for the statistics bureau (JSON, CSV, .xlsx), against ``rollup_case``."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from tests.metrics import rollup_case
from tests.metrics.conftest import BUREAU, JIYUQIAO, STATS_CLIENT, YANGYUAN, metrics_db

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
    rows = {r["code"]: (r["name"], r["tax_total"], r["enterprises"]) for r in body["items"]}
    assert rows == {
        "F": ("批发和零售业", 10_000, 1),  # F5, in no building
        "I": ("信息传输、软件和信息技术服务业", 200_000, 1),
        "J": ("金融业", 150_000, 2),
        "M": ("科学研究和技术服务业", 30_000, 1),
    }


def test_by_theme_zone_and_month(api):
    theme = get(api, period="2025-06", by="theme").json()
    assert [(r["code"], r["name"], r["tax_total"]) for r in theme["items"]] == [("finance", "金融", 180_000)]
    zone = get(api, period="2025-06", by="zone").json()
    assert {r["name"]: r["tax_total"] for r in zone["items"]} == {"（未填写）": 200_000, "滨江商务区": 180_000}
    months = get(api, period="2025-Q2", by="month").json()
    assert [(r["code"], r["tax_total"]) for r in months["items"]] == [
        ("2025-04", 390_000),
        ("2025-05", 390_000),
        ("2025-06", 390_000),
    ]


def test_csv_has_chinese_headers_and_a_district_row(api):
    resp = get(api, period="2025-06", by="street", format="csv")
    assert resp.headers["content-type"].startswith("text/csv")
    assert "attachment" in resp.headers["content-disposition"]
    text = resp.content.decode("utf-8-sig")
    notes = [line for line in text.strip().split("\r\n") if line.startswith("#")]
    assert notes[0] == "# 口径说明"  # the figures' definitions come first, as # lines
    lines = [line for line in text.strip().split("\r\n") if not line.startswith("#")]
    assert lines[0].startswith("代码,街道,楼宇数")
    assert lines[1].startswith(f"{JIYUQIAO},积玉桥街道,2,")
    assert "350000.00" in lines[1]
    assert lines[-1].startswith(",全区合计,3,,390000.00")


def test_xlsx_keeps_exact_amounts(api):
    resp = get(api, period="2025-06", by="section", format="xlsx", headers=BUREAU)
    sheet = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("代码", "行业门类")
    finance = next(r for r in rows if r[0] == "J")
    assert Decimal(str(finance[4])) == Decimal("150000")
    assert rows[-1][1] == "全区合计"


def test_bad_dimension_is_422(api):
    resp = api.get(URL, params={"by": "person"}, headers=STATS_CLIENT)
    assert resp.status_code == 422
