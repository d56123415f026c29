"""The one ASGI middleware every Louyu app runs outermost: request id, security headers,
and one JSON access-log line per request. Pure ASGI so streamed responses stay streamed."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from louyu_kit.admission import CLIENT_GONE
from louyu_kit.errors import error_response
from louyu_kit.observability import observe_request
from louyu_kit.requestid import accept_or_generate, set_request_id

access_log = logging.getLogger("louyu.access")
# Answers logged at DEBUG when they succeed: probes, scrapes and the pollers' reads of public keys
# and revocations (routine polling is never INFO; louyu_kit.logs).
QUIET_SUFFIXES = ("/health", "/ready", "/revocations", "/.well-known/jwks.json")


def mark_routine(scope_state: dict[str, Any] | Any) -> None:
    """Log this request at DEBUG (if it succeeds): a route calls it for a poll that found nothing
    new (``mark_routine(request.state)``), e.g. a change-feed read with no events."""
    if isinstance(scope_state, dict):
        scope_state["routine"] = True
    else:
        scope_state.routine = True


def content_security_policy(img_sources: Sequence[str] = ()) -> str:
    """The CSP; ``img_sources``: extra origins images may come from (the map's tile servers,
    only when the deployer configured them: ``gateway.uiconfig``)."""
    img = " ".join(["'self'", "data:", "blob:", *img_sources])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src {img}; font-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


CSP = content_security_policy()


def security_headers(hsts: bool, img_sources: Sequence[str] = ()) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"content-security-policy", content_security_policy(img_sources).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"x-frame-options", b"DENY"),
        (b"permissions-policy", b"camera=(self), geolocation=(self), microphone=()"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if hsts:
        headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
    return headers


class LouyuMiddleware:
    def __init__(self, app: ASGIApp, *, service: str, hsts: bool = False, img_sources: Sequence[str] = ()) -> None:
        self.app = app
        self.service = service
        self.extra = security_headers(hsts, img_sources)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = None
        for name, value in scope.get("headers", ()):
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        request_id = accept_or_generate(incoming)
        set_request_id(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status_holder: dict[str, Any] = {"status": 500}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
                present = {k.lower() for k, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                if b"x-request-id" not in present:
                    headers.append((b"x-request-id", request_id.encode()))
                for key, value in self.extra:
                    if key not in present:
                        headers.append((key, value))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception:
            # Last line of defence: log the trace, answer the one error body, never leak details.
            access_log.exception("unhandled error", extra={"service": self.service, "path": scope.get("path")})
            if not status_holder.get("started"):
                response = error_response(500, "InternalError", "服务器内部错误，请稍后重试或联系管理员")
                await response(scope, receive, send_wrapper)
        finally:
            state = scope.get("state", {})
            if state.get("client_gone") and not status_holder.get("started"):
                status_holder["status"] = CLIENT_GONE  # cancelled: nobody was left to answer
            path = scope.get("path", "")
            seconds = time.perf_counter() - started
            observe_request(self.service, scope, status_holder["status"], seconds)
            quiet = path.endswith(QUIET_SUFFIXES) or path == "/-/prometheus" or state.get("routine") is True
            # A request shed by admission control (louyu_kit.admission) is counted, not logged line by line.
            level = logging.DEBUG if (quiet and status_holder["status"] < 400) or state.get("shed") else logging.INFO
            if access_log.isEnabledFor(level):
                access_log.log(
                    level,
                    "request",
                    extra={
                        "service": self.service,
                        "request_id": request_id,
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": status_holder["status"],
                        "duration_ms": round(seconds * 1000, 2),
                        "user": state.get("principal_sub"),
                    },
                )
