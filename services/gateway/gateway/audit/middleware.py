"""Writes one audit row for every state-changing request and every sign-in attempt, before
the response leaves the gateway (so an answered write is always on record). A read is
recorded when its route or upstream names an audited action (an export, a phone reveal)."""

from __future__ import annotations

import logging
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.audit.service import record
from gateway.net import client_ip
from louyu_kit.db import WRITE_METHODS
from louyu_kit.requestid import current_request_id
from louyu_kit.tokens import ACCESS, TokenInvalid

log = logging.getLogger("louyu.audit")


def _bearer_subject(scope: Scope) -> tuple[str | None, str | None]:
    """Who a proxied request claims to be, trusted only if the token verifies."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            kind, _, token = value.decode("latin-1").partition(" ")
            if kind.lower() != "bearer":
                return None, None
            try:
                claims = scope["app"].state.tokens.verify(token.strip(), typ=ACCESS)
            except TokenInvalid:
                return None, None
            return str(claims["sub"]), str(claims.get("kind", "user"))
    return None, None


class AuditMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_write = scope["method"] in WRITE_METHODS

        async def send_audited(message: Message) -> None:
            if message["type"] == "http.response.start" and (is_write or scope.get("state", {}).get("audit")):
                await self._write(scope, message["status"])
            await send(message)

        await self.app(scope, receive, send_audited)

    async def _write(self, scope: Scope, status: int) -> None:
        state: dict[str, Any] = scope.get("state", {})
        audit = state.get("audit") or {}
        actor, kind = audit.get("actor"), audit.get("actor_kind")
        if actor is None:
            actor, kind = state.get("principal_sub"), None
        if actor is None:
            actor, kind = _bearer_subject(scope)
        entry = {
            "actor": actor,
            "actor_kind": kind or ("client" if str(actor or "").startswith("client:") else "user" if actor else None),
            "ip": client_ip(scope),
            "method": scope["method"],
            "path": scope["path"][:500],
            "status": status,
            "action": audit.get("action") or "http." + scope["method"].lower(),
            "object": audit.get("object"),
            "result": "success" if status < 400 else "failure",
            "request_id": current_request_id() or None,
            "detail": audit.get("detail"),
        }
        try:
            await run_in_threadpool(record, scope["app"].state.db, entry)
        except Exception:
            # The response is already decided; keep the record in the log at least.
            log.exception("audit write failed", extra={"audit": entry})
