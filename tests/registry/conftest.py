"""Registry test helpers: tokens for each role and small data factories (through the service)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from louyu_kit.tokens import ACCESS, TokenCodec
from registry.enterprises.uscc import make as make_code
from tests.conftest import TEST_SECRET, TEST_TOKEN_SECONDS

JIYUQIAO, YANGYUAN, SHUIGUOHU = "420106001", "420106002", "420106012"


def token(username: str, *roles: str, streets: tuple[str, ...] = ()) -> dict[str, str]:
    codec = TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api")
    issued = codec.issue(
        sub=username,
        typ=ACCESS,
        ttl_seconds=TEST_TOKEN_SECONDS,  # made at import: must outlive a slow lane
        claims={"kind": "user", "sid": f"sid-{username}", "roles": list(roles), "streets": list(streets)},
    )
    return {"Authorization": f"Bearer {issued.token}"}


BUREAU = token("shangwu", "bureau")
LEADER = token("lingdao", "leader")


def credit_code(n: int) -> str:
    """A valid USCC, different for each ``n`` (9 = market regulator, 1 = company, 420106 = Wuchang)."""
    return make_code(f"91420106{n:09d}")


@pytest.fixture
def registry(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client("registry")


def new_building(
    client: TestClient, name: str = "中交大厦", street: str = JIYUQIAO, headers=None, **fields: Any
) -> dict:  # type: ignore[no-untyped-def]
    body = {"name": name, "street_code": street, "gfa": 50000, "leasable_area": 40000, "floors_above": 30, **fields}
    resp = client.post("/api/registry/buildings", json=body, headers=headers or BUREAU)
    assert resp.status_code == 201, resp.text
    return resp.json()


def new_space(
    client: TestClient, code: str, floor: int = 10, unit: str = "1001", area: float = 500, headers=None, **fields: Any
) -> dict:  # type: ignore[no-untyped-def]
    body = {"floor": floor, "unit": unit, "area": area, **fields}
    resp = client.post(f"/api/registry/buildings/{code}/spaces", json=body, headers=headers or BUREAU)
    assert resp.status_code == 201, resp.text
    return resp.json()


def new_enterprise(client: TestClient, n: int = 1, name: str | None = None, headers=None, **fields: Any) -> dict:  # type: ignore[no-untyped-def]
    body = {"credit_code": credit_code(n), "name": name or f"测试企业{n}有限公司", "industry_code": "6513", **fields}
    resp = client.post("/api/registry/enterprises", json=body, headers=headers or BUREAU)
    assert resp.status_code == 201, resp.text
    return resp.json()


def move_in(client: TestClient, cc: str, building: str, start: str, headers=None, **fields: Any):  # type: ignore[no-untyped-def]
    body = {"credit_code": cc, "building_code": building, "start_date": start, **fields}
    return client.post("/api/registry/occupancies", json=body, headers=headers or BUREAU)
