"""``create_service_app``: what registry, tasks and metrics (and the gateway) share."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from louyu_kit.auth import RevocationList, RevocationSync
from louyu_kit.bodylimit import BodyLimitMiddleware
from louyu_kit.changes import ChangeFeed
from louyu_kit.db import Database
from louyu_kit.docs import install_docs
from louyu_kit.errors import install_error_handlers
from louyu_kit.middleware import LouyuMiddleware
from louyu_kit.observability import install_prometheus
from louyu_kit.settings import KitSettings
from louyu_kit.tokens import TokenCodec

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def _docstring_summaries(router: APIRouter) -> APIRouter:
    """The first line of a route's docstring is its OpenAPI summary (the bureaus read it)."""
    for route in router.routes:
        if isinstance(route, APIRoute) and not route.summary and route.description:
            route.summary = route.description.strip().splitlines()[0]
    return router


def make_codec(settings: KitSettings) -> TokenCodec:
    return TokenCodec(key=settings.jwt_key(), issuer=settings.jwt_issuer, audience=settings.jwt_audience)


def create_service_app(
    *,
    name: str,
    title: str,
    settings: KitSettings,
    database_url: str,
    routers: Sequence[APIRouter] = (),
    feed: ChangeFeed | None = None,
    lifespan: Lifespan | None = None,
    revocation_sync: bool = True,
    version: str = "0.1.0",
    prefix: str | None = None,
    middlewares: Sequence[tuple[type, dict[str, Any]]] = (),
    img_sources: Sequence[str] = (),
) -> FastAPI:
    """A Louyu service: routes under ``/api/<name>``, health/ready, docs, errors, headers, tokens
    (``img_sources``: extra image origins for the CSP, the gateway's configured map tiles)."""
    prefix = prefix or f"/api/{name}"

    @asynccontextmanager
    async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.db = Database.from_url(database_url)
        app.state.tokens = make_codec(settings)
        app.state.revocations = RevocationList()
        # Build the OpenAPI document now, off the event loop: for a service with many models the
        # first build takes longer than the gateway's read timeout on a busy machine.
        await asyncio.to_thread(app.openapi)
        sync = None
        if revocation_sync and settings.revocation_poll_seconds > 0:
            sync = RevocationSync(
                service=name,
                gateway_url=settings.gateway_url,
                codec=app.state.tokens,
                revocations=app.state.revocations,
                interval=settings.revocation_poll_seconds,
            )
            sync.start()
        try:
            if lifespan is not None:
                async with lifespan(app):
                    yield
            else:
                yield
        finally:
            if sync is not None:
                await sync.stop()
            app.state.db.dispose()

    app = FastAPI(
        title=title,
        version=version,
        openapi_url=f"{prefix}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    install_error_handlers(app)
    install_docs(app, prefix=prefix, title=title)

    health = APIRouter(tags=["运行状态"])

    @health.get("/health")
    def health_check() -> dict[str, Any]:
        """进程存活检查（不访问数据库）。"""
        return {"status": "ok", "service": name}

    @health.get("/ready", responses={503: {"description": "数据库不可用"}})
    def ready_check() -> JSONResponse:
        """就绪检查：数据库可以连接时返回 200，否则 503。"""
        app.state.db.ping()  # raises Unavailable (503)
        return JSONResponse({"status": "ready", "service": name})

    app.include_router(_docstring_summaries(health), prefix=prefix)
    # GET /-/prometheus: outside /api, never proxied by the gateway (see louyu_kit.observability).
    install_prometheus(app, settings)
    if feed is not None:
        app.include_router(_docstring_summaries(feed.router()), prefix=prefix)
    for router in routers:
        app.include_router(_docstring_summaries(router), prefix=prefix)

    origins = settings.cors_origin_list()
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "Idempotency-Key", "X-Request-ID"],
            expose_headers=["ETag", "X-Request-ID"],
        )
    app.add_middleware(BodyLimitMiddleware, max_json_bytes=settings.max_json_bytes)
    for middleware, options in middlewares:
        app.add_middleware(middleware, **options)
    app.add_middleware(LouyuMiddleware, service=name, hsts=settings.hsts, img_sources=tuple(img_sources))
    return app
