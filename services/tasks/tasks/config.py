"""Settings of the tasks service (`LOUYU_*` environment variables)."""

from functools import lru_cache

from louyu_kit.settings import KitSettings


class Settings(KitSettings):
    tasks_database_url: str | None = None
    tasks_port: int = 8002
    # Peers tasks calls: registry (space vacancy written through from 扫楼 visits, buildings of a
    # visit round) and metrics (headline figures of a bulletin, the street bonus of assessment).
    registry_url: str = "http://127.0.0.1:8001"
    metrics_url: str = "http://127.0.0.1:8003"
    # Seconds tasks waits for registry or metrics before answering 503 (or "figures unavailable").
    tasks_peer_timeout_seconds: float = 5.0
    # Largest visit photo accepted (bytes); photos are checked by content (JPEG, PNG, WebP, HEIC).
    tasks_photo_max_bytes: int = 8 * 1024 * 1024
    # Days an enterprise demand may take, per category (category=days, comma separated;
    # categories not listed get `other`).
    tasks_demand_deadlines: str = "parking=10,permits=15,policy=7,talent=15,property=10,finance=20,tax=10,other=15"

    @property
    def database_url(self) -> str:
        return self.tasks_database_url or self.sqlite_url("tasks")


@lru_cache
def get_settings() -> Settings:
    return Settings()
