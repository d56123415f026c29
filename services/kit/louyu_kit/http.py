"""Outgoing HTTP between services: one factory, timeouts always, the request id passed on,
and failures mapped to the Louyu errors (503 when a peer is down, 502 when it misbehaves)."""

from __future__ import annotations

from typing import Any

import httpx

from louyu_kit.errors import LouyuError, Unavailable, Upstream
from louyu_kit.requestid import HEADER, current_request_id


async def _add_request_id(request: httpx.Request) -> None:
    rid = current_request_id()
    if rid and HEADER not in request.headers:
        request.headers[HEADER] = rid


# A pooled connection is dropped by the client before the peer's uvicorn closes it (its keep-alive
# time-out is 5 s): reusing a connection the server has just closed fails the request with
# "server disconnected" — a false 503, seen with 200 concurrent edits on PostgreSQL.
KEEPALIVE_EXPIRY_SECONDS = 4.0


def make_async_client(
    base_url: str,
    *,
    timeout: float,
    connect_timeout: float | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    limits: httpx.Limits | None = None,
    **kw: Any,
) -> httpx.AsyncClient:
    """An AsyncClient with a timeout on every phase and the current request id on every call."""
    connect = connect_timeout or min(timeout, 2.0)
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=httpx.Timeout(timeout, connect=connect, pool=connect),
        limits=limits
        or httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=KEEPALIVE_EXPIRY_SECONDS),
        event_hooks={"request": [_add_request_id]},
        transport=transport,
        **kw,
    )


class PeerClient:
    """Base of ``<svc>/clients/<peer>.py``: a named peer with Chinese failure messages."""

    peer_name = "服务"

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def request(self, method: str, url: str, **kw: Any) -> httpx.Response:
        try:
            resp = await self.client.request(method, url, **kw)
        except httpx.TimeoutException as exc:
            raise Unavailable(f"{self.peer_name}响应超时，请稍后重试") from exc
        except httpx.TransportError as exc:
            raise Unavailable(f"{self.peer_name}暂时无法连接，请稍后重试") from exc
        if resp.status_code >= 500:
            raise Upstream(f"{self.peer_name}出现错误（{resp.status_code}），请稍后重试")
        if resp.status_code >= 400:
            raise _peer_error(resp)
        return resp

    async def aclose(self) -> None:
        await self.client.aclose()


def _peer_error(resp: httpx.Response) -> LouyuError:
    """Pass a peer's 4xx on with its own Chinese detail."""
    try:
        body = resp.json()
        detail, error = body.get("detail"), body.get("error")
    except ValueError:
        detail, error = None, None
    exc = LouyuError(detail if isinstance(detail, str) else None, error=error or "PeerError")
    exc.status_code = resp.status_code
    return exc
