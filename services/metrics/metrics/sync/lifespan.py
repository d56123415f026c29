"""Start the registry client and the change-feed consumer with the app, stop them with it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from metrics.clients.registry import RegistryClient
from metrics.sync.consumer import FeedConsumer


@asynccontextmanager
async def registry_feed(app: FastAPI) -> AsyncIterator[None]:
    """``app.state.registry`` (the only client of registry) and ``app.state.feed_consumer``
    (None when ``LOUYU_METRICS_SYNC_SECONDS`` is 0)."""
    settings = app.state.settings
    client = RegistryClient.create(settings.registry_url, tokens=app.state.service_tokens)
    app.state.registry = client
    consumer = None
    if settings.metrics_sync_seconds > 0:
        consumer = FeedConsumer(
            db=app.state.db, client=client, interval=settings.metrics_sync_seconds, lease=app.state.lease
        )
        consumer.start()
    app.state.feed_consumer = consumer
    try:
        yield
    finally:
        if consumer is not None:
            await consumer.stop()
        await client.aclose()
