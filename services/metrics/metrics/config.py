"""Settings of the metrics service (`LOUYU_*` environment variables)."""

from functools import lru_cache

from louyu_kit.settings import KitSettings


class Settings(KitSettings):
    metrics_database_url: str | None = None
    metrics_port: int = 8003
    # Registry, read only by the change-feed consumer (metrics.sync); never by a request.
    registry_url: str = "http://127.0.0.1:8001"
    # How often the consumer asks registry's change feed for new events when it is caught up
    # (seconds; 0 turns the background consumer off, e.g. for `python -m metrics sync-once`).
    metrics_sync_seconds: float = 2.0
    # Tasks, read only for the plan's goals (GET /api/tasks/goals), in the background every
    # metrics_goals_sync_seconds (0: only on demand, POST /api/metrics/goals/sync).
    tasks_url: str = "http://127.0.0.1:8002"
    metrics_goals_sync_seconds: float = 900.0
    # How often the warnings are evaluated in the background (seconds; a day; 0 turns it off).
    metrics_warnings_seconds: float = 86400.0

    @property
    def database_url(self) -> str:
        return self.metrics_database_url or self.sqlite_url("metrics")


@lru_cache
def get_settings() -> Settings:
    return Settings()
