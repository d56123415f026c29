"""Shape of ``GET /api/auth/ui-config``."""

from __future__ import annotations

from pydantic import BaseModel, Field


class MapTiles(BaseModel):
    enabled: bool = Field(description="是否配置了在线底图；为 false 时地图只画区界轮廓，不请求任何外部地址")
    tile_url: str | None = Field(description="底图瓦片地址模板（Leaflet 格式：{s} {z} {x} {y}）")
    label_url: str | None = Field(description="注记图层瓦片地址模板（可为空）")
    subdomains: list[str] = Field(description="{s} 的取值")
    attribution: str = Field(description="地图右下角的版权与审图号说明（纯文本）")


class ScreenConfig(BaseModel):
    district_name: str = Field(description="区名（LOUYU_DISTRICT_NAME），大屏左上角")
    title: str = Field(description="大屏标题（LOUYU_SCREEN_TITLE）")
    refresh_seconds: int = Field(description="大屏刷新数据的间隔（秒，LOUYU_SCREEN_REFRESH_SECONDS）")


class UiConfig(BaseModel):
    """部署单位在运行时设置的界面参数。"""

    map: MapTiles
    screen: ScreenConfig
