"""Every /api route of the four services answers a named, typed model (issue 13 item 5).

Read from each app's OpenAPI document, for every success answer of every /api route:

- a 204 has no body; any other 2xx has one;
- a JSON body is a named schema with declared fields (``$ref`` to a model), or a list of one —
  never an inline ``dict[str, …]``, an empty schema (``Any``, an untyped return) or nothing;
- a body in any other media type (xlsx, csv, docx, html, images, PDF) is a file: the route declares
  that media type (``responses={200: {"content": {type: {}}}}``), so it is recognised by what it
  says it sends, not by its path;
- inside the named models no field is free-form (``Any`` or ``dict[str, Any]``) except the few
  listed in ``FREE_FORM`` with the reason each one cannot be typed.

The checker is also run on a small app with the faults it must catch, so it can fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Response
from pydantic import BaseModel

from tests.conftest import build_app, settings_for

SERVICES = ("gateway", "registry", "tasks", "metrics")
METHODS = ("get", "post", "put", "patch", "delete")

# Model fields that are free-form on purpose ("Schema.field": why).
FREE_FORM = {
    "ChangeEvent.data": "the change feed carries a snapshot of whichever record changed (building, space, task…)",
    "FieldChange.old": "a history line holds the old value of any field (text, number, date, list)",
    "FieldChange.new": "a history line holds the new value of any field (text, number, date, list)",
    "OutlineFeature.properties": "a map outline keeps the uploaded GeoJSON feature's properties as they were",
}


def _is_json(media_type: str) -> bool:
    kind = media_type.split(";")[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")


def _named(schema: dict[str, Any], components: dict[str, Any]) -> str | None:
    """The model a body schema names (itself or its list's items), if it has declared fields."""
    ref = schema.get("$ref")
    if ref is None and schema.get("type") == "array":
        ref = schema.get("items", {}).get("$ref")
    if ref is None:
        return None
    name = ref.rsplit("/", 1)[-1]
    return name if components.get(name, {}).get("properties") else None


def _free_form(node: dict[str, Any]) -> bool:
    """``Any`` (no type at all) or an object with no declared fields whose values are untyped."""
    typed = ("type", "$ref", "properties", "items", "anyOf", "oneOf", "allOf", "enum", "const")
    if not any(k in node for k in typed):
        return True
    if node.get("type") == "object" and "properties" not in node:
        extra = node.get("additionalProperties", True)
        return extra is True or extra == {}
    return node.get("type") == "array" and not node.get("items") and "prefixItems" not in node


def _loose_fields(names: set[str], components: dict[str, Any]) -> list[str]:
    """Free-form fields anywhere inside the named models (and the models they refer to)."""
    wrong: list[str] = []
    seen: set[str] = set()

    def walk(node: Any, where: str) -> None:
        if not isinstance(node, dict) or where in FREE_FORM:
            return
        if "$ref" in node:
            visit(node["$ref"].rsplit("/", 1)[-1])
            return
        if _free_form(node):
            wrong.append(where)
        for key in ("anyOf", "oneOf", "allOf"):
            for option in node.get(key, []):
                walk(option, where)
        if isinstance(node.get("items"), dict):
            walk(node["items"], where)
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], where)

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        schema = components[name]
        if _free_form(schema):
            wrong.append(name)
        for field, sub in schema.get("properties", {}).items():
            walk(sub, f"{name}.{field}")
        for key in ("anyOf", "oneOf", "allOf"):
            for option in schema.get(key, []):
                walk(option, name)

    for name in sorted(names):
        visit(name)
    return wrong


def untyped_answers(doc: dict[str, Any]) -> list[str]:
    """What in an OpenAPI document breaks the typed contract (empty when every answer is typed)."""
    components = doc.get("components", {}).get("schemas", {})
    wrong: list[str] = []
    named: set[str] = set()
    for path, ops in doc["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, op in ops.items():
            if method not in METHODS:
                continue
            where = f"{method.upper()} {path}"
            answers = {code: r for code, r in op["responses"].items() if code.startswith("2")}
            if not answers:
                wrong.append(f"{where}: no success answer declared")
            for code, answer in answers.items():
                content = answer.get("content") or {}
                if code == "204":
                    if content:
                        wrong.append(f"{where} 204: a body on No Content")
                    continue
                if not content:
                    wrong.append(f"{where} {code}: no body schema")
                for media_type, body in content.items():
                    if not _is_json(media_type):
                        continue  # a file, recognised by the media type the route declares
                    name = _named(body.get("schema", {}), components)
                    if name is None:
                        wrong.append(f"{where} {code}: not a named model: {body.get('schema')}")
                    else:
                        named.add(name)
    wrong.extend(f"free-form field {field}" for field in _loose_fields(named, components))
    return wrong


@pytest.mark.parametrize("service", SERVICES)
def test_every_api_answer_is_a_named_typed_model(service: str, tmp_path: Path) -> None:
    # The document is built from the routes alone: no database is opened.
    app = build_app(service, settings_for(service, f"sqlite:///{tmp_path}/{service}.db", tmp_path))
    doc = app.openapi()
    assert [p for p in doc["paths"] if p.startswith("/api/")], f"{service}: no /api routes"
    assert untyped_answers(doc) == []


def test_the_free_form_exceptions_still_exist(tmp_path: Path) -> None:
    """An exception that no longer exists is removed from FREE_FORM (the list only shrinks)."""
    fields: set[str] = set()
    for service in SERVICES:
        doc = build_app(service, settings_for(service, f"sqlite:///{tmp_path}/{service}.db", tmp_path)).openapi()
        for name, schema in doc["components"]["schemas"].items():
            for field, sub in schema.get("properties", {}).items():
                if _free_form(sub) or (
                    sub.get("type") == "object" and "$ref" in str(sub.get("additionalProperties", ""))
                ):
                    fields.add(f"{name}.{field}")
    assert set(FREE_FORM) <= fields, set(FREE_FORM) - fields


class _Item(BaseModel):
    name: str


class _Loose(BaseModel):
    name: str
    extra: dict[str, Any]
    anything: Any = None


def test_the_check_catches_untyped_answers() -> None:
    app = FastAPI()

    @app.get("/api/x/dict", response_model=dict[str, list[_Item]])
    def as_dict() -> Any: ...

    @app.get("/api/x/none")
    def untyped() -> Any: ...

    @app.get("/api/x/loose", response_model=_Loose)
    def loose() -> Any: ...

    @app.get("/api/x/file", response_class=Response)
    def undeclared_file() -> Response: ...

    @app.get("/api/x/ok", response_model=list[_Item])
    def typed() -> Any: ...

    @app.get(
        "/api/x/xlsx",
        response_class=Response,
        responses={200: {"content": {"application/vnd.ms-excel": {}}, "description": "表格"}},
    )
    def declared_file() -> Response: ...

    @app.delete("/api/x/gone", status_code=204)
    def gone() -> None: ...

    wrong = untyped_answers(app.openapi())
    assert any(w.startswith("GET /api/x/dict 200: not a named model") for w in wrong), wrong
    assert any(w.startswith("GET /api/x/none 200: not a named model") for w in wrong), wrong
    assert "GET /api/x/file 200: no body schema" in wrong, wrong  # a file route that declares no media type
    assert "free-form field _Loose.extra" in wrong and "free-form field _Loose.anything" in wrong, wrong
    assert not [w for w in wrong if "/api/x/ok" in w or "/api/x/xlsx" in w or "/api/x/gone" in w], wrong
    assert len(wrong) == 5, wrong
