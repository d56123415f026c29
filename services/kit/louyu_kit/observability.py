"""Prometheus metrics of every Louyu process (prometheus-client).

What is measured:

- ``louyu_http_requests_total`` and ``louyu_http_request_duration_seconds``: every request, by
  service, method, route *template* (``/api/registry/buildings/{building_id}``, never the raw
  path, so scans of random URLs cannot blow up the series) and status. Recorded by
  ``LouyuMiddleware``.
- ``louyu_ingest_rows_total``: rows taken in by imports and bureau pushes; call
  ``ingest_rows("metrics", "tax", 20000)`` (or ``outcome="rejected"``) from the ingest code.
- ``louyu_change_feed_lag_events``: how many change-feed events a consumer is behind a
  producer; the consumer calls ``set_change_feed_lag("metrics", "registry", last_seq - cursor)``.

Where it is served: ``GET /-/prometheus`` on every app (outside ``/api/…``: it never collides
with the metrics service's own ``/api/metrics/…`` routes, and the gateway's proxy only forwards
``/api/{registry,tasks,metrics}/…``). Who may read it:

- ``LOUYU_PROMETHEUS_TOKEN`` set: only a request with ``Authorization: Bearer <token>``
  (Prometheus' ``authorization.credentials_file``), from any address;
- not set, outside production: only loopback peers (``make run``, a shell in the container);
- not set, in production: nobody (404).

The TLS front-end examples also refuse ``/-/`` on the public side.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
from typing import Any

from fastapi import FastAPI, Request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest
from starlette.responses import Response
from starlette.types import Scope

from louyu_kit.errors import error_response
from louyu_kit.settings import KitSettings

PROMETHEUS_PATH = "/-/prometheus"
# Latencies we care about: the dashboard's p95 goal is 0.25 s; proxied writes may take a minute.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
UNMATCHED = "<unmatched>"
_LABEL = re.compile(r"^[a-z0-9_.:-]{1,64}$")

HTTP_REQUESTS = Counter(
    "louyu_http_requests",
    "HTTP requests answered, by service, method, route template and status.",
    ["service", "method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "louyu_http_request_duration_seconds",
    "Time from the request's arrival to the end of its response, by service, method, route template and status.",
    ["service", "method", "route", "status"],
    buckets=BUCKETS,
)
INGEST_ROWS = Counter(
    "louyu_ingest_rows",
    "Rows taken in by imports and bureau pushes, by service, source and outcome.",
    ["service", "source", "outcome"],
)
CHANGE_FEED_LAG = Gauge(
    "louyu_change_feed_lag_events",
    "Events a consumer of a change feed is behind its producer.",
    ["consumer", "source"],
)
REVOCATION_AGE = Gauge(
    "louyu_revocation_list_age_seconds",
    "Seconds since the service last refreshed its list of revoked sessions from the gateway "
    "(access tokens are refused with 503 once it exceeds revocation_max_age_seconds).",
    ["service"],
)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _label(value: str, what: str) -> str:
    if not _LABEL.match(value):
        raise ValueError(f"{what} must match {_LABEL.pattern} (a fixed name, not data): {value!r}")
    return value


def ingest_rows(service: str, source: str, rows: int, outcome: str = "accepted") -> None:
    """Count ``rows`` taken in by ``service`` from ``source`` (e.g. ``tax``, ``xlsx``).

    ``outcome`` is a small fixed word such as ``accepted``, ``rejected`` or ``duplicate``.
    Label values must be fixed names (never a batch key or a file name)."""
    if rows < 0:
        raise ValueError("rows must not be negative")
    INGEST_ROWS.labels(_label(service, "service"), _label(source, "source"), _label(outcome, "outcome")).inc(rows)


def set_change_feed_lag(consumer: str, source: str, lag: int) -> None:
    """How far ``consumer`` is behind ``source``'s change feed (``last_seq - cursor``)."""
    CHANGE_FEED_LAG.labels(_label(consumer, "consumer"), _label(source, "source")).set(max(0, lag))


def watch_revocation_age(service: str, revocations: Any) -> None:
    """Export ``revocations.age()`` (a louyu_kit.auth.RevocationList) for ``service`` when it polls."""
    if getattr(revocations, "max_age", None) is not None:
        REVOCATION_AGE.labels(_label(service, "service")).set_function(revocations.age)


def route_template(scope: Scope) -> str:
    """The path template of the route that answered (set by the router), never the raw path.

    FastAPI keeps included routers nested: ``scope["route"]`` is then the route as declared in
    its router (``/health``) and the full template (``/api/registry/health``) is on FastAPI's
    effective route context. Both are read defensively; the pinned FastAPI is tested
    (tests/kit/test_observability.py)."""
    context = (scope.get("fastapi") or {}).get("effective_route_context")
    for candidate in (getattr(context, "path_format", None), getattr(context, "path", None)):
        if isinstance(candidate, str) and candidate:
            return candidate
    path = getattr(scope.get("route"), "path_format", None) or getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) and path else UNMATCHED


def observe_request(service: str, scope: Scope, status: int, seconds: float) -> None:
    method = str(scope.get("method", ""))
    labels = (service, method if method in METHODS else "OTHER", route_template(scope), str(status))
    HTTP_REQUESTS.labels(*labels).inc()
    HTTP_LATENCY.labels(*labels).observe(seconds)


def _loopback(scope: Scope) -> bool:
    client = scope.get("client")
    if not client:
        return False
    try:
        return ipaddress.ip_address(client[0]).is_loopback
    except ValueError:
        return False


def scrape_allowed(request: Request, settings: KitSettings) -> bool:
    token = settings.prometheus_token.get_secret_value() if settings.prometheus_token else ""
    if token:
        kind, _, given = request.headers.get("authorization", "").partition(" ")
        return kind.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
    return settings.env != "production" and _loopback(request.scope)


def install_prometheus(app: FastAPI, settings: KitSettings, registry: CollectorRegistry = REGISTRY) -> None:
    """Add ``GET /-/prometheus`` (text exposition format) to an app."""

    def prometheus(request: Request) -> Response:
        if not scrape_allowed(request, settings):
            # Same answer as any unknown path: the endpoint's existence is not advertised.
            return error_response(404, "NotFound", f"接口 {request.url.path} 不存在")
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    app.add_api_route(PROMETHEUS_PATH, prometheus, methods=["GET"], include_in_schema=False, name="prometheus")


def sample(name: str, labels: dict[str, Any], registry: CollectorRegistry = REGISTRY) -> float:
    """The current value of one sample (0 when absent): for tests and health pages."""
    value = registry.get_sample_value(name, {k: str(v) for k, v in labels.items()})
    return value or 0.0
