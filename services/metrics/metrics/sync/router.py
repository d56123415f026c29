"""``GET /api/metrics/sync``: how current the read model of registry is."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from louyu_kit.auth import Principal, allow
from louyu_kit.db import SessionDep
from metrics.sync import service
from metrics.sync.schemas import SyncStatus

router = APIRouter(tags=["数据同步"])
Viewer = Annotated[Principal, allow("leader", "bureau", "admin")]


@router.get("/sync", response_model=SyncStatus)
def sync_status(session: SessionDep, _: Viewer) -> SyncStatus:
    """楼宇登记数据同步状态：游标、来源最新序号、滞后条数与秒数、最近成功与最近错误。"""
    return service.status(session)
