"""200 concurrent edits of one building with the same If-Match (issue #14 item 2, issue #24).

Through the gateway on real uvicorn servers: exactly one 200, every other one 412, no 5xx, and
registry's /health keeps answering throughout (SQLite and PostgreSQL lanes)."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest

from tests.conftest import add_user, bearer, login
from tests.registry.conftest import JIYUQIAO

pytestmark = pytest.mark.live

EDITS = 200


async def _storm(base: str, code: str, etag: str, headers: dict[str, str]) -> tuple[Counter[int], list[int]]:
    limits = httpx.Limits(max_connections=EDITS + 10, max_keepalive_connections=EDITS + 10)
    health: list[int] = []
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as http:
        done = asyncio.Event()

        async def watch_health() -> None:
            async with httpx.AsyncClient(base_url=base, timeout=5) as probe:
                while not done.is_set():
                    try:
                        health.append((await probe.get("/api/registry/health")).status_code)
                    except httpx.TimeoutException:
                        health.append(0)
                    await asyncio.sleep(0.05)

        async def edit(i: int) -> int:
            resp = await http.patch(
                f"/api/registry/buildings/{code}",
                json={"zone": f"功能区{i}"},
                headers={**headers, "If-Match": etag},
            )
            return resp.status_code

        watcher = asyncio.create_task(watch_health())
        statuses = await asyncio.gather(*(edit(i) for i in range(EDITS)))
        done.set()
        await watcher
    return Counter(statuses), health


def test_200_concurrent_if_match_edits_one_wins_the_rest_get_412(live_stack):
    add_user(live_stack.db_urls["gateway"], "shangwu", roles=["bureau"])
    with live_stack.client() as http:
        auth = bearer(login(http, "shangwu")["access_token"])
        created = http.post("/api/registry/buildings", json={"name": "并发大厦", "street_code": JIYUQIAO}, headers=auth)
        assert created.status_code == 201, created.text
        code, etag = created.json()["code"], created.headers["ETag"]

    statuses, health = asyncio.run(_storm(live_stack.url, code, etag, auth))

    assert statuses == Counter({200: 1, 412: EDITS - 1}), statuses
    assert health and set(health) == {200}, Counter(health)
    with live_stack.client() as http:
        after = http.get(f"/api/registry/buildings/{code}", headers=auth)
        assert after.headers["ETag"] != etag
        assert after.json()["zone"].startswith("功能区")
