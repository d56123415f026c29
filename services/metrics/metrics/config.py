"""Settings of the metrics service (`LOUYU_*` environment variables)."""

from functools import lru_cache
from pathlib import Path

from pydantic import field_validator

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
    # 问数: an optional OpenAI-compatible endpoint (base URL ending in /v1, its key and model),
    # asked only to propose a reading when the local parser cannot read a question. Empty: off.
    metrics_ask_llm_url: str = ""
    metrics_ask_llm_key: str = ""
    metrics_ask_llm_model: str = ""
    metrics_ask_llm_timeout_seconds: float = 5.0
    # GeoJSON outline of the district drawn under the buildings on the map (GET /map). Unset:
    # the shipped approximate outline (示意边界，非标准地图); set it to the official boundary.
    metrics_map_outline_file: Path | None = None

    @field_validator("metrics_map_outline_file", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("metrics_map_outline_file")
    @classmethod
    def _outline_is_usable(cls, value: Path | None) -> Path | None:
        """Refuse a missing or malformed outline at start-up rather than on the first map request."""
        if value is not None:
            from metrics.map.outline import load

            load(value)
        return value

    @property
    def database_url(self) -> str:
        return self.metrics_database_url or self.sqlite_url("metrics")


@lru_cache
def get_settings() -> Settings:
    return Settings()
