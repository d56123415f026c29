"""账号列表按所属单位筛选（单位成员）."""

from __future__ import annotations

from tests.conftest import add_user, bearer, login


def test_users_filtered_by_unit(gateway, db_urls):
    url = db_urls("gateway")
    add_user(url, "admin", roles=["admin"])
    add_user(url, "dept1", roles=["department"], org_unit="fgj")
    add_user(url, "dept2", roles=["department"], org_unit="fgj")
    add_user(url, "other", roles=["department"], org_unit="swj")
    gateway.db_url = url
    headers = bearer(login(gateway, "admin")["access_token"])
    body = gateway.get("/api/auth/users", params={"org_unit": "fgj"}, headers=headers).json()
    assert body["total"] == 2 and [u["username"] for u in body["items"]] == ["dept1", "dept2"]
    both = gateway.get("/api/auth/users", params={"org_unit": "fgj", "q": "2"}, headers=headers).json()
    assert [u["username"] for u in both["items"]] == ["dept2"]
    assert gateway.get("/api/auth/users", params={"org_unit": "无此单位"}, headers=headers).json()["total"] == 0
