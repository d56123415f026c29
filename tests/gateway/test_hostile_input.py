"""Issue 14 items 7, 16, 17 at the gateway: a NUL in an SPA path, a header with a trailing
space, and oversized bodies are 4xx answers with a Chinese reason, never a 500 or a false 503."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import add_user, bearer, login


@pytest.fixture
def spa(make_client, tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text('<!doctype html><div id="app"></div>')
    return make_client("gateway", frontend_dir=dist)


@pytest.mark.parametrize("path", ["/etc/passwd%00.html", "/assets/%00", "/buildings%00/x", "/%01%02", "/a%0a.html"])
def test_a_control_character_in_an_spa_path_is_404_not_500(spa, path):
    resp = spa.get(path)
    assert resp.status_code == 404, resp.text
    assert "不存在" in resp.text  # a Chinese reason, plain text or the JSON error
    assert spa.get("/buildings").status_code == 200


def test_the_gateway_caps_bodies_of_its_own_routes(make_client, db_urls):
    gateway = make_client("gateway", max_json_bytes=4096)
    add_user(db_urls("gateway"), "admin", roles=["admin"])
    token = login(gateway, "admin")["access_token"]
    resp = gateway.post(
        "/api/auth/users",
        content=b'{"username": "' + b"a" * 5000 + b'"}',
        headers={**bearer(token), "Content-Type": "application/json"},
    )
    assert resp.status_code == 413
    assert "上限" in resp.json()["detail"]


@pytest.mark.live
def test_through_the_gateway(live_stack):
    add_user(live_stack.db_urls["gateway"], "shangwu", roles=["bureau"])
    with live_stack.client() as http:
        token = login(http, "shangwu")["access_token"]
        # Item 16: a header value with a trailing space (legal on the wire) is not a 503.
        port = live_stack.servers["gateway"].port
        raw = (
            f"GET /api/registry/buildings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
            "X-Note: trailing   \r\nAccept: application/json \r\nConnection: close\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(raw)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
        # Item 7: an oversized body is refused at the gateway, before the upstream reads it.
        resp = http.post(
            "/api/registry/buildings",
            content=b"{" + b" " * (1024 * 1024 + 1) + b"}",
            headers={**bearer(token), "Content-Type": "application/json"},
        )
        assert resp.status_code == 413
        assert "上限" in resp.json()["detail"]

        # A chunked body (no Content-Length) is counted as it streams through the gateway.
        def chunks():  # type: ignore[no-untyped-def]
            for _ in range(20):
                yield b" " * 65536

        resp = http.post(
            "/api/registry/buildings", content=chunks(), headers={**bearer(token), "Content-Type": "application/json"}
        )
        assert resp.status_code == 413, resp.text
        assert "上限" in resp.json()["detail"]
        # An unauthenticated upload is refused before a byte of it is read.
        resp = http.post("/api/registry/imports/buildings", files={"file": ("a.csv", b"x" * 3_000_000, "text/csv")})
        assert resp.status_code == 401
        # API answers through the gateway are not cached.
        assert http.get("/api/registry/buildings", headers=bearer(token)).headers["cache-control"] == "no-store"
