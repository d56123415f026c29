"""Settings shared by every Louyu process.

Every value comes from an environment variable prefixed ``LOUYU_``; nothing else in the
code reads ``os.environ``. ``make run`` works with none of them set (env ``dev``); in
``production`` the settings refuse to start without real keys and database URLs.

Tokens (SECURITY.md): the gateway alone signs, with an ES256 private key (gateway.config);
every other service verifies with the public keys, read from ``LOUYU_JWT_PUBLIC_KEYS_FILE``
(a JWKS document or PEM public keys) or, when that is unset, fetched from the gateway's JWKS
(``LOUYU_JWKS_URL``, by default ``<gateway_url>/api/auth/.well-known/jwks.json``). A service
asks the gateway for its own service-to-service token with its credential
(``LOUYU_SERVICE_SECRET``, which the gateway derives from ``LOUYU_SERVICE_KEY``: see
``derive_service_secret``). In dev both are generated once into the data directory.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"changeme", "change-me", "secret", "please-change-me", "louyu", "dev"}
MIN_SECRET_LENGTH = 32


class KitSettings(BaseSettings):
    """Settings every service reads; each service subclasses it and adds its own."""

    model_config = SettingsConfigDict(env_prefix="LOUYU_", extra="ignore", frozen=True)

    env: Literal["dev", "test", "production"] = "dev"
    data_dir: Path = Path("var")
    # Public keys to verify tokens with (JWKS or PEM file). Unset: fetched from the gateway's JWKS.
    jwt_public_keys_file: Path | None = None
    jwks_url: str | None = None
    # This service's credential for service-to-service tokens (client credentials at the gateway).
    service_secret: SecretStr | None = None
    jwt_issuer: str = "louyu-gateway"
    jwt_audience: str = "louyu-api"
    gateway_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"
    log_json: bool = True
    # Outside production (make run) every line goes to a rotating JSON file per service under
    # <data_dir>/logs/, and the console shows warnings and errors only ("warnings"); "all" puts
    # every line on the console too. Production logs everything to the console (stderr), no files.
    log_console: Literal["warnings", "all"] = "warnings"
    # How often a service asks the gateway for revoked sessions (seconds).
    revocation_poll_seconds: float = 0.5
    # A service whose revocation list is older than this refuses access tokens (503) until it
    # has polled the gateway again (fail closed).
    revocation_max_age_seconds: float = 60.0
    # Extra origins allowed by CORS (comma separated). Empty: same-origin only.
    cors_origins: str = ""
    # Send Strict-Transport-Security (only behind TLS).
    hsts: bool = False
    # Bearer token Prometheus must send to read GET /-/prometheus. Unset: loopback only
    # (dev/test), nobody in production.
    prometheus_token: SecretStr | None = None
    # Largest request body a route without a file takes (bytes); uploads have the file limit.
    max_json_bytes: int = Field(1024 * 1024, ge=1024)

    # Capacity (issue #24; README "Capacity"). Sized together per process: the database pool
    # (size + overflow) bounds the thread pool, which bounds the requests admitted at once.
    # uvicorn worker processes per service (`python -m louyu_kit.serve`; background consumers
    # and workers are not yet leased, so keep 1 for metrics and tasks).
    workers: int = 1
    db_pool_size: int = 8
    db_pool_overflow: int = 4
    # Waiting longer than this for a pooled connection answers 503 (never a 30 s wait or a 500).
    db_pool_timeout_seconds: float = 1.0
    # SQLite: how long a writer waits for the write lock before the request gets a 503.
    db_busy_timeout_seconds: float = 5.0
    # Worker threads for sync routes (0: pool size + overflow + 4).
    threads: int = 0
    # Requests in flight at once per process, reads and writes (0: derived from the threads);
    # writes (POST/PUT/PATCH/DELETE, the bureaus' ingest) have their own share.
    admission_read_limit: int = 0
    admission_write_limit: int = 0
    # How long a request may wait for a place, and a hard cap on how many wait (0: 512 reads,
    # 256 writes). Reads wait only as many as the lane serves within the wait at its measured
    # rate (louyu_kit.admission): the excess is shed at once.
    admission_read_queue: int = 0
    admission_write_queue: int = 0
    admission_read_wait_seconds: float = 1.0
    admission_write_wait_seconds: float = 10.0
    # Retry-After (seconds) of the 503 a shed request gets, and how long that answer is held
    # before it is sent (a client retrying at once then cannot spin the CPU on refusals).
    admission_retry_after_seconds: int = 1
    admission_shed_delay_seconds: float = 0.05
    # Responses smaller than this are sent uncompressed (gzip only above a size).
    gzip_min_bytes: int = 1024

    @field_validator("log_console", mode="before")
    @classmethod
    def _console_choice(cls, value: object) -> object:
        """Empty: the default; any case and spacing (``ALL``) is accepted."""
        if isinstance(value, str):
            return value.strip().lower() or "warnings"
        return value

    @field_validator("jwt_public_keys_file", "jwks_url", "service_secret", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """An empty variable (a ConfigMap's placeholder) means "not set"."""
        return None if value == "" else value

    @model_validator(mode="after")
    def _keys_are_readable(self) -> KitSettings:
        if self.jwt_public_keys_file is not None:
            self.public_keys()
        return self

    @property
    def is_dev(self) -> bool:
        return self.env != "production"

    def log_file(self, service: str) -> Path | None:
        """Where ``service`` writes its log file (None in production: the console has it all)."""
        return None if self.env == "production" else self.data_dir / "logs" / f"{service}.log"

    def log_console_mode(self) -> str:
        """``all`` or ``warnings``: what the console shows (production: always ``all``)."""
        return "all" if self.env == "production" else self.log_console

    def sqlite_url(self, name: str) -> str:
        """Default database of a service: a SQLite file under the data directory."""
        return f"sqlite:///{(self.data_dir / f'{name}.db').resolve()}"

    def public_keys(self) -> list[dict[str, str]] | None:
        """The configured public keys (``LOUYU_JWT_PUBLIC_KEYS_FILE``), or None: use the JWKS URL."""
        from louyu_kit.tokens import KeyError_, parse_public_keys

        if self.jwt_public_keys_file is None:
            return None
        try:
            return parse_public_keys(self.jwt_public_keys_file.read_text())
        except OSError as exc:
            raise ValueError(f"LOUYU_JWT_PUBLIC_KEYS_FILE 无法读取：{self.jwt_public_keys_file}") from exc
        except KeyError_ as exc:
            raise ValueError(f"LOUYU_JWT_PUBLIC_KEYS_FILE：{exc}") from exc

    def jwks_endpoint(self) -> str:
        return self.jwks_url or f"{self.gateway_url.rstrip('/')}/api/auth/.well-known/jwks.json"

    def service_credential(self, service: str) -> str:
        """This service's secret for the gateway's token endpoint (``client_id=service:<name>``).
        In dev it is derived from the development service key in the data directory."""
        if self.service_secret is not None:
            return self.service_secret.get_secret_value()
        if self.env == "production":
            raise ValueError(f"LOUYU_SERVICE_SECRET must be set in production (the {service} service's credential)")
        return derive_service_secret(dev_file(self.data_dir, "service-key", secrets.token_urlsafe(48)), service)

    def db_connections(self) -> int:
        """Pooled database connections per process (pool size + overflow)."""
        return max(1, self.db_pool_size) + max(0, self.db_pool_overflow)

    def thread_count(self) -> int:
        return self.threads if self.threads > 0 else self.db_connections() + 4

    def write_limit(self) -> int:
        if self.admission_write_limit > 0:
            return self.admission_write_limit
        return max(2, self.db_connections() // 4)

    def read_limit(self) -> int:
        if self.admission_read_limit > 0:
            return self.admission_read_limit
        return max(1, min(self.thread_count(), self.db_connections()) - self.write_limit())

    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip() and o.strip() != "*"]


def derive_service_secret(service_key: str, service: str) -> str:
    """The credential of ``service``: an HMAC of its name under the gateway's service key, so the
    gateway stores nothing per service and each service holds only its own secret."""
    digest = hmac.new(service_key.encode(), f"louyu-service:{service}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def dev_file(data_dir: Path, name: str, content: str) -> str:
    """Read (or create, once, race-free, mode 0600) a development key file in the data directory."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / name
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another process is writing it right now
            text = path.read_text().strip()
            if text:
                return text
            time.sleep(0.02)
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(content)
    return path.read_text().strip()
