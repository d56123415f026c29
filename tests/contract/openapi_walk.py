"""What a client generator (openapi-python-client) needs from an OpenAPI document, checked by
walking the document and the app's routes (issue #23 item 4). ``problems(app)`` lists, in words:

- a title that is not ASCII (the generated package is named after it);
- a component name that is not a plain identifier, or two components with one class name
  (a generator names classes by ``title`` and drops the second, and every model using it);
- a route answering a file (``response_class`` not JSON, or a download path) whose 200 answer is
  declared as JSON, or a file media type without a binary schema; a 2xx JSON answer with no schema
  (what FastAPI writes for a route returning a bare ``Response``: a file declared as JSON);
- an upload (``UploadFile``) whose field is not ``multipart/form-data`` with ``format: binary``.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, UploadFile
from fastapi.responses import JSONResponse

from louyu_kit.docs import _api_routes  # noqa: PLC2701 (the kit's walk of included routers)

JSON = "application/json"
BINARY = {"type": "string", "format": "binary"}
METHODS = ("get", "post", "put", "patch", "delete")
# Paths that answer a file whatever their route says (GET): exports, templates, documents, originals.
FILE_PATHS = re.compile(
    r"(/export(/|$|s/)|/template$|\.(docx|xlsx|csv|html)$|/photos/\{[^}]+\}$|/attachments/\{[^}]+\}$)"
)
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _routes(app: FastAPI) -> list[Any]:
    """The API routes as the document sees them (routers included, prefixes applied)."""
    return [r for r in _api_routes(app) if r.include_in_schema]


def _is_file_route(route: Any, method: str) -> bool:
    cls = getattr(route.response_class, "value", route.response_class)  # FastAPI's Default(JSONResponse)
    answers_json = isinstance(cls, type) and issubclass(cls, JSONResponse)
    return (not answers_json and route.status_code not in (204, 304)) or (
        method == "get" and bool(FILE_PATHS.search(route.path_format))
    )


def _upload_fields(route: Any) -> list[str]:
    fields = []
    for param in route.dependant.body_params:
        annotation = param.field_info.annotation
        options = getattr(annotation, "__args__", None) or (annotation,)
        if any(isinstance(o, type) and issubclass(o, UploadFile) for o in options):
            fields.append(param.alias)
    return fields


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def problems(app: FastAPI) -> list[str]:
    doc = app.openapi()
    found: list[str] = []
    title = doc.get("info", {}).get("title", "")
    if not title.isascii() or not title.strip():
        found.append(f"title {title!r} is not ASCII")

    schemas = doc.get("components", {}).get("schemas", {})
    classes: dict[str, str] = {}
    for name, schema in schemas.items():
        if not IDENTIFIER.match(name):
            found.append(f"component {name!r} is not an identifier")
        cls = re.sub(r"[^a-z0-9]", "", str(schema.get("title") or name).lower())
        if cls in classes:
            found.append(f"components {classes[cls]!r} and {name!r} make one class name")
        classes[cls] = name

    for route in _routes(app):
        for method in sorted(m.lower() for m in route.methods or ()):
            op = doc["paths"].get(route.path_format, {}).get(method)
            if op is None:
                continue
            where = f"{method.upper()} {route.path_format}"
            for code, answer in op.get("responses", {}).items():
                if not code.startswith("2"):
                    continue
                for media, body in answer.get("content", {}).items():
                    if media == JSON and not body.get("schema"):
                        found.append(f"{where} {code}: JSON answer without a schema (a file declared as JSON?)")
                    elif media != JSON and body.get("schema") != BINARY:
                        found.append(f"{where} {code}: {media} without a binary schema")
            if _is_file_route(route, method):
                content = op.get("responses", {}).get("200", {}).get("content", {})
                files = [m for m in content if m != JSON]
                if not files:
                    found.append(f"{where}: answers a file but its 200 is declared as {list(content) or 'nothing'}")
            uploads = _upload_fields(route)
            if uploads:
                body = op.get("requestBody", {}).get("content", {})
                if "multipart/form-data" not in body:
                    found.append(f"{where}: upload not declared as multipart/form-data")
                    continue
                props = _resolve(doc, body["multipart/form-data"].get("schema", {})).get("properties", {})
                for name in uploads:
                    prop = props.get(name, {})
                    if prop.get("format") != "binary":
                        found.append(f"{where}: upload field {name!r} is not format binary")
    return found
