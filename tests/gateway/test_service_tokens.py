"""The gateway's keys: the JWKS it publishes, the internal tokens it issues to the platform's
services (client credentials ``service:<name>``), and the settings that refuse to start
production without keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from gateway.config import Settings
from louyu_kit.settings import derive_service_secret
from louyu_kit.tokens import INTERNAL, TokenCodec, TokenInvalid
from tests.conftest import TEST_PUBLIC_JWK, TEST_SERVICE_KEY, bearer


def _service_token(gateway, name: str, secret: str):
    return gateway.post(
        "/api/auth/token",
        data={"grant_type": "client_credentials", "client_id": f"service:{name}", "client_secret": secret},
    )


def test_jwks_publishes_the_public_key_only(gateway):
    resp = gateway.get("/api/auth/.well-known/jwks.json")
    assert resp.status_code == 200
    keys = resp.json()["keys"]
    assert keys == [TEST_PUBLIC_JWK]
    assert not {"d", "p", "q"} & set(keys[0])  # no private part
    assert "max-age" in resp.headers["cache-control"]


def test_a_service_gets_an_internal_token_with_its_own_credential(gateway):
    resp = _service_token(gateway, "metrics", derive_service_secret(TEST_SERVICE_KEY, "metrics"))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert "refresh_token" not in body and body["expires_in"] == 300
    verifier = TokenCodec(public_keys=[TEST_PUBLIC_JWK], issuer="louyu-gateway", audience="louyu-api")
    claims = verifier.verify(body["access_token"], typ=INTERNAL)
    assert claims["sub"] == "service:metrics"


@pytest.mark.parametrize(
    "name,secret",
    [
        ("metrics", "wrong"),
        ("metrics", derive_service_secret(TEST_SERVICE_KEY, "registry")),  # another service's secret
        ("gateway", derive_service_secret(TEST_SERVICE_KEY, "gateway")),  # not a platform service
        ("admin", derive_service_secret(TEST_SERVICE_KEY, "admin")),
        ("registry", derive_service_secret("another-key-" + "z" * 40, "registry")),
    ],
)
def test_a_wrong_credential_gets_nothing(gateway, name, secret):
    resp = _service_token(gateway, name, secret)
    assert resp.status_code == 401
    assert resp.json()["detail"] == "客户端编号或密钥错误"


def test_an_internal_token_is_not_an_access_token(gateway, make_client):
    token = _service_token(gateway, "metrics", derive_service_secret(TEST_SERVICE_KEY, "metrics")).json()
    registry = make_client("registry")
    assert registry.get("/api/registry/meta", headers=bearer(token["access_token"])).status_code == 401
    with pytest.raises(TokenInvalid):
        gateway.app.state.tokens.verify(token["access_token"], typ="access")


class TestProductionSettings:
    def test_refuses_to_start_without_a_signing_key(self, tmp_path):
        with pytest.raises(ValidationError, match="LOUYU_JWT_PRIVATE_KEY_FILE"):
            Settings(env="production", data_dir=tmp_path, service_key="k" * 40)

    def test_refuses_a_weak_service_key(self, tmp_path):
        key = tmp_path / "key.pem"
        key.write_text(Path(_test_key_file()).read_text())
        with pytest.raises(ValidationError, match="LOUYU_SERVICE_KEY"):
            Settings(env="production", data_dir=tmp_path, jwt_private_key_file=key, service_key="changeme")

    def test_refuses_a_key_that_is_not_es256(self, tmp_path):
        key = tmp_path / "key.pem"
        key.write_text("a shared HS256 secret of forty characters...")
        with pytest.raises(ValidationError, match="not an ES256"):
            Settings(env="production", data_dir=tmp_path, jwt_private_key_file=key, service_key="k" * 40)

    def test_a_public_key_cannot_sign(self, tmp_path):
        key = tmp_path / "key.pem"
        key.write_text(_public_pem())
        with pytest.raises(ValidationError, match="private key"):
            Settings(env="production", data_dir=tmp_path, jwt_private_key_file=key, service_key="k" * 40)

    def test_a_service_refuses_to_start_without_its_credential(self, tmp_path):
        from registry.config import Settings as RegistrySettings

        settings = RegistrySettings(env="production", data_dir=tmp_path, registry_database_url="sqlite://")
        with pytest.raises(ValueError, match="LOUYU_SERVICE_SECRET"):
            settings.service_credential("registry")

    def test_dev_generates_the_keys_once_into_the_data_dir(self, tmp_path):
        first = Settings(env="dev", data_dir=tmp_path)
        assert first.signing_key() == Settings(env="dev", data_dir=tmp_path).signing_key()
        assert (tmp_path / "jwt-signing-key.pem").stat().st_mode & 0o777 == 0o600
        assert first.service_master_key() == Settings(env="dev", data_dir=tmp_path).service_master_key()


def _test_key_file() -> str:
    from tests.conftest import TEST_PRIVATE_KEY_FILE

    return str(TEST_PRIVATE_KEY_FILE)


def _public_pem() -> str:
    from cryptography.hazmat.primitives import serialization

    from tests.conftest import TEST_PRIVATE_KEY

    private = serialization.load_pem_private_key(TEST_PRIVATE_KEY.encode(), None)
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
