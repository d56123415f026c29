"""Exports as an office suite reads them (issue #23 item 1) and streamed (issue #19): openpyxl
reads dates as dates, amounts as numbers with separators, the print set-up and the text columns;
the first bytes leave before the last row is produced."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from louyu_kit import files

HEADERS = ["统一社会信用代码", "企业名称", "成立日期", "更新时间", "纳税额(元)", "面积(㎡)", "从业人数", "备注"]


def _rows(count: int) -> list[list[object]]:
    return [
        [
            f"91420100MA4K{n:05d}X",
            f"测试企业{n}有限公司",
            date(2020, 3, 1 + n % 28),
            datetime(2026, 12, 7, 9, 30),
            Decimal("1234567.80"),
            1250.5,
            120,
            "=1+1" if n == 0 else "",
        ]
        for n in range(count)
    ]


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


class TestCells:
    def test_dates_are_date_cells_shown_in_chinese(self) -> None:
        sheet = _book(files.write_table(HEADERS, _rows(3), fmt="xlsx")).active
        assert sheet["C2"].is_date and sheet["C2"].value == datetime(2020, 3, 1)
        assert sheet["C2"].number_format == files.DATE_FORMAT == 'yyyy"年"m"月"d"日"'
        assert sheet["D2"].is_date and sheet["D2"].number_format == files.DATETIME_FORMAT

    def test_amounts_are_numbers_with_thousands_separators(self) -> None:
        sheet = _book(files.write_table(HEADERS, _rows(3), fmt="xlsx")).active
        assert sheet["E2"].data_type == "n" and sheet["E2"].value == pytest.approx(1234567.8)
        assert sheet["E2"].number_format == "#,##0.00"
        assert sheet["F2"].number_format == "#,##0.00"
        assert sheet["G2"].value == 120 and sheet["G2"].number_format == "General"

    def test_empty_is_empty(self) -> None:
        sheet = _book(files.write_table(HEADERS, _rows(3), fmt="xlsx")).active
        assert sheet["H3"].value is None

    def test_formula_text_is_text_without_an_apostrophe(self) -> None:
        sheet = _book(files.write_table(HEADERS, _rows(1), fmt="xlsx")).active
        cell = sheet["H2"]
        assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)
        text = files.write_table(HEADERS, _rows(1), fmt="csv").decode("utf-8-sig")
        assert list(csv.reader(io.StringIO(text)))[1][7] == "'=1+1"  # CSV has no cell types: the apostrophe stays

    def test_text_columns_are_text_formatted(self) -> None:
        data = files.write_table(HEADERS, _rows(2), fmt="xlsx", text_columns=["统一社会信用代码"])
        sheet = _book(data).active
        assert sheet.column_dimensions["A"].number_format == "@"
        assert sheet["A2"].number_format == "@" and sheet["A2"].data_type == "s"

    def test_chinese_dates(self) -> None:
        assert files.chinese_date(date(2026, 12, 7)) == "2026年12月7日"
        assert files.chinese_dates_in("截至2025-09-30，共3项") == "截至2025年9月30日，共3项"
        assert files.chinese_dates_in("编号 2025-13-40") == "编号 2025-13-40"


class TestPrintSetUp:
    def test_every_sheet_is_set_up_for_a4(self) -> None:
        notes = files.ExportNotes(title="口径说明", headers=["指标", "口径"], rows=[["纳税额", "全口径"]])
        book = _book(files.write_table(HEADERS, _rows(5), fmt="xlsx", notes=notes))
        assert book.sheetnames == ["数据", "口径说明"]
        for sheet in book.worksheets:
            assert sheet.print_title_rows == "$1:$1"
            assert sheet.freeze_panes == "A2"
            assert int(sheet.page_setup.paperSize) == 9  # A4
            assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
            assert sheet.sheet_properties.pageSetUpPr.fitToPage
            assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
            assert sheet.oddFooter.right.text.startswith("导出时间：")
        assert book.worksheets[0].page_setup.orientation == "landscape"  # 8 wide columns
        narrow = _book(files.write_table(["街道", "数量"], [["甲", 1]], fmt="xlsx")).active
        assert narrow.page_setup.orientation == "portrait"

    def test_columns_are_fitted(self) -> None:
        sheet = _book(files.write_table(HEADERS, _rows(5), fmt="xlsx")).active
        assert sheet.column_dimensions["B"].width >= len("测试企业0有限公司") * 2
        assert 8 <= sheet.column_dimensions["G"].width < 20


class TestStreaming:
    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_first_bytes_leave_before_the_last_row_is_produced(self, fmt: str) -> None:
        produced = 0
        total = 5000

        def rows():  # type: ignore[no-untyped-def]
            nonlocal produced
            for row in _rows(total):
                produced += 1
                yield row

        chunks = files.stream_table(HEADERS, rows(), fmt=fmt)  # type: ignore[arg-type]
        first = next(chunks)
        assert first and produced < total
        seen_at_first = produced
        data = first + b"".join(chunks)
        assert produced == total and seen_at_first < total
        if fmt == "xlsx":
            assert _book(data).active.max_row == total + 1
        else:
            assert data.decode("utf-8-sig").count("\r\n") == total + 1

    def test_a_streamed_workbook_equals_the_whole_one(self) -> None:
        rows = _rows(300)
        streamed = b"".join(files.stream_table(HEADERS, iter(rows), fmt="xlsx"))
        a = [[c.value for c in r] for r in _book(streamed).active.iter_rows()]
        b = [[c.value for c in r] for r in _book(files.write_table(HEADERS, rows, fmt="xlsx")).active.iter_rows()]
        assert a == b and len(a) == 301
