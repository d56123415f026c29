"""Observability: Prometheus metrics at /-/prometheus (guarded, never proxied) and access-log
lines that carry request id, user and latency, the same request id at the gateway and the service."""

from __future__ import annotations

import json
import logging
import socket
import time

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from louyu_kit.logs import JsonFormatter
from louyu_kit.observability import PROMETHEUS_PATH, ingest_rows, sample, set_change_feed_lag
from louyu_kit.tokens import TokenCodec
from tests.conftest import TEST_SECRET, add_user, bearer, build_app, login, settings_for

SCRAPE_TOKEN = "scrape-" + "t" * 40


def _families(text: str) -> dict[str, object]:
    return {family.name: family for family in text_string_to_metric_families(text)}


def test_request_counts_and_latency_by_route_template(make_client):
    client = make_client("registry", prometheus_token=SCRAPE_TOKEN)
    labels = {"service": "registry", "method": "GET", "route": "/api/registry/health", "status": "200"}
    before = sample("louyu_http_requests_total", labels)
    histogram_before = sample("louyu_http_request_duration_seconds_count", labels)
    for _ in range(3):
        assert client.get("/api/registry/health").status_code == 200
    # A scan of random paths lands in one series, not one per path.
    unmatched = {"service": "registry", "method": "GET", "route": "<unmatched>", "status": "404"}
    unmatched_before = sample("louyu_http_requests_total", unmatched)
    for n in range(5):
        assert client.get(f"/api/registry/no-such-thing-{n}").status_code == 404
    assert sample("louyu_http_requests_total", labels) == before + 3
    assert sample("louyu_http_request_duration_seconds_count", labels) == histogram_before + 3
    assert sample("louyu_http_requests_total", unmatched) == unmatched_before + 5

    resp = client.get(PROMETHEUS_PATH, headers=bearer(SCRAPE_TOKEN))
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/plain")
    families = _families(resp.text)
    assert {"louyu_http_requests", "louyu_http_request_duration_seconds"} <= families.keys()
    assert "no-such-thing" not in resp.text
    # Security headers and request ids on this endpoint too.
    assert resp.headers["x-content-type-options"] == "nosniff" and resp.headers["x-request-id"]


def test_ingest_counter_and_change_feed_lag_gauge(make_client):
    client = make_client("metrics", prometheus_token=SCRAPE_TOKEN)
    before = sample("louyu_ingest_rows_total", {"service": "metrics", "source": "tax", "outcome": "accepted"})
    ingest_rows("metrics", "tax", 20000)
    ingest_rows("metrics", "tax", 3, outcome="rejected")
    set_change_feed_lag("metrics", "registry", 42)
    text = client.get(PROMETHEUS_PATH, headers=bearer(SCRAPE_TOKEN)).text
    assert 'louyu_ingest_rows_total{outcome="rejected",service="metrics",source="tax"}' in text
    assert sample("louyu_ingest_rows_total", {"service": "metrics", "source": "tax", "outcome": "accepted"}) == (
        before + 20000
    )
    assert 'louyu_change_feed_lag_events{consumer="metrics",source="registry"} 42.0' in text
    set_change_feed_lag("metrics", "registry", -5)  # a consumer ahead after a producer reset: 0, not negative
    assert sample("louyu_change_feed_lag_events", {"consumer": "metrics", "source": "registry"}) == 0
    # Label values are fixed names, never data (a batch key would make one series per batch).
    with pytest.raises(ValueError):
        ingest_rows("metrics", "batch 2026-01 税务局.xlsx", 1)
    with pytest.raises(ValueError):
        ingest_rows("metrics", "tax", -1)


def test_metrics_service_routes_do_not_collide(make_client):
    client = make_client("metrics", prometheus_token=SCRAPE_TOKEN)
    documented = set(client.get("/api/metrics/openapi.json").json()["paths"])
    assert documented and all(p.startswith("/api/metrics/") for p in documented)
    assert not any("prometheus" in p for p in documented)
    # The whole /api/metrics/ space stays the metrics service's own.
    assert client.get("/api/metrics/prometheus", headers=bearer(SCRAPE_TOKEN)).status_code == 404
    assert client.get(PROMETHEUS_PATH, headers=bearer(SCRAPE_TOKEN)).status_code == 200


@pytest.mark.parametrize("service", ["gateway", "registry"])
def test_scrape_needs_the_token(make_client, service):
    client = make_client(service, prometheus_token=SCRAPE_TOKEN)
    assert client.get(PROMETHEUS_PATH).status_code == 404
    assert client.get(PROMETHEUS_PATH, headers=bearer("wrong-" + "t" * 40)).status_code == 404
    assert client.get(PROMETHEUS_PATH, headers={"Authorization": SCRAPE_TOKEN}).status_code == 404
    resp = client.get(PROMETHEUS_PATH, headers=bearer(SCRAPE_TOKEN))
    assert resp.status_code == 200 and "louyu_http_requests_total" in resp.text


def test_without_a_token_only_loopback_outside_production(db_urls, tmp_path):
    url = db_urls("registry")
    dev = build_app("registry", settings_for("registry", url, tmp_path))
    with TestClient(dev, client=("127.0.0.1", 40000)) as local, TestClient(dev, client=("10.0.0.7", 40000)) as remote:
        assert local.get(PROMETHEUS_PATH).status_code == 200
        assert remote.get(PROMETHEUS_PATH).status_code == 404
    prod = build_app("registry", settings_for("registry", url, tmp_path, env="production"))
    with TestClient(prod, client=("127.0.0.1", 40000)) as local:
        assert local.get(PROMETHEUS_PATH).status_code == 404


def _raw_get(port: int, target: str) -> tuple[int, str]:
    """A request with the path exactly as given (HTTP clients remove dot segments themselves)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace")


@pytest.mark.live
def test_gateway_never_forwards_outside_a_service_prefix(live_stack):
    """On loopback (make run) a service would answer /-/prometheus without a token: the gateway's
    proxy must not be a way to reach it from outside."""
    port = live_stack.servers["gateway"].port
    for target in (
        "/api/registry/../../-/prometheus",
        "/api/tasks/./../../-/prometheus",
        "/api/metrics/../registry/health",
    ):
        status, body = _raw_get(port, target)
        assert status == 404, target
        assert "louyu_http_requests_total" not in body
    # The service itself, on its own (unpublished) port and loopback, does answer.
    status, body = _raw_get(live_stack.servers["registry"].port, PROMETHEUS_PATH)
    assert status == 200 and "louyu_http_requests_total" in body
    # Ordinary proxied paths still work.
    assert _raw_get(port, "/api/registry/health")[0] == 200


@pytest.mark.live
def test_one_request_through_gateway_and_service_logs_the_same_request_id(live_stack, caplog):
    add_user(live_stack.db_urls["gateway"], "admin", roles=["admin"])
    with live_stack.client() as http:
        token = login(http, "admin")["access_token"]
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="louyu.access"):
            resp = http.get(
                "/api/registry/meta",
                headers={**bearer(token), "X-Request-ID": "trace-observability-0001"},
            )

            def logged() -> list[dict]:
                return [
                    json.loads(JsonFormatter().format(r))
                    for r in caplog.records
                    if r.name == "louyu.access" and getattr(r, "request_id", None) == "trace-observability-0001"
                ]

            # The gateway writes its line once the response has left, which may be just after
            # the client has read it: wait for it briefly (still capturing) instead of racing it.
            deadline = time.monotonic() + 5
            while len({line["service"] for line in logged()}) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
    assert resp.status_code == 200
    lines = logged()
    by_service = {line["service"]: line for line in lines}
    assert set(by_service) == {"gateway", "registry"}, lines
    for line in by_service.values():
        assert line["request_id"] == "trace-observability-0001"
        assert line["method"] == "GET" and line["path"] == "/api/registry/meta" and line["status"] == 200
        assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
        assert "user" in line
    # The service verified the token: its line names the user. The gateway only passed the
    # request on, so its line has the same id and its own latency (which includes the service's).
    assert by_service["registry"]["user"] == "admin"
    assert by_service["gateway"]["duration_ms"] >= by_service["registry"]["duration_ms"]


def test_internal_calls_log_the_calling_service_as_user(make_client, caplog):
    client = make_client("registry")
    codec = TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api")
    token = codec.issue(sub="service:metrics", typ="internal", ttl_seconds=60).token
    with caplog.at_level(logging.DEBUG, logger="louyu.access"):
        resp = client.get("/api/registry/changes", params={"after": 0}, headers=bearer(token))
        assert resp.status_code == 200
    access = [r for r in caplog.records if r.name == "louyu.access"]
    assert getattr(access[-1], "user", None) == "service:metrics"
    # A feed read with nothing new is a routine poll: DEBUG, never INFO (issue #22).
    assert resp.json()["items"] == [] and access[-1].levelno == logging.DEBUG
