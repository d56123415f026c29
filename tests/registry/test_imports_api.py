"""Excel / CSV import and export through the registry API."""

import io
import random
import zipfile

from registry.imports.files import read_table, write_table
from registry.imports.kinds import KINDS
from tests.registry.conftest import BUREAU, YANGYUAN, credit_code, move_in, new_building, new_enterprise, new_space

ENTERPRISE_HEADERS = KINDS["enterprises"].headers


def _row(code: str, name: str, **cells: str) -> list[str]:
    values = {"统一社会信用代码": code, "企业名称": name, **cells}
    return [values.get(h, "") for h in ENTERPRISE_HEADERS]


def _upload(registry, kind, data, name="data.xlsx", dry_run=True, headers=None, content_type=None):
    return registry.post(
        f"/api/registry/imports/{kind}",
        params={"dry_run": str(dry_run).lower()},
        files={"file": (name, data, content_type or "application/octet-stream")},
        headers=headers or BUREAU,
    )


def _count(registry, path="/api/registry/enterprises"):
    return registry.get(path, params={"page_size": 1}, headers=BUREAU).json()["total"]


class TestBigFile:
    def test_5000_rows_with_20_bad_ones(self, registry):
        rng = random.Random(7)
        rows = [_row(credit_code(i), f"批量企业{i}有限公司", 行业代码="6513", 在册="是") for i in range(1, 5001)]
        bad_rows: dict[int, str] = {}
        for index in rng.sample(range(5000), 20):
            line = index + 2  # header is row 1
            kind = len(bad_rows) % 4
            if kind == 0:
                code = rows[index][0]
                rows[index][0] = code[:17] + ("0" if code[17] != "0" else "1")
                bad_rows[line] = "统一社会信用代码"
            elif kind == 1:
                rows[index][ENTERPRISE_HEADERS.index("行业代码")] = "9999"
                bad_rows[line] = "行业代码"
            elif kind == 2:
                rows[index][ENTERPRISE_HEADERS.index("在册")] = "也许"
                bad_rows[line] = "在册"
            else:
                rows[index][ENTERPRISE_HEADERS.index("成立日期")] = "2025-13-40"
                bad_rows[line] = "成立日期"
        data = write_table(ENTERPRISE_HEADERS, rows, fmt="xlsx")

        dry = _upload(registry, "enterprises", data)
        assert dry.status_code == 200, dry.text
        report = dry.json()
        assert report["rows_total"] == 5000 and report["applied"] is False
        assert {r["row"]: r["column"] for r in report["rejected"]} == bad_rows
        assert report["created"] == 4980
        assert all(r["message"] for r in report["rejected"])
        assert _count(registry) == 0

        applied = _upload(registry, "enterprises", data, dry_run=False).json()
        assert applied["applied"] is False and applied["rejected_count"] == 20
        assert _count(registry) == 0  # all-or-nothing: the 4,980 good rows were not saved either


class TestApply:
    def test_apply_then_reimport_is_a_no_op(self, registry):
        rows = [_row(credit_code(i), f"企业{i}号", 在税="是") for i in range(1, 11)]
        data = write_table(ENTERPRISE_HEADERS, rows, fmt="xlsx")
        first = _upload(registry, "enterprises", data, dry_run=False).json()
        assert (first["applied"], first["created"]) == (True, 10)
        again = _upload(registry, "enterprises", data, dry_run=False).json()
        assert (again["applied"], again["created"], again["updated"], again["unchanged"]) == (True, 0, 0, 10)
        changes = registry.get("/api/registry/changes", params={"limit": 1000}, headers={"Authorization": "x"})
        assert changes.status_code == 401
        assert _count(registry) == 10

    def test_update_through_import(self, registry):
        new_enterprise(registry, 1, name="旧名称有限公司")
        data = write_table(ENTERPRISE_HEADERS, [_row(credit_code(1), "新名称有限公司", 规上="是")], fmt="csv")
        report = _upload(registry, "enterprises", data, name="e.csv", dry_run=False).json()
        assert (report["updated"], report["applied"]) == (1, True)
        e = registry.get(f"/api/registry/enterprises/{credit_code(1)}", headers=BUREAU).json()
        assert (e["name"], e["above_scale"]) == ("新名称有限公司", True)

    def test_duplicate_key_in_one_file(self, registry):
        rows = [_row(credit_code(1), "甲有限公司"), _row(credit_code(1), "甲二有限公司")]
        report = _upload(registry, "enterprises", write_table(ENTERPRISE_HEADERS, rows, fmt="csv"), name="e.csv").json()
        assert report["rejected"] == [{"row": 3, "column": "统一社会信用代码", "message": "与第 2 行重复"}]

    def test_missing_required_column_is_422(self, registry):
        data = "企业名称\n某公司\n".encode()
        resp = _upload(registry, "enterprises", data, name="e.csv")
        assert resp.status_code == 422
        assert "统一社会信用代码" in resp.json()["detail"]

    def test_import_history(self, registry):
        data = write_table(ENTERPRISE_HEADERS, [_row(credit_code(1), "甲有限公司")], fmt="csv")
        _upload(registry, "enterprises", data, name="第一批.csv")
        history = registry.get("/api/registry/imports", headers=BUREAU).json()
        assert history[0]["file_name"] == "第一批.csv" and history[0]["dry_run"] is True


class TestEncodings:
    def test_gbk_and_bom_csv(self, registry):
        text = "统一社会信用代码,企业名称,在册\r\n" + f"{credit_code(1)},楚天汉韵文化传媒有限公司,是\r\n"
        for encoded, name in ((text.encode("gbk"), "gbk.csv"), (b"\xef\xbb\xbf" + text.encode("utf-8"), "bom.csv")):
            report = _upload(registry, "enterprises", encoded, name=name, content_type="text/csv").json()
            assert report["created"] == 1 and report["rejected"] == [], report
        _upload(registry, "enterprises", text.encode("gbk"), name="gbk.csv", dry_run=False)
        e = registry.get(f"/api/registry/enterprises/{credit_code(1)}", headers=BUREAU).json()
        assert e["name"] == "楚天汉韵文化传媒有限公司" and e["registered_in_district"] is True


class TestUnsafeFiles:
    def test_zip_bomb_is_refused(self, registry):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("xl/workbook.xml", "<workbook/>")
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                chunk = b"0" * (1024 * 1024)
                for _ in range(300):
                    sheet.write(chunk)
        resp = _upload(registry, "enterprises", buffer.getvalue(), name="bomb.xlsx")
        assert 400 <= resp.status_code < 500
        assert resp.json()["error"] in ("Invalid", "FileTooLarge")

    def test_oversized_upload_is_413(self, registry):
        resp = _upload(registry, "enterprises", b"a,b\n" + b"x" * (21 * 1024 * 1024), name="big.csv")
        assert resp.status_code == 413

    def test_old_xls_is_refused(self, registry):
        resp = _upload(registry, "enterprises", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, name="old.xls")
        assert resp.status_code == 422 and ".xls" in resp.json()["detail"]

    def test_leader_cannot_import(self, registry):
        from tests.registry.conftest import LEADER

        data = write_table(ENTERPRISE_HEADERS, [_row(credit_code(1), "甲有限公司")], fmt="csv")
        assert _upload(registry, "enterprises", data, name="e.csv", headers=LEADER).status_code == 403


class TestRoundTrip:
    def _fill(self, registry):
        b = new_building(
            registry,
            "中交大厦",
            aliases=["武汉·中交大厦", "中交"],
            themes=["green_shipping", "finance"],
            chief_name="王楼长",
            chief_phone="13912345678",
            zone="滨江商务区",
            lng=114.31,
            lat=30.57,
            stage="new",
            ownership="strata",
            property_star=4,
            completion_year=2024,
        )
        other = new_building(registry, "碳汇大厦", street=YANGYUAN, note="=cmd|' /C calc'!A0")
        s1 = new_space(registry, b["code"], floor=10, unit="1001", area=300, asking_rent=88.5)
        s2 = new_space(
            registry, b["code"], floor=-1, unit="B101", area=120.25, status="reserved", available_from="2026-05-01"
        )
        e1 = new_enterprise(
            registry, 1, name="+甲科技有限公司", industry_code="I6513", employees=12, founded_date="2019-03-05"
        )
        e2 = new_enterprise(registry, 2, name="乙金融服务有限公司", hq_level="regional", is_key=True, note="@SUM(1+1)")
        move_in(registry, e1["credit_code"], b["code"], "2023-01-01", spaces=[{"id": s1["id"], "area": 200}])
        move_in(registry, e2["credit_code"], b["code"], "2022-06-01", end_date="2024-12-31", spaces=[{"id": s2["id"]}])
        move_in(registry, e2["credit_code"], other["code"], "2025-01-01", area=500)

    def _export_all(self, registry, fmt):
        return {
            kind: registry.get(f"/api/registry/exports/{kind}", params={"format": fmt}, headers=BUREAU).content
            for kind in ("buildings", "spaces", "enterprises", "occupancies")
        }

    def test_export_import_round_trip_gives_identical_records(self, registry):
        self._fill(registry)
        for fmt in ("xlsx", "csv"):
            exported = self._export_all(registry, fmt)
            # Re-importing into the same registry changes nothing …
            for kind, data in exported.items():
                report = _upload(registry, kind, data, name=f"{kind}.{fmt}", dry_run=False).json()
                assert report["applied"] and report["created"] == report["updated"] == 0, (kind, report["rejected"])
            again = self._export_all(registry, fmt)
            for kind in exported:  # compared as records: an xlsx also carries its creation time
                rows = read_table(again[kind], filename=f"a.{fmt}").rows
                assert rows == read_table(exported[kind], filename=f"a.{fmt}").rows

    def test_round_trip_into_an_empty_registry(self, registry, lane, tmp_path):
        from tests.conftest import build_app, settings_for

        self._fill(registry)
        exported = self._export_all(registry, "xlsx")
        target_url = lane.scratch(tmp_path)
        from louyu_kit.migrations import upgrade
        from tests.conftest import ROOT

        upgrade(ROOT / "services" / "registry", target_url)
        from fastapi.testclient import TestClient

        with TestClient(build_app("registry", settings_for("registry", target_url, tmp_path))) as empty:
            for kind in ("buildings", "spaces", "enterprises", "occupancies"):
                report = _upload(empty, kind, exported[kind], name=f"{kind}.xlsx", dry_run=False).json()
                assert report["applied"] and report["rejected"] == [], (kind, report)
            again = self._export_all(empty, "xlsx")
        phones = ("楼长电话", "联络员电话")

        def records(data):
            # Phones leave the registry masked only (个人信息保护法), so they cannot travel by file.
            return [
                {k: v for k, v in cells.items() if k not in phones}
                for _, cells in read_table(data, filename="a.xlsx").rows
            ]

        for kind in exported:
            assert records(again[kind]) == records(exported[kind]), kind
        assert read_table(exported["buildings"], filename="a.xlsx").rows[0][1]["楼长电话"] == "139****5678"

    def test_formula_cells_are_neutralised(self, registry):
        self._fill(registry)
        csv_text = registry.get("/api/registry/exports/buildings", params={"format": "csv"}, headers=BUREAU).content
        assert "'=cmd|" in csv_text.decode("utf-8-sig")
        enterprises = registry.get("/api/registry/exports/enterprises", params={"format": "csv"}, headers=BUREAU)
        text = enterprises.content.decode("utf-8-sig")
        assert "'+甲科技有限公司" in text and "'@SUM(1+1)" in text
        assert "13912345678" not in registry.get("/api/registry/exports/buildings", headers=BUREAU).content.decode(
            "latin-1"
        )
        assert enterprises.headers["X-Audit-Action"] == "export.enterprises"


def test_templates_have_chinese_headers(registry):
    for kind, spec in KINDS.items():
        resp = registry.get(f"/api/registry/imports/{kind}/template", params={"format": "xlsx"}, headers=BUREAU)
        assert resp.status_code == 200
        assert "attachment" in resp.headers["content-disposition"]
        assert read_table(resp.content, filename="t.xlsx").headers == spec.headers


def test_imported_building_codes_are_claimed(registry):
    headers = KINDS["buildings"].headers
    row = {"楼宇编码": "420106-0050", "楼宇名称": "外部系统大厦", "所属街道": "积玉桥"}
    data = write_table(headers, [[row.get(h, "") for h in headers]], fmt="csv")
    report = _upload(registry, "buildings", data, name="b.csv", dry_run=False).json()
    assert report["created"] == 1, report
    assert new_building(registry, "之后新建的大厦")["code"] == "420106-0051"
    wrong = {"楼宇编码": "420102-0001", "楼宇名称": "错区大厦", "所属街道": "积玉桥街道"}
    data = write_table(headers, [[wrong.get(h, "") for h in headers]], fmt="csv")
    rejected = _upload(registry, "buildings", data, name="b.csv").json()["rejected"]
    assert rejected[0]["column"] == "楼宇编码" and "420106-" in rejected[0]["message"]
