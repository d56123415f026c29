"""The reverse proxy to registry, tasks and metrics: streamed both ways, keep-alive pools per
upstream, and a 503 with a Chinese message when an upstream is down or too slow, so one
service's trouble never blocks the others."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import anyio
import httpx
from fastapi import FastAPI, Request
from starlette.background import BackgroundTask
from starlette.responses import Response, StreamingResponse
from starlette.types import Scope

from gateway.audit.middleware import error_of
from gateway.config import Settings
from louyu_kit.admission import READ_QUEUE_CAP, WRITE_QUEUE_CAP, Lane, default_classifier, is_exempt
from louyu_kit.errors import error_response
from louyu_kit.http import KEEPALIVE_EXPIRY_SECONDS, make_async_client

log = logging.getLogger("louyu.proxy")

SERVICE_NAMES = {"registry": "楼宇登记服务", "tasks": "任务督办服务", "metrics": "指标分析服务"}
PROXIED_PREFIXES = tuple(f"/api/{name}/" for name in SERVICE_NAMES)
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}
# Set again by the gateway itself.
UPSTREAM_ONLY = {"date", "server"}
READ_METHODS = {"GET", "HEAD", "OPTIONS"}
# Answers up to this size are read whole and sent in one piece; larger ones (exports) are relayed as they come.
BUFFERED_BYTES = 256 * 1024


def make_upstream_clients(settings: Settings) -> dict[str, httpx.AsyncClient]:
    # One pool per upstream: a slow or dead service cannot exhaust the others' connections. Its
    # size is what the admission lanes let through to that upstream (proxy_lanes), so a request
    # admitted never waits for a connection; the 1 s pool time-out is a last guard (503).
    size = settings.proxy_read_limit + settings.proxy_write_limit
    return {
        name: make_async_client(
            url,
            timeout=settings.proxy_timeout_seconds,
            connect_timeout=1.0,
            limits=httpx.Limits(
                max_connections=size, max_keepalive_connections=size, keepalive_expiry=KEEPALIVE_EXPIRY_SECONDS
            ),
        )
        for name, url in settings.upstreams().items()
    }


def proxy_lanes(settings: Settings) -> dict[str, Lane]:
    """One read and one write lane per upstream (louyu_kit.admission): a storm of reads on the
    cockpit cannot take the places of registry's edits or of the bureaus' facts batches."""
    lanes = {}
    for service in SERVICE_NAMES:
        lanes[f"{service}:read"] = Lane(
            f"{service}:read",
            limit=settings.proxy_read_limit,
            queue=settings.admission_read_queue or READ_QUEUE_CAP,
            wait=settings.admission_read_wait_seconds,
        )
        lanes[f"{service}:write"] = Lane(
            f"{service}:write",
            limit=settings.proxy_write_limit,
            queue=settings.admission_write_queue or WRITE_QUEUE_CAP,
            wait=settings.admission_write_wait_seconds,
            cancel_on_disconnect=False,
            adaptive=False,
        )
    return lanes


def classify(scope: Scope) -> str | None:
    """A proxied request takes a place in its upstream's lane; the gateway's own in read/write."""
    path: str = scope.get("path", "")
    for service in SERVICE_NAMES:
        if path.startswith(f"/api/{service}/"):
            if is_exempt(scope):
                return None
            return f"{service}:{'read' if scope.get('method') in READ_METHODS else 'write'}"
    return default_classifier(scope)


def _request_headers(request: Request) -> list[tuple[str, str]]:
    # The client's X-Request-ID was already validated into the current request id, which
    # the client factory adds to every upstream call.
    # Values trimmed: a trailing space is legal from the client (RFC 9110 drops it) but refused by httpx.
    headers = [(k, v.strip()) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP | {"x-request-id"}]
    peer = request.client.host if request.client else ""
    prior = request.headers.get("x-forwarded-for")
    headers = [(k, v) for k, v in headers if k.lower() != "x-forwarded-for"]
    headers.append(("x-forwarded-for", f"{prior}, {peer}" if prior else peer))
    headers.append(("x-forwarded-proto", request.url.scheme))
    return headers


def _unavailable(service: str, reason: str) -> Response:
    name = SERVICE_NAMES[service]
    return error_response(503, "UpstreamUnavailable", f"{name}{reason}，请稍后重试；其他功能不受影响")


def install_proxy(app: FastAPI) -> None:
    for service in SERVICE_NAMES:
        _add_route(app, service)


def _is_download(path: str) -> bool:
    """An export or a template download: a file built from many rows, given the long timeout."""
    return "/exports/" in path or path.endswith(("/export", "/template"))


async def _relay(upstream: httpx.Response) -> AsyncIterator[bytes]:
    """The upstream's body as sent; its connection goes back to the pool even when the client
    left and the request was cancelled mid-answer (louyu_kit.admission)."""
    try:
        async for chunk in upstream.aiter_raw():
            yield chunk
    finally:
        with anyio.CancelScope(shield=True):
            await upstream.aclose()


async def _read_raw(upstream: httpx.Response) -> bytes:
    """The upstream's body as sent (still compressed if it was); its connection goes back to the pool."""
    try:
        return b"".join([chunk async for chunk in upstream.aiter_raw()])
    finally:
        with anyio.CancelScope(shield=True):
            await upstream.aclose()


def _add_route(app: FastAPI, service: str) -> None:
    async def forward(request: Request) -> Response:
        settings: Settings = request.app.state.settings
        client: httpx.AsyncClient = request.app.state.upstreams[service]
        slow = request.method not in READ_METHODS or _is_download(request.url.path)
        timeout = settings.proxy_write_timeout_seconds if slow else settings.proxy_timeout_seconds
        has_body = request.method not in READ_METHODS
        upstream_request = client.build_request(
            request.method,
            httpx.URL(
                path=request.scope.get("raw_path", request.url.path.encode()).decode("latin-1"),
                query=request.url.query.encode(),
            ),
            headers=_request_headers(request),
            content=request.stream() if has_body else None,
            timeout=httpx.Timeout(timeout, connect=1.0, pool=1.0),
        )
        if not upstream_request.url.path.startswith(f"/api/{service}/"):
            # Dot segments (/api/registry/../../-/prometheus) would leave the service's prefix
            # once the URL is normalised: never forward outside /api/<service>/.
            return error_response(404, "NotFound", f"接口 {request.url.path} 不存在")
        try:
            upstream = await client.send(upstream_request, stream=True)
        except httpx.LocalProtocolError:
            # The request itself cannot be sent as it is (a header value no upstream accepts): the client's fault.
            return error_response(400, "BadRequest", "请求头格式不正确，请检查后重试")
        except httpx.TimeoutException:
            log.warning("upstream %s timed out", service)
            return _unavailable(service, "响应超时")
        except httpx.TransportError as exc:
            log.warning("upstream %s unreachable: %s", service, exc)
            return _unavailable(service, "暂时无法连接")
        # The audit trail records the upstream's answer even if the client is gone before it is sent.
        request.scope.setdefault("state", {})["upstream_status"] = upstream.status_code
        dropped = (HOP_BY_HOP - {"content-length"}) | UPSTREAM_ONLY
        raw_headers = [
            (k.lower().encode("latin-1"), v.encode("latin-1"))
            for k, v in upstream.headers.multi_items()
            if k.lower() not in dropped and not k.lower().startswith("x-audit-")
        ]
        audit = {k.lower(): v for k, v in upstream.headers.items() if k.lower().startswith("x-audit-")}
        if audit:
            state = request.scope.setdefault("state", {})
            state.setdefault("audit", {}).update(
                {k.removeprefix("x-audit-"): v for k, v in audit.items() if k in ("x-audit-action", "x-audit-object")}
            )
        length = upstream.headers.get("content-length", "")
        # The upstream's own admission control may have shed this read: its error body is small.
        shed_check = upstream.status_code == 503 and request.method in READ_METHODS
        if shed_check or (length.isdigit() and int(length) <= BUFFERED_BYTES):
            # A small answer (almost every JSON answer) is read whole and sent in one piece: a
            # streamed relay costs the gateway a task and a disconnect listener per request.
            try:
                body = await _read_raw(upstream)
            except httpx.TimeoutException:
                log.warning("upstream %s timed out", service)
                return _unavailable(service, "响应超时")
            except httpx.TransportError as exc:
                log.warning("upstream %s broke off its answer: %s", service, exc)
                return _unavailable(service, "暂时无法连接")
            if shed_check:
                # Tallied with the gateway's own sheds (gateway.audit.shed).
                encoded = upstream.headers.get("content-encoding", "identity") != "identity"
                ledger = getattr(request.app.state, "shed_ledger", None)
                if not encoded and error_of(body)[0] == "Overloaded":
                    request.scope.setdefault("state", {})["shed"] = True  # counted, not logged line by line
                    if ledger is not None:
                        ledger.note(request.scope, f"{service}（服务自身）")
            response: Response = Response(body, status_code=upstream.status_code)
        else:
            response = StreamingResponse(
                _relay(upstream), status_code=upstream.status_code, background=BackgroundTask(upstream.aclose)
            )
        # The upstream's headers exactly (repeated ones included; the body is passed on as sent).
        response.raw_headers = raw_headers
        return response

    app.add_api_route(
        f"/api/{service}/{{path:path}}",
        forward,
        methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        include_in_schema=False,
        name=f"proxy-{service}",
    )
