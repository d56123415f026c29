"""Settings of the registry service (`LOUYU_*` environment variables)."""

from functools import lru_cache

from louyu_kit.settings import KitSettings


class Settings(KitSettings):
    registry_database_url: str | None = None
    registry_port: int = 8001
    # How often the nightly job checks that the China day changed and applies the stays to the
    # spaces' statuses (seconds; 0 turns it off). See ``registry.spaces.stays``.
    registry_apply_stays_seconds: float = 600.0

    @property
    def database_url(self) -> str:
        return self.registry_database_url or self.sqlite_url("registry")


@lru_cache
def get_settings() -> Settings:
    return Settings()
