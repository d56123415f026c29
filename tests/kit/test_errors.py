"""One error body everywhere, 422 included; nothing internal leaks."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from louyu_kit.errors import Conflict, install_error_handlers
from louyu_kit.middleware import LouyuMiddleware


class Building(BaseModel):
    name: str = Field(min_length=2)
    floors: int = Field(ge=1)


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/buildings")
    def create(body: Building) -> dict:
        return body.model_dump()

    @app.get("/conflict")
    def conflict() -> None:
        raise Conflict("统一社会信用代码已被 武汉某某公司 使用", error="DuplicateCreditCode")

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("SELECT secret FROM /srv/louyu/app.py")

    app.add_middleware(LouyuMiddleware, service="test")
    return app


client = TestClient(_app(), raise_server_exceptions=False)


def _assert_shape(body: dict) -> None:
    assert {"error", "detail", "request_id"} <= set(body)
    assert body["request_id"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"]), body["detail"]


def test_422_names_fields_in_chinese():
    resp = client.post("/buildings", json={"name": "x", "floors": 0})
    assert resp.status_code == 422
    body = resp.json()
    _assert_shape(body)
    assert body["error"] == "ValidationError"
    fields = {f["field"]: f["message"] for f in body["fields"]}
    assert fields == {"name": "长度不能少于 2 个字符", "floors": "应不小于 1"}
    assert "name" in body["detail"] and "共 2 处" in body["detail"]


def test_422_missing_body_field():
    resp = client.post("/buildings", json={"name": "中交大厦"})
    assert resp.json()["fields"] == [{"field": "floors", "message": "必须填写", "location": ""}]


def test_domain_error():
    resp = client.get("/conflict")
    assert resp.status_code == 409
    assert resp.json()["error"] == "DuplicateCreditCode"
    _assert_shape(resp.json())


def test_unknown_route_and_method():
    resp = client.get("/nowhere")
    assert resp.status_code == 404
    _assert_shape(resp.json())
    resp = client.delete("/conflict")
    assert resp.status_code == 405
    assert resp.json()["error"] == "MethodNotAllowed"


def test_crash_leaks_nothing():
    resp = client.get("/boom", headers={"X-Request-ID": "trace-12345678"})
    assert resp.status_code == 500
    body = resp.json()
    _assert_shape(body)
    assert body["request_id"] == "trace-12345678"
    assert "SELECT" not in resp.text and "/srv" not in resp.text and "Traceback" not in resp.text
    assert resp.headers["x-content-type-options"] == "nosniff"


def test_request_id_generated_or_kept():
    generated = client.get("/nowhere")
    assert len(generated.headers["x-request-id"]) == 32
    assert generated.json()["request_id"] == generated.headers["x-request-id"]
    kept = client.get("/nowhere", headers={"X-Request-ID": "abc-12345678"})
    assert kept.headers["x-request-id"] == "abc-12345678"
    unsafe = client.get("/nowhere", headers={"X-Request-ID": "bad id\n<script>"})
    assert unsafe.headers["x-request-id"] != "bad id\n<script>"


def test_openapi_summaries_come_from_docstrings(make_client):
    spec = make_client("gateway").get("/api/auth/openapi.json").json()
    assert spec["paths"]["/api/auth/token"]["post"]["summary"].startswith("OAuth2 令牌端点")
    assert spec["paths"]["/api/auth/health"]["get"]["summary"] == "进程存活检查（不访问数据库）。"
