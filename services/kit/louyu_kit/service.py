"""``create_service_app``: what registry, tasks and metrics (and the gateway) share."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from louyu_kit.admission import Admission, AdmissionMiddleware, admission_for
from louyu_kit.auth import (
    RevocationList,
    RevocationSync,
    SignedServiceTokens,
    codec_for,
    revocation_age,
    service_tokens_for,
)
from louyu_kit.bodylimit import BodyLimitMiddleware
from louyu_kit.changes import ChangeFeed
from louyu_kit.db import Database, pool_options, unavailable
from louyu_kit.docs import install_docs, install_openapi
from louyu_kit.errors import error_response, install_error_handlers
from louyu_kit.leases import Lease
from louyu_kit.middleware import LouyuMiddleware
from louyu_kit.observability import install_prometheus, watch_revocation_age
from louyu_kit.settings import KitSettings
from louyu_kit.tokens import TokenCodec

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


class Health(BaseModel):
    status: str
    service: str


class LaneLoad(BaseModel):
    lane: str
    in_flight: int
    limit: int
    waiting: int
    queue: int
    shed: int
    gone: int


class Ready(BaseModel):
    status: str
    service: str
    saturated: bool
    lanes: list[LaneLoad]
    revocations_age_seconds: float | None = None


class SizedGZip:
    """Starlette's GZip above a size, except under some path prefixes (passed through as they are:
    a streamed proxy answer would otherwise be compressed whatever its size)."""

    def __init__(self, app: ASGIApp, *, minimum_size: int, skip_prefixes: tuple[str, ...] = ()) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size)
        self.skip = skip_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (self.skip and str(scope.get("path", "")).startswith(self.skip)):
            await self.app(scope, receive, send)
            return
        await self.gzip(scope, receive, send)


def _docstring_summaries(router: APIRouter) -> APIRouter:
    """The first line of a route's docstring is its OpenAPI summary (the bureaus read it)."""
    for route in router.routes:
        if isinstance(route, APIRoute) and not route.summary and route.description:
            route.summary = route.description.strip().splitlines()[0]
    return router


def make_codec(settings: KitSettings) -> TokenCodec:
    """The gateway's signs and verifies; every other service's only verifies (louyu_kit.auth)."""
    return codec_for(settings)


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
    admission: Admission | None = None,
    gzip_skip_prefixes: Sequence[str] = (),
) -> FastAPI:
    """A Louyu service: routes under ``/api/<name>``, health/ready, docs, errors, headers, tokens,
    admission control (``admission``: the gateway's own lanes; default: read and write from the
    settings), gzip above ``LOUYU_GZIP_MIN_BYTES`` except under ``gzip_skip_prefixes`` (the
    gateway's proxied paths: the services compress their own answers) (``img_sources``: extra image origins for the
    CSP, the gateway's configured map tiles)."""
    prefix = prefix or f"/api/{name}"
    admission = admission or admission_for(settings)
    # Readiness pings the database in a thread of its own, never behind busy worker threads.
    ready_threads = anyio.CapacityLimiter(2)

    @asynccontextmanager
    async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.admission = admission
        # Threads, pooled connections and admitted requests are sized together (settings).
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.thread_count()
        app.state.db = Database.from_url(database_url, **pool_options(settings))
        # One lease per service: the process holding it runs the service's background work
        # (louyu_kit.leases), so LOUYU_WORKERS > 1 and replicas never run it twice.
        app.state.lease = Lease(database_url, name)
        app.state.tokens = make_codec(settings)
        polls = revocation_sync and settings.revocation_poll_seconds > 0
        app.state.revocations = RevocationList(max_age=settings.revocation_max_age_seconds if polls else None)
        watch_revocation_age(name, app.state.revocations)
        # Internal tokens for calls to peers: the gateway signs its own; a service asks the gateway.
        app.state.service_tokens = (
            SignedServiceTokens(app.state.tokens, name)
            if app.state.tokens.can_sign
            else service_tokens_for(settings, name)
        )
        # Build the OpenAPI document now, off the event loop: for a service with many models the
        # first build takes longer than the gateway's read timeout on a busy machine.
        await asyncio.to_thread(app.openapi)
        sync = None
        if polls:
            sync = RevocationSync(
                service=name,
                gateway_url=settings.gateway_url,
                tokens=app.state.service_tokens,
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
            try:
                if sync is not None:
                    await sync.stop()
                await app.state.service_tokens.aclose()
            finally:
                # Whatever failed above: give the lease to the next process and close the pools.
                app.state.lease.release()
                app.state.db.dispose()

    # The document's title is ASCII (a generated client's package is named after it); the Chinese
    # name is its description and ``info.x-title-zh`` (louyu_kit.docs.finish_document).
    app = FastAPI(
        title=f"Louyu {name.capitalize()} API",
        description=f"{title}（武昌区楼宇经济平台）",
        version=version,
        openapi_url=f"{prefix}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.title_zh = title
    install_error_handlers(app)

    async def _pool_timeout(request: Request, exc: Exception) -> JSONResponse:
        # A pooled connection not free within LOUYU_DB_POOL_TIMEOUT_SECONDS: busy, not broken.
        err = unavailable(exc)
        return error_response(err.status_code, err.error, err.detail, headers=err.headers)

    app.add_exception_handler(PoolTimeout, _pool_timeout)
    install_docs(app, prefix=prefix, title=title)
    install_openapi(app)

    health = APIRouter(tags=["运行状态"])

    # Both answer on the event loop and are never admitted or queued (louyu_kit.admission).
    @health.get("/health", response_model=Health)
    async def health_check() -> Health:
        """进程存活检查（不访问数据库）。"""
        return Health(status="ok", service=name)

    @health.get("/ready", response_model=Ready, responses={503: {"description": "数据库不可用，或吊销名单过旧"}})
    async def ready_check() -> JSONResponse:
        """就绪检查：数据库可以连接时返回 200，否则 503；并报告各通道正在处理的请求数与上限（saturated：已满）。"""
        await anyio.to_thread.run_sync(app.state.db.ping, limiter=ready_threads)  # Unavailable: 503
        lanes = [
            LaneLoad(
                lane=lane.name,
                in_flight=lane.in_flight,
                limit=lane.limit,
                waiting=lane.waiting,
                queue=lane.queue,
                shed=lane.shed,
                gone=lane.gone,
            )
            for lane in admission.lanes.values()
        ]
        # Fail closed on revocations (louyu_kit.auth): a stale list is not ready.
        age, stale = revocation_age(app)
        body = Ready(
            status="stale" if stale else "ready",
            service=name,
            saturated=admission.saturated(),
            lanes=lanes,
            revocations_age_seconds=age,
        )
        return JSONResponse(body.model_dump(exclude_none=True), status_code=503 if stale else 200)

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
    # Outside the app's own middlewares, inside the request id, headers and access log.
    app.add_middleware(AdmissionMiddleware, admission=admission)
    if settings.gzip_min_bytes > 0:
        app.add_middleware(SizedGZip, minimum_size=settings.gzip_min_bytes, skip_prefixes=tuple(gzip_skip_prefixes))
    app.add_middleware(LouyuMiddleware, service=name, hsts=settings.hsts, img_sources=tuple(img_sources))
    return app
