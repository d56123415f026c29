"""Settings of the gateway (`LOUYU_*` environment variables)."""

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from gateway.uiconfig.tiles import TileConfig, tile_config
from louyu_kit.settings import MIN_SECRET_LENGTH, PLACEHOLDER_SECRETS, KitSettings, dev_file
from louyu_kit.tokens import KeyError_, generate_private_key_pem, public_jwk

DEV_SIGNING_KEY = "jwt-signing-key.pem"


class Settings(KitSettings):
    # A refused setting's error never echoes the values (a tile URL carries the deployer's key).
    model_config = SettingsConfigDict(**KitSettings.model_config, hide_input_in_errors=True)

    gateway_database_url: str | None = None
    # The ES256 private key the gateway signs every token with (PEM file; only the gateway has it).
    # Unset in dev: generated once into the data directory. Required in production.
    jwt_private_key_file: Path | None = None
    # During a key rollover: the previous key (PEM, private or public), still accepted, never used
    # to sign. Remove it once every token it signed has expired (session_max_hours).
    jwt_previous_key_file: Path | None = None
    # The key the services' credentials derive from (louyu_kit.settings.derive_service_secret).
    service_key: SecretStr | None = None
    gateway_port: int = 8000
    # Address `make run` binds the gateway to (0.0.0.0 to reach it from other machines).
    gateway_host: str = "127.0.0.1"
    registry_url: str = "http://127.0.0.1:8001"
    tasks_url: str = "http://127.0.0.1:8002"
    metrics_url: str = "http://127.0.0.1:8003"
    # Built single-page app served at / (history fallback to index.html).
    frontend_dir: Path = Path("frontend/dist")
    # Password of the first `admin` account; generated and printed once when unset.
    admin_password: SecretStr | None = None
    access_token_minutes: int = 15
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    login_max_failures: int = 5
    login_failure_window_minutes: int = 15
    login_lock_minutes: int = 30
    # Failed sign-ins from one address (any names) within the window before it is refused.
    login_ip_max_failures: int = 100
    password_min_length: int = 8
    # An upstream that has not answered a read within this many seconds gets a 503
    # (kept under 2 s so a slow service never holds a page longer than that).
    proxy_timeout_seconds: float = 1.5
    # Writes (imports, uploads) and downloads (exports, templates) may take longer.
    proxy_write_timeout_seconds: float = 60.0
    # Requests the gateway forwards to one upstream at once, reads and writes (its connection
    # pool to that upstream is their sum, so a forwarded request never waits for a connection);
    # more wait at the gateway as the admission settings say, then 503 (issue #24,
    # louyu_kit.admission). Reads: about what one upstream process admits and queues itself
    # (9 + 9 with the default pool), so the excess waits or is shed here, cheaply, instead of
    # being forwarded to be shed upstream.
    proxy_read_limit: int = 16
    proxy_write_limit: int = 16
    # Take the client IP from X-Forwarded-For (only behind a trusted reverse proxy).
    trust_forwarded_for: bool = False
    # The map's tiles (gateway.uiconfig.tiles): a Leaflet URL template such as 天地图's, with the
    # deployer's key; empty: no tiles, the map draws the district outline only and the browser
    # requests nothing from another host. Their origins are added to the CSP's img-src.
    map_tile_url: str = ""
    map_tile_subdomains: str = ""
    map_label_url: str = ""
    map_attribution: str = ""
    # 大屏 (/screen): the district's name and the title on the wall display, and how often it
    # reloads its figures (seconds).
    district_name: str = "武昌区"
    screen_title: str = "楼宇经济运行监测大屏"
    screen_refresh_seconds: int = Field(default=300, ge=5, le=86_400)

    @field_validator("jwt_private_key_file", "jwt_previous_key_file", "service_key", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def _keys_are_configured(self) -> "Settings":
        """Production refuses to start without its signing key and service key; a configured key
        that is not a usable ES256 key stops the gateway at start-up, in any environment."""
        if self.env == "production":
            if self.jwt_private_key_file is None:
                raise ValueError("LOUYU_JWT_PRIVATE_KEY_FILE must be set in production (the gateway's ES256 key)")
            key = self.service_key.get_secret_value() if self.service_key else ""
            if len(key) < MIN_SECRET_LENGTH or key.lower() in PLACEHOLDER_SECRETS:
                raise ValueError(
                    f"LOUYU_SERVICE_KEY must be set to a random value of at least {MIN_SECRET_LENGTH} characters"
                )
        for name, path in (("PRIVATE_KEY", self.jwt_private_key_file), ("PREVIOUS_KEY", self.jwt_previous_key_file)):
            if path is None:
                continue
            try:
                public_jwk(path.read_text())
            except OSError as exc:
                raise ValueError(f"LOUYU_JWT_{name}_FILE cannot be read: {path}") from exc
            except KeyError_ as exc:
                raise ValueError(f"LOUYU_JWT_{name}_FILE is not an ES256 (EC P-256) PEM key: {path}") from exc
        if self.jwt_private_key_file is not None and "PRIVATE KEY" not in self.jwt_private_key_file.read_text():
            raise ValueError("LOUYU_JWT_PRIVATE_KEY_FILE must hold a private key")
        return self

    def signing_key(self) -> str:
        """The current private key (PEM). In dev, generated once into the data directory."""
        if self.jwt_private_key_file is not None:
            return self.jwt_private_key_file.read_text()
        return dev_file(self.data_dir, DEV_SIGNING_KEY, generate_private_key_pem()) + "\n"

    def previous_keys(self) -> list[str]:
        return [self.jwt_previous_key_file.read_text()] if self.jwt_previous_key_file is not None else []

    def service_master_key(self) -> str:
        if self.service_key is not None:
            return self.service_key.get_secret_value()
        return dev_file(self.data_dir, "service-key", secrets.token_urlsafe(48))

    @model_validator(mode="after")
    def _map_tiles_are_usable(self) -> "Settings":
        """A bad tile URL (not https, javascript:, no {z}/{x}/{y}) stops the gateway at start-up."""
        self.map_tiles()
        return self

    def map_tiles(self) -> TileConfig:
        return tile_config(
            tile_url=self.map_tile_url,
            label_url=self.map_label_url,
            subdomains_value=self.map_tile_subdomains,
            attribution=self.map_attribution,
        )

    @property
    def database_url(self) -> str:
        return self.gateway_database_url or self.sqlite_url("gateway")

    def upstreams(self) -> dict[str, str]:
        return {"registry": self.registry_url, "tasks": self.tasks_url, "metrics": self.metrics_url}


@lru_cache
def get_settings() -> Settings:
    return Settings()
