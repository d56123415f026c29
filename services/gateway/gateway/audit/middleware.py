"""Writes one audit row for every state-changing request and every sign-in attempt, before
the response leaves the gateway (so an answered write is always on record). A read is
recorded when its route or upstream names an audited action (an export, a phone reveal), and
when it is refused: 401 or 403 (``read_refused``), or a 404 to a signed-in caller
(``read_not_found``: another street's object answers 404, so a probe for one is on record).
Requests shed by admission control never reach this middleware: gateway.audit.shed tallies them."""

from __future__ import annotations

import json
import logging
from typing import Any

import anyio
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


# Reads refused outright, and reads of what is missing or out of the caller's sight.
_REFUSED_READ = {401: "read_refused", 403: "read_refused", 404: "read_not_found"}


def _has_bearer(scope: Scope) -> bool:
    return any(name == b"authorization" for name, _ in scope.get("headers", ()))


# A refusal's error code that names a distinct audited action.
_REFUSAL_ACTIONS = {"TooManyAttempts": "login_throttled"}
_ERROR_BODY_LIMIT = 4096


def error_of(body: bytes) -> tuple[str | None, str | None]:
    """The ``error`` and ``detail`` of a Louyu error body (None when it is not one)."""
    if not body or len(body) > _ERROR_BODY_LIMIT:
        return None, None
    try:
        data = json.loads(body)
    except ValueError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    error, detail = data.get("error"), data.get("detail")
    return (str(error) if error else None), (str(detail)[:500] if detail else None)


class AuditMiddleware:
    """Every write and every audited read leaves exactly one row, whatever happens: the row is
    written before the answer's first byte; when the app fails (a 500) or the client went away
    before the answer was sent (the upstream committed all the same), it is written on the way
    out. A refusal's error code and reason go into the row's detail."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_write = scope["method"] in WRITE_METHODS
        written = False
        held: Message | None = None

        def audited(status: int) -> bool:
            if is_write or scope.get("state", {}).get("audit"):
                return True
            # A refused read; a 404 only for a signed-in caller (not every unknown URL).
            return status in (401, 403) or (status == 404 and _has_bearer(scope))

        async def write_once(status: int, *, error: str | None = None, reason: str | None = None) -> None:
            nonlocal written
            if written or not audited(status):
                return
            written = True
            # Shielded: a cancelled request (the client left) must still leave its row.
            with anyio.CancelScope(shield=True):
                await self._write(scope, status, error=error, reason=reason)

        body: list[Message] = []

        async def send_audited(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                if message["status"] >= 400 and audited(message["status"]):
                    # Hold the head until the (small) error body says why: the row gets the reason.
                    held = message
                    return
                await write_once(message["status"])
            elif message["type"] == "http.response.body" and held is not None:
                # A proxied body comes in chunks: gather a small one whole before reading it.
                body.append(message)
                size = sum(len(m.get("body", b"")) for m in body)
                if message.get("more_body", False) and size <= _ERROR_BODY_LIMIT:
                    return
                head, held = held, None
                error, reason = (None, None)
                if not message.get("more_body", False):
                    error, reason = error_of(b"".join(m.get("body", b"") for m in body))
                await write_once(head["status"], error=error, reason=reason)
                await send(head)
                pending = body[:]
                body.clear()
                for part in pending:
                    await send(part)
                return
            await send(message)

        try:
            await self.app(scope, receive, send_audited)
        except BaseException:
            await write_once(500, reason="服务器内部错误（请求未完成）")
            raise
        if held is not None:
            head, held = held, None
            await write_once(head["status"])
            await send(head)
            for part in body:
                await send(part)
        if not written:
            # The answer never left: the client disconnected while the work went on. What the
            # upstream answered is what happened.
            state = scope.get("state", {})
            status = int(state.get("upstream_status") or 499)
            await write_once(status, reason="客户端在收到应答前已断开连接")

    async def _write(self, scope: Scope, status: int, *, error: str | None = None, reason: str | None = None) -> None:
        state: dict[str, Any] = scope.get("state", {})
        audit = state.get("audit") or {}
        actor, kind = audit.get("actor"), audit.get("actor_kind")
        if actor is None:
            actor, kind = state.get("principal_sub"), None
        if actor is None:
            actor, kind = _bearer_subject(scope)
        is_write = scope["method"] in WRITE_METHODS
        action = audit.get("action") or (
            "http." + scope["method"].lower() if is_write else _REFUSED_READ.get(status, "http.get")
        )
        if error in _REFUSAL_ACTIONS and action in ("login_failed", "client_login_failed"):
            action = _REFUSAL_ACTIONS[error]
        detail = audit.get("detail")
        if reason or error:
            why = f"{error}：{reason}" if error and reason else (reason or error)
            detail = f"{detail}；{why}" if detail else why
        entry = {
            "actor": actor,
            "actor_kind": kind or ("client" if str(actor or "").startswith("client:") else "user" if actor else None),
            "ip": client_ip(scope),
            "method": scope["method"],
            "path": scope["path"][:500],
            "status": status,
            "action": action,
            "object": audit.get("object"),
            "result": "success" if status < 400 else "failure",
            "request_id": current_request_id() or None,
            "detail": detail,
        }
        try:
            await run_in_threadpool(record, scope["app"].state.db, entry)
        except Exception:
            # The response is already decided; keep the record in the log at least.
            log.exception("audit write failed", extra={"audit": entry})
