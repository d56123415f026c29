"""One error hierarchy, one body shape, one set of handlers.

Every error a client sees is ``{"error": "<Type>", "detail": "<中文>", "request_id": "…"}``;
422 adds ``fields``. No stack trace, SQL or path ever leaves the process.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from louyu_kit.requestid import current_request_id

log = logging.getLogger("louyu.errors")


class LouyuError(Exception):
    """Base of every error the API answers with on purpose."""

    status_code = 400
    default_detail = "请求有误"

    def __init__(
        self,
        detail: str | None = None,
        *,
        error: str | None = None,
        fields: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.detail = detail or self.default_detail
        self.error = error or type(self).__name__
        self.fields = fields
        self.headers = headers
        super().__init__(self.detail)


class Invalid(LouyuError):
    status_code = 422
    default_detail = "提交的数据有误"


class Unauthorized(LouyuError):
    status_code = 401
    default_detail = "请先登录"

    def __init__(self, detail: str | None = None, **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kw)


class Forbidden(LouyuError):
    status_code = 403
    default_detail = "没有权限执行此操作"


class NotFound(LouyuError):
    status_code = 404
    default_detail = "请求的内容不存在"


class Conflict(LouyuError):
    status_code = 409
    default_detail = "数据冲突"


class PreconditionFailed(LouyuError):
    status_code = 412
    default_detail = "数据已被其他人修改，请刷新后重试"


class PreconditionRequired(LouyuError):
    status_code = 428
    default_detail = "修改前请先读取最新数据（缺少 If-Match 请求头）"


class TooManyRequests(LouyuError):
    status_code = 429
    default_detail = "请求过于频繁，请稍后再试"


class Upstream(LouyuError):
    """A peer service answered badly (5xx, nonsense)."""

    status_code = 502
    default_detail = "上游服务返回错误，请稍后重试"


class Unavailable(LouyuError):
    """A peer service or the database cannot be reached."""

    status_code = 503
    default_detail = "服务暂时不可用，请稍后重试"


_STATUS_NAMES = {
    400: ("BadRequest", "请求有误"),
    401: ("Unauthorized", "请先登录"),
    403: ("Forbidden", "没有权限执行此操作"),
    404: ("NotFound", "请求的地址不存在"),
    405: ("MethodNotAllowed", "不支持该请求方法"),
    406: ("NotAcceptable", "不支持请求的内容格式"),
    413: ("PayloadTooLarge", "上传的内容过大"),
    415: ("UnsupportedMediaType", "不支持的内容类型"),
    429: ("TooManyRequests", "请求过于频繁，请稍后再试"),
}

# Chinese messages for pydantic's error types; anything else falls back to a generic one.
_PYDANTIC_MESSAGES = {
    "missing": "必须填写",
    "string_too_short": "长度不能少于 {min_length} 个字符",
    "string_too_long": "长度不能超过 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为是或否",
    "bool_type": "应为是或否",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "date_parsing": "日期格式不正确（应为 YYYY-MM-DD）",
    "date_from_datetime_parsing": "日期格式不正确（应为 YYYY-MM-DD）",
    "datetime_parsing": "时间格式不正确",
    "datetime_from_date_parsing": "时间格式不正确",
    "enum": "取值不在允许范围内（{expected}）",
    "literal_error": "取值不在允许范围内（{expected}）",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "json_invalid": "不是合法的 JSON",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "extra_forbidden": "不允许的字段",
    "uuid_parsing": "格式不正确",
    "url_parsing": "网址格式不正确",
    "finite_number": "应为有限的数字",
    "int_from_float": "应为整数",
    "string_sub_type": "应为文本",
    "none_required": "应为空",
    "is_instance_of": "格式不正确",
    "recursion_loop": "嵌套过深",
}

_LOCATION_NAMES = {"body": "", "query": "查询参数 ", "path": "路径参数 ", "header": "请求头 ", "form": ""}


def chinese_message(err: dict[str, Any]) -> str:
    """Translate one pydantic error into a sentence a clerk understands."""
    kind = err.get("type", "")
    if kind == "value_error":
        # Our own validators raise ValueError with a Chinese message already.
        msg = str(err.get("msg", ""))
        return msg.removeprefix("Value error, ")
    template = _PYDANTIC_MESSAGES.get(kind)
    if template is None:
        return "格式不正确"
    try:
        return template.format(**(err.get("ctx") or {}))
    except (KeyError, IndexError):
        return template.split("{")[0].strip() or "格式不正确"


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        prefix = _LOCATION_NAMES.get(loc[0], "") if loc else ""
        path = ".".join(loc[1:] if loc and loc[0] in _LOCATION_NAMES else loc)
        out.append({"field": path, "message": chinese_message(err), "location": prefix.strip()})
    return out


def error_response(
    status: int,
    error: str,
    detail: str,
    *,
    fields: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"error": error, "detail": detail, "request_id": current_request_id()}
    if fields is not None:
        body["fields"] = fields
    return JSONResponse(body, status_code=status, headers=headers)


async def _louyu_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LouyuError)
    return error_response(exc.status_code, exc.error, exc.detail, fields=exc.fields, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = field_errors(list(exc.errors()))
    first = fields[0] if fields else None
    if first:
        where = first["field"] or "请求内容"
        detail = f"{first['location']}{where}：{first['message']}"
        if len(fields) > 1:
            detail += f"（共 {len(fields)} 处错误）"
    else:
        detail = "提交的数据有误"
    return error_response(422, "ValidationError", detail, fields=fields)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    name, default = _STATUS_NAMES.get(exc.status_code, ("HttpError", "请求无法处理"))
    detail = exc.detail if _is_chinese(exc.detail) else default
    return error_response(exc.status_code, name, detail, headers=getattr(exc, "headers", None))


async def _database_down(request: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return error_response(503, "Unavailable", "数据库暂时无法连接，请稍后重试")


async def _stale_version(request: Request, exc: Exception) -> JSONResponse:
    # Two edits of the same version raced; the version column let only the first one through.
    return error_response(412, "PreconditionFailed", "数据已被其他人修改，请刷新后查看最新内容再修改")


async def _integrity_error(request: Request, exc: Exception) -> JSONResponse:
    log.warning("integrity error on %s %s: %s", request.method, request.url.path, type(exc.__cause__).__name__)
    return error_response(409, "Conflict", "数据与已有记录冲突（可能有人同时提交了相同的数据），请刷新后重试")


async def _out_of_range(request: Request, exc: Exception) -> JSONResponse:
    # A value the database cannot hold (a number beyond 64 bits, a NUL in PostgreSQL text) that
    # got past the schemas: the client's input, so a 422, never a 500 with SQL.
    log.warning("value out of range on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return error_response(422, "ValidationError", "提交的数值或文字超出允许的范围")


def _is_chinese(text: object) -> bool:
    return isinstance(text, str) and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def install_error_handlers(app: FastAPI) -> None:
    """The one place that turns exceptions into the Louyu error body."""
    app.add_exception_handler(LouyuError, _louyu_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # A database that cannot be reached is a 503 wherever it surfaces (never a 500 with SQL).
    app.add_exception_handler(OperationalError, _database_down)
    app.add_exception_handler(StaleDataError, _stale_version)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(DataError, _out_of_range)
    app.add_exception_handler(OverflowError, _out_of_range)
    # Anything else is caught by LouyuMiddleware, which logs it and answers a plain 500 body.
