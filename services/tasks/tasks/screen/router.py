"""/screen/todo: the 大屏's 待办 counts (督办 overdue, 整改意见 open), for the district's readers
and the 大屏 kiosk account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from louyu_kit.auth import SCREEN_ROLE, Principal, allow
from louyu_kit.db import SessionDep
from tasks.screen import service
from tasks.screen.schemas import ScreenTodo
from tasks.work.router import Today

router = APIRouter(tags=["大屏"])
# District-wide counts: the leader, the bureau and the kiosk account (no names, no details).
ScreenReader = Annotated[Principal, allow("leader", "bureau", SCREEN_ROLE)]


@router.get("/screen/todo", response_model=ScreenTodo)
def screen_todo(session: SessionDep, today: Today, _: ScreenReader) -> ScreenTodo:
    """大屏：全区督办单待回复、超期，整改意见未办结、逾期的数量。"""
    return ScreenTodo.model_validate(service.todo_counts(session, today=today))
