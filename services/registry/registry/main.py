"""The registry app: `uvicorn registry.main:create_app --factory --port 8001`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from louyu_kit.service import create_service_app
from registry import models  # noqa: F401  (every table registered before the app starts)
from registry.buildings.router import router as buildings_router
from registry.config import Settings, get_settings
from registry.db import feed
from registry.enterprises.router import router as enterprises_router
from registry.imports.router import router as imports_router
from registry.occupancy.router import router as occupancy_router
from registry.reference.router import router as reference_router
from registry.reference.service import seed_database
from registry.spaces.router import router as spaces_router


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    seed_database(app.state.db.write_sessions)
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    return create_service_app(
        name="registry",
        title="楼宇登记服务 (registry)",
        settings=settings,
        database_url=settings.database_url,
        routers=[
            reference_router,
            buildings_router,
            imports_router,
            spaces_router,
            enterprises_router,
            occupancy_router,
        ],
        feed=feed,
        lifespan=_lifespan,
    )
