"""Requests shed by admission control (503 Overloaded, louyu_kit.admission) in the audit trail:
the gateway's own lanes' and the upstream services' (a read an upstream shed comes back through
the proxy as its 503 Overloaded). Tallied, so an overload never turns into an audit-write storm:
each lane that shed anything gets one row per window (``admission.shed``) with the count, the
first request shed and the addresses it came from. The shed requests' tokens are not verified
(that would cost the CPU the shedding saves), so the row names no user; the addresses say who."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.types import Scope

from gateway.audit.service import record
from gateway.net import client_ip
from louyu_kit.db import Database

log = logging.getLogger("louyu.audit")

WINDOW_SECONDS = 5.0
MAX_ADDRESSES = 5


@dataclass
class _Tally:
    method: str
    path: str
    ip: str | None
    count: int = 0
    addresses: list[str] = field(default_factory=list)


class ShedLedger:
    """Counts shed requests per lane (``note``, on the event loop, never blocking) and writes
    one row per lane per window (``run``, a task of the app's lifespan; ``flush`` at shutdown)."""

    def __init__(self, db: Database, window: float | None = None) -> None:
        self.db = db
        self.window = window or WINDOW_SECONDS
        self.pending: dict[str, _Tally] = {}

    def note(self, scope: Scope, lane: str) -> None:
        ip = client_ip(scope)
        tally = self.pending.get(lane)
        if tally is None:
            tally = self.pending[lane] = _Tally(scope.get("method", ""), scope.get("path", "")[:500], ip)
        tally.count += 1
        if ip and ip not in tally.addresses and len(tally.addresses) < MAX_ADDRESSES:
            tally.addresses.append(ip)

    def entries(self) -> list[dict[str, Any]]:
        """The rows for what was shed since the last call (and forget it)."""
        taken, self.pending = self.pending, {}
        rows = []
        for lane, t in taken.items():
            where = "、".join(t.addresses) or "未知"
            rows.append(
                {
                    "actor": None,
                    "actor_kind": None,
                    "ip": t.ip,
                    "method": t.method,
                    "path": t.path,
                    "status": 503,
                    "action": "admission.shed",
                    "object": lane,
                    "result": "failure",
                    "request_id": None,
                    "detail": (
                        f"Overloaded：{self.window:g} 秒内 {t.count} 个请求因系统繁忙被拒绝（{lane}）；"
                        f"首个 {t.method} {t.path}；来源地址 {where}"
                    ),
                }
            )
        return rows

    async def flush(self) -> None:
        for entry in self.entries():
            try:
                await run_in_threadpool(record, self.db, entry)
            except Exception:
                log.exception("audit write failed", extra={"audit": entry})

    async def run(self) -> None:
        try:
            while True:
                await asyncio.sleep(self.window)
                await self.flush()
        finally:
            # Stopping: what was shed in the last window is still written.
            with anyio.CancelScope(shield=True):
                await self.flush()
