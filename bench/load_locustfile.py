"""Locust users of the load lane (issue #24), run by bench/load.py (`make bench-load`), never by the tests.

The driver signs the demo users in once and passes their tokens, building codes and search words
in ``LOAD_CONFIG`` (JSON); every request's outcome (time, name, status, ms, error kind) is written
to ``LOAD_CONFIG["out"]`` when Locust stops, and bench/load.py computes the figures from them.

Users (the real mix): leaders on the cockpit, bureau users on lists, building pages, search and
tasks, street users on their buildings and their street's cockpit, 楼长 submitting visits from
phones, and one bureau system posting a 50,000-row facts batch meanwhile; people think 5–15 s
between pages. ``DashboardUser`` and ``BurstUser`` have no think time (goals 1 and 3).
"""

from __future__ import annotations

import json
import os
import random
import time
import uuid
from typing import Any

from locust import FastHttpUser, between, constant, events, task

CFG: dict[str, Any] = json.loads(os.environ.get("LOAD_CONFIG", "{}"))
RECORDS: list[tuple[float, str, str, int, float, str]] = []


def _auth(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {CFG['tokens'][role]}"}


@events.request.add_listener
def _record(request_type: str, name: str, response_time: float, response: Any, exception: Any, **_: Any) -> None:
    status = int(getattr(response, "status_code", 0) or 0) if response is not None else 0
    if exception is not None and status == 0:
        kind = type(exception).__name__
    elif status >= 500:
        try:
            kind = str(json.loads(response.text).get("error", ""))
        except (ValueError, AttributeError, TypeError):
            kind = "?"
    else:
        kind = ""
    RECORDS.append((time.time(), request_type, name, status, float(response_time), kind))


@events.quitting.add_listener
def _dump(**_: Any) -> None:
    if CFG.get("out"):
        with open(CFG["out"], "w", encoding="utf-8") as f:
            json.dump(RECORDS, f)


class Person(FastHttpUser):
    abstract = True
    wait_time = between(5, 15)
    network_timeout = 30.0
    connection_timeout = 10.0

    def get(self, path: str, role: str, name: str | None = None, **params: Any) -> None:
        with self.client.get(
            path, params=params or None, headers=_auth(role), name=name or path, catch_response=True
        ) as r:
            if r.status_code < 400 or r.status_code in (304,):
                r.success()


class LeaderUser(Person):
    """区领导 on the cockpit."""

    weight = 10

    @task(3)
    def cockpit(self) -> None:
        self.get("/api/metrics/dashboard", "leader")

    @task(1)
    def ranking(self) -> None:
        self.get("/api/metrics/rankings/buildings", "leader", limit=20)

    @task(1)
    def kpis(self) -> None:
        self.get("/api/metrics/kpis", "leader", level="district")


class BureauUser(Person):
    """区商务局 staff: lists, building pages, enterprise search, tasks."""

    weight = 40

    @task(3)
    def buildings(self) -> None:
        self.get("/api/registry/buildings", "bureau", name="/api/registry/buildings?page", page=random.randint(1, 3))

    @task(3)
    def building_page(self) -> None:
        code = random.choice(CFG["buildings"])
        self.get(f"/api/registry/buildings/{code}", "bureau", name="/api/registry/buildings/{code}")

    @task(2)
    def search(self) -> None:
        self.get(
            "/api/registry/enterprises", "bureau", name="/api/registry/enterprises?q", q=random.choice(CFG["words"])
        )

    @task(1)
    def task_list(self) -> None:
        self.get("/api/tasks/tasks", "bureau")


class StreetUser(Person):
    """街道 staff: their buildings and their street's cockpit."""

    weight = 30

    @task(2)
    def buildings(self) -> None:
        self.get("/api/registry/buildings", "street")

    @task(2)
    def cockpit(self) -> None:
        self.get("/api/metrics/dashboard", "street", name="/api/metrics/dashboard (street)")

    @task(2)
    def building_page(self) -> None:
        code = random.choice(CFG["street_buildings"])
        self.get(f"/api/registry/buildings/{code}", "street", name="/api/registry/buildings/{code} (street)")


class ChiefUser(Person):
    """楼长 on a phone: records visits of the building (writes) and reads it."""

    weight = 20

    @task(2)
    def visit(self) -> None:
        body = {"building_code": CFG["chief_building"], "notes": "例行走访（压测）", "client_ref": uuid.uuid4().hex}
        with self.client.post(
            "/api/tasks/visits", json=body, headers=_auth("chief"), name="POST /api/tasks/visits", catch_response=True
        ) as r:
            if r.status_code < 400:
                r.success()

    @task(1)
    def visits(self) -> None:
        self.get("/api/tasks/visits", "chief")

    @task(1)
    def building(self) -> None:
        code = CFG["chief_building"]
        self.get(f"/api/registry/buildings/{code}", "chief", name="/api/registry/buildings/{code} (chief)")


class BureauSystem(FastHttpUser):
    """The tax bureau's system: one 50,000-row facts batch during the run."""

    fixed_count = 1
    wait_time = constant(3600)
    network_timeout = 300.0

    @task
    def post_batch(self) -> None:
        if getattr(self, "posted", False) or not CFG.get("batch_file"):
            return
        self.posted = True
        with open(CFG["batch_file"], encoding="utf-8") as f:
            payload = f.read()
        with self.client.post(
            "/api/metrics/facts/batches",
            data=payload,
            headers={
                **_auth("system"),
                "Content-Type": "application/json",
                "Idempotency-Key": f"load-{uuid.uuid4().hex}",
            },
            name="POST /api/metrics/facts/batches (50,000 rows)",
            catch_response=True,
        ) as r:
            if r.status_code < 400:
                r.success()


class DashboardUser(FastHttpUser):
    """Goal 1: the cached dashboard through the gateway, no think time."""

    wait_time = constant(0)
    network_timeout = 30.0

    @task
    def cockpit(self) -> None:
        self.client.get("/api/metrics/dashboard", headers=_auth("leader"), name="/api/metrics/dashboard")


class BurstUser(FastHttpUser):
    """Goal 3: as many connections as users on one route, no think time."""

    wait_time = constant(0)
    network_timeout = 30.0
    connection_timeout = 10.0

    @task
    def hammer(self) -> None:
        with self.client.get(
            CFG["burst_path"], headers=_auth("bureau"), name=CFG["burst_path"], catch_response=True
        ) as r:
            if r.status_code == 503:
                r.success()  # shed on purpose: measured by bench/load.py
