"""API documentation served from the service itself (no CDN: the district network has none)."""

from __future__ import annotations

import html
from pathlib import Path

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
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
