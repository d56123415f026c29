"""The gateway serves the SPA with history fallback, JSON 404s for the API, and security headers."""

from __future__ import annotations

import pytest

SECURITY_HEADERS = {
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
}


@pytest.fixture
def spa(make_client, tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text('<!doctype html><div id="app"></div><script src="/assets/app-1a2b.js"></script>')
    (dist / "assets" / "app-1a2b.js").write_text("console.log('louyu')")
    (tmp_path / "secret.txt").write_text("do not serve")
    return make_client("gateway", frontend_dir=dist)


def _assert_security_headers(resp):
    for name, fragment in SECURITY_HEADERS.items():
        assert fragment in resp.headers[name], name
    assert "*" not in resp.headers.get("access-control-allow-origin", "")


def test_index_and_history_fallback(spa):
    for path in ("/", "/buildings", "/buildings/42/spaces", "/m/visits"):
        resp = spa.get(path)
        assert resp.status_code == 200, path
        assert '<div id="app">' in resp.text
        assert resp.headers["cache-control"] == "no-cache"
        _assert_security_headers(resp)


def test_assets_are_cached_and_missing_ones_404(spa):
    resp = spa.get("/assets/app-1a2b.js")
    assert resp.status_code == 200 and "immutable" in resp.headers["cache-control"]
    assert spa.get("/assets/missing.js").status_code == 404


def test_no_path_traversal(spa):
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt"):
        assert "do not serve" not in spa.get(path).text


def test_unknown_api_paths_are_json_404(spa):
    for method in ("get", "post", "delete"):
        resp = getattr(spa, method)("/api/nothing/here")
        assert resp.status_code == 404
        body = resp.json()
        assert body["error"] == "NotFound" and body["request_id"]


def test_api_response_has_security_headers(spa):
    resp = spa.get("/api/auth/health")
    assert resp.status_code == 200
    _assert_security_headers(resp)
    resp = spa.post("/api/auth/token", data={"grant_type": "password", "username": "x", "password": "y"})
    _assert_security_headers(resp)


def test_no_wildcard_cors(spa):
    resp = spa.options(
        "/api/auth/token", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in resp.headers


def test_configured_origin_is_allowed(make_client, tmp_path):
    client = make_client("gateway", cors_origins="https://louyu.wuchang.gov.cn, *")
    ok = client.get("/api/auth/health", headers={"Origin": "https://louyu.wuchang.gov.cn"})
    assert ok.headers["access-control-allow-origin"] == "https://louyu.wuchang.gov.cn"
    other = client.get("/api/auth/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_not_built_page(make_client, tmp_path):
    client = make_client("gateway", frontend_dir=tmp_path / "nothing")
    resp = client.get("/")
    assert resp.status_code == 503 and "make run" in resp.text
