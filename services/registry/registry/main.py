"""The registry app: `uvicorn registry.main:create_app --factory --port 8001`."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.exc import OperationalError

from louyu_kit.service import create_service_app
from registry import models  # noqa: F401  (every table registered before the app starts)
from registry.buildings.router import router as buildings_router
from registry.clients.gateway import GatewayClient
from registry.config import Settings, get_settings
from registry.db import feed
from registry.enterprises.router import router as enterprises_router
from registry.imports.inbox import router as inbox_router
from registry.imports.router import router as imports_router
from registry.occupancy.router import router as occupancy_router
from registry.party.router import router as party_router
from registry.proposals.router import router as proposals_router
from registry.reference.router import router as reference_router
from registry.reference.service import seed_database
from registry.spaces.router import router as spaces_router
from registry.spaces.stays import nightly_apply_stays

log = logging.getLogger("louyu.registry")


async def _seed(app: FastAPI) -> bool:
    try:
        await asyncio.to_thread(seed_database, app.state.db.write_sessions)
        return True
    except OperationalError as exc:
        log.warning("reference data not loaded yet (database unavailable): %s", type(exc).__name__)
        return False


async def _retry_seed(app: FastAPI) -> None:
    delay = 1.0
    while not await _seed(app):
        await asyncio.sleep(delay)
        delay = min(delay * 2, 30.0)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Load the shipped reference data before serving; a database that is down at start-up is
    # retried in the background (ready answers 503 meanwhile) instead of stopping the process.
    task = None if await _seed(app) else asyncio.create_task(_retry_seed(app), name="registry-reference-seed")
    # The gateway answers who an account is (a building's 楼长 / 联络员 are checked with it).
    app.state.gateway = GatewayClient.create(app.state.settings.gateway_url, tokens=app.state.service_tokens)
    try:
        async with nightly_apply_stays(app):
            yield
    finally:
        if task is not None:
            task.cancel()
        await app.state.gateway.aclose()


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
            inbox_router,
            spaces_router,
            enterprises_router,
            occupancy_router,
            proposals_router,
            party_router,
        ],
        feed=feed,
        lifespan=_lifespan,
    )
