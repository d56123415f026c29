"""/plans/{plan_id}/summaries (总结验收) and /plans/{plan_id}/report (办理情况报告)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Path, Query, Request, Response, UploadFile, status

from louyu_kit.auth import bearer_token
from louyu_kit.db import SessionDep
from louyu_kit.docs import HTML_TYPE, file_response_doc
from louyu_kit.errors import Forbidden
from louyu_kit.types import Id
from tasks.access import Actor, ReadActor
from tasks.clients.metrics import BlockingMetrics, get_metrics
from tasks.inspections import service as inspections
from tasks.inspections.router import _download, _read_file
from tasks.inspections.schemas import FileRead
from tasks.plans.models import Plan
from tasks.summaries import render, report, service
from tasks.summaries.models import ReportIssue
from tasks.summaries.schemas import (
    ReportContent,
    ReportIssueList,
    ReportIssueRead,
    Review,
    SummaryOverview,
    SummaryRead,
    SummaryWrite,
)
from tasks.work import service as work
from tasks.work.lights import today_in_china
from tasks.work.service import ATTACHMENT_TYPES

router = APIRouter(tags=["总结验收与办理情况报告"])

UnitCode = Annotated[str, Path(min_length=1, max_length=32, description="责任单位代码")]
Metrics = Annotated[BlockingMetrics, Depends(get_metrics)]
RedHead = Annotated[bool, Query(description="是否加红头")]


def valid_plan(plan_id: Id, session: SessionDep, actor: ReadActor) -> Plan:
    return service.get_plan(session, plan_id)


PlanDep = Annotated[Plan, Depends(valid_plan)]


def _report_reader(actor: ReadActor) -> Actor:
    if not actor.roles & {"bureau", "leader"}:
        raise Forbidden("办理情况报告仅区商务局和区领导可以查看")
    return actor


ReportReader = Annotated[Actor, Depends(_report_reader)]


def _one(session: SessionDep, plan: Plan, unit_code: str, actor: Actor) -> SummaryRead:
    return SummaryRead.model_validate(service.read_model(session, plan, unit_code, actor=actor, today=today_in_china()))


@router.get("/plans/{plan_id}/summaries", response_model=SummaryOverview)
def summaries_overview(plan: PlanDep, session: SessionDep, actor: ReadActor) -> SummaryOverview:
    """总结验收：各责任单位年度总结的提交和验收情况（单位只看到本单位）。"""
    return SummaryOverview.model_validate(service.overview(session, plan, actor=actor))


@router.get("/plans/{plan_id}/summaries/{unit_code}", response_model=SummaryRead)
def read_summary(plan: PlanDep, unit_code: UnitCode, session: SessionDep, actor: ReadActor) -> SummaryRead:
    """一个责任单位的年度总结、所负责任务及自评。"""
    return _one(session, plan, unit_code, actor)


@router.put("/plans/{plan_id}/summaries/{unit_code}", response_model=SummaryRead)
def save_summary(
    plan: PlanDep, unit_code: UnitCode, data: SummaryWrite, session: SessionDep, actor: ReadActor
) -> SummaryRead:
    """保存本单位的年度总结草稿（未提交或被退回时可改）。"""
    service.save(session, plan, unit_code, data=data, actor=actor)
    return _one(session, plan, unit_code, actor)


@router.post("/plans/{plan_id}/summaries/{unit_code}/submit", response_model=SummaryRead)
def submit_summary(plan: PlanDep, unit_code: UnitCode, session: SessionDep, actor: ReadActor) -> SummaryRead:
    """提交年度总结，等待领导小组办公室审核。"""
    service.submit(session, plan, unit_code, actor=actor)
    return _one(session, plan, unit_code, actor)


@router.post("/plans/{plan_id}/summaries/{unit_code}/return", response_model=SummaryRead)
def return_summary(
    plan: PlanDep, unit_code: UnitCode, data: Review, session: SessionDep, actor: ReadActor
) -> SummaryRead:
    """退回年度总结并写明修改意见（区商务局）。"""
    service.review(session, plan, unit_code, accept=False, comment=data.comment, actor=actor)
    return _one(session, plan, unit_code, actor)


@router.post("/plans/{plan_id}/summaries/{unit_code}/accept", response_model=SummaryRead)
def accept_summary(
    plan: PlanDep, unit_code: UnitCode, data: Review, session: SessionDep, actor: ReadActor
) -> SummaryRead:
    """验收年度总结（区商务局）。"""
    service.review(session, plan, unit_code, accept=True, comment=data.comment, actor=actor)
    return _one(session, plan, unit_code, actor)


@router.post(
    "/plans/{plan_id}/summaries/{unit_code}/attachments", response_model=FileRead, status_code=status.HTTP_201_CREATED
)
def upload_summary_attachment(
    plan: PlanDep,
    unit_code: UnitCode,
    request: Request,
    session: SessionDep,
    actor: ReadActor,
    file: Annotated[UploadFile, File(description="附件：图片或 PDF，按内容识别类型")],
) -> FileRead:
    """为本单位的年度总结上传附件（先保存草稿）。"""
    service._require_writer(session, unit_code, actor)
    summary = service.get_summary(session, plan, unit_code, actor=actor)
    service._state(summary, service.EDITABLE, "上传附件", work.unit_names(session).get(unit_code, unit_code))
    data = _read_file(request, file)
    f = inspections.add_file(session, filename=file.filename or "", data=data, actor=actor, summary_id=summary.id)
    return FileRead.model_validate(f)


@router.get(
    "/plans/{plan_id}/summaries/{unit_code}/attachments/{file_id}",
    response_class=Response,
    responses=file_response_doc(*(t for t, _ in ATTACHMENT_TYPES), description="原文件"),
)
def download_summary_attachment(
    plan: PlanDep, unit_code: UnitCode, file_id: Id, session: SessionDep, actor: ReadActor
) -> Response:
    """下载年度总结的附件。"""
    summary = service.get_summary(session, plan, unit_code, actor=actor)
    f = inspections.get_file(session, file_id, summary_id=summary.id)
    return _download(f.content, f.content_type, f.filename)


def _draft(plan: Plan, request: Request, session: SessionDep, metrics: BlockingMetrics) -> dict:
    goals = metrics.goals(report.plan_year(plan), token=bearer_token(request))
    return report.compile_report(session, plan, goals=goals, today=today_in_china())


def _file_headers(name: str, suffix: str, disposition: str, obj: str) -> dict[str, str]:
    return {
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name + suffix)}",
        "X-Audit-Action": "export.report",
        "X-Audit-Object": obj,
    }


@router.get("/plans/{plan_id}/report", response_model=ReportContent)
def report_draft(
    plan: PlanDep, request: Request, session: SessionDep, actor: ReadActor, metrics: Metrics
) -> ReportContent:
    """办理情况报告（草稿）：议案、目标完成情况（指标分析服务的数）、任务、单位总结、视察及整改意见。"""
    _report_reader(actor)
    return ReportContent.model_validate(_draft(plan, request, session, metrics))


@router.get(
    "/plans/{plan_id}/report.html",
    response_class=Response,
    responses=file_response_doc(HTML_TYPE, description="可打印的网页（A4）"),
)
def report_draft_html(
    plan: PlanDep, request: Request, session: SessionDep, actor: ReadActor, metrics: Metrics, red_head: RedHead = False
) -> Response:
    """办理情况报告草稿：可打印的网页。"""
    _report_reader(actor)
    html = render.to_html(_draft(plan, request, session, metrics), red_head=red_head)
    headers = _file_headers("办理情况报告（草稿）", ".html", "inline", f"plan:{plan.id}:report:draft")
    return Response(html, media_type="text/html; charset=utf-8", headers=headers)


@router.get(
    "/plans/{plan_id}/report.docx",
    response_class=Response,
    responses=file_response_doc(render.DOCX_TYPE, description="Word 文档"),
)
def report_draft_docx(
    plan: PlanDep, request: Request, session: SessionDep, actor: ReadActor, metrics: Metrics, red_head: RedHead = False
) -> Response:
    """办理情况报告草稿：Word 文档（公文格式）。"""
    _report_reader(actor)
    content = render.to_docx(_draft(plan, request, session, metrics), red_head=red_head)
    headers = _file_headers("办理情况报告（草稿）", ".docx", "attachment", f"plan:{plan.id}:report:draft")
    return Response(content, media_type=render.DOCX_TYPE, headers=headers)


@router.post("/plans/{plan_id}/report/issues", response_model=ReportIssueRead, status_code=status.HTTP_201_CREATED)
def issue_report(
    plan: PlanDep, request: Request, session: SessionDep, actor: ReadActor, metrics: Metrics
) -> ReportIssue:
    """印发办理情况报告（区商务局；全部单位总结验收后），版本号递增，已印发的版本不再改变。"""
    actor.require_bureau("印发办理情况报告")
    goals = metrics.goals(report.plan_year(plan), token=bearer_token(request))
    return report.issue(session, plan, goals=goals, today=today_in_china(), actor=actor.username)


@router.get("/plans/{plan_id}/report/issues", response_model=ReportIssueList)
def list_report_issues(plan: PlanDep, session: SessionDep, actor: ReportReader) -> ReportIssueList:
    """已印发的办理情况报告（最新版本在前）。"""
    items = report.issues(session, plan)
    return ReportIssueList.model_validate({"items": items, "total": len(items)}, from_attributes=True)


def valid_issue(issue_id: Id, session: SessionDep, actor: ReportReader) -> ReportIssue:
    return report.get_issue(session, issue_id)


IssueDep = Annotated[ReportIssue, Depends(valid_issue)]


@router.get(
    "/report-issues/{issue_id}.html",
    response_class=Response,
    responses=file_response_doc(HTML_TYPE, description="可打印的网页（A4）"),
)
def issued_html(issued: IssueDep, red_head: RedHead = False) -> Response:
    """已印发的办理情况报告：可打印的网页。"""
    name = f"办理情况报告（第{issued.version_no}版）"
    headers = _file_headers(name, ".html", "inline", f"report:{issued.id}")
    return Response(
        render.to_html(issued.content, red_head=red_head), media_type="text/html; charset=utf-8", headers=headers
    )


@router.get(
    "/report-issues/{issue_id}.docx",
    response_class=Response,
    responses=file_response_doc(render.DOCX_TYPE, description="Word 文档"),
)
def issued_docx(issued: IssueDep, red_head: RedHead = False) -> Response:
    """已印发的办理情况报告：Word 文档（公文格式）。"""
    name = f"办理情况报告（第{issued.version_no}版）"
    headers = _file_headers(name, ".docx", "attachment", f"report:{issued.id}")
    body = render.to_docx(issued.content, red_head=red_head, created=issued.issued_at)
    return Response(body, media_type=render.DOCX_TYPE, headers=headers)


@router.get("/report-issues/{issue_id}", response_model=ReportContent)
def issued_content(issued: IssueDep) -> ReportContent:
    """已印发的办理情况报告全文（印发时的内容）。"""
    return ReportContent.model_validate(issued.content)
