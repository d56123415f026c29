"""The gateway as registry needs it: who an account is (roles, streets, active), asked with a
``service:registry`` token (from the gateway: louyu_kit.auth.ServiceTokenSource, the app's
``state.service_tokens``) before a building's 楼长 or 联络员 is set. Any failure to get an
answer (down, slow, 5xx, an answer it cannot read) is a 503 "网关暂不可用"."""

from __future__ import annotations

import re
from functools import partial
from urllib.parse import quote

import httpx
from anyio import from_thread
from fastapi import Request
from pydantic import BaseModel, ConfigDict, ValidationError

from louyu_kit.auth import ServiceTokenSource
from louyu_kit.errors import Unavailable
from louyu_kit.http import PeerClient, make_async_client

TIMEOUT_SECONDS = 2.0
# The gateway's login names (gateway.accounts.schemas.UserCreate), lower case.
USERNAME = re.compile(r"[a-z0-9_.-]{3,50}")
UNAVAILABLE = "网关暂不可用，暂时无法核对账号，请稍后重试"


class Account(BaseModel):
    """An account as registry reads it."""

    model_config = ConfigDict(extra="ignore")

    username: str
    display_name: str = ""
    roles: list[str]
    street_codes: list[str]
    is_active: bool


class GatewayClient(PeerClient):
    peer_name = "网关"

    def __init__(self, client: httpx.AsyncClient, *, tokens: ServiceTokenSource) -> None:
        super().__init__(client)
        self.tokens = tokens

    @classmethod
    def create(
        cls, base_url: str, *, tokens: ServiceTokenSource, transport: httpx.AsyncBaseTransport | None = None
    ) -> GatewayClient:
        return cls(make_async_client(base_url, timeout=TIMEOUT_SECONDS, transport=transport), tokens=tokens)

    async def account(self, username: str) -> Account | None:
        """The account, or None when there is no such account."""
        if not USERNAME.fullmatch(username):
            return None  # no account can have this name (and it never reaches a URL unchecked)
        try:
            token = await self.tokens.token()
            resp = await self.client.get(
                f"/api/auth/internal/users/{quote(username, safe='')}",
                headers={"Authorization": f"Bearer {token}"},
            )
        except (httpx.HTTPError, Unavailable) as exc:
            raise Unavailable(UNAVAILABLE, error="GatewayUnavailable") from exc
        if resp.status_code == 404:
            return None
        if resp.status_code in (401, 403):
            self.tokens.forget()  # a token the gateway no longer takes: ask for a new one next time
        if resp.status_code != 200:
            raise Unavailable(UNAVAILABLE, error="GatewayUnavailable")
        try:
            return Account.model_validate(resp.json())
        except (ValueError, ValidationError) as exc:
            raise Unavailable(UNAVAILABLE, error="GatewayUnavailable") from exc


class BlockingGateway:
    """The gateway client for the (synchronous) route handlers, which run in worker threads."""

    def __init__(self, client: GatewayClient) -> None:
        self._client = client

    def account(self, username: str) -> Account | None:
        return from_thread.run(partial(self._client.account, username))


def get_gateway(request: Request) -> BlockingGateway:
    return BlockingGateway(request.app.state.gateway)
