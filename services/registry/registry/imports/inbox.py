"""/inbox: the caller's imports that failed (applied, refused for rejected rows) and were not
imported successfully since, as 待办 items in the shape the SPA merges with tasks' /inbox."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from louyu_kit.db import SessionDep, utcnow
from registry.access import Access, WriteAccess
from registry.imports.kinds import KINDS
from registry.imports.models import ImportRun

router = APIRouter(tags=["导入导出"])

# A failed import older than this is no longer a 待办 (the clerk has moved on or will start again).
RECENT_DAYS = 30


class InboxItem(BaseModel):
    kind: str = Field(description="类别：import 导入失败")
    title: str = Field(description="要办的事（中文）")
    due_date: date | None = Field(description="办理期限（无期限为空）")
    overdue: bool = Field(description="已过期限")
    link: str = Field(description="办理页面（前端路由路径）")
    source_id: str = Field(description="导入记录编号")


class InboxRead(BaseModel):
    items: list[InboxItem] = Field(description="待办事项")
    total: int = Field(description="待办数")


def failed_imports(session: Session, *, access: Access) -> list[InboxItem]:
    """Per kind, the caller's last applied import when it was refused, in the last ``RECENT_DAYS``."""
    since = utcnow() - timedelta(days=RECENT_DAYS)
    runs = session.scalars(
        select(ImportRun)
        .where(ImportRun.actor == access.username, ImportRun.dry_run.is_(False), ImportRun.created_at >= since)
        .order_by(ImportRun.id.desc())
    ).all()
    latest: dict[str, ImportRun] = {}
    for run in runs:
        latest.setdefault(run.kind, run)
    return [
        InboxItem(
            kind="import",
            title=f"修改后重新导入{KINDS[run.kind].label if run.kind in KINDS else run.kind}：{run.file_name}"
            f"（{run.rejected_count} 行有误，未保存）",
            due_date=None,
            overdue=False,
            link="/imports/registry",
            source_id=str(run.id),
        )
        for run in latest.values()
        if not run.applied
    ]


@router.get("/inbox", response_model=InboxRead)
def read_inbox(session: SessionDep, access: WriteAccess) -> InboxRead:
    """本人待办：导入失败（有错误行未保存）且之后未成功导入的文件（可导入数据的用户）。"""
    items = failed_imports(session, access=access)
    return InboxRead(items=items, total=len(items))
