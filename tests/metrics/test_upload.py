"""POST /api/metrics/facts/upload: the bureau's .xlsx/CSV of figures (dry run, then apply) and the template."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

import openpyxl
from sqlalchemy import func, select

from louyu_kit.files import read_table, write_table
from metrics.facts.models import Fact, FactBatch
from tests.metrics.conftest import BUREAU, LEADER, TAX_CLIENT, add_enterprise, bad_check_code, credit_code, metrics_db

URL = "/api/metrics/facts/upload"
HEADERS = ["统一社会信用代码", "企业名称", "期间", "指标", "数值"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
A, B = credit_code(31), credit_code(32)


def xlsx(rows: list[list[object]], headers: list[str] = HEADERS) -> bytes:
    return write_table(headers, rows, fmt="xlsx")


def upload(client, data: bytes, *, name: str = "税收.xlsx", dry_run: bool, source: str = "tax_bureau", headers=None):  # type: ignore[no-untyped-def]
    kind = XLSX if name.endswith(".xlsx") else "text/csv"
    return client.post(
        URL,
        params={"source": source, "dry_run": str(dry_run).lower()},
        files={"file": (name, data, kind)},
        headers=headers or BUREAU,
    )


def stored(client) -> dict[tuple[str, str, str], Decimal]:  # type: ignore[no-untyped-def]
    with metrics_db(client).sessions() as session:
        return {(f.credit_code, f.period, f.kind): f.value for f in session.scalars(select(Fact))}


GOOD = [
    [A, "甲公司", "2025-06", "全口径税收", 1_250_000],
    [A, "甲公司", "2025-06", "区级税收", 400_000.5],
    [B, "", "2025-Q2", "tax_total", "88,000"],
]


class TestTemplate:
    def test_template_has_the_columns_and_reads_back_as_valid_rows(self, metrics):
        for fmt in ("xlsx", "csv"):
            resp = metrics.get(f"{URL}/template", params={"format": fmt}, headers=BUREAU)
            assert resp.status_code == 200
            assert "attachment" in resp.headers["content-disposition"]
            table = read_table(resp.content, filename=f"t.{fmt}")
            assert table.headers == HEADERS and table.rows == []

    def test_code_and_period_are_text_columns(self, metrics):
        resp = metrics.get(f"{URL}/template", headers=BUREAU)
        sheet = openpyxl.load_workbook(io.BytesIO(resp.content)).active
        assert sheet.column_dimensions["A"].number_format == "@"  # 统一社会信用代码
        assert sheet.column_dimensions["C"].number_format == "@"  # 期间
        assert sheet.print_title_rows == "$1:$1"

    def test_the_xlsx_template_offers_the_indicators_and_explains_itself(self, metrics):
        workbook = openpyxl.load_workbook(io.BytesIO(metrics.get(f"{URL}/template", headers=BUREAU).content))
        sheet = workbook.worksheets[0]
        assert sheet["A2"].value.startswith("【示例】") and sheet.freeze_panes == "A2"
        assert "说明" in workbook.sheetnames and workbook["选项"].sheet_state == "hidden"
        (validation,) = sheet.data_validations.dataValidation
        assert str(validation.sqref).startswith("D3:")
        listed = [c.value for row in workbook["选项"][validation.formula1.split("!")[1].replace("$", "")] for c in row]
        assert listed == ["全口径税收", "区级税收", "营业收入", "从业人员"]

    def test_a_month_typed_where_the_suite_stored_a_date_imports_as_that_month(self, metrics):
        """Typing 2025-11 into a cell that is not text makes Excel, WPS and LibreOffice store the
        date 2025-11-01 (shown as a month): the upload reads it as the month 2025-11."""
        add_enterprise(metrics_db(metrics), A)
        template = metrics.get(f"{URL}/template", headers=BUREAU).content
        workbook = openpyxl.load_workbook(io.BytesIO(template))
        sheet = workbook.active
        sheet.append([A, "甲公司", datetime(2025, 11, 1), "全口径税收", 1000])
        sheet[f"C{sheet.max_row}"].number_format = "YYYY-MM"  # below the template's example row
        buffer = io.BytesIO()
        workbook.save(buffer)
        report = upload(metrics, buffer.getvalue(), dry_run=False).json()
        assert report["applied"] is True, report
        assert stored(metrics) == {(A, "2025-11", "tax_total"): Decimal("1000.00")}

    def test_template_is_for_the_bureau(self, metrics):
        assert metrics.get(f"{URL}/template", headers=TAX_CLIENT).status_code == 403


class TestUpload:
    def test_dry_run_reports_and_stores_nothing_then_apply_stores(self, metrics):
        add_enterprise(metrics_db(metrics), A)
        dry = upload(metrics, xlsx(GOOD), dry_run=True)
        assert dry.status_code == 200, dry.text
        report = dry.json()
        assert (report["dry_run"], report["applied"], report["created"], report["batch_id"]) == (True, False, 3, None)
        assert report["aggregate_rows"] == 1 and report["unregistered"] == [B]
        assert stored(metrics) == {}
        with metrics_db(metrics).sessions() as session:
            assert session.scalar(select(func.count()).select_from(FactBatch)) == 0

        applied = upload(metrics, xlsx(GOOD), dry_run=False).json()
        assert (applied["applied"], applied["created"], applied["rejected_count"]) == (True, 3, 0)
        assert stored(metrics) == {
            (A, "2025-06", "tax_total"): Decimal("1250000.00"),
            (A, "2025-06", "tax_district"): Decimal("400000.50"),
            (B, "2025-Q2", "tax_total"): Decimal("88000.00"),
        }
        batch = metrics.get(f"/api/metrics/facts/batches/{applied['batch_id']}", headers=BUREAU).json()
        assert (batch["origin"], batch["file_name"], batch["created"]) == ("upload", "税收.xlsx", 3)

        again = upload(metrics, xlsx(GOOD), dry_run=False).json()
        assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)

    def test_a_file_with_a_bad_row_is_not_stored_at_all_and_names_row_and_column(self, metrics):
        rows = [*GOOD, [bad_check_code(5), "", "2025-06", "全口径税收", 1], [A, "", "2025-06", "利润", 1]]
        report = upload(metrics, xlsx(rows), dry_run=False).json()
        assert report["applied"] is False and report["rejected_count"] == 2
        first, second = report["rejected"]
        # Excel row numbers: the header is row 1, so the fourth data row is row 5.
        assert (first["row"], first["field"]) == (5, "credit_code")
        assert first["message"].startswith("第 5 行 统一社会信用代码：校验位不正确")
        assert (second["row"], second["field"]) == (6, "kind") and "“利润”不认识" in second["message"]
        assert stored(metrics) == {}

    def test_gbk_csv_is_accepted(self, metrics):
        text = "统一社会信用代码,期间,指标,数值\n" + f"{A},2025年6月,营业收入,123.45\n"
        report = upload(metrics, text.encode("gbk"), name="营收.csv", dry_run=False, source="statistics_bureau").json()
        assert report["applied"] is True
        with metrics_db(metrics).sessions() as session:
            fact = session.scalars(select(Fact)).one()
        assert (fact.source, fact.kind, fact.period, fact.value) == (
            "statistics_bureau",
            "revenue",
            "2025-06",
            Decimal("123.45"),
        )

    def test_missing_columns_are_named(self, metrics):
        resp = upload(metrics, xlsx([[A, "2025-06"]], headers=["统一社会信用代码", "期间"]), dry_run=True)
        assert resp.status_code == 422
        assert "缺少必填列：指标、数值" in resp.json()["detail"]

    def test_not_a_spreadsheet_is_refused(self, metrics):
        resp = upload(metrics, b"%PDF-1.7 not a table", name="a.xlsx", dry_run=True)
        assert resp.status_code == 422 and "PDF" in resp.json()["detail"]

    def test_excel_numbers_and_dates_as_typed_by_a_clerk(self, metrics):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(HEADERS)
        sheet.append([A, "", "202506", "全口径税收", 1500.25])
        sheet.append([A, "", "2025-07", "从业人员", 35.0])
        buffer = io.BytesIO()
        workbook.save(buffer)
        report = upload(metrics, buffer.getvalue(), dry_run=False).json()
        assert report["applied"] is True, report
        assert stored(metrics) == {
            (A, "2025-06", "tax_total"): Decimal("1500.25"),
            (A, "2025-07", "employees"): Decimal("35.00"),
        }

    def test_only_the_bureau_uploads(self, metrics):
        for headers in (LEADER, TAX_CLIENT):
            assert upload(metrics, xlsx(GOOD), dry_run=True, headers=headers).status_code == 403
