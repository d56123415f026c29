"""政策库 imported from a spreadsheet (issue #17): every problem of every row at once with the
Excel row number and the column, nothing written when any row is bad, a dry run by default, and a
row whose 文号 is already in the library updates that policy."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.tasks.conftest import BUREAU, LEADER, STREET_SGH, token
from tests.tasks.field import make_stack

KCRC = token("kechuang", "department", org="kcrc")  # 区科技创新与人才服务中心
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [
    "政策名称",
    "发文机关",
    "文号",
    "层级",
    "发布日期",
    "有效期至",
    "申报开始",
    "申报截止",
    "扶持内容",
    "链接",
    "行业代码",
    "特色主题",
    "企业标签",
    "从业人数下限",
    "从业人数上限",
]


@pytest.fixture
def stack(make_client):
    return make_stack(make_client)


def row(**kw):
    base = {
        "政策名称": "（示例）武昌区支持金融业发展若干措施",
        "发文机关": "武昌区人民政府",
        "文号": "武昌政规〔2025〕7号",
        "层级": "区",
        "发布日期": "2025-03-01",
        "有效期至": "2027-12-31",
        "申报开始": "2025-04-01",
        "申报截止": "2025-06-30",
        "扶持内容": "按上年度区级贡献给予奖励",
        "链接": "",
        "行业代码": "66、6711",
        "特色主题": "金融",
        "企业标签": "区域总部、上市企业",
        "从业人数下限": "10",
        "从业人数上限": "500",
    }
    base.update(kw)
    return [base[h] for h in HEADERS]


def workbook(*rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def send(stack, content: bytes, dry_run: bool | None = None, headers=KCRC):
    url = "/api/tasks/policies/import" + ("" if dry_run is None else f"?dry_run={str(dry_run).lower()}")
    return stack.tasks.post(url, files={"file": ("政策.xlsx", content, XLSX)}, headers=headers)


def policies(stack):
    return stack.tasks.get("/api/tasks/policies", headers=BUREAU).json()["items"]


def test_every_problem_of_every_row_is_reported_and_nothing_written(stack):
    content = workbook(
        row(),  # row 2: good
        row(政策名称="", 层级="街道", 文号="A1"),  # row 3: two problems
        row(文号="A2", 发布日期="2025-02-30", 行业代码="65、X9", 特色主题="火星"),  # row 4: three
        row(文号="A3", 申报开始="2025-07-01", 申报截止="2025-06-30"),  # row 5: range (PolicyCreate)
        row(文号="A4", 从业人数下限="十", 企业标签="小微企业"),  # row 6
        row(文号="A5", 发文机关="区"),  # row 7: too short (PolicyCreate)
        row(),  # row 8: same 文号 as row 2
    )
    assert send(stack, content, False, STREET_SGH).status_code == 403
    report = send(stack, content, False).json()
    assert report["saved"] is False and report["rows"] == 7
    assert {(p["row"], p["field"]) for p in report["problems"]} == {
        (3, "政策名称"),
        (3, "层级"),
        (4, "发布日期"),
        (4, "行业代码"),
        (4, "特色主题"),
        (5, "申报截止"),
        (6, "从业人数下限"),
        (6, "企业标签"),
        (7, "发文机关"),
        (8, "文号"),
    }
    messages = {(p["row"], p["field"]): p["message"] for p in report["problems"]}
    assert messages[(3, "政策名称")] == "未填写"
    assert "X9" in messages[(4, "行业代码")]
    assert "申报截止日期不能早于申报开始日期" in messages[(5, "申报截止")]
    assert "第 2 行" in messages[(8, "文号")]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p["message"]) for p in report["problems"])
    assert policies(stack) == []


def test_a_clean_file_dry_runs_then_imports_and_a_known_number_updates(stack):
    content = workbook(row(), row(政策名称="（示例）武昌区人才安居办法", 文号="武昌政规〔2025〕8号", 层级="市"))
    dry = send(stack, content).json()  # dry run by default
    assert (dry["dry_run"], dry["saved"], dry["created"], dry["updated"], dry["problems"]) == (True, False, 2, 0, [])
    assert policies(stack) == []
    real = send(stack, content, False).json()
    assert (real["saved"], real["created"], real["updated"]) == (True, 2, 0)
    by_number = {p["doc_number"]: p for p in policies(stack)}
    first = by_number["武昌政规〔2025〕7号"]
    assert first["level"] == "district" and first["industry_codes"] == ["66", "6711"]
    assert first["themes"] == ["finance"] and first["tags"] == ["regional_hq", "listed"]
    assert (first["min_employees"], first["max_employees"], first["apply_until"]) == (10, 500, "2025-06-30")
    assert by_number["武昌政规〔2025〕8号"]["level"] == "city"

    again = workbook(row(政策名称="（示例）武昌区支持金融业发展若干措施（修订）", 申报截止="2025-08-31"))
    dry = send(stack, again).json()
    assert (dry["created"], dry["updated"]) == (0, 1)
    assert dry["updates"] == [
        {"row": 2, "doc_number": "武昌政规〔2025〕7号", "title": "（示例）武昌区支持金融业发展若干措施"}
    ]
    real = send(stack, again, False).json()
    assert (real["saved"], real["updated"]) == (True, 1)
    rows = policies(stack)
    assert len(rows) == 2
    updated = next(p for p in rows if p["doc_number"] == "武昌政规〔2025〕7号")
    assert updated["title"].endswith("（修订）") and updated["apply_until"] == "2025-08-31"


def test_a_file_without_the_required_columns_is_refused(stack):
    wb = openpyxl.Workbook()
    wb.active.append(["政策名称", "文号"])
    buf = io.BytesIO()
    wb.save(buf)
    resp = send(stack, buf.getvalue())
    assert resp.status_code == 422
    assert "发文机关" in resp.text and "层级" in resp.text


def test_the_template_opens_with_the_level_drop_down_and_imports_as_is(stack):
    resp = stack.tasks.get("/api/tasks/policies/import/template", headers=BUREAU)
    assert resp.status_code == 200 and resp.content[:2] == b"PK"
    assert stack.tasks.get("/api/tasks/policies/import/template", headers=LEADER).status_code == 403
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    sheet = wb.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    level_column = openpyxl.utils.get_column_letter(HEADERS.index("层级") + 1)
    validations = [dv for dv in sheet.data_validations.dataValidation if level_column in str(dv.sqref)]
    assert validations and validations[0].type == "list"
    choices = wb["选项"]
    listed = {c.value for col in choices.iter_cols() if col[0].value == "层级" for c in col[1:] if c.value}
    assert listed == {"国家", "省", "市", "区"}
    # the template itself (its example row is skipped) imports without a problem and saves nothing
    report = send(stack, resp.content, False).json()
    assert (report["rows"], report["problems"], report["created"]) == (0, [], 0)
