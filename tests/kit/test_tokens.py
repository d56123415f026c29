"""Every way a token must be refused, checked against a real service (registry), and the
ES256 key handling: only the gateway signs, services verify with public keys, rotation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
from jose import jwt as jose_jwt

from louyu_kit.tokens import (
    ACCESS,
    INTERNAL,
    MAX_TOKEN_BYTES,
    REFRESH,
    KeysUnavailable,
    TokenCodec,
    TokenInvalid,
    generate_private_key_pem,
    public_jwk,
)
from tests.conftest import TEST_PUBLIC_JWK, TEST_SECRET, bearer

CHANGES = "/api/registry/changes"
KID = TEST_PUBLIC_JWK["kid"]
OTHER_KEY = generate_private_key_pem()


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


def _b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _sign(claims: dict, *, key: str = TEST_SECRET, kid: str | None = KID, algorithm: str = "ES256") -> str:
    headers = {"kid": kid} if kid is not None else None
    return jose_jwt.encode(claims, key, algorithm=algorithm, headers=headers)


def _hmac_token(secret: bytes, *, alg: str = "HS256", kid: str = KID) -> str:
    """A token "signed" with HMAC and a public value as the secret (the classic alg confusion)."""
    signing_input = f"{_b64({'alg': alg, 'typ': 'JWT', 'kid': kid})}.{_b64(_claims())}"
    digest = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(digest)}"


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
        token = _sign(_claims(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600))
        resp = registry.get(CHANGES, headers=bearer(token))
        assert resp.status_code == 401
        assert "过期" in resp.json()["detail"]

    def test_alg_none(self, registry):
        for header in ({"alg": "none", "typ": "JWT"}, {"alg": "none", "kid": KID}, {"alg": "None", "kid": KID}):
            token = f"{_b64(header)}.{_b64(_claims())}."
            assert registry.get(CHANGES, headers=bearer(token)).status_code == 401

    def test_hs256_with_the_public_key_is_refused(self, registry):
        """Alg confusion: HMAC "signed" with the public key, as PEM, as JWK JSON, as raw x."""
        public = TokenCodec(public_keys=[TEST_PUBLIC_JWK], issuer="i", audience="a")
        secrets = [
            json.dumps(TEST_PUBLIC_JWK).encode(),
            json.dumps(public.jwks()).encode(),
            TEST_PUBLIC_JWK["x"].encode(),
            TEST_SECRET.encode(),
        ]
        for secret in secrets:
            for alg in ("HS256", "HS384", "HS512"):
                assert registry.get(CHANGES, headers=bearer(_hmac_token(secret, alg=alg))).status_code == 401

    def test_other_algorithm_same_key(self, registry):
        """A valid ES256 signature under a header naming another algorithm."""
        _, payload, signature = _sign(_claims()).split(".")
        for alg in ("ES384", "ES512", "RS256", "PS256", "EdDSA", "HS256"):
            token = f"{_b64({'alg': alg, 'typ': 'JWT', 'kid': KID})}.{payload}.{signature}"
            assert registry.get(CHANGES, headers=bearer(token)).status_code == 401

    def test_other_key(self, registry):
        # Another EC key claiming the gateway's kid, and the same with its own kid.
        assert registry.get(CHANGES, headers=bearer(_sign(_claims(), key=OTHER_KEY))).status_code == 401
        own_kid = public_jwk(OTHER_KEY)["kid"]
        assert registry.get(CHANGES, headers=bearer(_sign(_claims(), key=OTHER_KEY, kid=own_kid))).status_code == 401

    def test_missing_or_odd_kid(self, registry):
        for kid in (None, "", "x" * 200):
            assert registry.get(CHANGES, headers=bearer(_sign(_claims(), kid=kid))).status_code == 401

    def test_tampered_claims(self, registry, codec):
        token = codec.issue(sub="li", typ=ACCESS, ttl_seconds=60, claims={"sid": "s", "roles": ["street"]}).token
        head, _, rest = token.partition(".")
        _, _, signature = rest.partition(".")
        forged = f"{head}.{_b64(_claims(sub='li', roles=['admin']))}.{signature}"
        assert registry.get(CHANGES, headers=bearer(forged)).status_code == 401

    @pytest.mark.parametrize("claim,value", [("aud", "someone-else"), ("iss", "evil-issuer")])
    def test_wrong_audience_or_issuer(self, registry, claim, value):
        token = _sign(_claims(**{claim: value}))
        assert registry.get(CHANGES, headers=bearer(token)).status_code == 401

    @pytest.mark.parametrize("missing", ["exp", "iat", "sub", "aud", "iss", "jti"])
    def test_required_claims(self, registry, missing):
        claims = _claims()
        claims.pop(missing)
        token = _sign(claims)
        assert registry.get(CHANGES, headers=bearer(token)).status_code == 401

    def test_refresh_token_as_access(self, registry, codec):
        token = codec.issue(sub="admin", typ=REFRESH, ttl_seconds=60, claims={"sid": "s"}).token
        assert registry.get(CHANGES, headers=bearer(token)).status_code == 401

    def test_refresh_typ_with_access_audience(self, registry):
        token = _sign(_claims(typ="refresh"))
        resp = registry.get(CHANGES, headers=bearer(token))
        assert resp.status_code == 401
        assert "类型" in resp.json()["detail"]

    def test_oversized_token(self, registry):
        token = _sign(_claims(pad="x" * MAX_TOKEN_BYTES))
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
        token = _sign(_claims(iat=int(time.time()) + 3600, exp=int(time.time()) + 7200))
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


class TestKeys:
    def test_services_hold_no_signing_key(self, registry):
        service_codec = registry.app.state.tokens
        assert not service_codec.can_sign
        with pytest.raises(RuntimeError):
            service_codec.issue(sub="service:registry", typ=INTERNAL, ttl_seconds=60)

    def test_tokens_name_their_key(self, codec):
        token = codec.issue(sub="u", typ=ACCESS, ttl_seconds=60, claims={"sid": "s"}).token
        assert jose_jwt.get_unverified_header(token) == {"alg": "ES256", "kid": KID, "typ": "JWT"}

    def test_rotation_previous_key_still_verifies(self):
        """Rollover: the new key signs, the previous one still verifies; after it, only the new."""
        old_codec = TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api")
        old_token = old_codec.issue(sub="u", typ=ACCESS, ttl_seconds=600, claims={"sid": "s"}).token
        rolling = TokenCodec(key=OTHER_KEY, previous=[TEST_SECRET], issuer="louyu-gateway", audience="louyu-api")
        new_token = rolling.issue(sub="u", typ=ACCESS, ttl_seconds=600, claims={"sid": "s"}).token
        assert jose_jwt.get_unverified_header(new_token)["kid"] == public_jwk(OTHER_KEY)["kid"]
        assert rolling.verify(old_token, typ=ACCESS)["sub"] == "u"
        assert rolling.verify(new_token, typ=ACCESS)["sub"] == "u"
        assert [k["kid"] for k in rolling.jwks()["keys"]] == [public_jwk(OTHER_KEY)["kid"], KID]
        after = TokenCodec(key=OTHER_KEY, issuer="louyu-gateway", audience="louyu-api")
        with pytest.raises(TokenInvalid):
            after.verify(old_token, typ=ACCESS)

    def test_service_learns_a_new_key_from_the_jwks(self):
        """A service that knows only the old key fetches the JWKS again when a token names a new kid."""
        published = [public_jwk(TEST_SECRET)]
        calls: list[int] = []

        def fetch():
            calls.append(1)
            return published

        service = TokenCodec(public_keys=[public_jwk(TEST_SECRET)], refresh_keys=fetch, issuer="i", audience="a")
        new = TokenCodec(key=OTHER_KEY, previous=[TEST_SECRET], issuer="i", audience="a")
        token = new.issue(sub="u", typ=ACCESS, ttl_seconds=60, claims={"sid": "s"}).token
        with pytest.raises(TokenInvalid):  # not published yet
            service.verify(token, typ=ACCESS)
        published[:] = new.jwks()["keys"]
        service._refreshed_at -= TokenCodec.REFRESH_INTERVAL  # the throttle has passed
        service._attempted_at -= TokenCodec.REFRESH_INTERVAL
        assert service.verify(token, typ=ACCESS)["sub"] == "u"
        # A forged kid does not make the service hammer the gateway.
        before = len(calls)
        for _ in range(20):
            with pytest.raises(TokenInvalid):
                service.verify(_sign(_claims(aud="a", iss="i"), kid="forged"), typ=ACCESS)
        assert len(calls) - before <= 1

    def test_no_keys_yet_is_unavailable_not_invalid(self):
        service = TokenCodec(refresh_keys=lambda: None, issuer="i", audience="a")
        token = TokenCodec(key=TEST_SECRET, issuer="i", audience="a").issue(sub="u", typ=ACCESS, ttl_seconds=60).token
        with pytest.raises(KeysUnavailable):
            service.verify(token, typ=ACCESS)

    def test_keys_must_be_ec_p256(self):
        from louyu_kit.tokens import KeyError_

        with pytest.raises(KeyError_):
            public_jwk("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
        with pytest.raises(KeyError_):
            TokenCodec(key="a shared secret of forty characters......", issuer="i", audience="a")


class TestVerifiedTokenCache:
    """A token string verified once skips the ECDSA check next time (issue #24: a tenth of a cheap
    request's time), but nothing the check decides is skipped: expiry is checked on every use,
    a string differing by one character is checked afresh, and new keys empty the cache."""

    @staticmethod
    def _counting(monkeypatch) -> list[str]:
        import louyu_kit.tokens as tokens

        calls: list[str] = []
        real = tokens.jwt.decode

        def decode(token, *args, **kwargs):
            calls.append(token)
            return real(token, *args, **kwargs)

        monkeypatch.setattr(tokens.jwt, "decode", decode)
        return calls

    def test_the_same_token_is_checked_once(self, codec, monkeypatch):
        calls = self._counting(monkeypatch)
        token = _sign(_claims())
        assert codec.verify(token, typ=ACCESS)["sub"] == "admin"
        assert codec.verify(token, typ=ACCESS)["sub"] == "admin"
        assert len(calls) == 1
        # Another type asks its own question (audience, typ claim): not answered from the cache.
        with pytest.raises(TokenInvalid):
            codec.verify(token, typ=INTERNAL)
        assert len(calls) == 2

    def test_a_cached_token_still_expires(self, codec, monkeypatch):
        token = _sign(_claims(exp=int(time.time()) + 60))
        codec.verify(token, typ=ACCESS)
        later = time.time() + 60 + 11  # past exp and the 10 s leeway
        monkeypatch.setattr(time, "time", lambda: later)
        with pytest.raises(TokenInvalid, match="过期"):
            codec.verify(token, typ=ACCESS)

    def test_a_tampered_copy_of_a_cached_token_is_refused(self, codec):
        token = _sign(_claims())
        codec.verify(token, typ=ACCESS)
        head, body, signature = token.split(".")
        forged_body = _b64(_claims(roles=["admin", "auditor"]))
        for forged in (f"{head}.{forged_body}.{signature}", f"{head}.{body}.{signature[:-2]}AA"):
            with pytest.raises(TokenInvalid):
                codec.verify(forged, typ=ACCESS)

    def test_new_public_keys_empty_the_cache(self, monkeypatch):
        service = TokenCodec(issuer="louyu-gateway", audience="louyu-api", public_keys=[TEST_PUBLIC_JWK])
        token = _sign(_claims())
        service.verify(token, typ=ACCESS)
        service.set_public_keys([public_jwk(OTHER_KEY)])  # the old key withdrawn
        with pytest.raises(TokenInvalid):
            service.verify(token, typ=ACCESS)
