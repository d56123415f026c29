"""Registry's exports and templates as Excel reads them (issue #23), streamed (issue #19)."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import openpyxl

from registry.imports.files import write_table
from registry.imports.kinds import KINDS
from tests.registry.conftest import BUREAU, credit_code, new_building, new_space

ENTERPRISE_HEADERS = KINDS["enterprises"].headers


def _import_enterprises(registry, count: int) -> None:  # type: ignore[no-untyped-def]
    rows = []
    for n in range(1, count + 1):
        values = {"统一社会信用代码": credit_code(n), "企业名称": f"导出企业{n}有限公司", "成立日期": "2019-05-06"}
        rows.append([values.get(h, "") for h in ENTERPRISE_HEADERS])
    resp = registry.post(
        "/api/registry/imports/enterprises",
        params={"dry_run": "false"},
        files={"file": ("e.xlsx", write_table(ENTERPRISE_HEADERS, rows, fmt="xlsx"), "application/octet-stream")},
        headers=BUREAU,
    )
    assert resp.status_code == 200 and resp.json()["created"] == count, resp.text


class TestEnterpriseExport:
    def test_dates_are_dates_codes_are_text_and_the_sheet_prints(self, registry) -> None:  # type: ignore[no-untyped-def]
        _import_enterprises(registry, 3)
        resp = registry.get("/api/registry/exports/enterprises", headers=BUREAU)
        assert resp.status_code == 200
        assert resp.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert resp.headers["x-audit-action"] == "export.enterprises"
        sheet = openpyxl.load_workbook(io.BytesIO(resp.content)).active
        founded = sheet.cell(row=2, column=ENTERPRISE_HEADERS.index("成立日期") + 1)
        assert founded.is_date and founded.value.date().isoformat() == "2019-05-06"
        assert sheet["A2"].data_type == "s" and sheet["A2"].number_format == "@"
        assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.fitToWidth == 1
        assert sheet.freeze_panes == "A2"

    def test_csv_keeps_iso_dates(self, registry) -> None:  # type: ignore[no-untyped-def]
        _import_enterprises(registry, 1)
        resp = registry.get("/api/registry/exports/enterprises", params={"format": "csv"}, headers=BUREAU)
        assert resp.headers["content-type"].startswith("text/csv")
        assert "2019-05-06" in resp.content.decode("utf-8-sig")

    def test_the_export_streams(self, registry, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        """The first body bytes reach the client before the last row is read from the database."""
        total = 600
        _import_enterprises(registry, total)
        kind = KINDS["enterprises"]
        original = type(kind).export_rows
        produced = {"rows": 0}

        def counting(self, session, access):  # type: ignore[no-untyped-def]
            for row in original(self, session, access):
                produced["rows"] += 1
                yield row

        monkeypatch.setattr(type(kind), "export_rows", counting)
        for fmt in ("xlsx", "csv"):
            produced["rows"] = 0
            at_first_byte, body = asyncio.run(_get(registry.app, "/api/registry/exports/enterprises", fmt, produced))
            assert at_first_byte is not None and at_first_byte < total, (fmt, at_first_byte)
            assert produced["rows"] == total and len(body) > 1000


async def _get(app, path: str, fmt: str, produced: dict[str, int]) -> tuple[int | None, bytes]:  # type: ignore[no-untyped-def]
    """GET through the ASGI app itself, noting how many rows were produced when the first body bytes were sent."""
    first: dict[str, Any] = {"at": None}
    chunks: list[bytes] = []
    sent_request = False

    async def receive() -> dict[str, Any]:
        nonlocal sent_request
        if not sent_request:
            sent_request = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            assert message["status"] == 200, message
        if message["type"] == "http.response.body" and message.get("body"):
            if first["at"] is None:
                first["at"] = produced["rows"]
            chunks.append(message["body"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": f"format={fmt}".encode(),
        "root_path": "",
        "headers": [(b"host", b"testserver")] + [(k.lower().encode(), v.encode()) for k, v in BUREAU.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    await app(scope, receive, send)
    return first["at"], b"".join(chunks)


class TestAvailableSpaces:
    def test_date_and_status_in_their_own_columns(self, registry) -> None:  # type: ignore[no-untyped-def]
        code = new_building(registry)["code"]
        new_space(registry, code, unit="1001", status="vacant")
        new_space(registry, code, unit="1002", status="vacant", available_from="2099-03-01")
        resp = registry.get("/api/registry/spaces/available/export", headers=BUREAU)
        assert resp.status_code == 200, resp.text
        sheet = openpyxl.load_workbook(io.BytesIO(resp.content)).active
        headers = [c.value for c in sheet[1]]
        day, state = headers.index("可用日期") + 1, headers.index("可用状态") + 1
        cells = {sheet.cell(row=r, column=5).value: r for r in range(2, sheet.max_row + 1)}
        now, later = cells["1001"], cells["1002"]
        assert sheet.cell(row=now, column=day).value is None
        assert sheet.cell(row=now, column=state).value == "即可使用"
        assert sheet.cell(row=later, column=day).is_date
        assert sheet.cell(row=later, column=state).value == "待可用"
        area = sheet.cell(row=now, column=headers.index("面积(㎡)") + 1)
        assert area.data_type == "n" and area.number_format == "#,##0.00"


class TestTemplates:
    def test_codes_are_text_columns(self, registry) -> None:  # type: ignore[no-untyped-def]
        for kind, column in (("enterprises", "统一社会信用代码"), ("spaces", "楼宇编码"), ("buildings", "楼宇编码")):
            resp = registry.get(f"/api/registry/imports/{kind}/template", headers=BUREAU)
            sheet = openpyxl.load_workbook(io.BytesIO(resp.content)).active
            letter = openpyxl.utils.get_column_letter(KINDS[kind].headers.index(column) + 1)
            assert sheet.column_dimensions[letter].number_format == "@", (kind, column)
