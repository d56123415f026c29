"""Serves the built single-page app: hashed assets cached for a year, ``index.html`` never
cached, history fallback for unknown non-API paths, and JSON 404 for unknown ``/api/...``."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from starlette.responses import FileResponse, HTMLResponse, Response

from louyu_kit.errors import error_response

NOT_BUILT = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>楼宇经济信息管理平台</title>
<body style="font-family:sans-serif;padding:2em"><h1>前端尚未构建</h1>
<p>请在项目目录运行 <code>make run</code>（会自动构建前端），
或 <code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>。</p>
</body></html>"""


def install_spa(app: FastAPI, dist: Path) -> None:
    dist = dist.resolve()

    async def api_not_found(request: Request, path: str) -> Response:
        return error_response(404, "NotFound", f"接口 {request.url.path} 不存在")

    def page_not_found() -> Response:
        return Response("页面不存在", status_code=404, media_type="text/plain; charset=utf-8")

    async def spa(request: Request, path: str) -> Response:
        index = dist / "index.html"
        if not path.isprintable() or len(path) > 1024:
            # A NUL (``%00``) or another control character is no file name: the filesystem
            # calls would raise (a 500) on it.
            return page_not_found()
        if path:
            candidate = (dist / path).resolve()
            if candidate.is_file() and candidate.is_relative_to(dist):
                cache = "public, max-age=31536000, immutable" if path.startswith("assets/") else "no-cache"
                return FileResponse(candidate, headers={"Cache-Control": cache})
            if path.startswith("assets/"):
                return page_not_found()
        if not index.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    app.add_api_route("/api/{path:path}", api_not_found, methods=methods, include_in_schema=False)
    app.add_api_route("/{path:path}", spa, methods=["GET", "HEAD"], include_in_schema=False)
