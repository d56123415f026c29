"""The client factory and PeerClient: timeouts, request id passed on, failures mapped to 502/503."""

from __future__ import annotations

import asyncio

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from louyu_kit.errors import LouyuError, Unavailable, Upstream
from louyu_kit.http import PeerClient, make_async_client
from louyu_kit.requestid import set_request_id
from tests.conftest import ThreadServer, free_port

pytestmark = pytest.mark.live


class RegistryClient(PeerClient):
    peer_name = "楼宇登记服务"


@pytest.fixture(scope="module")
def peer():
    app = FastAPI()

    @app.get("/echo")
    def echo(request: Request) -> dict:
        return {"request_id": request.headers.get("x-request-id")}

    @app.get("/boom")
    def boom() -> JSONResponse:
        return JSONResponse({"error": "InternalError", "detail": "内部错误"}, status_code=500)

    @app.get("/missing")
    def missing() -> JSONResponse:
        return JSONResponse({"error": "BuildingNotFound", "detail": "楼宇 42 不存在"}, status_code=404)

    @app.get("/slow")
    async def slow() -> dict:
        await asyncio.sleep(3)
        return {}

    server = ThreadServer(app).start()
    yield server
    server.stop()


def _run(coro):
    return asyncio.run(coro)


def test_request_id_is_passed_on(peer):
    async def go():
        set_request_id("trace-peer-0001")
        client = RegistryClient(make_async_client(peer.url, timeout=2))
        try:
            return (await client.request("GET", "/echo")).json()
        finally:
            await client.aclose()

    assert _run(go()) == {"request_id": "trace-peer-0001"}


@pytest.mark.parametrize(
    "path,error,status,words",
    [
        ("/boom", Upstream, 502, "出现错误"),
        ("/slow", Unavailable, 503, "超时"),
        ("/missing", LouyuError, 404, "楼宇 42 不存在"),
    ],
)
def test_failures_are_mapped(peer, path, error, status, words):
    async def go():
        client = RegistryClient(make_async_client(peer.url, timeout=0.5))
        try:
            await client.request("GET", path)
        finally:
            await client.aclose()

    with pytest.raises(error) as caught:
        _run(go())
    assert caught.value.status_code == status
    assert words in caught.value.detail


def test_peer_down_is_503():
    async def go():
        client = RegistryClient(make_async_client(f"http://127.0.0.1:{free_port()}", timeout=1))
        try:
            await client.request("GET", "/echo")
        finally:
            await client.aclose()

    with pytest.raises(Unavailable) as caught:
        _run(go())
    assert "楼宇登记服务暂时无法连接" in caught.value.detail
