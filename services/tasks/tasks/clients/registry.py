"""The registry as tasks needs it: buildings of a visit round, and a building's spaces whose
vacancy a 楼长 records on a visit (written through, with the space's version in If-Match).

Every call forwards the caller's own bearer token, so registry applies the caller's scope: a
楼长 can read and change only the buildings they are chief or liaison of. The shapes below are
the consumer's (what tasks reads), so registry may grow without tasks changing in lockstep.
"""

from __future__ import annotations

import asyncio
from datetime import date
from functools import partial
from typing import Any

from anyio import from_thread
from fastapi import Request
from pydantic import BaseModel, ConfigDict

from louyu_kit.errors import LouyuError, Upstream
from louyu_kit.http import PeerClient
from louyu_kit.types import url_segment
from tasks.policies.match import BuildingFacts, EnterpriseFacts


class BuildingRef(BaseModel):
    """A building as tasks keeps it (codes and names, the 楼长)."""

    model_config = ConfigDict(extra="ignore")

    code: str
    name: str
    street_code: str
    street_name: str = ""
    chief_username: str | None = None
    chief_name: str = ""


class SpaceRef(BaseModel):
    """A space (floor or suite) and its current status and version."""

    model_config = ConfigDict(extra="ignore")

    id: int
    building_code: str
    floor: int
    unit: str
    area: float
    status: str
    available_from: date | None = None
    version: int


class AvailableSpaceRef(BaseModel):
    """A space that can be let (vacant, or with a date it becomes available), with what lead
    matching needs of its building (themes and their industry prefixes, the 楼长)."""

    model_config = ConfigDict(extra="ignore")

    id: int
    building_code: str
    building_name: str = ""
    street_code: str = ""
    floor: int
    unit: str
    area: float
    status: str
    available_from: date | None = None
    asking_rent: float | None = None
    is_demo: bool = False
    theme_names: list[str] = []
    industry_prefixes: list[str] = []
    chief_username: str | None = None
    floor_units: int = 1
    floor_whole_available: bool = False


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _parse(model: type[BaseModel], body: Any) -> Any:
    try:
        return model.model_validate(body)
    except ValueError as exc:
        raise Upstream("楼宇登记服务返回的数据无法识别，请稍后重试") from exc


class OccupancyRef(BaseModel):
    """An enterprise's stay in a building as registry keeps it (for the centres' 转化率)."""

    model_config = ConfigDict(extra="ignore")

    building_code: str
    start_date: date
    end_date: date | None = None


class RegistryClient(PeerClient):
    peer_name = "楼宇登记服务"
    # Detail reads made at once when a round lists many buildings.
    concurrency = 8

    async def building(self, code: str, *, token: str) -> BuildingRef:
        """One building (404 when it does not exist or is outside the caller's scope)."""
        resp = await self.request("GET", f"/api/registry/buildings/{url_segment(code)}", headers=_bearer(token))
        return _parse(BuildingRef, resp.json())

    async def buildings(self, codes: list[str], *, token: str) -> list[BuildingRef]:
        """Several buildings by code, read a few at a time."""
        limit = asyncio.Semaphore(self.concurrency)

        async def one(code: str) -> BuildingRef:
            async with limit:
                return await self.building(code, token=token)

        return list(await asyncio.gather(*(one(c) for c in codes)))

    async def building_codes(self, *, streets: list[str] | None, token: str) -> list[str]:
        """Codes of every building the caller may read (optionally only in ``streets``)."""
        codes: list[str] = []
        page = 1
        params: dict[str, Any] = {"page_size": 200}
        if streets:
            params["street"] = ",".join(streets)
        while True:
            resp = await self.request(
                "GET", "/api/registry/buildings", params={**params, "page": page}, headers=_bearer(token)
            )
            body = resp.json()
            items = body.get("items") or []
            codes.extend(str(item["code"]) for item in items)
            if not items or len(codes) >= int(body.get("total", 0)):
                return codes
            page += 1

    async def _all_pages(self, path: str, params: dict[str, Any], token: str) -> list[Any]:
        items: list[Any] = []
        page = 1
        while True:
            resp = await self.request(
                "GET", path, params={**params, "page": page, "page_size": 200}, headers=_bearer(token)
            )
            body = resp.json()
            if not isinstance(body, dict) or not isinstance(body.get("items"), list):
                raise Upstream("楼宇登记服务返回的数据无法识别，请稍后重试")
            found = body["items"]
            items.extend(found)
            if not found or len(items) >= int(body.get("total", 0)):
                return items
            page += 1

    async def enterprise_facts(self, *, token: str) -> list[EnterpriseFacts]:
        """Every enterprise the caller may read with what 政策匹配 needs (industry, tags, size,
        current buildings); registry applies the caller's scope."""
        items = await self._all_pages("/api/registry/enterprises", {}, token)
        return [_parse(EnterpriseFacts, item) for item in items]

    async def building_facts(self, *, token: str) -> list[BuildingFacts]:
        """Every building the caller may read with its street and themes."""
        items = await self._all_pages("/api/registry/buildings", {}, token)
        return [_parse(BuildingFacts, item) for item in items]

    async def spaces(self, building_code: str, *, token: str) -> list[SpaceRef]:
        """The spaces of a building with their current status and version."""
        resp = await self.request(
            "GET", f"/api/registry/buildings/{url_segment(building_code)}/spaces", headers=_bearer(token)
        )
        body = resp.json()
        if not isinstance(body, list):
            raise Upstream("楼宇登记服务返回的房源数据无法识别，请稍后重试")
        return [_parse(SpaceRef, item) for item in body]

    async def available_spaces(
        self,
        *,
        token: str,
        area_min: float | None = None,
        area_max: float | None = None,
        available_before: date | None = None,
        building: str | None = None,
        max_items: int = 1000,
    ) -> list[AvailableSpaceRef]:
        """Available spaces the caller may read (registry's /spaces/available), up to ``max_items``."""
        params: dict[str, Any] = {"page_size": 200}
        if area_min is not None:
            params["area_min"] = area_min
        if area_max is not None:
            params["area_max"] = area_max
        if available_before is not None:
            params["available_before"] = available_before.isoformat()
        if building:
            params["building"] = building
        items: list[AvailableSpaceRef] = []
        page = 1
        while len(items) < max_items:
            resp = await self.request(
                "GET", "/api/registry/spaces/available", params={**params, "page": page}, headers=_bearer(token)
            )
            body = resp.json()
            rows = body.get("items") if isinstance(body, dict) else None
            if not isinstance(rows, list):
                raise Upstream("楼宇登记服务返回的房源数据无法识别，请稍后重试")
            items.extend(_parse(AvailableSpaceRef, row) for row in rows)
            if not rows or len(items) >= int(body.get("total", 0)):
                break
            page += 1
        return items[:max_items]

    async def enterprise_name(self, credit_code: str, *, token: str) -> str:
        """The enterprise's name (404 when it does not exist or is outside the caller's scope)."""
        resp = await self.request(
            "GET", f"/api/registry/enterprises/{url_segment(credit_code)}", headers=_bearer(token)
        )
        body = resp.json()
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            raise Upstream("楼宇登记服务返回的企业数据无法识别，请稍后重试")
        return body["name"]

    async def enterprise(self, credit_code: str, *, token: str) -> EnterpriseFacts:
        """One enterprise as policy matching reads it (404 when it does not exist or is outside
        the caller's scope)."""
        resp = await self.request(
            "GET", f"/api/registry/enterprises/{url_segment(credit_code)}", headers=_bearer(token)
        )
        return _parse(EnterpriseFacts, resp.json())

    async def buildings_facts(self, codes: list[str], *, token: str) -> list[BuildingFacts]:
        """Several buildings as policy matching reads them; those the caller may not read are left out."""
        limit = asyncio.Semaphore(self.concurrency)

        async def one(code: str) -> BuildingFacts | None:
            async with limit:
                try:
                    resp = await self.request(
                        "GET", f"/api/registry/buildings/{url_segment(code)}", headers=_bearer(token)
                    )
                except LouyuError as exc:
                    if exc.status_code == 404:
                        return None
                    raise
                return _parse(BuildingFacts, resp.json())

        return [b for b in await asyncio.gather(*(one(c) for c in codes)) if b is not None]

    async def space(self, space_id: int, *, token: str) -> SpaceRef:
        """One space (404 when it does not exist or is outside the caller's scope)."""
        resp = await self.request("GET", f"/api/registry/spaces/{url_segment(space_id)}", headers=_bearer(token))
        return _parse(SpaceRef, resp.json())

    async def enterprise_occupancies(self, credit_code: str, *, token: str) -> list[OccupancyRef]:
        """The enterprise's occupancies in the caller's buildings (none when registry does not know it)."""
        try:
            resp = await self.request(
                "GET", f"/api/registry/enterprises/{url_segment(credit_code)}/occupancies", headers=_bearer(token)
            )
        except LouyuError as exc:
            if exc.status_code == 404:  # an enterprise registry does not know (or not in scope)
                return []
            raise
        body = resp.json()
        if not isinstance(body, list):
            raise Upstream("楼宇登记服务返回的入驻数据无法识别，请稍后重试")
        return [_parse(OccupancyRef, item) for item in body]

    async def occupancies_of(self, credit_codes: list[str], *, token: str) -> dict[str, list[OccupancyRef]]:
        """Occupancies of several enterprises, read a few at a time."""
        limit = asyncio.Semaphore(self.concurrency)

        async def one(code: str) -> tuple[str, list[OccupancyRef]]:
            async with limit:
                return code, await self.enterprise_occupancies(code, token=token)

        return dict(await asyncio.gather(*(one(c) for c in credit_codes)))

    async def set_space_status(
        self, space_id: int, *, status: str, available_from: date | None, version: int, token: str
    ) -> SpaceRef:
        """Change a space's status (If-Match: ``version``; registry answers 412 when it moved on)."""
        resp = await self.request(
            "PATCH",
            f"/api/registry/spaces/{url_segment(space_id)}",
            json={"status": status, "available_from": available_from.isoformat() if available_from else None},
            headers={**_bearer(token), "If-Match": f'"{version}"'},
        )
        return _parse(SpaceRef, resp.json())


class BlockingRegistry:
    """The registry client for the service functions, which run in a worker thread (sync routes,
    like every route that touches the database: a database wait must never block the event
    loop). Each call runs on the app's event loop and the worker waits for its answer."""

    def __init__(self, client: RegistryClient) -> None:
        self._client = client

    def building(self, code: str, *, token: str) -> BuildingRef:
        return from_thread.run(partial(self._client.building, code, token=token))

    def buildings(self, codes: list[str], *, token: str) -> list[BuildingRef]:
        return from_thread.run(partial(self._client.buildings, codes, token=token))

    def building_codes(self, *, streets: list[str] | None, token: str) -> list[str]:
        return from_thread.run(partial(self._client.building_codes, streets=streets, token=token))

    def enterprise_facts(self, *, token: str) -> list[EnterpriseFacts]:
        return from_thread.run(partial(self._client.enterprise_facts, token=token))

    def building_facts(self, *, token: str) -> list[BuildingFacts]:
        return from_thread.run(partial(self._client.building_facts, token=token))

    def spaces(self, building_code: str, *, token: str) -> list[SpaceRef]:
        return from_thread.run(partial(self._client.spaces, building_code, token=token))

    def available_spaces(self, *, token: str, **filters: Any) -> list[AvailableSpaceRef]:
        return from_thread.run(partial(self._client.available_spaces, token=token, **filters))

    def enterprise_name(self, credit_code: str, *, token: str) -> str:
        return from_thread.run(partial(self._client.enterprise_name, credit_code, token=token))

    def enterprise(self, credit_code: str, *, token: str) -> EnterpriseFacts:
        return from_thread.run(partial(self._client.enterprise, credit_code, token=token))

    def buildings_facts(self, codes: list[str], *, token: str) -> list[BuildingFacts]:
        return from_thread.run(partial(self._client.buildings_facts, codes, token=token))

    def space(self, space_id: int, *, token: str) -> SpaceRef:
        return from_thread.run(partial(self._client.space, space_id, token=token))

    def occupancies_of(self, credit_codes: list[str], *, token: str) -> dict[str, list[OccupancyRef]]:
        return from_thread.run(partial(self._client.occupancies_of, credit_codes, token=token))

    def set_space_status(
        self, space_id: int, *, status: str, available_from: date | None, version: int, token: str
    ) -> SpaceRef:
        call = partial(
            self._client.set_space_status,
            space_id,
            status=status,
            available_from=available_from,
            version=version,
            token=token,
        )
        return from_thread.run(call)


def get_registry(request: Request) -> BlockingRegistry:
    return BlockingRegistry(request.app.state.registry)
