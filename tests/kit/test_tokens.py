"""Every way a token must be refused, checked against a real service (registry)."""

from __future__ import annotations

import base64
import json
import time

import pytest
from jose import jwt as jose_jwt

from louyu_kit.tokens import ACCESS, INTERNAL, MAX_TOKEN_BYTES, REFRESH, TokenCodec, TokenInvalid
from tests.conftest import TEST_SECRET, bearer

CHANGES = "/api/registry/changes"


@pytest.fixture
def codec() -> TokenCodec:
    return TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api")


@pytest.fixture
def registry(make_client):
    return make_client("registry")


def _claims(**overrides):
    now = int(time.time())
    claims = {
        "sub": "admin",
        "typ": "access",
        "kind": "user",
        "sid": "s1",
        "roles": ["admin"],
        "aud": "louyu-api",
        "iss": "louyu-gateway",
        "iat": now,
        "exp": now + 600,
        "jti": "j1",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


class TestServiceRefusesTokens:
    def test_valid_token_accepted(self, registry, codec):
        token = codec.issue(sub="admin", typ=ACCESS, ttl_seconds=60, claims={"sid": "s", "roles": ["admin"]}).token
        assert registry.get("/api/registry/meta", headers=bearer(token)).status_code == 200

    def test_no_token(self, registry):
        resp = registry.get(CHANGES)
        assert resp.status_code == 401
        assert resp.json()["error"] == "Unauthorized"
        assert "登录" in resp.json()["detail"]

    def test_expired_token(self, registry):
        token = jose_jwt.encode(_claims(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600), TEST_SECRET)
        resp = registry.get(CHANGES, headers=bearer(token))
        assert resp.status_code == 401
        assert "过期" in resp.json()["detail"]

    def test_alg_none(self, registry):
        token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims())}."
        assert registry.get(CHANGES, headers=bearer(token)).status_code == 401

    def test_other_algorithm_same_key(self, registry):
        token = jose_jwt.encode(_claims(), TEST_SECRET, algorithm="HS512")
        assert registry.get(CHANGES, headers=bearer(token)).status_code == 401

    def test_other_key(self, registry):
        token = jose_jwt.encode(_claims(), "another-secret-" + "y" * 40, algorithm="HS256")
        assert registry.get(CHANGES, headers=bearer(token)).status_code == 401

    @pytest.mark.parametrize("claim,value", [("aud", "someone-else"), ("iss", "evil-issuer")])
    def test_wrong_audience_or_issuer(self, registry, claim, value):
        token = jose_jwt.encode(_claims(**{claim: value}), TEST_SECRET, algorithm="HS256")
        assert registry.get(CHANGES, headers=bearer(token)).status_code == 401

    @pytest.mark.parametrize("missing", ["exp", "iat", "sub", "aud", "iss", "jti"])
    def test_required_claims(self, registry, missing):
        claims = _claims()
        claims.pop(missing)
        token = jose_jwt.encode(claims, TEST_SECRET, algorithm="HS256")
        assert registry.get(CHANGES, headers=bearer(token)).status_code == 401

    def test_refresh_token_as_access(self, registry, codec):
        token = codec.issue(sub="admin", typ=REFRESH, ttl_seconds=60, claims={"sid": "s"}).token
        assert registry.get(CHANGES, headers=bearer(token)).status_code == 401

    def test_refresh_typ_with_access_audience(self, registry):
        token = jose_jwt.encode(_claims(typ="refresh"), TEST_SECRET, algorithm="HS256")
        resp = registry.get(CHANGES, headers=bearer(token))
        assert resp.status_code == 401
        assert "类型" in resp.json()["detail"]

    def test_oversized_token(self, registry):
        token = jose_jwt.encode(_claims(pad="x" * MAX_TOKEN_BYTES), TEST_SECRET, algorithm="HS256")
        resp = registry.get(CHANGES, headers=bearer(token))
        assert resp.status_code == 401
        assert "过长" in resp.json()["detail"]

    def test_garbage(self, registry):
        assert registry.get(CHANGES, headers=bearer("not.a.jwt")).status_code == 401
        assert registry.get(CHANGES, headers={"Authorization": "Basic YWRtaW46eA=="}).status_code == 401

    def test_revoked_session(self, registry, codec):
        token = codec.issue(sub="admin", typ=ACCESS, ttl_seconds=60, claims={"sid": "gone", "roles": ["admin"]}).token
        registry.app.state.revocations.add("gone", int(time.time()) + 60)
        resp = registry.get(CHANGES, headers=bearer(token))
        assert resp.status_code == 401
        assert "失效" in resp.json()["detail"]

    def test_identity_headers_are_ignored(self, registry):
        resp = registry.get(CHANGES, headers={"X-User": "admin", "X-Roles": "admin", "X-Forwarded-User": "admin"})
        assert resp.status_code == 401

    def test_wrong_role_is_forbidden(self, registry, codec):
        token = codec.issue(sub="li", typ=ACCESS, ttl_seconds=60, claims={"sid": "s", "roles": ["street"]}).token
        resp = registry.get(CHANGES, headers=bearer(token))
        assert resp.status_code == 403
        assert resp.json()["error"] == "Forbidden"

    def test_internal_token_reads_feed(self, registry, codec):
        token = codec.issue(sub="service:metrics", typ=INTERNAL, ttl_seconds=60).token
        assert registry.get(CHANGES, headers=bearer(token)).status_code == 200


class TestCodec:
    def test_round_trip_and_types(self, codec):
        issued = codec.issue(sub="u", typ=ACCESS, ttl_seconds=60, claims={"sid": "s"})
        claims = codec.verify(issued.token, typ=ACCESS)
        assert claims["sub"] == "u" and claims["jti"] == issued.jti
        with pytest.raises(TokenInvalid):
            codec.verify(issued.token, typ=REFRESH)
        with pytest.raises(TokenInvalid):
            codec.verify(issued.token, typ=INTERNAL)

    def test_future_iat_refused(self, codec):
        token = jose_jwt.encode(_claims(iat=int(time.time()) + 3600, exp=int(time.time()) + 7200), TEST_SECRET)
        with pytest.raises(TokenInvalid):
            codec.verify(token, typ=ACCESS)

    def test_jose_is_confined_to_one_module(self):
        from pathlib import Path

        root = Path(__file__).resolve().parents[2] / "services"
        users = [
            p.relative_to(root).as_posix()
            for p in root.rglob("*.py")
            if "from jose" in p.read_text(encoding="utf-8") or "import jose" in p.read_text(encoding="utf-8")
        ]
        assert users == ["kit/louyu_kit/tokens.py"]
