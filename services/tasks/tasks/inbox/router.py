"""/inbox: the signed-in user's 待办 and the header badge's count."""

from __future__ import annotations

from fastapi import APIRouter

from louyu_kit.db import SessionDep
from tasks.access import ReadActor
from tasks.inbox import service
from tasks.inbox.schemas import InboxCount, InboxRead
from tasks.work.router import Today

router = APIRouter(tags=["待办"])


@router.get("/inbox", response_model=InboxRead)
def read_inbox(session: SessionDep, actor: ReadActor, today: Today) -> InboxRead:
    """本人待办：督办、企业诉求、扫楼走访等，超期的在前。"""
    return InboxRead.model_validate(service.gather(session, actor=actor, today=today))


@router.get("/inbox/count", response_model=InboxCount)
def count_inbox(session: SessionDep, actor: ReadActor, today: Today) -> InboxCount:
    """本人待办数（页头角标）。"""
    found = service.gather(session, actor=actor, today=today)
    return InboxCount(total=found["total"], overdue=found["overdue"])
