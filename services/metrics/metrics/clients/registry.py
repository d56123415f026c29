"""Registry, seen from metrics: only its change feed, read by the background consumer
(``metrics.sync``) with an internal service token
(from the gateway, louyu_kit.auth.ServiceTokens). No request of metrics calls registry."""

from __future__ import annotations

from typing import Any

import httpx

from louyu_kit.auth import ServiceTokenSource
from louyu_kit.http import PeerClient, make_async_client

SERVICE_NAME = "metrics"
# Registry answers at most 1,000 events per page (louyu_kit.changes).
MAX_PAGE = 1000


class RegistryClient(PeerClient):
    peer_name = "楼宇登记服务"

    def __init__(self, client: httpx.AsyncClient, *, tokens: ServiceTokenSource) -> None:
        super().__init__(client)
        self.tokens = tokens

    @classmethod
    def create(
        cls, base_url: str, *, tokens: ServiceTokenSource, transport: httpx.AsyncBaseTransport | None = None
    ) -> RegistryClient:
        # A page of 1,000 events is a few hundred kB: give the read time, fail the connect fast.
        return cls(make_async_client(base_url, timeout=30.0, connect_timeout=2.0, transport=transport), tokens=tokens)

    async def changes(self, *, after: int, limit: int = MAX_PAGE) -> dict[str, Any]:
        """One page of registry's change feed after ``after``: ``items``, ``next_after``,
        ``last_seq``, ``has_more`` (louyu_kit.changes.ChangePage)."""
        resp = await self.request(
            "GET",
            "/api/registry/changes",
            params={"after": after, "limit": min(limit, MAX_PAGE)},
            headers={"Authorization": f"Bearer {await self.tokens.token()}"},
        )
        body = resp.json()
        if not isinstance(body, dict) or not isinstance(body.get("items"), list) or "last_seq" not in body:
            raise ValueError("registry answered /changes without items and last_seq")
        return body
