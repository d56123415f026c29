"""三员分立 (issue #14 items 3 and 20): the admin holds no other role and never manages an
auditor; auditors are made and reset on the server's command line (audited); a disabled
account with the right password is answered as a wrong password (the real reason audited)."""

from __future__ import annotations

import pytest

from gateway.__main__ import create_auditor, reset_auditor
from tests.conftest import PASSWORD, add_user, bearer, login, settings_for

TOKEN = "/api/auth/token"


@pytest.fixture
def gw(gateway, db_urls):
    url = db_urls("gateway")
    add_user(url, "admin", roles=["admin"])
    add_user(url, "admin2", roles=["admin"])
    add_user(url, "auditor", roles=["auditor"])
    add_user(url, "clerk", roles=["bureau"])
    gateway.db_url = url
    return gateway


def _as(gw, username, password=PASSWORD):
    return bearer(login(gw, username, password)["access_token"])


def _audit(gw, **params):
    return gw.get("/api/auth/audit", params={"page_size": 100, **params}, headers=_as(gw, "auditor")).json()["items"]


def _fields(resp):
    return {f["field"] for f in resp.json().get("fields", [])}


class TestAdminHoldsNoOtherRole:
    def test_admin_cannot_give_itself_a_business_role(self, gw):
        # The reproduction: PATCH /api/auth/users/admin {"roles":["admin","bureau"]} → 200.
        resp = gw.patch("/api/auth/users/admin", json={"roles": ["admin", "bureau"]}, headers=_as(gw, "admin"))
        assert resp.status_code == 422
        assert "roles" in _fields(resp)
        assert "三员分立" in str(resp.json()["fields"]) and "区商务局" in str(resp.json()["fields"])
        me = gw.get("/api/auth/me", headers=_as(gw, "admin")).json()
        assert me["roles"] == ["admin"]

    def test_no_account_is_created_admin_plus_another_role(self, gw):
        body = {"username": "two", "display_name": "x", "password": "Init-Pass-2026", "roles": ["admin", "leader"]}
        resp = gw.post("/api/auth/users", json=body, headers=_as(gw, "admin"))
        assert resp.status_code == 422 and "roles" in _fields(resp)
        assert gw.get("/api/auth/users/two", headers=_as(gw, "admin")).status_code == 404

    def test_a_business_account_cannot_be_made_admin_plus_its_role(self, gw):
        resp = gw.patch("/api/auth/users/clerk", json={"roles": ["bureau", "admin"]}, headers=_as(gw, "admin"))
        assert resp.status_code == 422 and "roles" in _fields(resp)

    def test_admin_alone_is_still_fine(self, gw):
        resp = gw.patch("/api/auth/users/clerk", json={"roles": ["admin"]}, headers=_as(gw, "admin"))
        assert resp.status_code == 200 and resp.json()["roles"] == ["admin"]


class TestAdminNeverManagesAnAuditor:
    def test_admin_cannot_create_an_auditor(self, gw):
        body = {"username": "spy", "display_name": "x", "password": "Init-Pass-2026", "roles": ["auditor"]}
        resp = gw.post("/api/auth/users", json=body, headers=_as(gw, "admin"))
        assert resp.status_code == 403 and resp.json()["error"] == "AuditorNotManagedByAdmin"
        assert "命令行" in resp.json()["detail"] and "roles" in _fields(resp)
        assert gw.get("/api/auth/users/spy", headers=_as(gw, "admin")).status_code == 404

    def test_admin_cannot_grant_auditor(self, gw):
        resp = gw.patch("/api/auth/users/clerk", json={"roles": ["auditor"]}, headers=_as(gw, "admin"))
        assert resp.status_code == 403
        assert gw.get("/api/auth/users/clerk", headers=_as(gw, "admin")).json()["roles"] == ["bureau"]

    @pytest.mark.parametrize(
        "change", [{"is_active": False}, {"display_name": "改名"}, {"roles": ["leader"]}, {"phone": "13812341234"}]
    )
    def test_admin_cannot_change_or_disable_an_auditor(self, gw, change):
        resp = gw.patch("/api/auth/users/auditor", json=change, headers=_as(gw, "admin"))
        assert resp.status_code == 403 and resp.json()["error"] == "AuditorNotManagedByAdmin"
        assert gw.get("/api/auth/me", headers=_as(gw, "auditor")).json()["roles"] == ["auditor"]

    def test_admin_cannot_reset_an_auditors_password_and_read_the_log(self, gw):
        admin = _as(gw, "admin")
        resp = gw.post("/api/auth/users/auditor/password", json={"new_password": "Taken-Over-2026"}, headers=admin)
        assert resp.status_code == 403
        assert (
            gw.post(
                TOKEN, data={"grant_type": "password", "username": "auditor", "password": "Taken-Over-2026"}
            ).status_code
            == 401
        )
        login(gw, "auditor")  # the old password still works

    def test_admin_cannot_unlock_an_auditor(self, gw):
        assert gw.post("/api/auth/users/auditor/unlock", headers=_as(gw, "admin")).status_code == 403

    def test_refusals_are_audited(self, gw):
        gw.patch("/api/auth/users/auditor", json={"is_active": False}, headers=_as(gw, "admin"))
        rows = [e for e in _audit(gw, action="user.update") if e["object"] == "auditor"]
        assert rows and rows[0]["result"] == "failure" and rows[0]["actor"] == "admin"


class TestAuditorCommandLine:
    def test_create_and_reset_from_the_command_line_are_audited(self, gw, tmp_path, capsys):
        settings = settings_for("gateway", gw.db_url, tmp_path)
        password = create_auditor(settings, "Shen.Ji", "审计员乙")
        assert password in capsys.readouterr().out
        tokens = login(gw, "shen.ji", password)
        me = gw.get("/api/auth/me", headers=bearer(tokens["access_token"])).json()
        assert me["roles"] == ["auditor"] and me["must_change_password"] is True

        new = reset_auditor(settings, "shen.ji")
        assert new != password
        assert (
            gw.post(TOKEN, data={"grant_type": "password", "username": "shen.ji", "password": password}).status_code
            == 401
        )
        login(gw, "shen.ji", new)

        rows = [e for e in _audit(gw) if e["action"].startswith("auditor.")]
        assert [(e["action"], e["object"], e["result"]) for e in rows] == [
            ("auditor.reset_password", "shen.ji", "success"),
            ("auditor.create", "shen.ji", "success"),
        ]
        assert all(e["actor"].startswith("cli:") and e["actor_kind"] == "cli" for e in rows)

    def test_the_command_line_refuses_a_taken_name_and_a_non_auditor(self, gw, tmp_path):
        settings = settings_for("gateway", gw.db_url, tmp_path)
        with pytest.raises(SystemExit, match="已被使用"):
            create_auditor(settings, "clerk")
        with pytest.raises(SystemExit, match="不是安全审计员"):
            reset_auditor(settings, "admin")
        login(gw, "admin")  # untouched
        results = {(e["action"], e["result"]) for e in _audit(gw) if e["action"].startswith("auditor.")}
        assert results == {("auditor.create", "failure"), ("auditor.reset_password", "failure")}


class TestDisabledAccountSignIn:
    def test_disabled_with_the_right_password_looks_like_a_wrong_password(self, gw, db_urls):
        add_user(db_urls("gateway"), "gone", roles=["leader"], is_active=False)
        right = gw.post(TOKEN, data={"grant_type": "password", "username": "gone", "password": PASSWORD})
        wrong = gw.post(TOKEN, data={"grant_type": "password", "username": "gone", "password": "Wrong-Pass-1"})
        assert right.status_code == wrong.status_code == 401
        strip = lambda r: {k: v for k, v in r.json().items() if k != "request_id"}  # noqa: E731
        assert strip(right) == strip(wrong) == {"error": "InvalidCredentials", "detail": "用户名或密码错误"}
        assert right.headers.get("www-authenticate") == wrong.headers.get("www-authenticate")

    def test_the_real_reason_is_audited(self, gw, db_urls):
        add_user(db_urls("gateway"), "gone", roles=["leader"], is_active=False)
        gw.post(TOKEN, data={"grant_type": "password", "username": "gone", "password": PASSWORD})
        gw.post(TOKEN, data={"grant_type": "password", "username": "gone", "password": "Wrong-Pass-1"})
        rows = [e for e in _audit(gw, actor="gone") if e["action"] == "login_failed"]
        assert len(rows) == 2
        assert "停用" in (rows[1]["detail"] or "")  # the first attempt: right password, disabled
        assert "停用" not in (rows[0]["detail"] or "")  # a wrong password: the ordinary refusal only
