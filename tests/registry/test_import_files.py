"""The file layer of registry imports and exports: type by content, bombs refused, formulas neutralised."""

from __future__ import annotations

import io
import re
import struct
import time
import zipfile
import zlib
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

import defusedxml.ElementTree
import openpyxl
import openpyxl.reader.strings
import openpyxl.worksheet._reader
import openpyxl.xml
import pytest
from openpyxl.utils import get_column_letter

from louyu_kit.errors import Invalid
from registry.imports.files import (
    MAX_COLUMNS,
    MAX_UPLOAD_BYTES,
    FileTooLarge,
    Table,
    content_disposition,
    download_name,
    media_type,
    neutralise,
    read_table,
    write_table,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "xl/worksheets/sheet1.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# ----- factories ---------------------------------------------------------------------------------


def _csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def _excel_like(rows: list[list[object]], *, start_row: int = 1, extra_sheet: bool = False) -> bytes:
    """A workbook the way Excel saves one: shared strings, a dimension, typed cells."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=start_row + offset, column=column, value=value)
    if extra_sheet:
        workbook.create_sheet("第二页").append(["不该读到"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _excel_saved(rows: list[list[object]]) -> bytes:
    """A workbook laid out the way Excel and WPS save one: shared strings, and a <dimension> before the data."""
    sample: list[object] = ["甲", date(2024, 1, 1), datetime(2024, 1, 1, 10, 30)]
    template = write_table(["文本", "日期", "时间"], [sample], fmt="xlsx")
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    styles = dict(re.findall(r'<c r="([BC])2" s="(\d+)"', parts[SHEET].decode()))  # the date and datetime styles
    strings: dict[str, int] = {}
    xml_rows = []
    for number, row in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(row, start=1):
            ref = f"{get_column_letter(column)}{number}"
            if value is None:
                continue
            if isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float):
                cells.append(f'<c r="{ref}"><v>{value!r}</v></c>')
            elif isinstance(value, datetime):
                serial = (value - datetime(1899, 12, 30)).total_seconds() / 86400
                cells.append(f'<c r="{ref}" s="{styles["C"]}"><v>{serial!r}</v></c>')
            elif isinstance(value, date):
                cells.append(f'<c r="{ref}" s="{styles["B"]}"><v>{(value - date(1899, 12, 30)).days}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(str(value), len(strings))}</v></c>')
        xml_rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    dimension = f'<dimension ref="A1:{get_column_letter(max(map(len, rows)))}{len(rows)}"/>'
    parts[SHEET] = _sheet_xml("".join(xml_rows)).replace(b"<sheetData>", dimension.encode() + b"<sheetData>")
    items = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN_NS}" uniqueCount="{len(strings)}">{items}</sst>'.encode()
    sst_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{sst_type}"/></Types>'.encode()
    )
    relation = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdSst" Type="{relation}" Target="sharedStrings.xml"/></Relationships>'.encode(),
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _with_members(xlsx: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """A copy of a workbook with some members replaced or added."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in (add or {}).items():
            target.writestr(zipfile.ZipInfo(name), content)
    return out.getvalue()


def _deflated_zeros(mebibytes: int) -> tuple[bytes, int]:
    """Raw deflate of N MiB of zeros, built from one compressed MiB repeated: (payload, crc32)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    # After a full flush the compressor starts afresh, so every MiB compresses to the same bytes.
    piece = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(chunk, crc)
    return piece * mebibytes + compressor.flush(), crc


def _raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand from (name, deflated payload, crc32, uncompressed size): no 500 MB in memory."""
    body = io.BytesIO()
    central = io.BytesIO()
    for name, payload, crc, size in members:
        encoded = name.encode()
        offset = body.tell()
        body.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(payload), size, len(encoded), 0))
        body.write(encoded + payload)
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                *(0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(payload), size, len(encoded), 0, 0, 0, 0, 0, offset),
            )
        )
        central.write(encoded)
    directory = central.getvalue()
    count = len(members)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), body.tell(), 0)
    return body.getvalue() + directory + end


def _small(name: str, content: bytes) -> tuple[str, bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, compressor.compress(content) + compressor.flush(), zlib.crc32(content), len(content)


def _workbook_skeleton() -> list[tuple[str, bytes, int, int]]:
    """The small parts of a minimal workbook, for hand-built archives."""
    base = write_table(["名称"], [["甲"]], fmt="xlsx")
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        return [_small(name, archive.read(name)) for name in archive.namelist() if name != SHEET]


def _sheet_xml(rows: str, prolog: str = "") -> bytes:
    body = f'<worksheet xmlns="{MAIN_NS}"><sheetData>{rows}</sheetData></worksheet>'
    return f'<?xml version="1.0"?>{prolog}{body}'.encode()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _invalid(data: bytes, filename: str, **kwargs: object) -> Invalid:
    with pytest.raises(Invalid) as caught:
        read_table(data, filename=filename, **kwargs)  # type: ignore[arg-type]
    assert caught.value.status_code == 422
    assert caught.value.fields, "a 422 names what is wrong"
    return caught.value


# ----- CSV ---------------------------------------------------------------------------------------


class TestCsvEncodings:
    TEXT = "企业名称,楼宇,面积（㎡）\r\n北京某某科技有限公司,国贸大厦,1200\r\n上海某某商贸有限公司,环球中心,85.5\r\n"
    EXPECTED = Table(
        headers=["企业名称", "楼宇", "面积（㎡）"],
        rows=[
            (2, {"企业名称": "北京某某科技有限公司", "楼宇": "国贸大厦", "面积（㎡）": "1200"}),
            (3, {"企业名称": "上海某某商贸有限公司", "楼宇": "环球中心", "面积（㎡）": "85.5"}),
        ],
    )

    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
    def test_utf8_bom_gbk_and_utf16_read_identically(self, encoding: str) -> None:
        assert read_table(_csv(self.TEXT, encoding), filename="企业名单.csv") == self.EXPECTED

    def test_gbk_with_rare_characters_reads_as_gb18030(self) -> None:
        table = read_table(_csv("名称\r\n䶮记商行\r\n", "gb18030"), filename="a.csv")
        assert table.rows == [(2, {"名称": "䶮记商行"})]

    def test_undecodable_bytes_are_refused(self) -> None:
        error = _invalid(b"a,b\r\n\xff,1\r\n", "a.csv")
        assert "编码" in error.detail

    def test_control_characters_are_refused_naming_the_line(self) -> None:
        error = _invalid("名称\n甲\n乙\x01\n".encode(), "a.csv")
        assert "第 3 行" in error.detail


class TestCsvLayout:
    @pytest.mark.parametrize("delimiter", [";", "\t", ","])
    def test_delimiter_is_detected(self, delimiter: str) -> None:
        remark = "a,b" if delimiter != "," else "ab"
        text = delimiter.join(["名称", "面积", "备注"]) + "\n" + delimiter.join(["甲", "12.5", remark])
        table = read_table(text.encode(), filename="a.csv")
        assert table.headers == ["名称", "面积", "备注"]
        assert table.rows[0][1]["面积"] == "12.5"

    def test_semicolon_file_with_decimal_commas(self) -> None:
        table = read_table("名称;面积\n甲;12,5\n乙;3\n".encode(), filename="a.csv")
        assert table.rows == [(2, {"名称": "甲", "面积": "12,5"}), (3, {"名称": "乙", "面积": "3"})]

    def test_single_column_defaults_to_comma(self) -> None:
        table = read_table("名称\n甲\n乙\n".encode(), filename="a.csv")
        assert table.rows == [(2, {"名称": "甲"}), (3, {"名称": "乙"})]

    def test_cells_are_stripped_and_empty_rows_skipped_keeping_excel_row_numbers(self) -> None:
        table = read_table("\n  名称 , 面积 \n\n 甲 ,\u300012 \n,\n乙,3\n".encode(), filename="a.csv")
        assert table.headers == ["名称", "面积"]
        assert table.rows == [(4, {"名称": "甲", "面积": "12"}), (6, {"名称": "乙", "面积": "3"})]

    def test_a_quoted_line_break_is_one_row(self) -> None:
        table = read_table('名称,备注\n甲,"第一行\n第二行"\n乙,无\n'.encode(), filename="a.csv")
        assert table.rows == [(2, {"名称": "甲", "备注": "第一行\n第二行"}), (3, {"名称": "乙", "备注": "无"})]

    def test_short_rows_are_padded(self) -> None:
        table = read_table("名称,面积,备注\n甲\n".encode(), filename="a.csv")
        assert table.rows == [(2, {"名称": "甲", "面积": "", "备注": ""})]

    def test_trailing_empty_cells_are_ignored(self) -> None:
        table = read_table("名称,面积,,\n甲,12,,\n".encode(), filename="a.csv")
        assert table.headers == ["名称", "面积"]
        assert table.rows == [(2, {"名称": "甲", "面积": "12"})]

    def test_row_with_more_cells_than_headers_is_refused_naming_the_row(self) -> None:
        error = _invalid("名称,面积\n甲,12\n乙,3,多余\n".encode(), "楼宇.csv")
        assert "第 3 行 C 列" in error.detail and "楼宇.csv" in error.detail
        assert error.fields == [{"field": "第 3 行 C 列", "message": error.detail.split("”", 1)[1]}]

    def test_duplicate_header_is_refused(self) -> None:
        error = _invalid("名称,面积,名称\n甲,1,乙\n".encode(), "a.csv")
        assert "重复" in error.detail and "A 列和 C 列" in error.detail

    def test_empty_header_is_refused(self) -> None:
        error = _invalid("名称,,面积\n甲,1,2\n".encode(), "a.csv")
        assert "第 1 行 B 列" in error.detail and "为空" in error.detail

    def test_too_many_columns_are_refused(self) -> None:
        header = ",".join(f"列{i}" for i in range(MAX_COLUMNS + 1))
        assert f"{MAX_COLUMNS} 列" in _invalid(header.encode(), "a.csv").detail

    def test_overlong_cell_is_refused_naming_the_cell(self) -> None:
        error = _invalid(("名称,备注\n甲," + "长" * 40_000 + "\n").encode(), "a.csv")
        assert "第 2 行 B 列" in error.detail


# ----- type detection, names, sizes ----------------------------------------------------------------


class TestTypeByContent:
    def test_old_xls_is_refused_with_advice(self) -> None:
        error = _invalid(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), "名单.xls")
        assert "不支持 .xls 旧格式，请另存为 .xlsx 或 CSV" in error.detail

    @pytest.mark.parametrize(
        ("data", "label"),
        [
            (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", "PDF"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
            (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        ],
    )
    def test_pdf_and_images_are_refused(self, data: bytes, label: str) -> None:
        assert label in _invalid(data, "名单.csv").detail

    def test_binary_with_nul_bytes_is_refused(self) -> None:
        assert "二进制" in _invalid(b"MZ\x90\x00\x03\x00\x00\x00", "名单.csv").detail

    def test_random_zip_is_refused(self) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("hello.txt", "你好")
        assert "不是 Excel 工作簿" in _invalid(out.getvalue(), "名单.xlsx").detail

    def test_word_document_is_refused(self) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<document/>")
        assert "不是 Excel 工作簿" in _invalid(out.getvalue(), "名单.docx").detail

    def test_xlsb_is_refused_with_advice(self) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.bin", b"\x83\x01")
        assert ".xlsb" in _invalid(out.getvalue(), "名单.xlsb").detail

    def test_corrupt_xlsx_is_refused(self) -> None:
        data = write_table(["名称"], [["甲"]], fmt="xlsx")
        assert "损坏" in _invalid(data[: len(data) // 2], "名单.xlsx").detail

    def test_empty_file_is_refused(self) -> None:
        assert "空" in _invalid(b"", "名单.csv").detail

    def test_file_of_blank_lines_is_refused(self) -> None:
        assert "表头" in _invalid(b"\xef\xbb\xbf\r\n  \r\n,,\r\n", "名单.csv").detail


class TestDeclaredTypeMustAgree:
    def test_csv_name_holding_a_workbook_is_refused(self) -> None:
        error = _invalid(write_table(["名称"], [["甲"]], fmt="xlsx"), "名单.csv")
        assert ".csv" in error.detail and "不符" in error.detail

    def test_xlsx_name_holding_text_is_refused(self) -> None:
        assert "不符" in _invalid("名称\n甲\n".encode(), "名单.xlsx").detail

    def test_xls_name_holding_a_workbook_is_refused(self) -> None:
        assert ".xls" in _invalid(write_table(["名称"], [["甲"]], fmt="xlsx"), "名单.xls").detail

    def test_unknown_extension_is_refused(self) -> None:
        assert ".pdf" in _invalid("名称\n甲\n".encode(), "名单.pdf").detail

    @pytest.mark.parametrize("declared", ["image/png", "application/pdf", XLSX_TYPE])
    def test_declared_type_naming_another_format_is_refused_for_csv(self, declared: str) -> None:
        assert "声明的类型" in _invalid("名称\n甲\n".encode(), "名单.csv", content_type=declared).detail

    def test_declared_csv_type_is_refused_for_a_workbook(self) -> None:
        data = write_table(["名称"], [["甲"]], fmt="xlsx")
        assert "声明的类型" in _invalid(data, "名单.xlsx", content_type="text/csv").detail

    @pytest.mark.parametrize(
        "declared",
        [None, "", "text/csv; charset=utf-8", "application/vnd.ms-excel", "application/octet-stream", "text/plain"],
    )
    def test_what_browsers_send_for_csv_is_accepted(self, declared: str | None) -> None:
        table = read_table("名称\n甲\n".encode(), filename="名单.csv", content_type=declared)
        assert table.rows == [(2, {"名称": "甲"})]

    @pytest.mark.parametrize("declared", [XLSX_TYPE, "application/octet-stream", None])
    def test_what_browsers_send_for_xlsx_is_accepted(self, declared: str | None) -> None:
        data = write_table(["名称"], [["甲"]], fmt="xlsx")
        assert read_table(data, filename="名单.XLSX", content_type=declared).rows == [(2, {"名称": "甲"})]

    @pytest.mark.parametrize("filename", ["名单", "名单v1.0", "C:\\Users\\张三\\桌面\\名单.csv", "名单.txt"])
    def test_names_without_a_conflicting_extension_are_judged_by_content(self, filename: str) -> None:
        assert read_table("名称\n甲\n".encode(), filename=filename).headers == ["名称"]


class TestLimits:
    def test_oversized_input_is_413_before_anything_is_parsed(self) -> None:
        data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(MAX_UPLOAD_BYTES)  # an .xls: size wins over type
        with pytest.raises(FileTooLarge) as caught:
            read_table(data, filename="大文件.xls")
        assert caught.value.status_code == 413
        assert "大文件.xls" in caught.value.detail and "20 MB" in caught.value.detail

    def test_custom_cap(self) -> None:
        with pytest.raises(FileTooLarge):
            read_table(b"a" * 1001, filename="a.csv", max_bytes=1000)
        assert read_table(b"a\n" * 500, filename="a.csv", max_bytes=1000).headers == ["a"]

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_max_rows_exceeded_is_refused_with_the_limit(self, fmt: str) -> None:
        data = write_table(["名称"], [[f"企业{i}"] for i in range(6)], fmt=fmt)  # type: ignore[arg-type]
        assert "5 行" in _invalid(data, f"a.{fmt}", max_rows=5).detail
        assert len(read_table(data, filename=f"a.{fmt}", max_rows=6).rows) == 6

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_header_only_file_has_no_rows(self, fmt: str) -> None:
        table = read_table(write_table(["名称", "面积"], [], fmt=fmt), filename=f"a.{fmt}")  # type: ignore[arg-type]
        assert table == Table(headers=["名称", "面积"], rows=[])


# ----- xlsx safety ---------------------------------------------------------------------------------


class TestXlsxSafety:
    def test_openpyxl_parses_xml_through_defusedxml(self) -> None:
        assert openpyxl.xml.DEFUSEDXML is True
        # The two parsers openpyxl uses on a sheet and on shared strings are defusedxml's.
        assert openpyxl.worksheet._reader.iterparse is defusedxml.ElementTree.iterparse
        assert openpyxl.reader.strings.iterparse is defusedxml.ElementTree.iterparse

    def test_zip_bomb_sheet_is_refused_before_decompression(self) -> None:
        payload, crc = _deflated_zeros(500)
        data = _raw_zip([*_workbook_skeleton(), (SHEET, payload, crc, 500 << 20)])
        assert len(data) < 1_000_000
        error = _invalid(data, "炸弹.xlsx")
        assert "解压后的体积异常" in error.detail

    def test_member_with_extreme_compression_ratio_is_refused(self) -> None:
        payload, crc = _deflated_zeros(20)  # under the total cap, but ~1000:1
        data = _raw_zip([*_workbook_skeleton(), (SHEET, payload, crc, 20 << 20)])
        assert "压缩比" in _invalid(data, "炸弹.xlsx").detail

    def test_member_lying_about_its_size_is_cut_off_and_refused(self) -> None:
        payload, crc = _deflated_zeros(500)
        data = _raw_zip([*_workbook_skeleton(), (SHEET, payload, crc, 1024)])  # declares 1 KB, holds 500 MB
        assert "损坏" in _invalid(data, "炸弹.xlsx").detail

    def test_too_many_members_are_refused(self) -> None:
        base = write_table(["名称"], [["甲"]], fmt="xlsx")
        data = _with_members(base, add={f"xl/media/x{i}.txt": b"x" for i in range(1000)})
        assert "1000" in _invalid(data, "a.xlsx").detail

    @pytest.mark.parametrize("member", ["../../etc/cron.d/evil", "/etc/passwd", "xl\\..\\evil.xml", "C:/evil.xml"])
    def test_path_traversal_names_are_refused(self, member: str) -> None:
        data = _with_members(write_table(["名称"], [["甲"]], fmt="xlsx"), add={member: b"x"})
        assert "非法的路径" in _invalid(data, "a.xlsx").detail

    @pytest.mark.parametrize("member", ["xl/embeddings/inner.zip", "xl/embeddings/oleObject1.bin"])
    def test_nested_archives_are_refused(self, member: str) -> None:
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as archive:
            archive.writestr("a.txt", "a")
        data = _with_members(write_table(["名称"], [["甲"]], fmt="xlsx"), add={member: inner.getvalue()})
        assert "内嵌" in _invalid(data, "a.xlsx").detail

    @pytest.mark.parametrize("member", [SHEET, "xl/sharedStrings.xml", "xl/workbook.xml"])
    def test_billion_laughs_is_refused_not_expanded(self, member: str) -> None:
        entities = '<!ENTITY lol "lol">' + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
        )
        prolog = f"<!DOCTYPE worksheet [{entities}]>"
        bomb = _sheet_xml(f'<row r="1">{_cell("A1", "&lol9;")}</row>', prolog)
        if member != SHEET:
            bomb = f'<?xml version="1.0"?><!DOCTYPE x [{entities}]><x>&lol9;</x>'.encode()
        data = _with_members(_excel_saved([["名称"], ["甲"]]), replace={member: bomb})
        assert "不安全的 XML" in _invalid(data, "a.xlsx").detail

    def test_external_entity_is_refused(self) -> None:
        prolog = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        sheet = _sheet_xml(f'<row r="1">{_cell("A1", "名称")}</row><row r="2">{_cell("A2", "&xxe;")}</row>', prolog)
        data = _with_members(write_table(["名称"], [["甲"]], fmt="xlsx"), replace={SHEET: sheet})
        assert "不安全的 XML" in _invalid(data, "a.xlsx").detail

    def test_far_away_rows_neither_pad_nor_hang(self) -> None:
        rows = (
            f'<row r="1">{_cell("A1", "名称")}{_cell("B1", "面积")}</row>'
            f'<row r="2">{_cell("A2", "甲")}</row>'
            f'<row r="300000">{_cell("B300000", "乙")}</row>'
            f'<row r="99999999">{_cell("A99999999", "超出 Excel 行数")}</row>'
        )
        sheet = _sheet_xml(rows).replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
        data = _with_members(write_table(["名称"], [["甲"]], fmt="xlsx"), replace={SHEET: sheet})
        table = read_table(data, filename="a.xlsx")
        assert table.rows == [(2, {"名称": "甲", "面积": ""}), (300000, {"名称": "", "面积": "乙"})]

    def test_cells_far_to_the_right_are_not_padded(self) -> None:
        # 50,000 tiny rows each touching column XFD: padded, that would be 800 million empty cells.
        far = "".join(f'<row r="{n}"><c r="XFD{n}"/></row>' for n in range(2, 50_002))
        sheet = _sheet_xml(f'<row r="1">{_cell("A1", "名称")}</row>{far}')
        data = _with_members(write_table(["名称"], [["甲"]], fmt="xlsx"), replace={SHEET: sheet})
        assert read_table(data, filename="a.xlsx") == Table(headers=["名称"], rows=[])


# ----- xlsx cells --------------------------------------------------------------------------------


class TestXlsxCells:
    def test_values_become_text_the_way_a_clerk_reads_them(self) -> None:
        row: list[object] = [
            12.0,
            12.5,
            0.1 + 0.2,
            -7,
            True,
            False,
            date(2024, 1, 2),
            datetime(2024, 1, 2, 0, 0),
            datetime(2024, 1, 2, 10, 30),
            None,
            "  两端空格  ",
            "=1+1",
        ]
        headers = [f"列{i}" for i in range(len(row))]
        table = read_table(_excel_like([headers, row]), filename="a.xlsx")
        expected = ["12", "12.5", "0.3", "-7", "是", "否", "2024-01-02", "2024-01-02", "2024-01-02 10:30:00"]
        expected += ["", "两端空格"]
        # A formula is read as its cached value; openpyxl saves none, so it is empty here.
        assert table.rows == [(2, dict(zip(headers, [*expected, ""], strict=True)))]

    def test_row_numbers_are_the_sheet_rows(self) -> None:
        data = _excel_like([["名称", "面积"], ["甲", 1], [None, None], ["乙", 2]], start_row=3)
        table = read_table(data, filename="a.xlsx")
        assert [number for number, _ in table.rows] == [4, 6]

    def test_excel_saved_layout_reads_the_same(self) -> None:
        rows: list[list[object]] = [["名称", "面积", "入驻日期", "更新时间", "重点"], ["甲", 12.0, date(2024, 1, 2)]]
        rows.append(["乙", 85.5, None, datetime(2024, 1, 2, 10, 30), True])
        table = read_table(_excel_saved(rows), filename="a.xlsx")
        assert table.rows == [
            (2, {"名称": "甲", "面积": "12", "入驻日期": "2024-01-02", "更新时间": "", "重点": ""}),
            (3, {"名称": "乙", "面积": "85.5", "入驻日期": "", "更新时间": "2024-01-02 10:30:00", "重点": "是"}),
        ]

    def test_only_the_first_worksheet_is_read(self) -> None:
        table = read_table(_excel_like([["名称"], ["甲"]], extra_sheet=True), filename="a.xlsx")
        assert table == Table(headers=["名称"], rows=[(2, {"名称": "甲"})])

    def test_content_right_of_the_headers_is_refused_naming_the_cell(self) -> None:
        data = _excel_like([["名称", "面积"], ["甲", 1, None, None, "多余"]])
        assert "第 2 行 E 列" in _invalid(data, "a.xlsx").detail

    def test_empty_workbook_is_refused(self) -> None:
        assert "表头" in _invalid(_excel_like([]), "a.xlsx").detail


# ----- exports -----------------------------------------------------------------------------------

CMD = "=cmd|' /C calc'!A0"


class TestNeutralise:
    @pytest.mark.parametrize(
        "value",
        [CMD, "=1+1", "+86 138 0000 0000", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1", "\r=1", "- 列表项"],
    )
    def test_formula_starts_get_an_apostrophe(self, value: str) -> None:
        assert neutralise(value) == "'" + value

    @pytest.mark.parametrize(
        "value", ["-12.5", "+12", "-3", "普通文本", "", "a=b", "'单引号", -12.5, -3, Decimal("-1.20"), None, True]
    )
    def test_other_values_are_unchanged(self, value: object) -> None:
        assert neutralise(value) == value

    def test_csv_output_neutralises_formula_cells(self) -> None:
        data = write_table(["=表头", "金额"], [[CMD, -12.5], ["@x", "-12.5"]], fmt="csv")
        assert data == "\ufeff'=表头,金额\r\n'=cmd|' /C calc'!A0,-12.5\r\n'@x,-12.5\r\n".encode()

    def test_xlsx_output_neutralises_formula_cells(self) -> None:
        data = write_table(["名称", "备注"], [[CMD, "+1"], ["@x", "-1+1"]], fmt="xlsx")
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert b"<f>" not in archive.read(SHEET)
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        # Stored as text with the quote-prefix style: shown as typed, never run, no apostrophe to see.
        assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)] == [[CMD, "+1"], ["@x", "-1+1"]]
        assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row)
        assert [[cell.quotePrefix for cell in row] for row in sheet.iter_rows(min_row=2)] == [
            [True, False],
            [True, True],
        ]


class TestWriteTable:
    def test_csv_is_utf8_with_bom_and_crlf(self) -> None:
        data = write_table(["名称", "日期"], [["北京", date(2024, 1, 2)], ["多行\n文本", None]], fmt="csv")
        assert data.startswith(b"\xef\xbb\xbf")
        assert data.decode("utf-8-sig") == '名称,日期\r\n北京,2024-01-02\r\n"多行\n文本",\r\n'

    def test_xlsx_keeps_numbers_and_dates_typed_with_a_bold_frozen_header(self) -> None:
        rows = [["甲", 12, -12.5, Decimal("12.30"), date(2024, 1, 2), datetime(2024, 1, 2, 9, 30), 10**17, True]]
        data = write_table(["名称", "整数", "小数", "金额", "日期", "时间", "长编号", "重点"], rows, fmt="xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.b is True
        values = [cell.value for cell in sheet[2]]
        assert values == [
            "甲",
            12,
            -12.5,
            12.3,
            datetime(2024, 1, 2),
            datetime(2024, 1, 2, 9, 30),
            "100000000000000000",
            "是",
        ]
        assert sheet["D2"].number_format == "#,##0.00"
        assert sheet["E2"].is_date and sheet["F2"].is_date
        assert sheet.column_dimensions["A"].width >= 8

    def test_sheet_title_is_made_valid(self) -> None:
        data = write_table(["名称"], [], fmt="xlsx", sheet_title="楼宇/企业:2024[全部]")
        assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["楼宇企业2024全部"]

    def test_row_width_must_match_headers(self) -> None:
        with pytest.raises(ValueError):
            write_table(["名称"], [["甲", "乙"]], fmt="csv")


class TestRoundTrip:
    HEADERS = ["企业名称", "信用代码", "面积", "税收（万元）", "入驻日期", "更新时间", "重点", "备注"]
    HEADERS += ["文本数字", "长编号"]
    ROWS: list[list[object]] = [
        ["北京某某科技有限公司", "91110105MA01234567", 1200, 12.5, date(2024, 3, 1), datetime(2024, 3, 1, 9, 30, 15)]
        + [True, CMD, "-12.5", 123456789012345678],
        ['上海"引号",逗号；分号', "", -3, -12.5, None, datetime(2024, 1, 2), False, "+86 138", "@SUM(A1)", None],
        ["多行\n文本", None, 0, 0.1, date(2000, 1, 1), None, None, "'单引号开头", "\t制表符", 7],
    ]
    EXPECTED = [
        ["北京某某科技有限公司", "91110105MA01234567", "1200", "12.5", "2024-03-01", "2024-03-01 09:30:15"]
        + ["是", CMD, "-12.5", "123456789012345678"],
        ['上海"引号",逗号；分号', "", "-3", "-12.5", "", "2024-01-02", "否", "+86 138", "@SUM(A1)", ""],
        ["多行\n文本", "", "0", "0.1", "2000-01-01", "", "", "'单引号开头", "制表符", "7"],
    ]

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_export_then_import_gives_back_the_text(self, fmt: str) -> None:
        data = write_table(self.HEADERS, self.ROWS, fmt=fmt)  # type: ignore[arg-type]
        table = read_table(data, filename=download_name("企业名单", fmt), content_type=media_type(fmt))  # type: ignore[arg-type]
        assert table.headers == self.HEADERS
        expected = [dict(zip(self.HEADERS, row, strict=True)) for row in self.EXPECTED]
        assert table.rows == list(enumerate(expected, start=2))


class TestDownloadHelpers:
    def test_media_types(self) -> None:
        assert media_type("csv") == "text/csv; charset=utf-8"
        assert media_type("xlsx") == XLSX_TYPE

    def test_download_name_has_the_date_and_a_safe_base(self) -> None:
        assert download_name("楼宇名单", "xlsx", on=date(2026, 12, 1)) == "楼宇名单_20261201.xlsx"
        assert download_name('a/b\\c:"d"', "csv", on=date(2026, 12, 1)) == "a_b_c_d_20261201.csv"
        assert download_name("", "csv", on=date(2026, 12, 1)) == "导出_20261201.csv"

    def test_content_disposition_carries_the_chinese_name(self) -> None:
        value = content_disposition("楼宇名单_20261201.xlsx")
        assert value == (
            'attachment; filename="export_20261201.xlsx"; '
            "filename*=UTF-8''%E6%A5%BC%E5%AE%87%E5%90%8D%E5%8D%95_20261201.xlsx"
        )
        assert content_disposition('report "q".csv') == (
            "attachment; filename=\"report_q.csv\"; filename*=UTF-8''report%20%22q%22.csv"
        )
        value.encode("latin-1")  # a header value must be sendable as-is


# ----- timing ------------------------------------------------------------------------------------


def test_read_10k_rows_by_15_columns_timing(capsys: pytest.CaptureFixture[str]) -> None:
    headers = [f"字段{i}" for i in range(15)]
    rows = [
        [f"企业{i}", i, i * 1.5, date(2024, 1, 1), f"北京市朝阳区建国路{i % 100}号", i * 3.25, "是", "备注"]
        + [i % 7, -i, f"91110000{i:010d}", None, "正常", datetime(2024, 1, 1, 10, 30), i * 11]
        for i in range(10_000)
    ]
    data = _excel_saved([headers, *rows])  # laid out as Excel/WPS save it, which is what clerks upload
    started = time.perf_counter()
    table = read_table(data, filename="10k.xlsx")
    elapsed = time.perf_counter() - started
    assert len(table.rows) == 10_000
    last = ["企业9999", "9999", "14998.5", "2024-01-01", "北京市朝阳区建国路99号", "32496.75", "是", "备注", "3"]
    last += ["-9999", "911100000000009999", "", "正常", "2024-01-01 10:30:00", "109989"]
    assert table.rows[-1] == (10_001, dict(zip(headers, last, strict=True)))
    with capsys.disabled():
        print(f"\n[timing] read_table 10,000 rows x 15 columns (.xlsx, {len(data) // 1024} KB): {elapsed:.2f} s")
