"""``POST /api/tasks/ask``: 问数 for task questions (任务灯、状态、督办单), answered with the
same functions and scope as ``GET /tasks`` and ``GET /supervision/notices``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from louyu_kit.db import SessionDep
from tasks.access import ReadActor
from tasks.ask import service
from tasks.ask.schemas import TaskAskAnswer, TaskAskRequest
from tasks.work.lights import LightRules, today_in_china

router = APIRouter(tags=["问数"])


def _rules(request: Request) -> LightRules:
    return LightRules.from_settings(request.app.state.settings)


@router.post("/ask", response_model=TaskAskAnswer)
def ask(
    data: TaskAskRequest,
    session: SessionDep,
    actor: ReadActor,
    today: Annotated[date, Depends(today_in_china)],
    rules: Annotated[LightRules, Depends(_rules)],
) -> TaskAskAnswer:
    """问数（任务）：如“区发改局有几项任务亮红灯”“本月督办单有多少”，按本人可见范围回答。"""
    return service.ask(session, question=data.question, actor=actor, today=today, rules=rules)
