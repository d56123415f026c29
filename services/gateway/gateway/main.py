"""The gateway app: `uvicorn gateway.main:create_app --factory --port 8000`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from gateway.accounts.internal import router as internal_router
from gateway.accounts.router import router as accounts_router
from gateway.audit.middleware import AuditMiddleware
from gateway.audit.router import router as audit_router
from gateway.audit.shed import ShedLedger
from gateway.auth.router import router as auth_router
from gateway.auth.service import session_is_live
from gateway.chiefs.router import router as chiefs_router
from gateway.config import Settings, get_settings
from gateway.proxy import PROXIED_PREFIXES, classify, install_proxy, make_upstream_clients, proxy_lanes
from gateway.spa import install_spa
from gateway.uiconfig.router import router as uiconfig_router
from louyu_kit.admission import admission_for
from louyu_kit.auth import Principal
from louyu_kit.errors import Unauthorized
from louyu_kit.service import create_service_app


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    admission = admission_for(settings, lanes=proxy_lanes(settings), classify=classify)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.upstreams = make_upstream_clients(settings)

        def session_check(principal: Principal) -> None:
            # The gateway holds the sessions: check them directly, no polling needed.
            with app.state.db.sessions() as session:
                if not session_is_live(session, principal.sid):
                    raise Unauthorized("登录已失效，请重新登录")

        app.state.session_check = session_check
        # Requests shed by admission control go into the audit trail, one tallied row per lane
        # and window (gateway.audit.shed).
        app.state.shed_ledger = ledger = ShedLedger(app.state.db)
        admission.on_shed = lambda scope, lane: ledger.note(scope, lane.name)
        tally = asyncio.create_task(ledger.run())
        try:
            yield
        finally:
            admission.on_shed = None
            tally.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await tally
            for client in app.state.upstreams.values():
                await client.aclose()

    app = create_service_app(
        name="gateway",
        prefix="/api/auth",
        title="统一门户网关 (gateway)",
        settings=settings,
        database_url=settings.database_url,
        routers=[auth_router, accounts_router, internal_router, audit_router, uiconfig_router, chiefs_router],
        lifespan=lifespan,
        revocation_sync=False,
        middlewares=[(AuditMiddleware, {})],
        # The map's tile servers, only when the deployer configured them (gateway.uiconfig).
        img_sources=settings.map_tiles().origins,
        admission=admission,
        # The services gzip their own answers above the size; the proxy passes them on as sent.
        gzip_skip_prefixes=PROXIED_PREFIXES,
    )
    install_proxy(app)
    install_spa(app, settings.frontend_dir)
    return app
