"""How far the read model is behind registry, as ``GET /api/metrics/sync`` shows it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class SyncStatus(BaseModel):
    source: str = Field(description="变更流来源服务（registry 楼宇登记服务）")
    cursor: int = Field(description="已应用到的变更序号（读模型包含此序号及以前的全部变更）")
    head: int | None = Field(
        description="同步程序最近一次读到的来源最新序号（仅由后台同步程序读取，本接口不访问来源服务）"
    )
    lag_events: int = Field(description="落后的变更条数（head − cursor，按最近一次读取）")
    lag_seconds: float | None = Field(
        description="读模型已有多久未确认为最新（秒；最近一次读取时已是最新则为 0；从未读取成功时为空）"
    )
    registry_reachable: bool | None = Field(description="最近一次读取变更流是否成功（尚未读取过时为空）")
    last_event_at: datetime | None = Field(description="最近应用的变更在来源服务产生的时间")
    current_at: datetime | None = Field(description="最近一次确认读模型与来源一致的时间")
    last_ok_at: datetime | None = Field(description="最近一次成功读取变更流的时间")
    last_error: str | None = Field(description="最近一次同步错误")
    last_error_at: datetime | None = Field(description="最近一次同步错误的时间")
