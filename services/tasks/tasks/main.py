"""The tasks app: `uvicorn tasks.main:create_app --factory --port 8002`."""

from fastapi import FastAPI

from louyu_kit.service import create_service_app
from tasks.config import Settings, get_settings
from tasks.db import feed


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    return create_service_app(
        name="tasks",
        title="任务督办服务 (tasks)",
        settings=settings,
        database_url=settings.database_url,
        feed=feed,
    )
