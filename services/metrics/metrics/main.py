"""The metrics app: `uvicorn metrics.main:create_app --factory --port 8003`."""

from fastapi import FastAPI

from louyu_kit.service import create_service_app
from metrics.config import Settings, get_settings
from metrics.db import feed


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    return create_service_app(
        name="metrics",
        title="指标分析服务 (metrics)",
        settings=settings,
        database_url=settings.database_url,
        feed=feed,
    )
