"""Settings shared by every Louyu process.

Every value comes from an environment variable prefixed ``LOUYU_``; nothing else in the
code reads ``os.environ``. ``make run`` works with none of them set (env ``dev``); in
``production`` the settings refuse to start without a real secret and database URLs.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"changeme", "change-me", "secret", "please-change-me", "louyu", "dev"}
MIN_SECRET_LENGTH = 32


class KitSettings(BaseSettings):
    """Settings every service reads; each service subclasses it and adds its own."""

    model_config = SettingsConfigDict(env_prefix="LOUYU_", extra="ignore", frozen=True)

    env: Literal["dev", "test", "production"] = "dev"
    data_dir: Path = Path("var")
    jwt_secret: SecretStr | None = None
    jwt_issuer: str = "louyu-gateway"
    jwt_audience: str = "louyu-api"
    gateway_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"
    log_json: bool = True
    # How often a service asks the gateway for revoked sessions (seconds).
    revocation_poll_seconds: float = 0.5
    # Extra origins allowed by CORS (comma separated). Empty: same-origin only.
    cors_origins: str = ""
    # Send Strict-Transport-Security (only behind TLS).
    hsts: bool = False
    # Bearer token Prometheus must send to read GET /-/prometheus. Unset: loopback only
    # (dev/test), nobody in production.
    prometheus_token: SecretStr | None = None
    # Largest request body a route without a file takes (bytes); uploads have the file limit.
    max_json_bytes: int = Field(1024 * 1024, ge=1024)

    @model_validator(mode="after")
    def _production_is_configured(self) -> KitSettings:
        if self.env == "production":
            secret = self.jwt_secret.get_secret_value() if self.jwt_secret else ""
            if len(secret) < MIN_SECRET_LENGTH or secret.lower() in PLACEHOLDER_SECRETS:
                raise ValueError(
                    f"LOUYU_JWT_SECRET must be set to a random value of at least "
                    f"{MIN_SECRET_LENGTH} characters in production"
                )
        return self

    @property
    def is_dev(self) -> bool:
        return self.env != "production"

    def sqlite_url(self, name: str) -> str:
        """Default database of a service: a SQLite file under the data directory."""
        return f"sqlite:///{(self.data_dir / f'{name}.db').resolve()}"

    def jwt_key(self) -> str:
        """The HS256 key. In dev it is generated once into the data directory."""
        if self.jwt_secret is not None:
            return self.jwt_secret.get_secret_value()
        return _dev_secret(self.data_dir)

    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip() and o.strip() != "*"]


def _dev_secret(data_dir: Path) -> str:
    """Read (or create, once, race-free) the development signing key shared by all processes."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "jwt-secret"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()
