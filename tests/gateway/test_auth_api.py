"""Sign-in, lockout, refresh, logout, me, own password, client credentials."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from gateway.auth.models import AccountLock, AuthSession
from gateway.db import utcnow
from louyu_kit.db import Database
from tests.conftest import PASSWORD, add_client, add_user, bearer, login

TOKEN = "/api/auth/token"


def _try(client, username, password):
    return client.post(TOKEN, data={"grant_type": "password", "username": username, "password": password})


@pytest.fixture
def gw(gateway, db_urls):
    url = db_urls("gateway")
    add_user(url, "zhangsan", roles=["bureau"], display_name="张三", org_unit="区商务局")
    add_user(url, "auditor", roles=["auditor"])
    gateway.db_url = url
    return gateway


def _audit(gw, **params):
    token = login(gw, "auditor")["access_token"]
    return gw.get("/api/auth/audit", params=params, headers=bearer(token)).json()["items"]


class TestPasswordGrant:
    def test_right_password_gets_tokens(self, gw):
        resp = _try(gw, "zhangsan", PASSWORD)
        assert resp.status_code == 200
        body = resp.json()
        assert body["token_type"] == "bearer" and body["expires_in"] == 900
        assert body["access_token"] and body["refresh_token"]
        assert resp.headers["cache-control"] == "no-store"

    def test_username_is_case_insensitive(self, gw):
        assert _try(gw, " ZhangSan ", PASSWORD).status_code == 200

    def test_wrong_password_and_unknown_user_look_the_same(self, gw):
        wrong = _try(gw, "zhangsan", "Wrong-Pass-1")
        unknown = _try(gw, "nobody", "Wrong-Pass-1")
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json()["detail"] == unknown.json()["detail"] == "用户名或密码错误"
        assert wrong.json()["error"] == unknown.json()["error"]

    def test_five_failures_lock_the_account_and_are_audited(self, gw):
        for _ in range(4):
            assert _try(gw, "zhangsan", "Wrong-Pass-1").status_code == 401
        fifth = _try(gw, "zhangsan", "Wrong-Pass-1")
        assert fifth.status_code == 401
        locked = _try(gw, "zhangsan", PASSWORD)
        assert locked.status_code == 429
        assert locked.json()["error"] == "AccountLocked"
        assert "锁定" in locked.json()["detail"] and "30 分钟" in locked.json()["detail"]
        assert int(locked.headers["retry-after"]) == 30 * 60
        actions = [(e["action"], e["object"], e["result"]) for e in _audit(gw, actor="zhangsan")]
        assert actions.count(("login_failed", "zhangsan", "failure")) == 5
        assert ("account_locked", "zhangsan", "failure") in actions
        assert actions[0][0] == "account_locked" or actions[0][0] == "login_failed"

    def test_unknown_user_locks_the_same_way(self, gw):
        for _ in range(5):
            assert _try(gw, "ghost", "Wrong-Pass-1").status_code == 401
        assert _try(gw, "ghost", "Wrong-Pass-1").status_code == 429

    def test_lock_ends_after_thirty_minutes(self, gw):
        for _ in range(5):
            _try(gw, "zhangsan", "Wrong-Pass-1")
        db = Database.from_url(gw.db_url)
        with db.write_sessions() as session:
            session.execute(update(AccountLock).values(locked_until=utcnow() - timedelta(seconds=1)))
            session.commit()
        db.dispose()
        assert _try(gw, "zhangsan", PASSWORD).status_code == 200

    def test_failures_spread_beyond_the_window_do_not_lock(self, gw, make_client):
        gw2 = make_client("gateway", login_failure_window_minutes=0)
        for _ in range(6):
            _try(gw2, "zhangsan", "Wrong-Pass-1")
        assert _try(gw2, "zhangsan", PASSWORD).status_code == 200

    def test_spraying_from_one_address_is_refused(self, make_client, db_urls):
        gw = make_client("gateway", login_ip_max_failures=6)
        add_user(db_urls("gateway"), "wangwu", roles=["leader"])
        for n in range(6):
            assert _try(gw, f"user{n}", "Spring-2026!").status_code == 401
        refused = _try(gw, "wangwu", PASSWORD)
        assert refused.status_code == 429 and refused.json()["error"] == "TooManyAttempts"

    def test_success_clears_failures(self, gw):
        for _ in range(4):
            _try(gw, "zhangsan", "Wrong-Pass-1")
        assert _try(gw, "zhangsan", PASSWORD).status_code == 200
        for _ in range(4):
            _try(gw, "zhangsan", "Wrong-Pass-1")
        assert _try(gw, "zhangsan", PASSWORD).status_code == 200

    def test_disabled_account(self, gw, db_urls):
        add_user(db_urls("gateway"), "gone", roles=["leader"], is_active=False)
        resp = _try(gw, "gone", PASSWORD)
        # Answered as a wrong password (issue #14 item 20; tests/gateway/test_three_roles.py).
        assert resp.status_code == 401
        assert resp.json()["detail"] == "用户名或密码错误"
        assert _try(gw, "gone", "Wrong-Pass-1").json()["detail"] == "用户名或密码错误"

    def test_missing_fields(self, gw):
        assert gw.post(TOKEN, data={"grant_type": "password"}).status_code == 422
        assert gw.post(TOKEN, data={"grant_type": "implicit"}).status_code == 422
        assert gw.post(TOKEN, json={"grant_type": "password"}).status_code == 422

    def test_sign_in_is_audited(self, gw):
        login(gw, "zhangsan")
        entries = _audit(gw, action="login")
        mine = [e for e in entries if e["actor"] == "zhangsan" and e["action"] == "login"]
        assert len(mine) == 1
        entry = mine[0]
        assert entry["result"] == "success" and entry["ip"] and entry["request_id"]
        assert entry["at"].endswith("Z") or "+" in entry["at"]


class TestSession:
    def test_me(self, gw):
        token = login(gw, "zhangsan")["access_token"]
        me = gw.get("/api/auth/me", headers=bearer(token)).json()
        assert me == {
            "username": "zhangsan",
            "display_name": "张三",
            "roles": ["bureau"],
            "org_unit": "区商务局",
            "street_codes": [],
            "must_change_password": False,
        }

    def test_refresh_rotates(self, gw):
        first = login(gw, "zhangsan")
        second = gw.post("/api/auth/refresh", data={"refresh_token": first["refresh_token"]})
        assert second.status_code == 200
        new = second.json()
        assert new["refresh_token"] != first["refresh_token"]
        assert gw.get("/api/auth/me", headers=bearer(new["access_token"])).status_code == 200
        # The same refresh token again: a replay. The whole session ends.
        replay = gw.post("/api/auth/refresh", data={"refresh_token": first["refresh_token"]})
        assert replay.status_code == 401 and replay.json()["error"] == "RefreshTokenReused"
        assert gw.post("/api/auth/refresh", data={"refresh_token": new["refresh_token"]}).status_code == 401
        assert gw.get("/api/auth/me", headers=bearer(new["access_token"])).status_code == 401

    def test_refresh_via_token_endpoint(self, gw):
        first = login(gw, "zhangsan")
        resp = gw.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
        assert resp.status_code == 200

    def test_access_token_is_not_a_refresh_token(self, gw):
        first = login(gw, "zhangsan")
        assert gw.post("/api/auth/refresh", data={"refresh_token": first["access_token"]}).status_code == 401

    def test_idle_session_ends(self, gw):
        tokens = login(gw, "zhangsan")
        db = Database.from_url(gw.db_url)
        with db.write_sessions() as session:
            session.execute(update(AuthSession).values(last_refreshed_at=utcnow() - timedelta(minutes=31)))
            session.commit()
        db.dispose()
        resp = gw.post("/api/auth/refresh", data={"refresh_token": tokens["refresh_token"]})
        assert resp.status_code == 401 and resp.json()["error"] == "SessionIdle"

    def test_logout_revokes(self, gw):
        tokens = login(gw, "zhangsan")
        assert gw.post("/api/auth/logout", headers=bearer(tokens["access_token"])).status_code == 204
        assert gw.get("/api/auth/me", headers=bearer(tokens["access_token"])).status_code == 401
        assert gw.post("/api/auth/refresh", data={"refresh_token": tokens["refresh_token"]}).status_code == 401
        actions = [e["action"] for e in _audit(gw, actor="zhangsan")]
        assert "logout" in actions

    def test_logout_needs_a_token(self, gw):
        assert gw.post("/api/auth/logout").status_code == 401

    def test_change_own_password(self, gw):
        token = login(gw, "zhangsan")["access_token"]
        weak = gw.post(
            "/api/auth/password", json={"current_password": PASSWORD, "new_password": "password"}, headers=bearer(token)
        )
        assert weak.status_code == 422 and "至少三类" in weak.json()["detail"]
        common = gw.post(
            "/api/auth/password",
            json={"current_password": PASSWORD, "new_password": "Passw0rd!"},
            headers=bearer(token),
        )
        assert common.status_code == 422 and "常见" in common.json()["detail"]
        wrong = gw.post(
            "/api/auth/password",
            json={"current_password": "nope", "new_password": "Good-Pass-2026"},
            headers=bearer(token),
        )
        assert wrong.status_code == 422 and wrong.json()["fields"][0]["field"] == "current_password"
        ok = gw.post(
            "/api/auth/password",
            json={"current_password": PASSWORD, "new_password": "Good-Pass-2026"},
            headers=bearer(token),
        )
        assert ok.status_code == 204
        assert _try(gw, "zhangsan", PASSWORD).status_code == 401
        assert _try(gw, "zhangsan", "Good-Pass-2026").status_code == 200


class TestClientCredentials:
    @pytest.fixture
    def tax(self, gw):
        add_client(gw.db_url, "tax-bureau", "s3cret-" + "t" * 30, scopes=["facts:write"])
        return gw

    def test_form_credentials(self, tax):
        resp = tax.post(
            TOKEN,
            data={"grant_type": "client_credentials", "client_id": "tax-bureau", "client_secret": "s3cret-" + "t" * 30},
        )
        assert resp.status_code == 200
        body = resp.json()
        assert body["scope"] == "facts:write" and "refresh_token" not in body

    def test_basic_credentials(self, tax):
        resp = tax.post(TOKEN, data={"grant_type": "client_credentials"}, auth=("tax-bureau", "s3cret-" + "t" * 30))
        assert resp.status_code == 200

    def test_wrong_secret(self, tax):
        resp = tax.post(
            TOKEN, data={"grant_type": "client_credentials", "client_id": "tax-bureau", "client_secret": "guess"}
        )
        assert resp.status_code == 401

    def test_scope_beyond_grant_refused(self, tax):
        resp = tax.post(
            TOKEN,
            data={
                "grant_type": "client_credentials",
                "client_id": "tax-bureau",
                "client_secret": "s3cret-" + "t" * 30,
                "scope": "stats:read",
            },
        )
        assert resp.status_code == 403

    def test_client_has_no_me(self, tax):
        token = tax.post(
            TOKEN,
            data={"grant_type": "client_credentials", "client_id": "tax-bureau", "client_secret": "s3cret-" + "t" * 30},
        ).json()["access_token"]
        assert tax.get("/api/auth/me", headers=bearer(token)).status_code == 403
        assert tax.get("/api/auth/users", headers=bearer(token)).status_code == 403


def test_sessions_table_records_ip(gw):
    login(gw, "zhangsan")
    db = Database.from_url(gw.db_url)
    with db.sessions() as session:
        row = session.scalar(select(AuthSession))
    db.dispose()
    assert row.subject == "zhangsan" and row.ip


class TestMustChangePassword:
    def test_only_me_password_and_logout_until_changed(self, gw, make_client):
        admin_url = gw.db_url
        add_user(admin_url, "admin", roles=["admin"])
        admin = bearer(login(gw, "admin")["access_token"])
        gw.post(
            "/api/auth/users",
            json={"username": "newbie", "display_name": "新人", "password": "Init-Pass-2026", "roles": ["admin"]},
            headers=admin,
        )
        first = login(gw, "newbie", "Init-Pass-2026")
        headers = bearer(first["access_token"])
        assert gw.get("/api/auth/me", headers=headers).json()["must_change_password"] is True
        refused = gw.get("/api/auth/users", headers=headers)
        assert refused.status_code == 403 and refused.json()["error"] == "PasswordChangeRequired"
        registry = make_client("registry")
        assert registry.get("/api/registry/changes", headers=headers).status_code == 403
        other_session = login(gw, "newbie", "Init-Pass-2026")
        changed = gw.post(
            "/api/auth/password",
            json={"current_password": "Init-Pass-2026", "new_password": "Own-Pass-2026"},
            headers=headers,
        )
        assert changed.status_code == 204
        # This session goes on: its next token no longer carries the pending change.
        renewed = gw.post("/api/auth/refresh", data={"refresh_token": first["refresh_token"]}).json()
        assert gw.get("/api/auth/users", headers=bearer(renewed["access_token"])).status_code == 200
        # The other session, opened with the old password, is over.
        assert gw.get("/api/auth/me", headers=bearer(other_session["access_token"])).status_code == 401
