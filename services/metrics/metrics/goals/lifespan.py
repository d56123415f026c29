"""Start the tasks client and the background copy of the goals with the app, stop them with it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from louyu_kit.leases import run_leased
from metrics.clients.tasks import TasksClient
from metrics.goals.service import run_periodically


@asynccontextmanager
async def tasks_goals(app: FastAPI) -> AsyncIterator[None]:
    """``app.state.tasks`` (the only client of tasks) and the copy of the goals every
    ``LOUYU_METRICS_GOALS_SYNC_SECONDS`` (off when 0)."""
    settings = app.state.settings
    client = TasksClient.create(settings.tasks_url, tokens=app.state.service_tokens)
    app.state.tasks = client
    task = None
    if settings.metrics_goals_sync_seconds > 0:
        task = asyncio.create_task(
            run_leased(
                app.state.lease,
                lambda: run_periodically(app.state.db, client, interval=settings.metrics_goals_sync_seconds),
                label="goals-sync",
            ),
            name="metrics-goals-sync",
        )
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await client.aclose()
