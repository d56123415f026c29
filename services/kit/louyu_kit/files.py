"""The file layer of imports and exports (registry, metrics): bytes in, a table of texts out, and back.

Reading trusts nothing about an upload:

- the size cap is checked first (413), before anything looks inside;
- the type is decided by the content, never by the name or the declared content type; a name or
  content type that names another format is refused too (a ``.csv`` holding a zip, ``image/png``
  holding text);
- an ``.xlsx`` is inspected with ``zipfile`` before openpyxl opens it (member count, names, declared
  sizes, compression ratios, nested archives), and openpyxl parses its XML through defusedxml, so an
  entity declaration (billion laughs, external entities) is refused instead of expanded;
- the first sheet is read in openpyxl's read-only mode with explicit bounds, never the file's declared
  dimension: at most ``MAX_COLUMNS + 1`` columns and ``EXCEL_MAX_ROWS`` rows are materialised, so a
  tiny file cannot make the reader pad millions of empty cells. A header wider than ``MAX_COLUMNS``
  or anything in the column after it is refused; cells further right than that are not seen at all.

Every refusal is an ``Invalid`` (422) or ``FileTooLarge`` (413) whose Chinese detail names the file
and, where there is one, the row and column as the user sees them in Excel.

Formula injection: in CSV every exported string starting with ``= + - @``, tab or CR gets a leading
apostrophe (``neutralise``), except a string that is a plain decimal number such as ``-12.5``,
which no spreadsheet runs as a formula. In xlsx such a string is stored as a string cell (never a
formula) with the quote-prefix style, so the cell shows the text as it is, with no apostrophe, and
editing it keeps it text. On import exactly one leading apostrophe is removed when
the rest starts with one of those characters, so an export imports back to the original text.
A clerk never types that apostrophe into a cell's value: in Excel and WPS it is only an input
prefix and is not saved, so the rule does not eat real data.
"""

from __future__ import annotations

import codecs
import csv
import ctypes
import gc
import io
import logging
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from itertools import chain, islice
from typing import Any, Literal
from urllib.parse import quote

# defusedxml must be importable when openpyxl is first imported: openpyxl decides once, at import,
# whether to parse through it (openpyxl.xml.DEFUSEDXML). Import it explicitly so a missing package
# fails here, loudly, and check below that openpyxl really took it.
import defusedxml
import defusedxml.ElementTree
import openpyxl
import openpyxl.xml
import openpyxl.xml.functions
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from starlette.responses import StreamingResponse

from louyu_kit.errors import Invalid, LouyuError
from louyu_kit.types import text_problem

log = logging.getLogger("louyu.files")

Format = Literal["csv", "xlsx"]

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 256
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
# Data rows × header columns: a sheet within the size limit can hold millions of cells, and every
# one kept costs memory; refused as soon as the count passes this.
MAX_CELLS = 2_000_000
EXCEL_MAX_ROWS = 1_048_576
# The first cell of a template's example row starts with this; the reader skips such rows.
EXAMPLE_MARK = "【示例】"

# Limits of the zip container of an .xlsx, checked before openpyxl reads a byte of XML.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 1000
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 1024 * 1024  # small parts (styles, rels) legitimately compress very well

_CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")
_FORMULA_CHARS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_BINARY_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF 文件"),
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"Rar!\x1a\x07", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"{\\rtf", "RTF 文档"),
)
_NESTED_ARCHIVE_SUFFIXES = (".zip", ".xlsx", ".xlsm", ".xlsb", ".docx", ".docm", ".pptx", ".jar", ".7z", ".rar", ".gz")

_EXTENSIONS: dict[str, Format] = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx"}
_GENERIC_TYPES = {
    "",
    "application/octet-stream",
    "binary/octet-stream",
    "application/unknown",
    "application/x-unknown",
    "application/force-download",
    "application/x-download",
}
# Windows reports .csv as application/vnd.ms-excel wherever Excel or WPS is installed.
_DECLARED_TYPES: dict[Format, set[str]] = {
    "csv": {
        "text/csv",
        "text/plain",
        "text/x-csv",
        "text/comma-separated-values",
        "text/x-comma-separated-values",
        "text/tab-separated-values",
        "application/csv",
        "application/x-csv",
        "application/vnd.ms-excel",
    },
    "xlsx": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-excel",
        "application/wps-office.xlsx",
        "application/zip",
        "application/x-zip-compressed",
    },
}
_KIND_NAMES: dict[Format, str] = {"csv": "CSV 文本", "xlsx": "Excel 工作簿（.xlsx）"}
_MEDIA_TYPES: dict[Format, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_PLEASE = "请上传 Excel（.xlsx）或 CSV 文件"


def _xml_is_defused() -> bool:
    return bool(openpyxl.xml.DEFUSEDXML) and openpyxl.xml.functions.iterparse is defusedxml.ElementTree.iterparse


if not _xml_is_defused():  # e.g. OPENPYXL_DEFUSEDXML=False in the environment: refuse to run unguarded
    raise ImportError("openpyxl is not parsing XML through defusedxml; .xlsx imports would be open to XML bombs")


def _no_declared_size(self: ReadOnlyWorksheet) -> None:
    """openpyxl looks for a read-only sheet's declared size as it opens the workbook, and when
    the sheet has no <dimension> element it parses the whole sheet to find out (a minute for a
    few million cells, before our first row). The declared size is the file's word anyway: the
    reader resets it and bounds the rows and columns itself."""


ReadOnlyWorksheet._get_size = _no_declared_size  # type: ignore[method-assign]

# openpyxl warns about features it drops (data validation, conditional formatting): noise for us.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\..*)?$")


class FileTooLarge(LouyuError):
    """The upload is over the size cap (413)."""

    status_code = 413
    default_detail = "上传的文件过大"


@dataclass(frozen=True)
class Table:
    """A sheet read as text: the header row and the data rows under it."""

    headers: list[str]
    # (row number as the user sees it in Excel, {header: cell text}); fully empty rows are skipped
    rows: list[tuple[int, dict[str, str]]]


# ---------------------------------------------------------------------------------------------------
# Reading


def read_table(
    data: bytes,
    *,
    filename: str,
    content_type: str | None = None,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_rows: int = MAX_ROWS,
    check_headers: Callable[[list[str]], None] | None = None,
) -> Table:
    """Read an uploaded .xlsx or CSV into a Table, refusing anything unsafe or malformed.

    ``check_headers`` is called with the header row as soon as it is read, before any data row:
    a file with the wrong columns is refused after one row, not after a million. Rows are
    streamed (openpyxl's read-only mode); columns, rows and cells are capped as they come."""
    name = _display_name(filename)
    if len(data) > max_bytes:
        message = f"大小为 {_megabytes(len(data))}，超过了 {_megabytes(max_bytes)} 的上限，请拆分成多个文件分批导入"
        raise FileTooLarge(f"文件“{name}”{message}", fields=[{"field": "文件", "message": message}])
    if not data:
        raise _refuse(name, "是空的，没有任何内容")
    kind = _detect_kind(data, name)
    if kind == "xlsx":
        _check_zip(data, name)  # also tells a workbook from any other zip before the name is judged
    _check_declared(kind, filename=filename, content_type=content_type, name=name)
    collector = _Collector(name=name, max_rows=max_rows, check_headers=check_headers)
    try:
        if kind == "xlsx":
            return _read_xlsx(data, name=name, collector=collector)
        return _read_csv(data, name=name, collector=collector)
    except LouyuError:
        collector.rows = []
        _give_memory_back(collector.seen)
        raise


def _give_memory_back(rows_seen: int) -> None:
    """After a large refused file, hand the freed memory back to the system (glibc keeps it
    otherwise, and the process stays hundreds of megabytes larger)."""
    if rows_seen < 10_000:
        return
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _detect_kind(data: bytes, name: str) -> Format:
    head = data[:16]
    if head.startswith(_OLE2_MAGIC):
        # Password-protected .xlsx files are OLE2 containers too, hence the second sentence.
        raise _refuse(name, "不支持 .xls 旧格式，请另存为 .xlsx 或 CSV（如文件设置了打开密码，请先取消密码）")
    if head.startswith(_ZIP_MAGICS):
        return "xlsx"
    for magic, label in _BINARY_MAGICS:
        if head.startswith(magic):
            raise _refuse(name, f"是 {label}，无法导入，{_PLEASE}")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"  # Excel's "Unicode 文本" export: UTF-16 with a BOM, so NUL bytes are expected
    if b"\x00" in data:
        raise _refuse(name, f"不是表格文件（含有二进制内容），{_PLEASE}")
    return "csv"


def _check_declared(kind: Format, *, filename: str, content_type: str | None, name: str) -> None:
    suffix = _suffix(filename)
    if suffix and _EXTENSIONS.get(suffix) != kind:
        raise _refuse(
            name,
            f"的扩展名“{suffix}”与文件内容（{_KIND_NAMES[kind]}）不符，请上传扩展名为 .xlsx 或 .csv 的原始文件",
        )
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    if declared not in _GENERIC_TYPES and declared not in _DECLARED_TYPES[kind]:
        raise _refuse(name, f"声明的类型“{declared[:80]}”与文件内容（{_KIND_NAMES[kind]}）不符，{_PLEASE}")


class _Collector:
    """Turns rows of cell texts into a Table: finds the header row, checks it, bounds the rest."""

    def __init__(self, *, name: str, max_rows: int, check_headers: Callable[[list[str]], None] | None = None) -> None:
        self.name = name
        self.max_rows = max_rows
        self.check = check_headers
        self.headers: list[str] | None = None
        self.rows: list[tuple[int, dict[str, str]]] = []
        self.seen = 0  # rows looked at (empty ones included): how far a refused file was read

    @property
    def width(self) -> int:
        return len(self.headers) if self.headers is not None else MAX_COLUMNS + 1

    def add(self, row_number: int, cells: Sequence[str]) -> None:
        self.seen += 1
        if not any(cells):
            return
        if len(cells) > MAX_COLUMNS and any(cells[MAX_COLUMNS:]):
            raise _refuse(self.name, f"第 {row_number} 行超过 {MAX_COLUMNS} 列，请删除多余的列")
        for index, text in enumerate(cells):
            if len(text) > MAX_CELL_CHARS:
                where = _cell_label(row_number, index)
                raise _refuse(name=self.name, message=f"{where}的内容超过 {MAX_CELL_CHARS} 个字符", field=where)
            problem = text_problem(text, multiline=True) if text and not text.isprintable() else None
            if problem is not None:
                where = _cell_label(row_number, index)
                raise _refuse(self.name, f"{where}{problem}，请删除后重新导入", field=where)
        if self.headers is None:
            self.headers = self._check_headers(row_number, cells)
            if self.check is not None:
                self.check(self.headers)
            return
        width = len(self.headers)
        for index in range(width, len(cells)):
            if cells[index]:
                where = _cell_label(row_number, index)
                message = f"{where}有内容，但该列没有表头（表头共 {width} 列），请删除多余内容或补上列名"
                raise _refuse(self.name, message, field=where)
        if cells and cells[0].startswith(EXAMPLE_MARK):
            return  # the template's example row (write_template): shown to the clerk, never imported
        if len(self.rows) >= self.max_rows:
            raise _refuse(self.name, f"的数据超过 {self.max_rows} 行的上限，请拆分成多个文件分批导入")
        if (len(self.rows) + 1) * width > MAX_CELLS:
            raise _refuse(
                self.name, f"的数据超过 {MAX_CELLS:,} 个单元格（行数 × 列数）的上限，请拆分成多个文件分批导入"
            )
        values = list(cells[:width])
        values.extend([""] * (width - len(values)))
        self.rows.append((row_number, dict(zip(self.headers, values, strict=True))))

    def _check_headers(self, row_number: int, cells: Sequence[str]) -> list[str]:
        headers = list(cells)
        while headers and not headers[-1]:
            headers.pop()  # trailing empty cells: Excel keeps them wherever a cell to the right was touched
        if len(headers) > MAX_COLUMNS:
            raise _refuse(self.name, f"第 {row_number} 行（表头）超过 {MAX_COLUMNS} 列，请删除多余的列")
        problems: list[dict[str, str]] = []
        first_column: dict[str, int] = {}
        for index, header in enumerate(headers):
            where = _cell_label(row_number, index)
            if not header:
                problems.append({"field": where, "message": f"表头{where}为空，请填写列名"})
            elif header in first_column:
                earlier = get_column_letter(first_column[header] + 1)
                message = f"表头“{header}”重复（{earlier} 列和 {get_column_letter(index + 1)} 列），请修改列名"
                problems.append({"field": where, "message": message})
            else:
                first_column[header] = index
        if problems:
            detail = f"文件“{self.name}”{problems[0]['message']}"
            if len(problems) > 1:
                detail += f"（表头共 {len(problems)} 处问题）"
            raise Invalid(detail, fields=problems)
        return headers

    def table(self) -> Table:
        if self.headers is None:
            raise _refuse(self.name, "是空的：没有找到表头行")
        return Table(headers=self.headers, rows=self.rows)


# --- CSV


def _read_csv(data: bytes, *, name: str, collector: _Collector) -> Table:
    text = _decode(data, name)
    control = _CONTROL_CHARS.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        where = f"第 {line} 行"
        raise _refuse(name, f"{where}含有无法识别的控制字符，不是有效的 CSV 文本，{_PLEASE}", field=where)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    row_number = 0
    try:
        # One record is one Excel row, even when a quoted cell spans several lines.
        for row_number, record in enumerate(reader, start=1):
            collector.add(row_number, [_import_text(cell) for cell in record])
    except csv.Error:
        where = f"第 {row_number + 1} 行"
        raise _refuse(name, f"{where}无法读取（单元格过长或引号不成对），请检查后重新保存", field=where) from None
    return collector.table()


def _decode(data: bytes, name: str) -> str:
    """UTF-8 with BOM, UTF-16 with BOM, UTF-8, then GBK (as GB18030, its superset), in that order."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise _refuse(name, "的文字编码无法识别，请在 Excel 或 WPS 中另存为“CSV UTF-8”或 GBK 编码的 CSV") from None
    return text.removesuffix("\x1a")  # a DOS end-of-file mark some old systems still append


def _delimiter(text: str) -> str:
    """`,` `;` or tab, sniffed on a sample of whole lines; `,` when unsure."""
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # The Sniffer can be fooled by a short or ragged sample; the header line must at least contain it.
    first_line = next((line for line in sample.splitlines() if line.strip()), "")
    if delimiter not in first_line:
        counts = {candidate: first_line.count(candidate) for candidate in (",", ";", "\t")}
        best = max(counts, key=lambda candidate: counts[candidate])
        delimiter = best if counts[best] else ","
    return delimiter


# --- xlsx


def _read_xlsx(data: bytes, *, name: str, collector: _Collector) -> Table:
    """The first worksheet of a workbook that `_check_zip` has passed."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises anything from KeyError to TypeError on a broken file
        if _caused_by_unsafe_xml(exc):
            raise _unsafe_xml(name) from None
        log.info("unreadable xlsx refused: %s", type(exc).__name__)
        raise _refuse(name, "已损坏或不是有效的 Excel 工作簿，无法读取，请在 Excel 或 WPS 中重新另存为 .xlsx") from None
    try:
        if not workbook.worksheets:
            raise _refuse(name, "中没有工作表")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared dimension is the file's word; the bounds below are ours
        # Streamed row by row, each row as wide as its own cells (no padding to a fixed width).
        rows = sheet.iter_rows(min_row=1, max_row=EXCEL_MAX_ROWS, min_col=1, values_only=True)
        for row_number, values in enumerate(rows, start=1):
            if values.count(None) == len(values):
                collector.seen += 1
                continue
            width = collector.width
            cells = [_import_text(value) for value in values[:width]]
            rest = values[width:]
            if rest.count(None) != len(rest):
                cells.extend(_import_text(value) for value in rest)
            collector.add(row_number, cells)
        return collector.table()
    except LouyuError:
        raise
    except Exception as exc:
        if _caused_by_unsafe_xml(exc):
            raise _unsafe_xml(name) from None
        log.info("unreadable xlsx sheet refused: %s", type(exc).__name__)
        raise _refuse(name, "的工作表已损坏，无法读取，请在 Excel 或 WPS 中重新另存为 .xlsx") from None
    finally:
        workbook.close()


_PROLOG_BYTES = 4096  # a DTD must come before the root element, so it is within a part's first bytes
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_zip(data: bytes, name: str) -> None:
    """Refuse zip bombs, traversal names, nested archives and non-workbooks before openpyxl opens it."""
    damaged = _refuse(name, "已损坏，无法作为 Excel 工作簿打开，请在 Excel 或 WPS 中重新另存为 .xlsx")
    bomb = _refuse(
        name,
        f"解压后的体积异常（超过 {_megabytes(MAX_UNCOMPRESSED_BYTES)} 或压缩比超过 {MAX_COMPRESSION_RATIO}:1），"
        "可能是恶意构造的文件，已拒绝",
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise damaged from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise _refuse(name, f"包含的内部文件超过 {MAX_ZIP_MEMBERS} 个，不是正常的 Excel 工作簿，已拒绝")
        total = 0
        names: set[str] = set()
        for member in members:
            if _unsafe_member_name(member):
                raise _refuse(name, "内部含有非法的路径名称，可能是恶意构造的文件，已拒绝")
            if member.filename in names:
                raise damaged
            names.add(member.filename)
            if member.flag_bits & 0x1:
                raise _refuse(name, "已加密，请取消密码后重新保存再上传")
            if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise damaged
            total += member.file_size
            ratio_too_high = member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
            if total > MAX_UNCOMPRESSED_BYTES or (member.file_size > RATIO_CHECKED_FROM_BYTES and ratio_too_high):
                raise bomb
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            if "xl/workbook.bin" in names:
                raise _refuse(name, "是 .xlsb 二进制工作簿，不支持，请另存为 .xlsx 或 CSV")
            raise _refuse(name, f"是压缩包或其他文档，不是 Excel 工作簿（.xlsx），{_PLEASE}")
        try:
            for member in members:
                if member.is_dir():
                    continue
                nested = member.filename.lower().endswith(_NESTED_ARCHIVE_SUFFIXES)
                head = b""
                if not nested and member.file_size >= 4:
                    with archive.open(member) as stream:
                        head = stream.read(_PROLOG_BYTES)
                    nested = head[:4] in _ZIP_MAGICS
                if nested:
                    raise _refuse(name, "内嵌了其他压缩文件或文档，不能导入，请删除嵌入的对象后重新保存再上传")
                # Excel and WPS never write a DTD; refusing one here does not depend on which XML
                # parser openpyxl picked (lxml when installed, else the standard library).
                if _DTD.search(head):
                    raise _unsafe_xml(name)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise damaged from None


def _unsafe_member_name(member: zipfile.ZipInfo) -> bool:
    raw = member.orig_filename
    return (
        len(raw) > 500
        or "\x00" in raw
        or "\\" in raw
        or raw.startswith("/")
        or re.match(r"[A-Za-z]:", raw) is not None
        or ".." in raw.split("/")
        or _CONTROL_CHARS.search(raw) is not None
    )


def _caused_by_unsafe_xml(exc: BaseException) -> bool:
    """defusedxml refused an entity declaration somewhere down the chain (openpyxl wraps it in a ValueError)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, defusedxml.DefusedXmlException):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _unsafe_xml(name: str) -> Invalid:
    return _refuse(name, "含有不安全的 XML 内容（实体声明），可能是恶意构造的文件，已拒绝")


# --- cells, shared by reading and writing


def _import_text(value: object) -> str:
    """The text of one imported cell: stripped, with an export's formula guard taken off."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 1 and text[0] == "'" and text.startswith(_FORMULA_CHARS, 1):
            text = text[1:].strip()
        return text
    return _scalar_text(value)


def _scalar_text(value: object) -> str:
    """Text of a non-string value, the same for an xlsx cell read back and a CSV cell written."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))  # Excel stores every number as a float: 12 must not come back as 12.0
        return format(value, ".15g")  # Excel's 15 significant digits: 0.1 + 0.2 reads as 0.3
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        # A date typed in Excel reads back as a datetime at midnight; a real time of day is kept, not dropped.
        if value.time() == time(0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return _neutralise_text(str(value))


def neutralise(value: object) -> object:
    """Guard one export cell against formula injection: only strings change (see the module docstring)."""
    if isinstance(value, str):
        return _neutralise_text(value)
    return value


def _neutralise_text(text: str) -> str:
    if text.startswith(_FORMULA_CHARS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


# ---------------------------------------------------------------------------------------------------
# Writing
#
# An export is streamed: CSV a few hundred rows at a time; xlsx as a zip written to no seekable
# file, member by member. The small parts of the workbook (styles, the workbook with its print
# titles, the 口径说明 sheet, the data sheet's set-up) are made by openpyxl from a one-row
# workbook; the data sheet's rows are then written as XML straight into its zip member between
# that sheet's header row and ``</sheetData>``. Memory stays flat whatever the row count, and the
# first bytes leave before the last row is read from the database.

# 年月日 as Excel and WPS show a date cell (a real date: sorting and filtering work on it).
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm:ss'
TIME_FORMAT = "hh:mm:ss"
TEXT_FORMAT = "@"
AMOUNT_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"
# A header naming one of these units holds amounts or areas: thousands separators, two places.
_UNIT_HEADER = re.compile(r"[(（][^)）]*(?:元|㎡|平方米)[^)）]*[)）]")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_SAMPLE_ROWS = 200  # column widths are judged on the first rows (they must precede the rows)
_ROWS_PER_WRITE = 500
_CSV_ROWS_PER_CHUNK = 2000


@dataclass(frozen=True)
class ExportNotes:
    """What the figures of an export mean: a titled table (headers and rows of text)."""

    title: str
    headers: list[str]
    rows: list[list[str]]


def write_table(
    headers: list[str],
    rows: Iterable[Sequence[object]],
    *,
    fmt: Format,
    sheet_title: str = "数据",
    notes: ExportNotes | None = None,
    text_columns: Iterable[str] = (),
    formats: dict[str, str] | None = None,
    exported_at: datetime | None = None,
) -> bytes:
    """An export file, whole (small exports and templates); see ``stream_table``."""
    return b"".join(
        stream_table(
            headers,
            rows,
            fmt=fmt,
            sheet_title=sheet_title,
            notes=notes,
            text_columns=text_columns,
            formats=formats,
            exported_at=exported_at,
        )
    )


def stream_table(
    headers: list[str],
    rows: Iterable[Sequence[object]],
    *,
    fmt: Format,
    sheet_title: str = "数据",
    notes: ExportNotes | None = None,
    text_columns: Iterable[str] = (),
    formats: dict[str, str] | None = None,
    exported_at: datetime | None = None,
) -> Iterator[bytes]:
    """An export file as chunks of bytes: CSV (UTF-8 with BOM, CRLF) or xlsx.

    xlsx: dates are date cells shown 年月日, numbers are numbers (a header with a unit — 元, 万元,
    ㎡ — gets thousands separators and two places; ``formats`` sets a column's number format by
    header), columns fitted, the header frozen and bold, every sheet set up for print (A4,
    landscape when wide, one page wide, the header repeated on every page, a footer with the page
    x / y and the export time). ``text_columns`` are stored as text and formatted as text ("@"),
    so Excel or WPS keeps what is typed there (codes, periods) instead of turning it into a number
    or a date. A string that a spreadsheet would take for a formula is stored as a string with
    the quote-prefix style: the cell shows the text, never runs it, and carries no apostrophe.

    CSV: every cell neutralised with a leading apostrophe (CSV has no cell types); dates ISO.
    ``notes`` (the 口径说明 of the figures): a second sheet in xlsx; in CSV, lines starting with
    ``#`` before the table (one per note row, its cells joined by "；")."""
    if fmt == "csv":
        return _stream_csv(headers, rows, notes=notes)
    if fmt == "xlsx":
        return _stream_xlsx(
            headers,
            rows,
            sheet_title=sheet_title,
            notes=notes,
            text_columns=set(text_columns),
            formats=formats or {},
            exported_at=exported_at or datetime.now(_CHINA),
        )
    raise ValueError(f"unknown export format {fmt!r}")


def _checked(headers: list[str], rows: Iterable[Sequence[object]]) -> Iterator[Sequence[object]]:
    for index, row in enumerate(rows, start=1):
        if len(row) != len(headers):
            raise ValueError(f"export row {index} has {len(row)} values for {len(headers)} headers")
        yield row


def _stream_csv(headers: list[str], rows: Iterable[Sequence[object]], *, notes: ExportNotes | None) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if notes is not None:
        writer.writerow([f"# {notes.title}"])
        for note in notes.rows:
            writer.writerow(["# " + "；".join(_neutralise_text(cell) for cell in note if cell)])
    writer.writerow([_export_text(header) for header in headers])
    # The BOM is what makes Excel on a Chinese Windows read UTF-8 instead of GBK.
    yield codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(_checked(headers, rows), start=1):
        writer.writerow([value if type(value) is str and value.isalnum() else _export_text(value) for value in row])
        if count % _CSV_ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def _export_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _neutralise_text(value)
    return _scalar_text(value)


# --- xlsx


class _Sink:
    """A write-only, unseekable file for ``zipfile``: what was written is taken out in chunks."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


@dataclass(frozen=True)
class _Styles:
    """Style indices (the ``s`` attribute) registered in the workbook's styles part."""

    by_format: dict[str, int]
    quote: int  # text with the quote prefix: shown as typed, never taken for a formula

    def number(self, fmt: str) -> int:
        return self.by_format[fmt]


def _decimal_format(value: Decimal, thousands: bool) -> str:
    exponent = value.as_tuple().exponent
    places = min(-exponent, 6) if isinstance(exponent, int) and exponent < 0 else 0
    base = "#,##0" if thousands else "0"
    return base + ("." + "0" * places if places else "")


def _needed_formats(formats: dict[str, str]) -> set[str]:
    needed = {DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT, TEXT_FORMAT, AMOUNT_FORMAT, COUNT_FORMAT, "General"}
    for places in range(0, 7):
        tail = "." + "0" * places if places else ""
        needed.update({"#,##0" + tail, "0" + tail})
    needed.update(formats.values())
    return needed


def _column_formats(headers: list[str], text_columns: set[str], formats: dict[str, str]) -> list[str | None]:
    """The number format a column imposes (None: by the value's type)."""
    out: list[str | None] = []
    for header in headers:
        if header in formats:
            out.append(formats[header])
        elif header in text_columns:
            out.append(TEXT_FORMAT)
        elif _UNIT_HEADER.search(header):
            out.append(AMOUNT_FORMAT)
        else:
            out.append(None)
    return out


def _sheet_setup(sheet: Any, *, widths: list[float], exported_at: datetime, header_rows: int = 1) -> None:
    """Frozen header, fitted widths and print set-up (A4, one page wide, titles, footer)."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{header_rows + 1}"
    sheet.print_title_rows = f"1:{header_rows}"
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    # About 95 characters of 11-point text fit across an A4 page upright: wider tables lie down.
    setup.orientation = "landscape" if sum(widths) > 95 else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top, sheet.page_margins.bottom = 0.6, 0.7
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddFooter.right.text = f"导出时间：{chinese_datetime(exported_at)}"
    sheet.evenFooter.center.text = sheet.oddFooter.center.text
    sheet.evenFooter.right.text = sheet.oddFooter.right.text


def _width_of(value: object, fmt: str | None) -> int:
    if isinstance(value, datetime):
        return 21
    if isinstance(value, date):
        return 13
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        text = _scalar_text(value)
        return len(text) + (len(text) // 3 if fmt and "," in fmt else 0) + (3 if fmt and "." in fmt else 0)
    return _display_width(_export_text(value))


def _stream_xlsx(
    headers: list[str],
    rows: Iterable[Sequence[object]],
    *,
    sheet_title: str,
    notes: ExportNotes | None,
    text_columns: set[str],
    formats: dict[str, str],
    exported_at: datetime,
) -> Iterator[bytes]:
    iterator = iter(_checked(headers, rows))
    sample = list(islice(iterator, _SAMPLE_ROWS))
    column_formats = _column_formats(headers, text_columns, formats)
    widths = []
    for index, header in enumerate(headers):
        width = max([_display_width(header), *(_width_of(row[index], column_formats[index]) for row in sample)])
        widths.append(float(min(max(width + 2, 8), 60)))

    template, styles = _template(
        headers,
        sheet_title=sheet_title,
        notes=notes,
        widths=widths,
        column_formats=column_formats,
        formats=formats,
        exported_at=exported_at,
    )
    sink = _Sink()
    stamp = exported_at.timetuple()[:6]
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
    ):
        sheet_xml = b""
        for member in source.infolist():
            if member.filename == "xl/worksheets/sheet1.xml":
                sheet_xml = source.read(member)
                continue
            info = zipfile.ZipInfo(member.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, source.read(member))
            yield sink.take()
        head, tail = _split_sheet(sheet_xml)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w") as out:
            out.write(head)
            letters = [get_column_letter(index + 1) for index in range(len(headers))]
            parts: list[str] = []
            for number, row in enumerate(chain(sample, iterator), start=2):
                if number > EXCEL_MAX_ROWS:
                    raise Invalid(
                        f"导出的数据超过 Excel 单个工作表 {EXCEL_MAX_ROWS} 行的上限，请缩小筛选范围或导出为 CSV"
                    )
                parts.append(_row_xml(number, row, letters, column_formats, styles))
                if len(parts) >= _ROWS_PER_WRITE:
                    out.write("".join(parts).encode("utf-8"))
                    parts.clear()
                    chunk = sink.take()
                    if chunk:
                        yield chunk
            out.write("".join(parts).encode("utf-8"))
            out.write(tail)
    yield sink.take()


def _split_sheet(xml: bytes) -> tuple[bytes, bytes]:
    """The data sheet made by openpyxl, cut where the data rows go (after the header row). The
    declared size is dropped: it is not known until the last row, and it is optional."""
    xml = re.sub(rb"<dimension [^>]*/>", b"", xml, count=1)
    cut = xml.index(b"</sheetData>")
    return xml[:cut], xml[cut:]


def _template(
    headers: list[str],
    *,
    sheet_title: str,
    notes: ExportNotes | None,
    widths: list[float],
    column_formats: list[str | None],
    formats: dict[str, str],
    exported_at: datetime,
) -> tuple[bytes, _Styles]:
    """The workbook without its data rows, and the styles the rows will use."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title)
    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index, value=_xlsx_text(header))
        cell.font = bold
        cell.alignment = centred
        cell.data_type = "s"
        fmt = column_formats[index - 1]
        if fmt == TEXT_FORMAT:  # what is typed into this column later stays text
            sheet.column_dimensions[get_column_letter(index)].number_format = TEXT_FORMAT
    _sheet_setup(sheet, widths=widths, exported_at=exported_at)
    if notes is not None:
        _notes_sheet(workbook, notes, exported_at=exported_at)
    # Register every style the rows may use, on a scratch sheet removed before saving.
    scratch = workbook.create_sheet("scratch")
    by_format: dict[str, int] = {}
    for number, fmt in enumerate(sorted(_needed_formats(formats)), start=1):
        cell = scratch.cell(row=number, column=1)
        cell.number_format = fmt
        by_format[fmt] = cell.style_id
    cell = scratch.cell(row=1, column=2)
    cell.quotePrefix = True
    quote = cell.style_id
    workbook.remove(scratch)
    workbook.properties.title = sheet_title
    workbook.properties.creator = "楼宇经济服务平台"
    workbook.properties.created = exported_at.replace(tzinfo=None)
    workbook.properties.modified = exported_at.replace(tzinfo=None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), _Styles(by_format=by_format, quote=quote)


@dataclass(frozen=True)
class TemplateColumn:
    """One column of an import template: its header, what to type there, an example value and,
    when the column takes one of a list of values, the list (an Excel drop-down)."""

    header: str
    note: str = ""
    example: object = ""
    choices: Sequence[str] = ()
    required: bool = False
    text: bool = False  # stored and formatted as text (codes, dates typed as text)
    strict: bool = True  # False: a value off the list only warns (several themes, a 4-digit code)


_LIST_SHEET = "选项"
_TEMPLATE_ROWS = 2000  # rows below the example row that carry the drop-downs


def write_template(
    columns: Sequence[TemplateColumn],
    *,
    title: str,
    instructions: Sequence[str] = (),
) -> bytes:
    """An import template (xlsx) that forgives: the data sheet with a bold frozen header,
    fitted widths, an example row (its first cell starts with 【示例】, skipped on import) and
    drop-downs for the columns that take one of a list (the lists on a hidden sheet 选项, so a
    long list such as the GB/T 4754 codes fits); after it (the importer reads the first sheet) 说明
    with how to fill it in and, per column, whether it is required, what to type and the allowed
    values."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    bold = Font(bold=True)
    grey = Font(italic=True, color="808080")
    required_font = Font(bold=True, color="C00000")
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    lists = workbook.create_sheet(_LIST_SHEET)
    lists.sheet_state = "hidden"
    list_column = 0
    widths: list[float] = []
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=_xlsx_text(column.header))
        header.font = required_font if column.required else bold
        header.alignment = centred
        example = column.example
        if index == 1:
            example = f"{EXAMPLE_MARK}{_export_text(example)}"
        cell = sheet.cell(row=2, column=index, value=_xlsx_text(example) if isinstance(example, str) else example)
        cell.font = grey
        if column.text:
            cell.data_type = "s"
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
        width = max(_display_width(column.header) + 2, _width_of(example, None), 10)
        if column.choices:
            list_column += 1
            list_letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=_xlsx_text(column.header))
            for number, value in enumerate(column.choices, start=2):
                lists.cell(row=number, column=list_column, value=_xlsx_text(value)).data_type = "s"
            last = len(column.choices) + 1
            validation = DataValidation(
                type="list",
                formula1=f"{quote_sheetname(_LIST_SHEET)}!${list_letter}$2:${list_letter}${last}",
                allow_blank=True,
                showDropDown=False,  # (sic) False shows the arrow
                showErrorMessage=True,
                errorStyle="stop" if column.strict else "warning",
                errorTitle="请从下拉列表中选择",
                error=f"“{column.header}”请从下拉列表中选择"
                + ("" if column.strict else "（如确需填写列表以外的内容，可点“是”继续）"),
                promptTitle=column.header[:32],
                prompt=(column.note or "请从下拉列表中选择")[:255],
                showInputMessage=True,
            )
            validation.add(f"{letter}3:{letter}{_TEMPLATE_ROWS + 2}")
            sheet.add_data_validation(validation)
            width = max(width, *(_display_width(v) + 4 for v in column.choices[:200]))
        widths.append(float(min(width, 40)))
    _sheet_setup(sheet, widths=widths, exported_at=datetime.now(_CHINA))

    # The data sheet stays first: the importer reads the first worksheet.
    notes = workbook.create_sheet("说明", 1)
    rows = [["填写说明", ""]]
    rows += [[f"{n}. {line}", ""] for n, line in enumerate(instructions, start=1)]
    rows += [
        [f"{len(instructions) + 1}. 第 2 行是示例（以“{EXAMPLE_MARK}”开头），导入时自动忽略，可保留也可删除。", ""],
        [f"{len(instructions) + 2}. 表头为红色的列必须填写；带下拉箭头的列请从列表中选择（也可照列表原样输入）。", ""],
        ["", ""],
        ["列名", "填写要求"],
    ]
    for column in columns:
        parts = ["必填" if column.required else "选填"]
        if column.note:
            parts.append(column.note)
        if column.choices:
            shown = "、".join(column.choices[:12]) + ("等（见下拉列表）" if len(column.choices) > 12 else "")
            parts.append(f"可选：{shown}")
        rows.append([column.header, "；".join(parts)])
    for number, (first, second) in enumerate(rows, start=1):
        a = notes.cell(row=number, column=1, value=_xlsx_text(first))
        b = notes.cell(row=number, column=2, value=_xlsx_text(second))
        b.alignment = Alignment(wrap_text=True, vertical="top")
        if number == 1 or first == "列名":
            a.font = b.font = bold
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 90
    workbook.properties.title = title
    workbook.properties.creator = "楼宇经济服务平台"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _notes_sheet(workbook: openpyxl.Workbook, notes: ExportNotes, *, exported_at: datetime) -> None:
    sheet = workbook.create_sheet(_sheet_title(notes.title))
    widths = []
    for index, header in enumerate(notes.headers):
        width = max(_display_width(text) for text in [header, *(row[index] for row in notes.rows if index < len(row))])
        widths.append(float(min(max(width + 2, 8), 80)))
    bold = Font(bold=True)
    for column, header in enumerate(notes.headers, start=1):
        cell = sheet.cell(row=1, column=column, value=_xlsx_text(header))
        cell.font = bold
    for number, row in enumerate(notes.rows, start=2):
        for column, text in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column, value=_xlsx_text(text))
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _sheet_setup(sheet, widths=widths, exported_at=exported_at)


def _xlsx_text(value: object) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _xml_text(text: str) -> str:
    if text.isalnum():  # most cells (names, codes, 是/否; CJK counts as alphanumeric): nothing to escape
        return f"<t>{text}</t>"
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS]
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if text[:1].isspace() or text[-1:].isspace():
        return f'<t xml:space="preserve">{text}</t>'
    return f"<t>{text}</t>"


def _row_xml(
    number: int, row: Sequence[object], letters: list[str], column_formats: list[str | None], styles: _Styles
) -> str:
    cells: list[str] = []
    append = cells.append
    row_number = str(number)
    # _checked has matched the row's width to the headers', so zip needs no strict check here
    for letter, fmt, value in zip(letters, column_formats, row):  # noqa: B905
        if value is None or value == "":
            continue
        if fmt is None and type(value) is str and value.isalnum():  # the common case, first
            append(f'<c r="{letter}{row_number}" t="inlineStr"><is><t>{value}</t></is></c>')
            continue
        ref = letter + row_number
        if isinstance(value, str) or isinstance(value, bool) or fmt == TEXT_FORMAT:
            text = value if isinstance(value, str) else _scalar_text(value)
            style = ""
            if fmt == TEXT_FORMAT:
                style = f' s="{styles.number(TEXT_FORMAT)}"'
            elif text.startswith(_FORMULA_CHARS) and not _PLAIN_NUMBER.fullmatch(text):
                style = f' s="{styles.quote}"'
            cells.append(f'<c r="{ref}"{style} t="inlineStr"><is>{_xml_text(text)}</is></c>')
            continue
        if isinstance(value, datetime):
            wall = value.replace(tzinfo=None)
            serial = (wall - _EXCEL_EPOCH).total_seconds() / 86400
            style_fmt = DATE_FORMAT if wall.time() == time(0) and fmt is None else (fmt or DATETIME_FORMAT)
            cells.append(f'<c r="{ref}" s="{styles.number(style_fmt)}"><v>{serial!r}</v></c>')
            continue
        if isinstance(value, date):
            serial_days = (value - _EXCEL_EPOCH.date()).days
            cells.append(f'<c r="{ref}" s="{styles.number(fmt or DATE_FORMAT)}"><v>{serial_days}</v></c>')
            continue
        if isinstance(value, time):
            fraction = (value.hour * 3600 + value.minute * 60 + value.second) / 86400
            cells.append(f'<c r="{ref}" s="{styles.number(fmt or TIME_FORMAT)}"><v>{fraction!r}</v></c>')
            continue
        if isinstance(value, int):
            if abs(value) >= 10**15:  # Excel would round it: kept exact, as text
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
                continue
            style = f' s="{styles.number(fmt)}"' if fmt else ""
            cells.append(f'<c r="{ref}"{style}><v>{value}</v></c>')
            continue
        if isinstance(value, float):
            if not math.isfinite(value):
                continue
            style = f' s="{styles.number(fmt)}"' if fmt else ""
            cells.append(f'<c r="{ref}"{style}><v>{value!r}</v></c>')
            continue
        if isinstance(value, Decimal):
            if not value.is_finite():
                continue
            # Decimals are amounts (money, areas): thousands separators and their own places.
            decimal_fmt = fmt or _decimal_format(value, thousands=True)
            if fmt == AMOUNT_FORMAT:
                decimal_fmt = _decimal_format(value, thousands=True) if _places(value) > 2 else AMOUNT_FORMAT
            cells.append(f'<c r="{ref}" s="{styles.number(decimal_fmt)}"><v>{format(value, "f")}</v></c>')
            continue
        text = _scalar_text(value)
        cells.append(f'<c r="{ref}" t="inlineStr"><is>{_xml_text(text)}</is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "", title).strip().strip("'")[:31]
    return cleaned or "数据"


def _display_width(text: str) -> int:
    line = max(text.splitlines() or [""], key=len)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line[:100])


# ---------------------------------------------------------------------------------------------------
# Dates as a Chinese document writes them (the backend twin of the frontend's utils/format.js
# formatDate: "2026年12月7日").


def chinese_date(value: date) -> str:
    """``2026年12月7日`` (no leading zeros), the form of dates in a 公文 and in file footers."""
    return f"{value.year}年{value.month}月{value.day}日"


def chinese_month(year: int, month: int) -> str:
    """``2025年9月``."""
    return f"{year}年{month}月"


def chinese_datetime(value: datetime) -> str:
    """``2026年12月7日 16:05`` in Beijing time (an aware datetime is converted first)."""
    if value.tzinfo is not None:
        value = value.astimezone(_CHINA)
    return f"{chinese_date(value.date())} {value:%H:%M}"


_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def chinese_dates_in(text: str) -> str:
    """Every ISO date in a text (``截至2025-09-30``) written the Chinese way (``截至2025年9月30日``)."""

    def replace(match: re.Match[str]) -> str:
        try:
            return chinese_date(date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            return match[0]

    return _ISO_DATE.sub(replace, text)


# ---------------------------------------------------------------------------------------------------
# Word documents as a 公文 (GB/T 9704 in what a generated document can honour): A4 with the
# standard margins, 仿宋 body and 黑体 headings, page numbers "— 1 —" at the foot, headings kept
# with what follows, table headers repeated on every page, rows never split across pages, and the
# document's properties saying what it is, who issued it and when (not python-docx's defaults).
# Every .docx the product writes starts from ``gongwen_document`` and ends with ``docx_bytes``.

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def gongwen_document(*, title: str, author: str, created: datetime) -> Any:
    """A new document set up as a 公文: page, fonts, page-number footer and properties."""
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    set_font(normal, BODY_FONT)
    docx_page_numbers(doc)
    docx_properties(doc, title=title, author=author, created=created)
    return doc


def set_font(target: Any, font: str) -> None:
    """The font of a run or a style, for Chinese (eastAsia) and Latin text alike."""
    from docx.oxml.ns import qn

    target.font.name = font
    element = target.element if hasattr(target, "element") and not hasattr(target, "_r") else target._element
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), font)


def docx_page_numbers(doc: Any) -> None:
    """A centred "— PAGE —" footer on every section (the 公文 page number, 宋体 14 pt)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for section in doc.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.text = ""
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

        def run(text: str = "", paragraph: Any = paragraph) -> Any:
            r = paragraph.add_run(text)
            set_font(r, "宋体")
            r.font.size = Pt(14)
            return r

        run("— ")
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            r = run()
            if kind is not None:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                r._r.append(char)
            elif text == " PAGE ":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                r._r.append(instr)
            else:
                r.text = text
        run(" —")


def docx_keep_with_next(paragraph: Any) -> Any:
    """A heading stays on the page of the paragraph that follows it (never last on a page)."""
    fmt = paragraph.paragraph_format
    fmt.keep_with_next = True
    fmt.keep_together = True
    return paragraph


def docx_repeat_header(table: Any, rows: int = 1) -> Any:
    """The first ``rows`` rows repeat at the top of every page the table runs onto (w:tblHeader);
    no row is split across two pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        properties.append(cant_split)
        if index < rows:
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            properties.append(header)
    return table


def docx_properties(doc: Any, *, title: str, author: str, created: datetime) -> None:
    """Title, author (the issuing office) and times of the document, instead of python-docx's."""
    moment = created.astimezone(UTC).replace(tzinfo=None) if created.tzinfo else created
    props = doc.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = moment
    props.modified = moment
    props.last_printed = moment
    props.revision = 1
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.category = ""
    props.identifier = ""
    props.language = "zh-CN"


def gongwen_paragraph(
    doc: Any,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = 16,
    bold: bool = False,
    center: bool = False,
    indent: bool = False,
    after: float = 0,
    color: str | None = None,
) -> Any:
    """A paragraph of the body (dates in it written the Chinese way)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    paragraph = doc.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.space_after = Pt(after)
    run = paragraph.add_run(chinese_dates_in(text))
    set_font(run, font)
    run.font.size = Pt(size)
    run.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return paragraph


def gongwen_heading(doc: Any, text: str, *, size: float = 16, after: float = 3) -> Any:
    """A heading (一、…) in 黑体, kept with the paragraph after it."""
    paragraph = gongwen_paragraph(doc, text, font=HEADING_FONT, size=size, after=after)
    return docx_keep_with_next(paragraph)


def gongwen_table(doc: Any, columns: Sequence[object], rows: Iterable[Sequence[object]], *, size: float = 11) -> Any:
    """A ruled table, centred, header in 黑体 repeated on every page, rows never split."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def fill(cell: Any, value: object, font: str) -> None:
        cell.text = ""
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        text = chinese_date(value) if isinstance(value, date) and not isinstance(value, datetime) else str(value)
        run = paragraph.add_run(chinese_dates_in(text))
        set_font(run, font)
        run.font.size = Pt(size)

    for cell, title in zip(table.rows[0].cells, columns, strict=True):
        fill(cell, title, HEADING_FONT)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            fill(cell, "" if value is None else value, BODY_FONT)
    return docx_repeat_header(table)


def docx_bytes(doc: Any) -> bytes:
    """The document as the bytes of a .docx file."""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------
# Download helpers


def media_type(fmt: Format) -> str:
    """The Content-Type of an export."""
    return _MEDIA_TYPES[fmt]


def download_responses(description: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a download route (with ``response_class=Response``): its 200 answer is a
    CSV or xlsx file, as the OpenAPI document must say (not JSON)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {200: {"description": description, "content": {media_type("csv"): binary, media_type("xlsx"): binary}}}


def download(chunks: Iterable[bytes], *, fmt: Format, name: str) -> StreamingResponse:
    """A file answer streamed as it is written (``stream_table``), named ``name_YYYYMMDD.fmt``,
    with its real media type."""
    return StreamingResponse(
        iter(chunks),
        media_type=media_type(fmt),
        headers={"Content-Disposition": content_disposition(download_name(name, fmt)), "Cache-Control": "no-store"},
    )


def rows_in_session(sessions: Callable[[], Any], produce: Callable[[Any], Iterable[Sequence[object]]]) -> Iterator:
    """The rows of a streamed export, read in a session of their own that lives as long as the
    stream (the request's session is closed when the route returns, before the body is sent)."""
    session = sessions()
    try:
        yield from produce(session)
    finally:
        session.rollback()
        session.close()


def download_name(base: str, fmt: Format, *, on: date | None = None) -> str:
    """A download file name with the (Beijing) date: ``楼宇名单_20261201.xlsx``."""
    day = on or datetime.now(_CHINA).date()
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', "_", base).strip(" ._")[:100] or "导出"
    return f"{cleaned}_{day:%Y%m%d}.{fmt}"


def content_disposition(filename: str) -> str:
    """A Content-Disposition value carrying a Chinese file name (RFC 6266 / RFC 5987), with an ASCII fallback."""
    stem, dot, suffix = filename.rpartition(".")
    if not dot:
        stem, suffix = filename, ""
    fallback_stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_")
    if not stem.isascii():  # the Chinese part is lost in the fallback: say what the file is instead
        fallback_stem = f"export_{fallback_stem}".rstrip("_")
    fallback_suffix = re.sub(r"[^A-Za-z0-9]", "", suffix)
    fallback = f"{fallback_stem}.{fallback_suffix}" if fallback_suffix else fallback_stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


# ---------------------------------------------------------------------------------------------------
# Messages


def _refuse(name: str, message: str, *, field: str = "文件") -> Invalid:
    return Invalid(f"文件“{name}”{message}", fields=[{"field": field, "message": message}])


def _cell_label(row_number: int, index: int) -> str:
    return f"第 {row_number} 行 {get_column_letter(index + 1)} 列"


def _display_name(filename: str) -> str:
    base = re.split(r"[\\/]", filename)[-1]
    base = _CONTROL_CHARS.sub("", base).replace("\r", "").replace("\n", "").replace("\t", " ").strip()
    return base[:80] or "（未命名）"


def _suffix(filename: str) -> str:
    base = re.split(r"[\\/]", filename)[-1]
    stem, dot, suffix = base.rpartition(".")
    # "名单v1.0" has no extension, ".2024" is not one: only a short alphabetic tail counts.
    if not dot or not stem or not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,4}", suffix):
        return ""
    return "." + suffix.lower()


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")
