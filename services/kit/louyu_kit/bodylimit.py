"""Request bodies are capped before they are read, and API answers are never cached.

Every request body is capped (``LOUYU_MAX_JSON_BYTES``, 1 MB by default): by its
Content-Length first, by counting the streamed bytes otherwise (a chunked body). A few routes
take more, and only from a caller whose bearer token verifies, checked before a byte of the
body is read: file uploads (multipart, up to the file limit) and the two bulk JSON routes
(a 50,000-row facts batch, a plan's full text). A multipart body anywhere else is refused.
The same table serves the gateway (which sees the same paths) and each service.

Every ``/api`` answer that does not set its own ``Cache-Control`` gets ``no-store``: they
carry tax figures and people's names (the docs' static assets excepted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from louyu_kit.errors import error_response
from louyu_kit.files import MAX_UPLOAD_BYTES
from louyu_kit.tokens import ACCESS, TokenInvalid

MULTIPART_OVERHEAD = 64 * 1024


@dataclass(frozen=True)
class LargeBody:
    """A route that accepts more than the JSON cap (``upload``: a multipart file)."""

    pattern: re.Pattern[str]
    limit: int
    upload: bool
    what: str


LARGE_BODIES = (
    LargeBody(re.compile(r"^/api/registry/imports/[^/]+$"), MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD, True, "导入文件"),
    LargeBody(re.compile(r"^/api/metrics/facts/upload$"), MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD, True, "数据文件"),
    LargeBody(re.compile(r"^/api/tasks/visits/\d+/photos$"), MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD, True, "照片"),
    LargeBody(re.compile(r"^/api/tasks/tasks/\d+/attachments$"), MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD, True, "附件"),
    LargeBody(re.compile(r"^/api/tasks/parts/\d+/attachments$"), MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD, True, "附件"),
    # 视察照片, 整改佐证材料, 年度总结附件 (tasks/inspections, tasks/summaries).
    LargeBody(re.compile(r"^/api/tasks/inspections/\d+/photos$"), MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD, True, "照片"),
    LargeBody(
        re.compile(r"^/api/tasks/opinions/\d+/assignments/\d+/evidence$"),
        MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD,
        True,
        "佐证材料",
    ),
    LargeBody(
        re.compile(r"^/api/tasks/plans/\d+/summaries/[^/]+/attachments$"),
        MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD,
        True,
        "附件",
    ),
    # 申报与兑现 imported from the 科创人才中心's Excel (tasks/policies).
    LargeBody(
        re.compile(r"^/api/tasks/policy-applications/import$"), MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD, True, "导入文件"
    ),
    # 政策库 imported from a spreadsheet (tasks/policies).
    LargeBody(re.compile(r"^/api/tasks/policies/import$"), MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD, True, "导入文件"),
    # 50,000 rows of about 150 bytes each.
    LargeBody(re.compile(r"^/api/metrics/facts/batches$"), 16 * 1024 * 1024, False, "数据批次"),
    # 300,000 characters of text, escaped, plus the corrected structure.
    LargeBody(re.compile(r"^/api/tasks/plans/import$"), 4 * 1024 * 1024, False, "方案全文"),
)

_STATIC = re.compile(r"^/api/[^/]+/docs-(assets|static)/")


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes its cap (FastAPI lets an
    HTTPException through its body parsing; the middleware answers it otherwise)."""

    def __init__(self, limit: int, what: str) -> None:
        super().__init__(413, f"{what}超过了 {_size(limit)} 的上限，请拆分后分批提交")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_json_bytes: int = 1024 * 1024) -> None:
        self.app = app
        self.max_json_bytes = max_json_bytes

    def _rule(self, scope: Scope) -> LargeBody | None:
        if scope.get("method") != "POST":
            return None
        path = scope.get("path", "")
        return next((rule for rule in LARGE_BODIES if rule.pattern.match(path)), None)

    def _authenticated(self, scope: Scope) -> bool:
        auth = _header(scope, b"authorization") or ""
        kind, _, token = auth.partition(" ")
        codec = getattr(getattr(scope.get("app"), "state", None), "tokens", None)
        if kind.lower() != "bearer" or not token.strip() or codec is None:
            return False
        try:
            codec.verify(token.strip(), typ=ACCESS)
        except TokenInvalid:
            return False
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        started = False

        async def send_no_store(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if path.startswith("/api/") and not _STATIC.match(path):
                    headers = list(message.get("headers", []))
                    if not any(k.lower() == b"cache-control" for k, _ in headers):
                        headers.append((b"cache-control", b"no-store"))
                        message["headers"] = headers
            await send(message)

        async def refuse(status: int, error: str, detail: str, headers: dict[str, str] | None = None) -> None:
            await error_response(status, error, detail, headers=headers)(scope, receive, send_no_store)

        rule = self._rule(scope)
        content_type = (_header(scope, b"content-type") or "").lower()
        if content_type.startswith("multipart/") and (rule is None or not rule.upload):
            await refuse(415, "UnsupportedMediaType", "该接口不接受文件上传（multipart），请提交 JSON")
            return
        limit, what = (rule.limit, rule.what) if rule else (self.max_json_bytes, "请求内容")
        length = _header(scope, b"content-length")
        has_body = length not in (None, "0") or _header(scope, b"transfer-encoding") is not None
        if rule is not None and has_body and not self._authenticated(scope):
            # A large body is read only for a caller we know: refuse before reading a byte.
            await refuse(401, "Unauthorized", "请先登录", {"WWW-Authenticate": "Bearer"})
            return
        if length is not None:
            if not length.strip().isdigit():
                await refuse(400, "BadRequest", "请求头 Content-Length 格式不正确")
                return
            if int(length) > limit:
                await refuse(413, "PayloadTooLarge", f"{what}约 {_size(int(length))}，超过了 {_size(limit)} 的上限")
                return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit, what)
            return message

        try:
            await self.app(scope, counted_receive, send_no_store)
        except BodyTooLarge as exc:
            if started:
                raise
            await refuse(413, "PayloadTooLarge", str(exc.detail))
