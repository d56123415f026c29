"""Logout at the gateway is honoured by every service within a second."""

from __future__ import annotations

import time

import pytest

from tests.conftest import add_user, bearer, login

pytestmark = pytest.mark.live

# A route the administrator may read on each service (no business data: 三员分立).
ADMIN_READ = {"registry": "/api/registry/meta", "tasks": "/api/tasks/units", "metrics": "/api/metrics/sync"}


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
