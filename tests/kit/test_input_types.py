"""The kit's input rules (issue 14 items 7, 12, 18, 21): ids, free text, If-Match, the log line,
and the body cap, each on a small app built the way every service is built."""

from __future__ import annotations

import logging

import pytest
from fastapi import APIRouter, FastAPI, Response
from fastapi.testclient import TestClient
from pydantic import Field

from louyu_kit.errors import PreconditionFailed, PreconditionRequired, install_error_handlers
from louyu_kit.logs import PlainFormatter, escape_control
from louyu_kit.types import MAX_ID, Id, InputModel, text_problem, url_segment
from louyu_kit.versioning import require_version


class Thing(InputModel):
    name: str = Field(description="名称（全称）")
    note: str = Field("", description="备注")
    tags: list[str] = Field(default_factory=list, description="标签")
    ids: list[Id] = Field(default_factory=list)


@pytest.fixture
def app() -> TestClient:
    app = FastAPI()
    install_error_handlers(app)
    router = APIRouter()

    @router.get("/things/{thing_id}")
    def read(thing_id: Id) -> dict[str, int]:
        return {"id": thing_id}

    @router.post("/things")
    def create(data: Thing) -> Thing:
        return data

    app.include_router(router)
    return TestClient(app)


@pytest.mark.parametrize("value", [MAX_ID + 1, 2**64, 10**30, 0, -1])
def test_ids_outside_the_64_bit_range_are_422(app, value):
    resp = app.get(f"/things/{value}")
    assert resp.status_code == 422
    assert resp.json()["fields"][0]["field"] == "thing_id"


def test_the_largest_id_passes(app):
    assert app.get(f"/things/{MAX_ID}").json() == {"id": MAX_ID}


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("a\x00b", "空字符"),
        ("a\u202eb", "文字方向控制符"),
        ("a\u2067b", "文字方向控制符"),
        ("a\u200bb", "零宽字符"),
        ("a\u200db", "零宽字符"),
        ("a\ufeffb", "零宽字符"),
        ("a\nb", "换行符"),
        ("a\x1bb", "控制字符"),
        ("a\x85b", "控制字符"),
        ("a\u2028b", "控制字符"),
        ("a\ue000b", "控制字符"),
    ],
)
def test_free_text_refuses_control_and_invisible_characters(app, text, what):
    resp = app.post("/things", json={"name": text})
    assert resp.status_code == 422
    detail = resp.json()["detail"]
    assert detail.startswith("name：名称不能包含") and what in detail, detail


def test_strings_in_lists_are_checked_and_notes_may_hold_line_breaks(app):
    resp = app.post("/things", json={"name": "正常名称 Ok-1 （全角）　空格", "note": "一\r\n二\t三", "tags": ["好"]})
    assert resp.status_code == 200, resp.text
    resp = app.post("/things", json={"name": "好", "tags": ["好", "坏\x00"]})
    assert resp.status_code == 422 and resp.json()["fields"][0]["field"] == "tags"
    resp = app.post("/things", json={"name": "好", "note": "一\u202e二"})
    assert resp.status_code == 422


def test_text_problem_is_the_rule_for_imported_cells_too():
    assert text_problem("中交大厦 A座（北）") is None
    assert text_problem("一\n二", multiline=True) is None
    assert "U+0000" in (text_problem("\x00") or "")


def test_url_segment_escapes_and_refuses_dot_segments():
    assert url_segment("a/b?c#d%") == "a%2Fb%3Fc%23d%25"
    for bad in ("", ".", "..", "a\x00"):
        with pytest.raises(Exception, match="格式不正确"):
            url_segment(bad)


# ----- If-Match ---------------------------------------------------------------------------


def test_if_match_star_is_428_and_the_version_is_still_checked():
    with pytest.raises(PreconditionRequired):
        require_version("*", 3, "楼宇")
    with pytest.raises(PreconditionRequired):
        require_version('"3", *', 3, "楼宇")
    with pytest.raises(PreconditionRequired):
        require_version(None, 3, "楼宇")
    with pytest.raises(PreconditionFailed):
        require_version('"2"', 3, "楼宇")
    require_version('"3"', 3, "楼宇")
    require_version('W/"3"', 3, "楼宇")


# ----- the plain log ----------------------------------------------------------------------


def test_a_control_character_in_a_logged_value_cannot_forge_a_line():
    formatter = PlainFormatter("%(levelname)s %(name)s %(message)s")
    path = "/api/registry/x\nINFO louyu.access forged admin login\r\x1b[2J"
    record = logging.LogRecord("louyu.access", logging.INFO, __file__, 1, "request", (), None)
    record.__dict__.update(
        {"service": "registry", "method": "GET", "path": path, "status": 404, "duration_ms": 1, "user": "a\nb"}
    )
    line = formatter.format(record)
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
    assert "x\\nINFO louyu.access forged" in line and "user=a\\nb" in line
    message = logging.LogRecord("louyu.x", logging.WARNING, __file__, 1, "bad name %s", ("a\nb",), None)
    assert "\n" not in formatter.format(message)
    assert escape_control("正常 text") == "正常 text"
    assert escape_control("\u202e") == "\\u202e"


# ----- body cap, through a real service app --------------------------------------------------


@pytest.fixture
def small_cap(make_client) -> TestClient:
    return make_client("registry", max_json_bytes=2048)


def test_the_json_cap_is_a_setting(small_cap):
    resp = small_cap.post("/api/registry/buildings", content=b"{" + b" " * 3000 + b"}")
    assert resp.status_code == 413
    assert "上限" in resp.json()["detail"]
    assert resp.headers["cache-control"] == "no-store"


def test_a_bad_content_length_is_400(small_cap):
    resp = small_cap.post("/api/registry/buildings", content=b"{}", headers={"Content-Length": "abc"})
    assert resp.status_code == 400


def test_answers_keep_their_own_cache_control():
    app = FastAPI()

    @app.get("/api/x/template")
    def template() -> Response:
        return Response("x", headers={"Cache-Control": "private, max-age=60"})

    from louyu_kit.bodylimit import BodyLimitMiddleware

    app.add_middleware(BodyLimitMiddleware)
    assert TestClient(app).get("/api/x/template").headers["cache-control"] == "private, max-age=60"
