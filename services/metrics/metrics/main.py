"""The metrics app: `uvicorn metrics.main:create_app --factory --port 8003`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from louyu_kit.service import create_service_app
from metrics.ask.router import router as ask_router
from metrics.catalogue.router import router as catalogue_router
from metrics.config import Settings, get_settings
from metrics.dashboard.router import router as dashboard_router
from metrics.db import feed
from metrics.enterprises.router import router as enterprises_router
from metrics.facts.inbox import router as inbox_router
from metrics.facts.router import router as facts_router
from metrics.featured.router import router as featured_router
from metrics.goals.lifespan import tasks_goals
from metrics.goals.router import router as goals_router
from metrics.kpis.router import router as kpis_router
from metrics.map.router import router as map_router
from metrics.rollups.worker import rollup_worker
from metrics.stats.router import router as stats_router
from metrics.sync.lifespan import registry_feed
from metrics.sync.router import router as sync_router
from metrics.warnings.lifespan import daily_warnings
from metrics.warnings.router import router as warnings_router


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Peer clients and background work of the metrics process."""
    async with registry_feed(app), tasks_goals(app), daily_warnings(app), rollup_worker(app):
        yield


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    return create_service_app(
        name="metrics",
        title="指标分析服务 (metrics)",
        settings=settings,
        database_url=settings.database_url,
        feed=feed,
        routers=[
            sync_router,
            facts_router,
            inbox_router,
            featured_router,
            goals_router,
            warnings_router,
            catalogue_router,
            kpis_router,
            dashboard_router,
            stats_router,
            map_router,
            ask_router,
            enterprises_router,
        ],
        lifespan=lifespan,
    )
