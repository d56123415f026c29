"""The audit log's export (auditor only): filters applied, formulas neutralised, the export itself audited."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pytest

from gateway.audit import router as audit_router
from gateway.audit.service import record
from louyu_kit.db import Database
from tests.conftest import add_user, bearer, login

EXPORT = "/api/auth/audit/export"
FORMULA = '=HYPERLINK("http://evil.example","点我")'


@pytest.fixture
def gw(gateway, db_urls):
    url = db_urls("gateway")
    for name, roles in {"admin": ["admin"], "auditor": ["auditor"], "leader": ["leader"]}.items():
        add_user(url, name, roles=roles)
    gateway.db_url = url
    return gateway


def _event(gw, **entry):
    row = {
        "actor": "zhangsan",
        "actor_kind": "user",
        "ip": "10.0.0.8",
        "method": "POST",
        "path": "/api/registry/buildings",
        "status": 201,
        "action": "http.post",
        "object": None,
        "result": "success",
        "request_id": "req-1",
        "detail": None,
    } | entry
    db = Database.from_url(gw.db_url)
    try:
        record(db, row)
    finally:
        db.dispose()


def _auditor(gw):
    return bearer(login(gw, "auditor")["access_token"])


def _csv_rows(resp):
    assert resp.content.startswith(b"\xef\xbb\xbf")  # Excel on a Chinese Windows reads UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))


class TestExport:
    def test_csv_has_the_filtered_rows_in_china_time(self, gw):
        _event(
            gw, actor="zhangsan", action="user.create", object="lisi", at=datetime(2026, 3, 5, 6, 30, 15, tzinfo=UTC)
        )
        _event(gw, actor="zhangsan", action="login_failed", result="failure")
        _event(gw, actor="wangwu", action="user.create", object="zhaoliu")
        headers = _auditor(gw)
        resp = gw.get(EXPORT, params={"format": "csv", "actor": "zhangsan", "action": "user."}, headers=headers)
        assert resp.status_code == 200, resp.text
        assert resp.headers["content-type"].startswith("text/csv")
        assert "attachment" in resp.headers["content-disposition"] and ".csv" in resp.headers["content-disposition"]
        rows = _csv_rows(resp)
        assert rows[0][:5] == ["时间（北京时间）", "操作人", "操作人类型", "IP 地址", "动作"]
        assert len(rows) == 2
        assert rows[1][:8] == [
            "2026-03-05 14:30:15",
            "zhangsan",
            "用户",
            "10.0.0.8",
            "新建账号",
            "user.create",
            "lisi",
            "成功",
        ]

    def test_xlsx_with_result_and_date_filters(self, gw):
        _event(gw, action="login_failed", result="failure", at=datetime(2026, 3, 4, 15, 59, tzinfo=UTC))  # 3月4日 23:59
        _event(gw, action="login_failed", result="failure", at=datetime(2026, 3, 4, 16, 1, tzinfo=UTC))  # 3月5日 00:01
        _event(gw, action="login", result="success", at=datetime(2026, 3, 4, 17, 0, tzinfo=UTC))
        params = {"format": "xlsx", "result": "failure", "since": "2026-03-05T00:00:00", "until": "2026-03-06T00:00:00"}
        resp = gw.get(EXPORT, params=params, headers=_auditor(gw))
        assert resp.status_code == 200, resp.text
        assert resp.headers["content-type"].startswith("application/vnd.openxmlformats")
        sheet = openpyxl.load_workbook(io.BytesIO(resp.content)).active
        values = list(sheet.iter_rows(values_only=True))
        assert sheet.title == "审计日志" and values[0][0] == "时间（北京时间）"
        assert len(values) == 2
        assert values[1][0] == datetime(2026, 3, 5, 0, 1) and values[1][4] == "登录失败" and values[1][7] == "失败"

    def test_formula_cells_are_neutralised(self, gw):
        _event(gw, actor="client:lyc_x", actor_kind="client", object=FORMULA, detail="+1+2")
        headers = _auditor(gw)
        rows = _csv_rows(gw.get(EXPORT, params={"format": "csv", "actor": "client:lyc_x"}, headers=headers))
        assert rows[1][6] == "'" + FORMULA and rows[1][12] == "'+1+2" and rows[1][2] == "机器客户端"
        book = gw.get(EXPORT, params={"format": "xlsx", "actor": "client:lyc_x"}, headers=headers)
        cell = openpyxl.load_workbook(io.BytesIO(book.content)).active["G2"]
        # xlsx: stored as text with the quote-prefix style (shown as typed, never run, no apostrophe).
        assert cell.data_type == "s" and cell.value == FORMULA and cell.quotePrefix

    def test_the_export_is_audited(self, gw):
        headers = _auditor(gw)
        assert gw.get(EXPORT, params={"format": "csv", "action": "login"}, headers=headers).status_code == 200
        items = gw.get("/api/auth/audit", params={"action": "audit.export"}, headers=headers).json()["items"]
        assert len(items) == 1
        entry = items[0]
        assert entry["actor"] == "auditor" and entry["result"] == "success" and entry["action_label"] == "导出审计日志"
        assert entry["object"] == "audit:csv" and "action=login" in entry["detail"]

    @pytest.mark.parametrize("who", ["admin", "leader"])
    def test_only_the_auditor_exports(self, gw, who):
        resp = gw.get(EXPORT, params={"format": "csv"}, headers=bearer(login(gw, who)["access_token"]))
        assert resp.status_code == 403
        assert gw.get(EXPORT, params={"format": "csv"}).status_code == 401

    def test_too_many_rows_is_422_with_a_clear_message(self, gw, monkeypatch):
        for _ in range(3):
            _event(gw, action="http.post")
        monkeypatch.setattr(audit_router, "EXPORT_MAX_ROWS", 2)
        resp = gw.get(EXPORT, params={"format": "xlsx", "action": "http."}, headers=_auditor(gw))
        assert resp.status_code == 422
        assert "超过单次导出 2 条的上限" in resp.json()["detail"] and "缩小" in resp.json()["detail"]

    def test_bad_format_and_reversed_dates_are_422(self, gw):
        headers = _auditor(gw)
        assert gw.get(EXPORT, params={"format": "pdf"}, headers=headers).status_code == 422
        params = {"format": "csv", "since": "2026-03-06T00:00:00", "until": "2026-03-05T00:00:00"}
        body = gw.get(EXPORT, params=params, headers=headers).json()
        assert body["detail"] == "截止时间须晚于起始时间" and body["fields"][0]["field"] == "until"


class TestActionFilter:
    def test_a_code_matches_exactly_a_family_by_prefix(self, gw):
        _event(gw, action="login")
        _event(gw, action="login_failed", result="failure")
        _event(gw, action="user.create")
        _event(gw, action="user.unlock")
        headers = _auditor(gw)

        def actions(action):
            items = gw.get("/api/auth/audit", params={"action": action, "actor": "zhangsan"}, headers=headers).json()
            return sorted(i["action"] for i in items["items"])

        assert actions("login") == ["login"]
        assert actions("user.") == ["user.create", "user.unlock"]

    def test_list_rows_carry_the_chinese_action(self, gw):
        _event(gw, action="client.revoke")
        _event(gw, action="http.delete")
        items = gw.get("/api/auth/audit", params={"actor": "zhangsan"}, headers=_auditor(gw)).json()["items"]
        assert [i["action_label"] for i in items] == ["其他操作（删除）", "吊销机器客户端"]

    def test_actions_offered_to_the_auditor_only(self, gw):
        options = gw.get("/api/auth/audit/actions", headers=_auditor(gw)).json()
        assert {"value": "user.", "label": "账号管理（全部）"} in options
        assert {"value": "audit.export", "label": "导出审计日志"} in options
        admin = bearer(login(gw, "admin")["access_token"])
        assert gw.get("/api/auth/audit/actions", headers=admin).status_code == 403
