"""Settings of the metrics service (`LOUYU_*` environment variables)."""

from functools import lru_cache

from louyu_kit.settings import KitSettings


class Settings(KitSettings):
    metrics_database_url: str | None = None
    metrics_port: int = 8003

    @property
    def database_url(self) -> str:
        return self.metrics_database_url or self.sqlite_url("metrics")


@lru_cache
def get_settings() -> Settings:
    return Settings()
