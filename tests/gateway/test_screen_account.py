"""The 大屏 kiosk account (issue #18): a role of its own that the admin creates, holds alone,
whose session survives the idle timeout and ends when the admin disables it (audited)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from gateway.auth.models import AuthSession
from gateway.db import utcnow
from louyu_kit.db import Database
from tests.conftest import add_user, bearer, login


@pytest.fixture
def gw(gateway, db_urls):
    url = db_urls("gateway")
    add_user(url, "guanli", roles=["admin"])
    add_user(url, "dapingmu", roles=["screen"], display_name="一楼大厅大屏")
    add_user(url, "zhangsan", roles=["bureau"])
    add_user(url, "auditor", roles=["auditor"])
    gateway.db_url = url
    return gateway


def _idle(gw, username: str) -> None:
    db = Database.from_url(gw.db_url)
    with db.write_sessions() as session:
        session.execute(
            update(AuthSession)
            .where(AuthSession.subject == username)
            .values(last_refreshed_at=utcnow() - timedelta(minutes=90))
        )
        session.commit()
    db.dispose()


def test_admin_creates_a_screen_account_holding_no_other_role(gw):
    admin = bearer(login(gw, "guanli")["access_token"])
    body = {"username": "daping2", "display_name": "会议室大屏", "password": "Kiosk-Pass-2026", "roles": ["screen"]}
    resp = gw.post("/api/auth/users", json=body, headers=admin)
    assert resp.status_code == 201, resp.text
    assert resp.json()["roles"] == ["screen"]
    mixed = {**body, "username": "daping3", "roles": ["screen", "leader"]}
    resp = gw.post("/api/auth/users", json=mixed, headers=admin)
    assert resp.status_code == 422 and "大屏账号" in resp.json()["detail"]


def test_kiosk_session_survives_the_idle_timeout(gw):
    tokens = login(gw, "dapingmu")
    _idle(gw, "dapingmu")
    resp = gw.post("/api/auth/refresh", data={"refresh_token": tokens["refresh_token"]})
    assert resp.status_code == 200, resp.text
    me = gw.get("/api/auth/me", headers=bearer(resp.json()["access_token"])).json()
    assert me["roles"] == ["screen"]


def test_a_person_still_idles_out(gw):
    tokens = login(gw, "zhangsan")
    _idle(gw, "zhangsan")
    resp = gw.post("/api/auth/refresh", data={"refresh_token": tokens["refresh_token"]})
    assert resp.status_code == 401 and resp.json()["error"] == "SessionIdle"


def test_admin_disabling_the_kiosk_ends_its_session_audited(gw):
    tokens = login(gw, "dapingmu")
    admin = bearer(login(gw, "guanli")["access_token"])
    resp = gw.patch("/api/auth/users/dapingmu", json={"is_active": False}, headers=admin)
    assert resp.status_code == 200, resp.text
    assert gw.get("/api/auth/me", headers=bearer(tokens["access_token"])).status_code == 401
    assert gw.post("/api/auth/refresh", data={"refresh_token": tokens["refresh_token"]}).status_code == 401
    auditor = bearer(login(gw, "auditor")["access_token"])
    entries = gw.get("/api/auth/audit", params={"actor": "dapingmu"}, headers=auditor).json()["items"]
    assert any(e["action"] == "login" for e in entries)
