"""200 concurrent If-Match writes to one building (issue #14 item 2): exactly one 200, the rest
412, no 5xx and no time-out, and the registry's /health answers in under 1 s throughout."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import httpx
import pytest

from tests.attack.conftest import Product, figure

pytestmark = pytest.mark.attack

WRITERS = 200
BUILDING = "420106-0005"
HEALTH_BOUND_SECONDS = 1.0


async def _storm(product: Product, etag: str, headers: dict[str, str]) -> tuple[Counter[str], float]:
    limits = httpx.Limits(max_connections=WRITERS + 10, max_keepalive_connections=WRITERS + 10)
    outcomes: Counter[str] = Counter()
    slowest = 0.0
    done = asyncio.Event()

    async with httpx.AsyncClient(base_url=product.url, limits=limits, timeout=30) as client:

        async def write(i: int) -> None:
            try:
                resp = await client.patch(
                    f"/api/registry/buildings/{BUILDING}",
                    json={"address": f"武汉市武昌区（攻击测试）{i}号"},
                    headers={**headers, "If-Match": etag},
                )
                outcomes[str(resp.status_code)] += 1
            except httpx.TimeoutException:
                outcomes["time-out"] += 1
            except httpx.TransportError as exc:
                outcomes[type(exc).__name__] += 1

        async def watch_health() -> None:
            nonlocal slowest
            async with httpx.AsyncClient(timeout=30) as health:
                while not done.is_set():
                    started = time.monotonic()
                    for url in (
                        f"{product.service_url('registry')}/api/registry/health",
                        f"{product.url}/api/registry/health",
                    ):
                        try:
                            await health.get(url)
                        except httpx.HTTPError:
                            slowest = max(slowest, 99.0)
                    slowest = max(slowest, (time.monotonic() - started) / 2)
                    await asyncio.sleep(0.05)

        watcher = asyncio.create_task(watch_health())
        await asyncio.gather(*(write(i) for i in range(WRITERS)))
        done.set()
        await watcher
    return outcomes, slowest


def test_two_hundred_concurrent_if_match_writes(product: Product) -> None:
    headers = product.headers("bureau")
    resp = product.http.get(f"/api/registry/buildings/{BUILDING}", headers=headers)
    assert resp.status_code == 200, resp.text
    etag = resp.headers["etag"]
    outcomes, slowest = asyncio.run(_storm(product, etag, headers))
    fig = figure("concurrency")
    fig.tried += WRITERS
    wrong = sum(n for code, n in outcomes.items() if code not in ("200", "412")) + max(0, outcomes["200"] - 1)
    fig.through += wrong
    fig.notes.append(f"answers {dict(sorted(outcomes.items()))}; slowest /health {slowest:.2f} s")
    assert outcomes["200"] == 1, outcomes
    assert outcomes["412"] == WRITERS - 1, outcomes
    assert slowest < HEALTH_BOUND_SECONDS, f"/health took {slowest:.2f} s during the storm"
