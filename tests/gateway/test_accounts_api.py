"""Account administration (admin only) and the audit trail (auditor only): 三员分立."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from louyu_kit.db import Database
from tests.conftest import PASSWORD, add_user, bearer, login

NEW_USER = {
    "username": "Li.Si",
    "display_name": "李四",
    "password": "Init-Pass-2026",
    "roles": ["street"],
    "street_codes": ["420106001"],
    "org_unit": "积玉桥街道",
    "phone": "13812341234",
}


@pytest.fixture
def gw(gateway, db_urls):
    url = db_urls("gateway")
    for name, roles in {
        "admin": ["admin"],
        "admin2": ["admin"],
        "auditor": ["auditor"],
        "leader": ["leader"],
        "bureau": ["bureau"],
    }.items():
        add_user(url, name, roles=roles)
    gateway.db_url = url
    return gateway


def _as(gw, username):
    return bearer(login(gw, username)["access_token"])


class TestRoleChecks:
    @pytest.mark.parametrize("who", ["leader", "bureau", "auditor"])
    def test_non_admin_cannot_manage_users(self, gw, who):
        headers = _as(gw, who)
        assert gw.get("/api/auth/users", headers=headers).status_code == 403
        assert gw.post("/api/auth/users", json=NEW_USER, headers=headers).status_code == 403
        assert gw.patch("/api/auth/users/leader", json={"is_active": False}, headers=headers).status_code == 403
        assert (
            gw.post("/api/auth/clients", json={"name": "x", "scopes": ["stats:read"]}, headers=headers).status_code
            == 403
        )

    @pytest.mark.parametrize("who", ["admin", "leader", "bureau"])
    def test_only_the_auditor_reads_the_audit_log(self, gw, who):
        resp = gw.get("/api/auth/audit", headers=_as(gw, who))
        assert resp.status_code == 403
        assert gw.get("/api/auth/audit", headers=_as(gw, "auditor")).status_code == 200

    def test_anonymous(self, gw):
        assert gw.get("/api/auth/users").status_code == 401
        assert gw.get("/api/auth/audit").status_code == 401


class TestUsers:
    def test_create_list_get(self, gw):
        headers = _as(gw, "admin")
        resp = gw.post("/api/auth/users", json=NEW_USER, headers=headers)
        assert resp.status_code == 201, resp.text
        user = resp.json()
        assert user["username"] == "li.si" and user["must_change_password"] is True
        assert user["phone"] == "138****1234"
        assert "Init-Pass-2026" not in resp.text and "argon2" not in resp.text and "password_hash" not in resp.text
        listed = gw.get("/api/auth/users", params={"q": "李"}, headers=headers).json()
        assert listed["total"] == 1 and listed["items"][0]["username"] == "li.si"
        by_role = gw.get("/api/auth/users", params={"role": "admin"}, headers=headers).json()
        assert {u["username"] for u in by_role["items"]} == {"admin", "admin2"}
        assert gw.get("/api/auth/users/li.si", headers=headers).json()["display_name"] == "李四"
        new = login(gw, "li.si", "Init-Pass-2026")
        assert gw.get("/api/auth/me", headers=bearer(new["access_token"])).json()["must_change_password"] is True

    def test_duplicate_username_returns_409(self, gw):
        headers = _as(gw, "admin")
        gw.post("/api/auth/users", json=NEW_USER, headers=headers)
        resp = gw.post("/api/auth/users", json=NEW_USER, headers=headers)
        assert resp.status_code == 409 and "li.si" in resp.json()["detail"]

    @pytest.mark.parametrize(
        "change,field,words",
        [
            ({"roles": ["king"]}, "roles", "未知角色"),
            ({"roles": ["admin", "auditor"]}, "roles", "三员分立"),
            ({"street_codes": ["42010600"]}, "street_codes", "9 位数字"),
            ({"phone": "12345"}, "phone", "手机号"),
            ({"password": "short"}, "password", "不能少于 8 位"),
            ({"street_codes": []}, "", "街道代码"),
        ],
    )
    def test_invalid_user(self, gw, change, field, words):
        resp = gw.post("/api/auth/users", json={**NEW_USER, **change}, headers=_as(gw, "admin"))
        assert resp.status_code == 422
        assert words in resp.json()["detail"]
        if field:
            assert field in [f["field"] for f in resp.json().get("fields", [])]

    def test_disabling_a_user_ends_their_sessions(self, gw):
        victim = login(gw, "bureau")
        resp = gw.patch("/api/auth/users/bureau", json={"is_active": False}, headers=_as(gw, "admin"))
        assert resp.status_code == 200 and resp.json()["is_active"] is False
        assert gw.get("/api/auth/me", headers=bearer(victim["access_token"])).status_code == 401
        assert gw.post("/api/auth/refresh", data={"refresh_token": victim["refresh_token"]}).status_code == 401

    def test_role_change_takes_effect_now(self, gw):
        before = login(gw, "leader")
        gw.patch("/api/auth/users/leader", json={"roles": ["bureau"]}, headers=_as(gw, "admin"))
        assert gw.get("/api/auth/me", headers=bearer(before["access_token"])).status_code == 401
        after = login(gw, "leader")
        assert gw.get("/api/auth/me", headers=bearer(after["access_token"])).json()["roles"] == ["bureau"]

    def test_last_admin_and_self_demotion_refused(self, gw):
        headers = _as(gw, "admin")
        assert gw.patch("/api/auth/users/admin", json={"is_active": False}, headers=headers).status_code == 409
        assert gw.patch("/api/auth/users/admin2", json={"is_active": False}, headers=headers).status_code == 200
        resp = gw.patch("/api/auth/users/admin", json={"roles": ["leader"]}, headers=headers)
        assert resp.status_code == 409 and "管理员" in resp.json()["detail"]

    def test_reset_password_and_unlock(self, gw):
        headers = _as(gw, "admin")
        for _ in range(5):
            gw.post("/api/auth/token", data={"grant_type": "password", "username": "bureau", "password": "Wrong-1-x"})
        assert gw.get("/api/auth/users/bureau", headers=headers).json()["locked_until"] is not None
        assert gw.post("/api/auth/users/bureau/unlock", headers=headers).status_code == 204
        assert gw.get("/api/auth/users/bureau", headers=headers).json()["locked_until"] is None
        weak = gw.post("/api/auth/users/bureau/password", json={"new_password": "abc"}, headers=headers)
        assert weak.status_code == 422
        ok = gw.post("/api/auth/users/bureau/password", json={"new_password": "Reset-Pass-2026"}, headers=headers)
        assert ok.status_code == 204
        assert (
            gw.post(
                "/api/auth/token", data={"grant_type": "password", "username": "bureau", "password": PASSWORD}
            ).status_code
            == 401
        )
        assert login(gw, "bureau", "Reset-Pass-2026")

    def test_unknown_user_404(self, gw):
        resp = gw.get("/api/auth/users/nobody", headers=_as(gw, "admin"))
        assert resp.status_code == 404 and resp.json()["error"] == "UserNotFound"


class TestClients:
    def test_secret_shown_once_rotate_revoke(self, gw):
        headers = _as(gw, "admin")
        created = gw.post(
            "/api/auth/clients", json={"name": "区税务局征管系统", "scopes": ["facts:write"]}, headers=headers
        )
        assert created.status_code == 201
        client_id, secret = created.json()["client_id"], created.json()["client_secret"]
        assert "client_secret" not in gw.get(f"/api/auth/clients/{client_id}", headers=headers).json()
        assert all("client_secret" not in c for c in gw.get("/api/auth/clients", headers=headers).json())

        def grant(s):
            return gw.post(
                "/api/auth/token", data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": s}
            )

        token = grant(secret).json()["access_token"]
        rotated = gw.post(f"/api/auth/clients/{client_id}/rotate-secret", headers=headers).json()["client_secret"]
        assert grant(secret).status_code == 401
        assert grant(rotated).status_code == 200
        assert gw.delete(f"/api/auth/clients/{client_id}", headers=headers).status_code == 204
        resp = grant(rotated)
        assert resp.status_code == 403 and "吊销" in resp.json()["detail"]
        assert token  # issued before rotation; its session was revoked with the rotation

    def test_invalid_scope(self, gw):
        resp = gw.post("/api/auth/clients", json={"name": "x", "scopes": ["root"]}, headers=_as(gw, "admin"))
        assert resp.status_code == 422


class TestAuditTrail:
    def test_state_changes_are_recorded(self, gw):
        gw.post("/api/auth/users", json=NEW_USER, headers=_as(gw, "admin"))
        items = gw.get("/api/auth/audit", params={"action": "user."}, headers=_as(gw, "auditor")).json()["items"]
        assert [(i["actor"], i["action"], i["object"], i["status"]) for i in items] == [
            ("admin", "user.create", "li.si", 201)
        ]

    def test_refused_requests_are_recorded_too(self, gw):
        gw.post("/api/auth/users", json=NEW_USER, headers=_as(gw, "leader"))
        items = gw.get("/api/auth/audit", params={"actor": "leader", "result": "failure"}, headers=_as(gw, "auditor"))
        # Refused before the route ran: recorded by method and path.
        assert [(i["action"], i["path"], i["status"]) for i in items.json()["items"]] == [
            ("http.post", "/api/auth/users", 403)
        ]

    def test_the_application_cannot_change_or_delete_audit_rows(self, gw):
        login(gw, "admin")
        db = Database.from_url(gw.db_url)
        try:
            for statement in ("UPDATE audit_event SET actor = 'x'", "DELETE FROM audit_event"):
                with db.write_sessions() as session, pytest.raises(Exception, match="append-only"):
                    session.execute(text(statement))
                    session.commit()
        finally:
            db.dispose()
        assert gw.get("/api/auth/audit", headers=_as(gw, "auditor")).json()["total"] >= 1

    def test_time_filters(self, gw):
        login(gw, "admin")
        headers = _as(gw, "auditor")
        future = gw.get("/api/auth/audit", params={"since": "2999-01-01T00:00:00"}, headers=headers).json()
        assert future["total"] == 0
        past = gw.get("/api/auth/audit", params={"since": "2020-01-01T00:00:00+08:00"}, headers=headers).json()
        assert past["total"] >= 1
