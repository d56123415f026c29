"""Logout at the gateway is honoured by every service within a second."""

from __future__ import annotations

import time

import pytest

from louyu_kit.observability import sample
from louyu_kit.tokens import ACCESS, TokenCodec
from tests.conftest import TEST_SECRET, add_user, bearer, free_port, login

# A route the administrator may read on each service (no business data: 三员分立).
ADMIN_READ = {"registry": "/api/registry/meta", "tasks": "/api/tasks/units", "metrics": "/api/metrics/sync"}


@pytest.mark.live
def test_logout_revokes_everywhere_within_a_second(live_stack):
    add_user(live_stack.db_urls["gateway"], "admin", roles=["admin"])
    with live_stack.client() as http:
        token = login(http, "admin")["access_token"]
        for svc in ("registry", "tasks", "metrics"):
            assert http.get(ADMIN_READ[svc], headers=bearer(token)).status_code == 200
        assert http.post("/api/auth/logout", headers=bearer(token)).status_code == 204
        logged_out = time.monotonic()
        refused: dict[str, float] = {}
        while len(refused) < 3 and time.monotonic() - logged_out < 3:
            for svc in ("registry", "tasks", "metrics"):
                if svc not in refused:
                    # Straight to the service, not through the gateway: each checks for itself.
                    direct = live_stack.servers[svc].url
                    resp = http.get(f"{direct}{ADMIN_READ[svc]}", headers=bearer(token))
                    if resp.status_code == 401:
                        refused[svc] = time.monotonic() - logged_out
            time.sleep(0.05)
    assert set(refused) == {"registry", "tasks", "metrics"}
    assert max(refused.values()) < 1.0, refused


class TestFailClosed:
    """A service whose revocation list is older than the bound refuses access tokens (503, in
    Chinese) until a poll succeeds again, and says so in /ready and in Prometheus."""

    def _registry(self, make_client):
        # Polls a gateway that is not there: the list never gets fresh.
        return make_client(
            "registry",
            gateway_url=f"http://127.0.0.1:{free_port()}",
            revocation_poll_seconds=0.1,
            revocation_max_age_seconds=0.5,
        )

    def test_stale_list_refuses_user_tokens_with_503(self, make_client):
        registry = self._registry(make_client)
        user = TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api").issue(
            sub="li", typ=ACCESS, ttl_seconds=60, claims={"sid": "s", "roles": ["bureau"]}
        )
        resp = registry.get("/api/registry/meta", headers=bearer(user.token))
        assert resp.status_code == 503
        assert resp.json()["error"] == "RevocationListStale"
        assert "已注销会话名单" in resp.json()["detail"]
        ready = registry.get("/api/registry/ready")
        assert ready.status_code == 503
        assert ready.json()["status"] == "stale" and ready.json()["revocations_age_seconds"] >= 0
        assert sample("louyu_revocation_list_age_seconds", {"service": "registry"}) > 0
        # A successful poll (simulated: the list is marked fresh) lets the same token through.
        registry.app.state.revocations.mark_synced()
        assert registry.get("/api/registry/meta", headers=bearer(user.token)).status_code == 200
        assert registry.get("/api/registry/ready").json()["status"] == "ready"
        time.sleep(0.7)  # older than the bound again
        assert registry.get("/api/registry/meta", headers=bearer(user.token)).status_code == 503

    def test_without_polling_nothing_is_refused(self, make_client):
        registry = make_client("registry")  # revocation_poll_seconds=0: tests without a gateway
        ready = registry.get("/api/registry/ready").json()
        assert (ready["status"], ready["service"]) == ("ready", "registry")
        assert "revocations_age_seconds" not in ready


@pytest.mark.live
def test_a_stopped_gateway_makes_services_refuse_then_a_fresh_poll_lets_them_serve(live_stack):
    """The real loop: with the gateway down no poll succeeds; once the bound (60 s by default,
    shortened here) passes, the services refuse user tokens."""
    add_user(live_stack.db_urls["gateway"], "bureau1", roles=["bureau"])
    with live_stack.client() as http:
        token = login(http, "bureau1")["access_token"]
        direct = live_stack.servers["registry"].url
        assert http.get(f"{direct}/api/registry/meta", headers=bearer(token)).status_code == 200
        registry_app = live_stack.servers["registry"].server.config.app
        registry_app.state.revocations.max_age = 0.5
        live_stack.stop("gateway")
        deadline = time.monotonic() + 10
        status = 200
        while status == 200 and time.monotonic() < deadline:
            status = http.get(f"{direct}/api/registry/meta", headers=bearer(token)).status_code
            time.sleep(0.1)
        assert status == 503
        assert http.get(f"{direct}/api/registry/ready").json()["status"] == "stale"
