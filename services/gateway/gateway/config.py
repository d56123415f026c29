"""Settings of the gateway (`LOUYU_*` environment variables)."""

from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from gateway.uiconfig.tiles import TileConfig, tile_config
from louyu_kit.settings import KitSettings


class Settings(KitSettings):
    # A refused setting's error never echoes the values (a tile URL carries the deployer's key).
    model_config = SettingsConfigDict(**KitSettings.model_config, hide_input_in_errors=True)

    gateway_database_url: str | None = None
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
    # more are answered 503 at once (issue #24, louyu_kit.admission).
    proxy_read_limit: int = 48
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
