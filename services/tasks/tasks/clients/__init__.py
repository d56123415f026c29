"""Clients of the peer services tasks calls (one class per peer, created in the app's lifespan)."""

from __future__ import annotations

from fastapi import FastAPI

from louyu_kit.http import make_async_client
from tasks.clients.metrics import MetricsClient
from tasks.clients.registry import RegistryClient
from tasks.config import Settings
from tasks.demands.service import parse_deadlines


def open_peers(app: FastAPI, settings: Settings) -> None:
    """Registry and metrics clients on ``app.state`` (and the demand deadlines, checked at start-up)."""
    timeout = settings.tasks_peer_timeout_seconds
    app.state.registry = RegistryClient(make_async_client(settings.registry_url, timeout=timeout))
    app.state.metrics = MetricsClient(make_async_client(settings.metrics_url, timeout=timeout))
    app.state.demand_deadlines = parse_deadlines(settings.tasks_demand_deadlines)


async def close_peers(app: FastAPI) -> None:
    for name in ("registry", "metrics"):
        client = getattr(app.state, name, None)
        if client is not None:
            await client.aclose()
