"""/inbox: the caller's fact batches that failed or had rows refused (the last one per source,
recent), as 待办 items in the shape the SPA merges with tasks' /inbox."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from louyu_kit.db import SessionDep, utcnow
from louyu_kit.errors import Forbidden
from metrics.access import PersonAccess
from metrics.facts.models import SOURCE_LABELS, FactBatch

router = APIRouter(tags=["数据报送"])

# A failed batch older than this is no longer a 待办.
RECENT_DAYS = 30


class InboxItem(BaseModel):
    kind: str = Field(description="类别：batch 数据批次失败")
    title: str = Field(description="要办的事（中文）")
    due_date: date | None = Field(description="办理期限（无期限为空）")
    overdue: bool = Field(description="已过期限")
    link: str = Field(description="办理页面（前端路由路径）")
    source_id: str = Field(description="批次编号")


class InboxRead(BaseModel):
    items: list[InboxItem] = Field(description="待办事项")
    total: int = Field(description="待办数")


def failed_batches(session: Session, *, username: str) -> list[InboxItem]:
    since = utcnow() - timedelta(days=RECENT_DAYS)
    batches = session.scalars(
        select(FactBatch)
        .where(FactBatch.submitted_by == username, FactBatch.created_at >= since, FactBatch.status != "processing")
        .order_by(FactBatch.id.desc())
    ).all()
    latest: dict[str, FactBatch] = {}
    for batch in batches:
        latest.setdefault(batch.source, batch)
    items = []
    for batch in latest.values():
        name = batch.file_name or f"批次 {batch.id}"
        source = SOURCE_LABELS.get(batch.source, batch.source)
        if batch.status == "failed":
            title = f"重新提交{source}数据：{name}（处理失败）"
        elif batch.rejected_count:
            title = f"更正后补报{source}数据：{name}（{batch.rejected_count} 行被拒收）"
        else:
            continue
        items.append(
            InboxItem(
                kind="batch", title=title, due_date=None, overdue=False, link="/metrics/facts", source_id=str(batch.id)
            )
        )
    return items


@router.get("/inbox", response_model=InboxRead)
def read_inbox(session: SessionDep, access: PersonAccess) -> InboxRead:
    """本人待办：最近一次提交失败或有拒收行的数据批次（每个来源一条；仅区商务局）。"""
    if "bureau" not in access.roles:
        raise Forbidden("只有区商务局报送税收和统计数据")
    items = failed_batches(session, username=access.username)
    return InboxRead(items=items, total=len(items))
