"""The tasks app: `uvicorn tasks.main:create_app --factory --port 8002`."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.exc import OperationalError

from louyu_kit.service import create_service_app
from tasks import models  # noqa: F401  (every table registered before the app starts)
from tasks.ask.router import router as ask_router
from tasks.assessment.router import router as assessment_router
from tasks.bulletins.router import router as bulletins_router
from tasks.centres.router import router as centres_router
from tasks.clients import close_peers, open_peers
from tasks.config import Settings, get_settings
from tasks.db import feed
from tasks.demands.router import router as demands_router
from tasks.events.router import router as events_router
from tasks.inbox.router import router as inbox_router
from tasks.inspections.router import router as inspections_router
from tasks.leads.router import router as leads_router
from tasks.notifications import worker as notifications_worker
from tasks.notifications.router import router as notifications_router
from tasks.parts.router import router as parts_router
from tasks.plans.router import router as plans_router
from tasks.policies.router import router as policies_router
from tasks.records.router import router as records_router
from tasks.screen.router import router as screen_router
from tasks.summaries.router import router as summaries_router
from tasks.supervision import daily as supervision_daily
from tasks.supervision.router import router as supervision_router
from tasks.units.router import router as units_router
from tasks.units.service import seed_database
from tasks.visits.router import router as visits_router
from tasks.work.router import router as work_router

log = logging.getLogger("louyu.tasks")


async def _seed(app: FastAPI) -> bool:
    try:
        await asyncio.to_thread(seed_database, app.state.db.write_sessions)
        return True
    except OperationalError as exc:
        log.warning("unit directory not seeded yet (database unavailable): %s", type(exc).__name__)
        return False


async def _retry_seed(app: FastAPI) -> None:
    delay = 1.0
    while not await _seed(app):
        await asyncio.sleep(delay)
        delay = min(delay * 2, 30.0)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # The unit directory (units.csv) is loaded before serving; a database down at start-up is
    # retried in the background (ready answers 503 meanwhile).
    background = [] if await _seed(app) else [asyncio.create_task(_retry_seed(app), name="tasks-unit-seed")]
    # The daily 督办 rule (LOUYU_TASKS_SUPERVISION_INTERVAL_SECONDS; 0 turns it off).
    rule = await supervision_daily.start(app)
    background += [rule] if rule is not None else []
    # 通知: the outbox worker (LOUYU_TASKS_NOTIFY_*; nothing runs while every channel is off).
    notifier = notifications_worker.start(app)
    background += [notifier] if notifier is not None else []
    open_peers(app, app.state.settings)
    try:
        yield
    finally:
        for task in background:
            task.cancel()
        await close_peers(app)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    return create_service_app(
        name="tasks",
        title="任务督办服务 (tasks)",
        settings=settings,
        database_url=settings.database_url,
        routers=[
            units_router,
            plans_router,
            work_router,
            parts_router,
            supervision_router,
            screen_router,
            visits_router,
            leads_router,
            demands_router,
            bulletins_router,
            assessment_router,
            inbox_router,
            notifications_router,
            ask_router,
            inspections_router,
            summaries_router,
            policies_router,
            records_router,
            events_router,
            centres_router,
        ],
        feed=feed,
        lifespan=_lifespan,
    )
