"""Issue 14 item 8: a big-but-legal .xlsx is cheap to refuse. The header row is checked before
any data row, rows are streamed without padding, and columns and cells are capped as they come
(measured by the rows the reader touches, not by a clock)."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from louyu_kit import files
from louyu_kit.errors import Invalid

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def big_xlsx(headers: list[str], rows: int, *, seed: int = 1) -> bytes:
    """A real workbook of ``rows`` × ``len(headers)`` random numbers, written as XML directly
    (openpyxl takes minutes for millions of cells)."""
    rng = random.Random(seed)

    def cell(text: str) -> str:
        return f'<c t="inlineStr"><is><t>{text}</t></is></c>'

    parts = [
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>",
        "<row>" + "".join(cell(h) for h in headers) + "</row>",
    ]
    width = len(headers)
    for _ in range(rows):
        parts.append("<row>" + "".join(f"<c><v>{rng.randint(0, 10**9)}</v></c>" for _ in range(width)) + "</row>")
    parts.append("</sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", "".join(parts))
    return out.getvalue()


@pytest.fixture
def touched(monkeypatch):
    """Counts the rows the reader hands to the collector, and the widest one."""
    seen = {"rows": 0, "widest": 0}
    original = files._Collector.add

    def add(self, row_number, cells):  # type: ignore[no-untyped-def]
        seen["rows"] += 1
        seen["widest"] = max(seen["widest"], len(cells))
        return original(self, row_number, cells)

    monkeypatch.setattr(files._Collector, "add", add)
    return seen


HEADERS = [f"列{n}" for n in range(1, 11)]


@pytest.fixture(scope="module")
def workbook() -> bytes:
    return big_xlsx(HEADERS, 30_000)


def _wrong_header(headers: list[str]) -> None:
    if "统一社会信用代码" not in headers:
        raise Invalid("文件缺少必填列：统一社会信用代码")


@pytest.fixture
def sheet_bytes_read(monkeypatch):
    """Bytes of the worksheet's XML decompressed (openpyxl parses what it reads)."""
    counted = {"bytes": 0}
    original = zipfile.ZipExtFile.read

    def read(self, n=-1):  # type: ignore[no-untyped-def]
        data = original(self, n)
        if self.name.endswith("sheet1.xml"):
            counted["bytes"] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", read)
    return counted


def test_a_wrong_header_is_refused_after_the_first_row(workbook, touched, sheet_bytes_read):
    with pytest.raises(Invalid, match="缺少必填列"):
        files.read_table(workbook, filename="big.xlsx", check_headers=_wrong_header)
    assert touched["rows"] == 1
    # The sheet has no <dimension> element: openpyxl used to parse all of it to size it first.
    size = zipfile.ZipFile(io.BytesIO(workbook)).getinfo("xl/worksheets/sheet1.xml").file_size
    assert sheet_bytes_read["bytes"] < size // 50, (sheet_bytes_read, size)


def test_a_wrong_header_in_a_csv_is_refused_after_the_first_row(touched):
    data = ("a,b,c\r\n" + "1,2,3\r\n" * 50_000).encode()
    with pytest.raises(Invalid, match="缺少必填列"):
        files.read_table(data, filename="big.csv", check_headers=_wrong_header)
    assert touched["rows"] == 1


def test_cells_are_capped_as_they_come(workbook, touched, monkeypatch):
    monkeypatch.setattr(files, "MAX_CELLS", 50_000)
    with pytest.raises(Invalid, match="单元格"):
        files.read_table(workbook, filename="big.xlsx")
    # 50,000 cells of 10 columns hold 5,000 rows: refused on the 5,001st data row of 30,000.
    assert touched["rows"] == 1 + 5_001


def test_rows_are_not_padded_to_the_column_cap(touched):
    files.read_table(big_xlsx(["甲", "乙", "丙"], 100), filename="small.xlsx")
    assert touched["widest"] == 3


def test_a_legal_workbook_is_read_whole(workbook, touched):
    table = files.read_table(workbook, filename="big.xlsx", check_headers=lambda h: None)
    assert table.headers == HEADERS
    assert len(table.rows) == 30_000
    assert touched["rows"] == 30_001


@pytest.mark.parametrize(("bad", "what"), [("中交\u202e大厦", "文字方向控制符"), ("中交\u200b大厦", "零宽字符")])
def test_imported_cells_refuse_bidi_and_invisible_characters(bad, what):
    data = big_xlsx(["名称", bad], 0)
    with pytest.raises(Invalid, match=what) as caught:
        files.read_table(data, filename="x.xlsx")
    assert caught.value.fields and caught.value.fields[0]["field"] == "第 1 行 B 列"
    with pytest.raises(Invalid, match=what):
        files.read_table(f"名称,备注\r\n好,{bad}\r\n".encode(), filename="x.csv")


def test_multi_line_cells_are_kept():
    table = files.read_table('名称,备注\r\n好,"一\n二"\r\n'.encode(), filename="x.csv")
    assert table.rows[0][1]["备注"] == "一\n二"
