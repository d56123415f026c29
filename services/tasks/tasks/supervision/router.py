"""/supervision: 督办 notices, responses from the units, escalation, open notices per unit."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status

from louyu_kit.db import SessionDep
from louyu_kit.paging import Page, PageDep
from louyu_kit.types import Id
from tasks.access import BureauActor, ReadActor
from tasks.supervision import service
from tasks.supervision.models import SupervisionNotice
from tasks.supervision.schemas import (
    NoticeClose,
    NoticeCreate,
    NoticeRead,
    NoticeResponse,
    NoticeStatus,
    RuleRun,
    UnitOpenCount,
)
from tasks.work.router import Rules, Today

router = APIRouter(tags=["督办"])


def respond_days(request: Request) -> int:
    return int(request.app.state.settings.tasks_supervision_respond_days)


RespondDays = Annotated[int, Depends(respond_days)]


def valid_notice(notice_id: Id, session: SessionDep, actor: ReadActor) -> SupervisionNotice:
    return service.get(session, notice_id, actor=actor)


NoticeDep = Annotated[SupervisionNotice, Depends(valid_notice)]


def _one(session: Any, notice: SupervisionNotice, today: date) -> NoticeRead:
    return NoticeRead.model_validate(service.read_many(session, [notice], today=today)[0])


@router.get("/supervision/notices", response_model=Page[NoticeRead])
def list_notices(
    session: SessionDep,
    actor: ReadActor,
    page: PageDep,
    today: Today,
    unit: Annotated[str | None, Query(max_length=32, description="督办对象单位")] = None,
    status: Annotated[NoticeStatus | None, Query(description="状态")] = None,
    task: Annotated[Id | None, Query(description="任务编号")] = None,
    level: Annotated[int | None, Query(ge=1, le=3, description="等级")] = None,
    mine: Annotated[bool, Query(description="只看发给本单位的")] = False,
) -> Page[NoticeRead]:
    """督办单列表（区领导、区商务局看全部；其他单位只看发给本单位的）。"""
    items, total = service.list_page(
        session, actor=actor, unit=unit, status=status, task_id=task, level=level, mine=mine, page=page
    )
    return Page[NoticeRead].model_validate(
        {
            "items": service.read_many(session, items, today=today),
            "total": total,
            "page": page.page,
            "page_size": page.page_size,
        }
    )


@router.get("/supervision/open-by-unit", response_model=list[UnitOpenCount])
def open_by_unit(session: SessionDep, actor: ReadActor, today: Today) -> list[UnitOpenCount]:
    """各单位未办结的督办单：待回复、已回复、超期、最高等级。"""
    return [UnitOpenCount.model_validate(row) for row in service.open_by_unit(session, actor=actor, today=today)]


@router.post("/supervision/notices", response_model=NoticeRead, status_code=status.HTTP_201_CREATED)
def issue_notice(
    data: NoticeCreate, session: SessionDep, actor: BureauActor, today: Today, rules: Rules, days: RespondDays
) -> NoticeRead:
    """对黄灯、红灯任务发出督办单（仅区商务局；绿灯任务 409）。"""
    notice = service.issue(session, data=data, actor=actor, today=today, rules=rules, respond_days=days)
    return _one(session, notice, today)


@router.get("/supervision/notices/{notice_id}", response_model=NoticeRead)
def read_notice(notice: NoticeDep, session: SessionDep, today: Today) -> NoticeRead:
    """督办单详情。"""
    return _one(session, notice, today)


@router.post("/supervision/notices/{notice_id}/response", response_model=NoticeRead)
def respond_notice(
    notice: NoticeDep, data: NoticeResponse, session: SessionDep, actor: ReadActor, today: Today
) -> NoticeRead:
    """被督办单位回复督办单。"""
    service.respond(session, notice, text=data.response, actor=actor)
    return _one(session, notice, today)


@router.post("/supervision/notices/{notice_id}/escalate", response_model=NoticeRead)
def escalate_notice(
    notice: NoticeDep, session: SessionDep, actor: BureauActor, today: Today, days: RespondDays
) -> NoticeRead:
    """升级督办等级：提醒 → 督办 → 通报（仅区商务局）。"""
    service.escalate(session, notice, actor=actor.username, today=today, respond_days=days)
    return _one(session, notice, today)


@router.post("/supervision/notices/{notice_id}/close", response_model=NoticeRead)
def close_notice(
    notice: NoticeDep, data: NoticeClose, session: SessionDep, actor: BureauActor, today: Today
) -> NoticeRead:
    """办结督办单（仅区商务局）。"""
    service.close(session, notice, note=data.note, actor=actor)
    return _one(session, notice, today)


@router.post("/supervision/run", response_model=RuleRun)
def run_rule(session: SessionDep, actor: BureauActor, today: Today, rules: Rules, days: RespondDays) -> RuleRun:
    """立即执行每日督办规则（同一天重复执行不会重复发单）。"""
    return RuleRun.model_validate(service.run_rule(session, today=today, rules=rules, respond_days=days))
