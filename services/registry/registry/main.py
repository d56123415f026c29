"""The registry app: `uvicorn registry.main:create_app --factory --port 8001`."""

from fastapi import FastAPI

from louyu_kit.service import create_service_app
from registry.config import Settings, get_settings
from registry.db import feed


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    return create_service_app(
        name="registry",
        title="楼宇登记服务 (registry)",
        settings=settings,
        database_url=settings.database_url,
        feed=feed,
    )
