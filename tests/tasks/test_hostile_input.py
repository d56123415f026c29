"""Issue 14 items 12, 15, 18 against tasks: an empty alias, a control character or a dot
segment in a building code, huge ids — each a 4xx with a Chinese reason, and a code can never
steer a call to registry onto another route."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest

from louyu_kit.clock import today_in_china
from louyu_kit.errors import Invalid
from tests.tasks.conftest import BUREAU, CHIEF_SGH, LEADER
from tests.tasks.field import make_stack, wire_registry


class Recording(httpx.AsyncBaseTransport):
    """The registry app behind a transport that notes every path tasks asks for."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.paths: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        return await self.inner.handle_async_request(request)


@pytest.fixture
def stack(make_client):
    stack = make_stack(make_client)
    stack.recorded = Recording(httpx.ASGITransport(app=stack.registry.app))
    wire_registry(stack.tasks, stack.registry, stack.recorded)
    return stack


def _round(**fields) -> dict:
    return {
        "name": "2025年第二季度扫楼",
        "start_date": (today_in_china() - timedelta(days=1)).isoformat(),
        "end_date": (today_in_china() + timedelta(days=20)).isoformat(),
        **fields,
    }


@pytest.mark.parametrize("aliases", [[""], ["  "], ["x"], ["驻京\u202e小分队"]])
def test_a_bad_alias_is_422_not_500(tasks_client, aliases):
    body = {"code": "zdzs_bj", "name": "北京驻点招商小分队", "kind": "squad", "aliases": aliases}
    resp = tasks_client.post("/api/tasks/units", json=body, headers=BUREAU)
    assert resp.status_code == 422, resp.text
    assert resp.json()["fields"][0]["field"].startswith("aliases")
    assert tasks_client.get("/api/tasks/units/zdzs_bj", headers=LEADER).status_code == 404


@pytest.mark.parametrize("code", ["../changes", "..", "420106-0001\x01", "a/b", "420106-0001?x=1", "%2e%2e"])
def test_a_building_code_is_validated_by_pattern(stack, code):
    resp = stack.tasks.post("/api/tasks/visit-rounds", json=_round(building_codes=[code]), headers=BUREAU)
    assert resp.status_code == 422, resp.text
    assert resp.json()["fields"][0]["field"] == "building_codes.0"
    resp = stack.tasks.post("/api/tasks/visits", json={"building_code": code}, headers=CHIEF_SGH)
    assert resp.status_code == 422, resp.text
    assert not any("changes" in p for p in stack.recorded.paths), stack.recorded.paths


def test_the_registry_client_escapes_codes_and_refuses_dot_segments(stack):
    client = stack.tasks.app.state.registry
    for call in (lambda: client.building("..", token="t"), lambda: client.spaces("x\x00", token="t")):
        with pytest.raises(Invalid):
            asyncio.run(call())
    assert stack.recorded.paths == []


def test_peer_urls_are_escaped(stack):
    """A code with a slash reaches registry as one (escaped) segment, never as a path."""
    from louyu_kit.types import url_segment

    assert url_segment("a/../../changes") == "a%2F..%2F..%2Fchanges"
    assert url_segment("420106-0001") == "420106-0001"
    assert url_segment(12) == "12"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/tasks/tasks/{2**63}",
        f"/api/tasks/tasks/1/attachments/{2**63}",
        f"/api/tasks/visits/{2**63}",
        f"/api/tasks/visit-rounds/{2**63}",
        f"/api/tasks/leads/{2**63}",
        f"/api/tasks/demands/{2**63}",
        f"/api/tasks/plans/{2**63}",
        f"/api/tasks/supervision/notices/{2**63}",
        f"/api/tasks/bulletins/{2**63}",
        f"/api/tasks/assessment/runs/{2**63}",
    ],
)
def test_ids_beyond_64_bits_are_refused(tasks_client, path):
    resp = tasks_client.get(path, headers=BUREAU)
    assert resp.status_code in (404, 422), resp.text
    assert resp.status_code == 404 or "9223372036854775807" in resp.json()["detail"]


def test_body_ids_beyond_64_bits_are_refused(tasks_client):
    resp = tasks_client.post(
        "/api/tasks/supervision/notices", json={"task_id": 2**64, "reason": "进度滞后"}, headers=BUREAU
    )
    assert resp.status_code == 422, resp.text
    assert resp.json()["fields"][0]["field"] == "task_id"
