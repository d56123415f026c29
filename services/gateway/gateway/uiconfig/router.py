"""GET /api/auth/ui-config: what the deployer configured for the SPA at run time (the map's
tiles), for signed-in people. Nothing here is secret beyond what the browser must use anyway
(a 天地图 browser key travels in every tile request)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from gateway.uiconfig.schemas import MapTiles, ScreenConfig, UiConfig
from louyu_kit.auth import CurrentPrincipal
from louyu_kit.errors import Forbidden

router = APIRouter(tags=["界面配置"])


@router.get("/ui-config", response_model=UiConfig, responses={401: {}, 403: {}})
def ui_config(request: Request, principal: CurrentPrincipal) -> UiConfig:
    """界面运行参数：地图底图的瓦片地址、子域和版权说明（未配置时不使用在线底图），大屏的区名、标题和刷新间隔。"""
    if not principal.is_user:
        raise Forbidden("机器客户端不使用界面配置")
    settings = request.app.state.settings
    tiles = settings.map_tiles()
    return UiConfig(
        map=MapTiles(
            enabled=tiles.enabled,
            tile_url=tiles.tile_url or None,
            label_url=tiles.label_url or None,
            subdomains=list(tiles.subdomains),
            attribution=tiles.attribution,
        ),
        screen=ScreenConfig(
            district_name=settings.district_name,
            title=settings.screen_title,
            refresh_seconds=settings.screen_refresh_seconds,
        ),
    )
