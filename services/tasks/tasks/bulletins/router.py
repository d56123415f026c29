"""/bulletins: issue a 工作简报 for a period; read it as JSON, printable HTML or .docx."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response, status

from louyu_kit.auth import bearer_token
from louyu_kit.db import SessionDep
from louyu_kit.docs import DOCX_TYPE, HTML_TYPE, file_response_doc
from louyu_kit.errors import Forbidden
from louyu_kit.paging import Page, PageDep
from louyu_kit.types import Id
from tasks.access import Actor, ReadActor
from tasks.bulletins import periods, render, service
from tasks.bulletins.models import Bulletin
from tasks.bulletins.schemas import (
    BulletinCreate,
    BulletinRead,
    BulletinRecipientRead,
    BulletinSendCreate,
    BulletinSummary,
)
from tasks.clients.metrics import BlockingMetrics, get_metrics
from tasks.work.lights import LightRules

router = APIRouter(tags=["工作简报"])

READ_ROLES = {"leader", "bureau", "department", "street"}


def _reader(actor: ReadActor) -> Actor:
    if not actor.roles & READ_ROLES:
        raise Forbidden("您的账号不能查看工作简报")
    return actor


BulletinReader = Annotated[Actor, Depends(_reader)]


def valid_bulletin(bulletin_id: Id, session: SessionDep, actor: BulletinReader) -> Bulletin:
    return service.get(session, bulletin_id)


BulletinDep = Annotated[Bulletin, Depends(valid_bulletin)]


@router.post("/bulletins", response_model=BulletinRead, status_code=status.HTTP_201_CREATED)
def create_bulletin(
    data: BulletinCreate,
    request: Request,
    session: SessionDep,
    actor: ReadActor,
    metrics: Annotated[BlockingMetrics, Depends(get_metrics)],
) -> BulletinRead:
    """编发一期工作简报（仅区商务局）：任务、督办、扫楼、诉求、线索，及指标分析服务的主要指标（不可用时注明）。"""
    actor.require_bureau("编发工作简报")
    period = periods.parse(data.period)
    headline = metrics.headline(period.key, token=bearer_token(request))
    bulletin = service.create(
        session,
        period=period,
        issue_no=data.issue_no,
        headline=headline,
        rules=LightRules.from_settings(request.app.state.settings),
        actor=actor.username,
        recipients=[(r.name, r.email) for r in data.recipients] if data.recipients is not None else None,
    )
    return BulletinRead.model_validate(service.read_model(bulletin, full=True))


@router.get("/bulletins", response_model=Page[BulletinSummary])
def list_bulletins(
    session: SessionDep,
    actor: BulletinReader,
    page: PageDep,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="年份")] = None,
) -> Page[BulletinSummary]:
    """已编发的工作简报（最新的在前）。"""
    items, total = service.list_page(session, year=year, page=page)
    return Page[BulletinSummary].model_validate(
        {
            "items": [service.read_model(b, full=False) for b in items],
            "total": total,
            "page": page.page,
            "page_size": page.page_size,
        }
    )


def _attachment(bulletin: Bulletin, suffix: str, disposition: str) -> dict[str, str]:
    name = f"{bulletin.year}年第{bulletin.issue_no}期 {bulletin.title}{suffix}"
    return {
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name)}",
        "X-Audit-Action": "export.bulletin",
        "X-Audit-Object": f"bulletin:{bulletin.id}:{suffix.lstrip('.')}",
    }


# The file routes come before /bulletins/{bulletin_id}, which would otherwise take "7.html".
@router.get(
    "/bulletins/{bulletin_id}.html",
    response_class=Response,
    responses=file_response_doc(HTML_TYPE, description="可打印的网页（A4）"),
)
def bulletin_html(bulletin: BulletinDep) -> Response:
    """简报全文：可打印的网页。"""
    return Response(
        render.to_html(bulletin),
        media_type="text/html; charset=utf-8",
        headers=_attachment(bulletin, ".html", "inline"),
    )


@router.get(
    "/bulletins/{bulletin_id}.docx",
    response_class=Response,
    responses=file_response_doc(DOCX_TYPE, description="Word 文档"),
)
def bulletin_docx(bulletin: BulletinDep) -> Response:
    """简报全文：Word 文档（.docx）。"""
    return Response(
        render.to_docx(bulletin), media_type=render.DOCX_TYPE, headers=_attachment(bulletin, ".docx", "attachment")
    )


@router.get("/bulletins/{bulletin_id}", response_model=BulletinRead)
def read_bulletin(bulletin: BulletinDep) -> BulletinRead:
    """一期简报的正文和依据的数字。"""
    return BulletinRead.model_validate(service.read_model(bulletin, full=True))


@router.get("/bulletins/{bulletin_id}/recipients", response_model=list[BulletinRecipientRead])
def list_recipients(bulletin: BulletinDep, session: SessionDep) -> list[BulletinRecipientRead]:
    """本期简报的报送单位及报送记录（系统发送或打印送达）。"""
    return [BulletinRecipientRead.model_validate(r) for r in service.recipients_of(session, bulletin)]


@router.post("/bulletins/{bulletin_id}/sends", response_model=list[BulletinRecipientRead], status_code=201)
def record_send(
    bulletin: BulletinDep, data: BulletinSendCreate, session: SessionDep, actor: ReadActor
) -> list[BulletinRecipientRead]:
    """报送简报：由系统发送邮件（经通知发件箱），或登记已打印送达（仅区商务局）。"""
    actor.require_bureau("报送工作简报")
    service.record_send(
        session, bulletin, recipient_id=data.recipient_id, method=data.method, note=data.note, actor=actor.username
    )
    return [BulletinRecipientRead.model_validate(r) for r in service.recipients_of(session, bulletin)]
