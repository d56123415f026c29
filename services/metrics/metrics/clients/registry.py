"""Registry, seen from metrics: only its change feed, read by the background consumer
(``metrics.sync``) with an internal service token. No request of metrics calls registry."""

from __future__ import annotations

import time
from typing import Any

import httpx

from louyu_kit.http import PeerClient, make_async_client
from louyu_kit.tokens import INTERNAL, TokenCodec

SERVICE_NAME = "metrics"
# Registry answers at most 1,000 events per page (louyu_kit.changes).
MAX_PAGE = 1000


class RegistryClient(PeerClient):
    peer_name = "楼宇登记服务"

    def __init__(self, client: httpx.AsyncClient, *, codec: TokenCodec) -> None:
        super().__init__(client)
        self.codec = codec
        self._token: tuple[str, float] | None = None

    @classmethod
    def create(
        cls, base_url: str, *, codec: TokenCodec, transport: httpx.AsyncBaseTransport | None = None
    ) -> RegistryClient:
        # A page of 1,000 events is a few hundred kB: give the read time, fail the connect fast.
        return cls(make_async_client(base_url, timeout=30.0, connect_timeout=2.0, transport=transport), codec=codec)

    def _internal_token(self) -> str:
        """A short-lived ``service:metrics`` token, renewed 30 s before it expires."""
        if self._token is None or self._token[1] < time.time() + 30:
            issued = self.codec.issue(sub=f"service:{SERVICE_NAME}", typ=INTERNAL, ttl_seconds=300)
            self._token = (issued.token, issued.expires_at)
        return self._token[0]

    async def changes(self, *, after: int, limit: int = MAX_PAGE) -> dict[str, Any]:
        """One page of registry's change feed after ``after``: ``items``, ``next_after``,
        ``last_seq``, ``has_more`` (louyu_kit.changes.ChangePage)."""
        resp = await self.request(
            "GET",
            "/api/registry/changes",
            params={"after": after, "limit": min(limit, MAX_PAGE)},
            headers={"Authorization": f"Bearer {self._internal_token()}"},
        )
        body = resp.json()
        if not isinstance(body, dict) or not isinstance(body.get("items"), list) or "last_seq" not in body:
            raise ValueError("registry answered /changes without items and last_seq")
        return body
