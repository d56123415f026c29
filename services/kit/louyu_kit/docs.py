"""API documentation served from the service itself (no CDN: the district network has none)."""

from __future__ import annotations

import copy
import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi import routing as fastapi_routing
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

_OWN_STATIC = Path(__file__).parent / "static"


def install_docs(app: FastAPI, *, prefix: str, title: str) -> None:
    """Serve Swagger UI at ``{prefix}/docs`` for ``{prefix}/openapi.json``."""
    assets = f"{prefix}/docs-assets"
    app.mount(assets, StaticFiles(directory=str(swagger_ui_bundle.swagger_ui_path)), name="docs-assets")
    app.mount(f"{prefix}/docs-static", StaticFiles(directory=str(_OWN_STATIC)), name="docs-static")
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)} · 接口文档</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css"></head>
<body><div id="swagger-ui" data-openapi-url="{prefix}/openapi.json"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/swagger-ui-standalone-preset.js"></script>
<script src="{prefix}/docs-static/docs-init.js"></script></body></html>"""

    @app.get(f"{prefix}/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(page)


# ---------------------------------------------------------------------------------------------
# The OpenAPI document: the real error body, the answers a route gives, If-Match where required


ERROR_SCHEMAS: dict[str, Any] = {
    "FieldError": {
        "title": "FieldError",
        "type": "object",
        "description": "一处输入错误",
        "properties": {
            "field": {"type": "string", "description": "出错的字段（如 rows.3.amount；请求体整体为空字符串）"},
            "message": {"type": "string", "description": "错误说明（中文）"},
            "location": {"type": "string", "description": "位置：空（请求体）、查询参数、路径参数、请求头"},
        },
        "required": ["field", "message"],
    },
    "ErrorBody": {
        "title": "ErrorBody",
        "type": "object",
        "description": "所有错误的统一答复格式（不含堆栈、SQL 或文件路径）",
        "properties": {
            "error": {"type": "string", "description": "错误类型，如 ValidationError、NotFound、PreconditionFailed"},
            "detail": {"type": "string", "description": "错误说明（中文，可直接展示给用户）"},
            "request_id": {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "description": "请求编号（与响应头 X-Request-ID 相同，报障时提供）",
            },
            "fields": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/FieldError"},
                "description": "逐字段的错误（422 时给出）",
            },
        },
        "required": ["error", "detail", "request_id"],
    },
}
ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
STATUS_TEXT = {
    400: "请求有误",
    401: "未登录或登录已失效（缺少、过期或已注销的令牌）",
    403: "没有权限（角色或授权范围不允许）",
    404: "请求的内容不存在，或不在您的查看范围内",
    409: "与已有数据冲突",
    412: "数据已被其他人修改（If-Match 与当前版本不一致），请重新读取后再修改",
    413: "上传的内容过大",
    415: "不支持的内容类型",
    422: "提交的数据有误（fields 逐项说明）",
    428: "缺少 If-Match 请求头（修改前请先读取，取得 ETag）",
    429: "请求过于频繁，请稍后再试",
    500: "服务器内部错误",
    502: "上游服务返回错误",
    503: "服务或数据库暂时不可用，请稍后重试",
}
_WRITES = {"post", "put", "patch", "delete"}

# ----- files: the media types a download is declared with, and its binary body ---------------

BINARY_SCHEMA: dict[str, Any] = {"type": "string", "format": "binary"}
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML_TYPE = "text/html; charset=utf-8"
PDF_TYPE = "application/pdf"
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif", "image/heic")


def file_response_doc(*media_types: str, description: str = "文件") -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a route answering a file (with ``response_class=Response`` or a
    ``StreamingResponse``; a route that also answers JSON keeps its ``response_model``): its 200
    answer is declared with the file's real media types and a binary body, so a generated client
    hands back the bytes instead of parsing JSON."""
    if not media_types:
        raise ValueError("file_response_doc needs at least one media type")
    return {200: {"description": description, "content": {t: {"schema": dict(BINARY_SCHEMA)} for t in media_types}}}


def required_header_doc() -> dict[str, Any]:
    """``json_schema_extra`` of a ``Header`` the route itself refuses to go without (with its own
    Chinese message): the document declares it required although the parameter is optional."""
    return {_REQUIRED_MARK: True}


_REQUIRED_MARK = "x-louyu-required"


def _calls(dependant: Any) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def _api_routes(app: FastAPI) -> Iterator[Any]:
    """The app's API routes with their effective path and dependencies (routers included)."""
    contexts = getattr(fastapi_routing, "iter_route_contexts", None)
    if contexts is None:  # FastAPI without lazily included routers
        yield from (r for r in app.routes if isinstance(r, APIRoute))
        return
    for context in contexts(app.routes):
        if isinstance(getattr(context, "original_route", None), APIRoute):
            yield context


def _route_facts(app: FastAPI) -> dict[tuple[str, str], tuple[bool, bool]]:
    """(path, method) → (needs a token, needs If-Match), read from each route's dependencies."""
    from louyu_kit import auth, versioning

    facts: dict[tuple[str, str], tuple[bool, bool]] = {}
    token_checks = {auth.verify_request, auth.verify_internal}
    for route in _api_routes(app):
        calls = list(_calls(route.dependant))
        secured = any(
            c in token_checks or isinstance(c, auth.Allow) or getattr(c, "__qualname__", "").startswith("verify_")
            for c in calls
        )
        if_match = versioning._if_match in calls  # noqa: SLF001 (the kit's own dependency)
        for method in route.methods or ():
            facts[(route.path_format, method.lower())] = (secured, if_match)
    return facts


def _names_objects(doc: dict[str, Any], op: dict[str, Any]) -> bool:
    """A JSON body that names other objects by id or code (``task_id``, ``building_code``…): one
    that does not exist (or is out of the caller's sight) is a 404, as in a path."""
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    while "$ref" in schema:
        schema = doc.get("components", {}).get("schemas", {}).get(schema["$ref"].rsplit("/", 1)[-1], {})
    return any(name.endswith(("_id", "_code")) for name in schema.get("properties", {}))


def describe_errors(doc: dict[str, Any], app: FastAPI) -> dict[str, Any]:
    """Rewrite a generated OpenAPI document so it tells the truth about errors: every 4xx/5xx
    answer is the Louyu error body (never FastAPI's ``HTTPValidationError``), each operation
    lists the answers it can give (401/403 behind a token, 404 with a path parameter or a write body
    naming objects by id or code, 409 on a
    write, 412/428 with If-Match, 422 with input, 500/503 always), and ``If-Match`` is required
    where the route checks it."""
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas.update(ERROR_SCHEMAS)
    facts = _route_facts(app)
    uses_token = False
    for path, operations in doc.get("paths", {}).items():
        for method, op in operations.items():
            if method not in _WRITES | {"get", "head", "options"}:
                continue
            secured, if_match = facts.get((path, method), (False, False))
            params = op.get("parameters", [])
            codes: set[int] = {500, 503}
            if secured:
                codes |= {401, 403}
                op["security"] = [{"bearer": []}]
                uses_token = True
            if "{" in path or (method in _WRITES and _names_objects(doc, op)):
                codes.add(404)
            if params or "requestBody" in op:
                codes.add(422)
            if method in _WRITES:
                codes.add(409)
            if "multipart/form-data" in op.get("requestBody", {}).get("content", {}):
                codes.add(413)  # a file over the size cap (louyu_kit.files)
            if if_match:
                codes |= {412, 428}
                for param in params:
                    if param.get("in") == "header" and param.get("name", "").lower() == "if-match":
                        param["required"] = True
            responses = op.setdefault("responses", {})
            codes |= {int(code) for code in responses if code.isdigit() and int(code) >= 400}
            for code in sorted(codes):
                given = responses.get(str(code)) or {}
                responses[str(code)] = {
                    **{k: v for k, v in given.items() if k != "content"},
                    "description": given.get("description") or STATUS_TEXT.get(code, "错误"),
                    "content": {"application/json": {"schema": ERROR_REF}},
                }
    if uses_token:
        doc["components"].setdefault("securitySchemes", {})["bearer"] = {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "网关签发的访问令牌（POST /api/auth/token）",
        }
    return doc


def _uploads_are_binary(doc: dict[str, Any]) -> None:
    """An ``UploadFile`` field is ``contentMediaType: application/octet-stream`` in FastAPI's
    OpenAPI 3.1 output, which generators read as text: declare it ``format: binary``."""
    for schema in doc.get("components", {}).get("schemas", {}).values():
        for prop in schema.get("properties", {}).values():
            for option in [prop, *prop.get("anyOf", []), prop.get("items", {})]:
                if option.get("type") == "string" and option.pop("contentMediaType", None):
                    option["format"] = "binary"


def _required_headers(doc: dict[str, Any]) -> None:
    for operations in doc.get("paths", {}).values():
        for op in operations.values():
            for param in op.get("parameters", []) if isinstance(op, dict) else []:
                schema = param.get("schema", {})
                if schema.pop(_REQUIRED_MARK, None):
                    param["required"] = True
                    options = [o for o in schema.pop("anyOf", []) if o.get("type") != "null"]
                    if len(options) == 1:
                        schema.update(options[0])


def _rename_refs(node: Any, renames: dict[str, str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[-1]
            if name in renames:
                node["$ref"] = f"#/components/schemas/{renames[name]}"
        for value in node.values():
            _rename_refs(value, renames)
    elif isinstance(node, list):
        for value in node:
            _rename_refs(value, renames)


def unique_component_names(doc: dict[str, Any]) -> None:
    """Pydantic splits a model whose input and output schemas differ into ``Name-Input`` and
    ``Name-Output``, both titled ``Name``: generators name classes by title and drop the second
    (and every model using it). The output keeps the model's name, the input becomes
    ``NameInput``; every component's title is its (unique) name."""
    schemas = doc.get("components", {}).get("schemas", {})
    renames: dict[str, str] = {}
    for name in list(schemas):
        for suffix, new in (("-Output", ""), ("-Input", "Input")):
            if name.endswith(suffix):
                base = name.removesuffix(suffix)
                target = base + new
                if target in schemas or target in renames.values():
                    target = base + suffix.lstrip("-")
                renames[name] = target
    if renames:
        doc["components"]["schemas"] = {renames.get(n, n): s for n, s in schemas.items()}
        _rename_refs(doc, renames)
    for name, schema in doc.get("components", {}).get("schemas", {}).items():
        schema["title"] = name


def finish_document(doc: dict[str, Any], app: FastAPI) -> dict[str, Any]:
    """The document as a generator needs it: real errors (``describe_errors``), uploads as
    binary, required headers required, one class name per component, the service's Chinese name
    next to its ASCII title."""
    describe_errors(doc, app)
    _uploads_are_binary(doc)
    _required_headers(doc)
    unique_component_names(doc)
    chinese = getattr(app.state, "title_zh", None)
    if chinese:
        doc["info"]["x-title-zh"] = chinese
    return doc


# Apps built from the same code describe themselves alike, so a process builds each document once
# (tasks' takes about a second; the test suites build an app per test, thousands of them).
_DOCUMENTS: dict[tuple[Any, ...], dict[str, Any]] = {}


def _named(thing: Any) -> str:
    """A stable name for an endpoint or a response model (never an address)."""
    if thing is None:
        return ""
    qualname = getattr(thing, "__qualname__", None)
    return f"{thing.__module__}.{qualname}" if qualname and not hasattr(thing, "__origin__") else repr(thing)


def _every_route(app: FastAPI) -> Iterator[Any]:
    """The app's routes, those of included routers too (FastAPI ≥ 0.16x keeps an included router
    whole and resolves its routes on use; ``iter_route_contexts`` reads them as resolved)."""
    contexts = getattr(fastapi_routing, "iter_route_contexts", None)
    return iter(contexts(app.routes)) if contexts else iter(app.routes)


def _shape(app: FastAPI) -> tuple[Any, ...]:
    """What the document is built from: the app's titles and every route's path, methods,
    endpoint, answer (model, class, declared codes, status) and visibility."""
    routes = tuple(
        (
            getattr(route, "path", ""),
            tuple(sorted(getattr(route, "methods", None) or ())),
            _named(getattr(route, "endpoint", None)),
            _named(getattr(route, "response_model", None)),
            _named(getattr(route, "response_class", None)),
            tuple(sorted(str(code) for code in getattr(route, "responses", None) or {})),
            getattr(route, "status_code", None),
            getattr(route, "include_in_schema", True),
        )
        for route in _every_route(app)
    )
    title_zh = getattr(app.state, "title_zh", None)
    return (app.title, app.version, app.summary, app.description, app.root_path, repr(app.servers), title_zh, routes)


def install_openapi(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the finished document (built once per shape and process)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            key = _shape(app)
            if key not in _DOCUMENTS:
                _DOCUMENTS[key] = copy.deepcopy(finish_document(FastAPI.openapi(app), app))
            app.openapi_schema = copy.deepcopy(_DOCUMENTS[key])
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
