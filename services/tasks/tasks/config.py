"""Settings of the tasks service (`LOUYU_*` environment variables)."""

from functools import lru_cache

from louyu_kit.settings import KitSettings


class Settings(KitSettings):
    tasks_database_url: str | None = None
    tasks_port: int = 8002

    @property
    def database_url(self) -> str:
        return self.tasks_database_url or self.sqlite_url("tasks")


@lru_cache
def get_settings() -> Settings:
    return Settings()
