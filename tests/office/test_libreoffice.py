"""Exports and the bulletin as LibreOffice prints them (issue #23): headless conversions to PDF,
pages counted and read with pypdf. Slow (a LibreOffice start per file): marked ``office`` and run
once, in ``make test-office`` (scripts/ensure-libreoffice.sh installs the suite)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from louyu_kit import files
from registry.imports.kinds import KINDS, TEXT_COLUMNS
from tasks.bulletins import render
from tests.tasks.test_bulletin_docx import long_bulletin

pytestmark = pytest.mark.office

HEADING = re.compile(r"^[一二三四五六七八九十]+、")
PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")


def convert(source: Path, target: str, tmp_path: Path) -> Path:
    """``soffice --headless --convert-to`` with a profile of its own (runs never share a lock)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: run scripts/ensure-libreoffice.sh"
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target, "--outdir", str(out)]
        + [str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = out / f"{source.stem}.{target.split(':')[0]}"
    assert converted.exists(), f"LibreOffice wrote no {converted.name}"
    return converted


def pdf_pages(data: bytes, name: str, tmp_path: Path) -> list[str]:
    source = tmp_path / name
    source.write_bytes(data)
    return [page.extract_text() or "" for page in PdfReader(convert(source, "pdf", tmp_path)).pages]


def enterprise_rows(count: int) -> list[list[object]]:
    kind = KINDS["enterprises"]
    rows = []
    for n in range(count):
        values = {
            "统一社会信用代码": f"91420106MA4K{n:05d}X",
            "企业名称": f"武汉测试企业{n}科技有限公司",
            "行业代码": "6513",
            "成立日期": date(2019, 5, 6),
            "从业人数": 120 + n,
            "备注": "无",
        }
        rows.append([values.get(h, "否") for h in kind.headers])
    return rows


class TestSpreadsheets:
    def test_a_twelve_row_statistics_table_prints_on_one_page(self, tmp_path: Path) -> None:
        headers = ["街道", "楼宇数", "企业数", "全口径税收(元)", "区级税收(元)", "营业收入(元)", "同比"]
        money = [Decimal("123456789.12"), Decimal("23456789.01"), 1.5e9]
        rows = [[f"第{n}街道", 10 + n, 300 + n, *money, "12.5%"] for n in range(1, 13)]
        notes = files.ExportNotes(title="口径说明", headers=["指标", "口径"], rows=[["全口径税收", "各税种合计"]])
        pages = pdf_pages(files.write_table(headers, rows, fmt="xlsx", notes=notes), "stats.xlsx", tmp_path)
        # The data sheet on one page, the 口径说明 on its own.
        assert len(pages) == 2, pages
        assert "123,456,789.12" in pages[0] and "第12街道" in pages[0] and "第 1 页，共 2 页" in pages[0]
        assert "各税种合计" in pages[1] and "第12街道" not in pages[1]

    def test_the_enterprise_list_prints_one_page_wide_with_the_header_on_every_page(self, tmp_path: Path) -> None:
        headers = KINDS["enterprises"].headers
        data = files.write_table(
            headers, enterprise_rows(150), fmt="xlsx", sheet_title="企业", text_columns=TEXT_COLUMNS
        )
        pages = pdf_pages(data, "enterprises.xlsx", tmp_path)
        # Landscape A4 scaled to one page wide: 150 rows and the header on each of 3 pages (45 without fit-to-width).
        assert len(pages) == 3, [p[:60] for p in pages]
        for number, text in enumerate(pages, start=1):
            assert "统一社会信用代码" in text and "备注" in text, number  # the header, and every column across
            assert f"第 {number} 页，共 {len(pages)} 页" in text
        assert "2019年5月6日" in pages[0]

    def test_a_template_saved_by_libreoffice_with_a_month_typed_as_a_date_reads_as_that_month(
        self, tmp_path: Path
    ) -> None:
        from metrics.facts.periods import parse_period

        template = files.write_table(
            ["统一社会信用代码", "企业名称", "期间", "指标", "数值"],
            [],
            fmt="xlsx",
            text_columns=("统一社会信用代码", "期间"),
        )
        workbook = openpyxl.load_workbook(io.BytesIO(template))
        sheet = workbook.active
        sheet.append(["91420106MA4K00001X", "甲公司", datetime(2025, 11, 1), "全口径税收", 1000])
        sheet["C2"].number_format = "YYYY-MM"  # what a suite stores when 2025-11 goes into a non-text cell
        typed = tmp_path / "typed.xlsx"
        workbook.save(typed)
        saved = convert(typed, "xlsx:Calc MS Excel 2007 XML", tmp_path)  # saved again by LibreOffice
        table = files.read_table(saved.read_bytes(), filename="saved.xlsx")
        assert parse_period(table.rows[0][1]["期间"], current_year=2026) == ("2025-11", "month")


class TestBulletin:
    def test_no_heading_is_left_last_on_a_page(self, tmp_path: Path) -> None:
        pages = pdf_pages(render.to_docx(long_bulletin(sections=9, rows=45)), "bulletin.docx", tmp_path)
        assert len(pages) >= 3
        for number, text in enumerate(pages, start=1):
            lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
            body = [line for line in lines if not PAGE_NUMBER.match(line)]
            assert f"— {number} —" in lines, lines[-3:]  # the page number field, as printed
            if number < len(pages):
                assert not HEADING.match(body[-1]), f"page {number} ends with the heading {body[-1]}"
