"""Import templates that forgive (说明 sheet, an example row skipped on import, drop-downs on a
hidden list sheet, frozen header, widths), and a pre-check that reports every problem of every
row at once."""

import io

import openpyxl
import pytest

from louyu_kit.files import EXAMPLE_MARK
from registry.imports.files import write_table
from registry.imports.kinds import KINDS
from tests.registry.conftest import BUREAU, credit_code


def _template(registry, kind: str) -> openpyxl.Workbook:
    answer = registry.get(f"/api/registry/imports/{kind}/template", headers=BUREAU)
    assert answer.status_code == 200, answer.text
    return openpyxl.load_workbook(io.BytesIO(answer.content))


def _validations(sheet) -> dict[str, str]:
    """Column letter → the list formula of its drop-down."""
    out = {}
    for dv in sheet.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            out[cell_range.coord.split(":")[0].rstrip("0123456789")] = dv.formula1
    return out


def _column(sheet, header: str) -> str:
    for cell in sheet[1]:
        if cell.value == header:
            return cell.column_letter
    raise AssertionError(f"no column {header}")


def _list_values(workbook, formula: str) -> list[str]:
    # 选项!$A$2:$A$14
    sheet_name, ref = formula.split("!")
    sheet = workbook[sheet_name.strip("'")]
    return [c.value for row in sheet[ref.replace("$", "")] for c in row]


class TestTemplates:
    @pytest.mark.parametrize("kind", ["buildings", "spaces", "enterprises", "occupancies"])
    def test_every_template_has_instructions_example_and_frozen_header(self, registry, kind):
        wb = _template(registry, kind)
        data = wb[KINDS[kind].label]
        assert wb.active.title == data.title
        assert "说明" in wb.sheetnames and wb["说明"]["A1"].value == "填写说明"
        assert [c.value for c in data[1]] == KINDS[kind].headers
        assert data.freeze_panes == "A2"
        assert str(data["A2"].value).startswith(EXAMPLE_MARK)
        assert all(data.column_dimensions[c.column_letter].width >= 10 for c in data[1])
        notes = {row[0]: row[1] for row in wb["说明"].iter_rows(values_only=True)}
        for column in KINDS[kind].columns:
            assert column.header in notes
            assert notes[column.header].startswith("必填" if column.required else "选填")

    def test_building_template_offers_streets_stages_and_themes(self, registry):
        wb = _template(registry, "buildings")
        data = wb["楼宇"]
        assert wb["选项"].sheet_state == "hidden"
        found = _validations(data)
        streets = _list_values(wb, found[_column(data, "所属街道")])
        assert "积玉桥街道" in streets and len(streets) >= 10
        assert _list_values(wb, found[_column(data, "建设阶段")]) == ["在建", "新建成", "存量"]
        assert _list_values(wb, found[_column(data, "特色主题")])
        validation = next(
            dv for dv in data.data_validations.dataValidation if dv.formula1 == found[_column(data, "所属街道")]
        )
        assert validation.type == "list" and validation.errorStyle == "stop"
        assert str(validation.sqref).startswith(f"{_column(data, '所属街道')}3:")  # below the example row

    def test_enterprise_template_offers_gbt4754_divisions_and_yes_no(self, registry):
        wb = _template(registry, "enterprises")
        data = wb["企业"]
        found = _validations(data)
        codes = _list_values(wb, found[_column(data, "行业代码")])
        assert any(c.startswith("65 ") for c in codes) and len(codes) > 90
        assert _list_values(wb, found[_column(data, "在册")]) == ["是", "否"]
        assert _list_values(wb, found[_column(data, "总部层级")])

    def test_space_template_offers_statuses(self, registry):
        wb = _template(registry, "spaces")
        data = wb["房源"]
        assert "空置" in _list_values(wb, _validations(data)[_column(data, "状态")])

    def test_the_template_filled_in_imports_and_its_example_row_is_ignored(self, registry):
        wb = _template(registry, "enterprises")
        data = wb["企业"]
        headers = [c.value for c in data[1]]
        row = {h: None for h in headers}
        row.update(
            {
                "统一社会信用代码": credit_code(3),
                "企业名称": "模板企业",
                "行业代码": "65 软件和信息技术服务业",
                "在册": "是",
            }
        )
        data.append([row[h] for h in headers])
        buffer = io.BytesIO()
        wb.save(buffer)
        answer = registry.post(
            "/api/registry/imports/enterprises",
            params={"dry_run": "false"},
            files={"file": ("企业导入模板.xlsx", buffer.getvalue(), "application/octet-stream")},
            headers=BUREAU,
        )
        assert answer.status_code == 200, answer.text
        report = answer.json()
        assert report["rejected"] == [] and report["rows_total"] == 1 and report["created"] == 1
        saved = registry.get(f"/api/registry/enterprises/{credit_code(3)}", headers=BUREAU).json()
        assert saved["industry_code"] == "65"


class TestEveryProblemAtOnce:
    def test_five_problems_in_three_rows_are_all_reported(self, registry):
        headers = KINDS["buildings"].headers

        def row(**cells):
            return [cells.get(h, "") for h in headers]

        rows = [
            # row 2: two unreadable cells
            row(楼宇名称="甲大厦", 所属街道="积玉桥街道", 地上层数="三十", 建设阶段="快建好了"),
            # row 3: a required cell missing and an unknown street
            row(所属街道="不存在街道"),
            # row 4: a good row
            row(楼宇名称="乙大厦", 所属街道="积玉桥街道"),
            # row 5: one unknown theme
            row(楼宇名称="丙大厦", 所属街道="积玉桥街道", 特色主题="火星经济"),
        ]
        data = write_table(headers, rows, fmt="xlsx")
        answer = registry.post(
            "/api/registry/imports/buildings",
            params={"dry_run": "true"},
            files={"file": ("楼宇.xlsx", data, "application/octet-stream")},
            headers=BUREAU,
        )
        assert answer.status_code == 200, answer.text
        report = answer.json()
        got = sorted((r["row"], r["column"]) for r in report["rejected"])
        assert got == [(2, "地上层数"), (2, "建设阶段"), (3, "所属街道"), (3, "楼宇名称"), (5, "特色主题")]
        assert all(r["message"] for r in report["rejected"])
        assert report["rejected_count"] == 3
        assert report["created"] == 1 and report["applied"] is False
