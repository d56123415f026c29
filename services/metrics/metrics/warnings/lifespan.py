"""The background evaluation of the warnings, started and stopped with the app."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from louyu_kit.leases import run_leased
from metrics.warnings.service import run_periodically


@asynccontextmanager
async def daily_warnings(app: FastAPI) -> AsyncIterator[None]:
    """Evaluate the warnings every ``LOUYU_METRICS_WARNINGS_SECONDS`` (a day; off when 0) and
    after the rollups were recomputed."""
    interval = app.state.settings.metrics_warnings_seconds
    task = None
    if interval > 0:
        task = asyncio.create_task(
            run_leased(app.state.lease, lambda: run_periodically(app.state.db, interval=interval), label="warnings"),
            name="metrics-warnings",
        )
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
