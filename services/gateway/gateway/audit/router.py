"""``GET /api/auth/audit`` and its export: the audit trail, for the auditor role only (三员分立)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from gateway.audit import service
from gateway.audit.actions import action_label, action_options
from gateway.audit.notes import note
from gateway.audit.service import AuditFilters
from louyu_kit import files
from louyu_kit.auth import allow
from louyu_kit.db import SessionDep
from louyu_kit.errors import Invalid
from louyu_kit.paging import Page, PageDep

router = APIRouter(tags=["安全审计"])

EXPORT_MAX_ROWS = 100_000
RESULT_LABELS = {"success": "成功", "failure": "失败"}
KIND_LABELS = {"user": "用户", "client": "机器客户端"}
EXPORT_HEADERS = [
    "时间（北京时间）",
    "操作人",
    "操作人类型",
    "IP 地址",
    "动作",
    "动作代码",
    "对象",
    "结果",
    "HTTP 状态码",
    "请求方法",
    "请求路径",
    "请求编号",
    "说明",
]


class AuditRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime = Field(description="时间（带时区）")
    actor: str | None = Field(description="操作人（用户名或 client:编号）")
    actor_kind: str | None
    ip: str | None
    method: str
    path: str
    status: int
    action: str = Field(description="动作，如 login、login_failed、account_locked、user.create、http.post")
    action_label: str = Field("", description="动作的中文名称，如 登录、新建账号")
    object: str | None
    result: str = Field(description="success / failure")
    request_id: str | None
    detail: str | None


class ActionOption(BaseModel):
    value: str = Field(description="动作代码；以“.”结尾的代表一类动作")
    label: str = Field(description="中文名称")


def _filters(
    actor: Annotated[str | None, Query(max_length=100, description="操作人（用户名或 client:编号）")] = None,
    action: Annotated[
        str | None, Query(max_length=50, description="动作：完整代码精确匹配；以“.”结尾时匹配这一类（如 user.）")
    ] = None,
    result: Annotated[Literal["success", "failure"] | None, Query(description="结果")] = None,
    since: Annotated[datetime | None, Query(description="起始时间（含；不带时区时按北京时间）")] = None,
    until: Annotated[datetime | None, Query(description="截止时间（不含；不带时区时按北京时间）")] = None,
) -> AuditFilters:
    filters = AuditFilters(actor=actor, action=action, result=result, since=since, until=until)
    start, end = service.aware(since), service.aware(until)
    if start and end and start >= end:
        message = "截止时间须晚于起始时间"
        raise Invalid(message, fields=[{"field": "until", "message": message}])
    return filters


FiltersDep = Annotated[AuditFilters, Depends(_filters)]


def _read(event: object) -> AuditRead:
    data = AuditRead.model_validate(event)
    return data.model_copy(update={"action_label": action_label(data.action)})


@router.get("/audit", response_model=Page[AuditRead], dependencies=[allow("auditor")])
def list_audit(session: SessionDep, page: PageDep, filters: FiltersDep) -> Page[AuditRead]:
    """查询审计日志（仅安全审计员）。"""
    rows, total = service.search(session, params=page, filters=filters)
    return Page(items=[_read(r) for r in rows], total=total, page=page.page, page_size=page.page_size)


@router.get("/audit/actions", response_model=list[ActionOption], dependencies=[allow("auditor")])
def list_actions() -> list[ActionOption]:
    """可供筛选的动作及其中文名称（仅安全审计员）。"""
    return [ActionOption(**o) for o in action_options()]


@router.get(
    "/audit/export",
    dependencies=[allow("auditor")],
    response_class=Response,
    responses=files.download_responses("审计日志文件（xlsx 或 csv）"),
)
def export_audit(
    request: Request,
    session: SessionDep,
    filters: FiltersDep,
    format: Annotated[Literal["csv", "xlsx"], Query(description="csv（UTF-8 带 BOM）或 xlsx")] = "xlsx",
) -> Response:
    """导出符合筛选条件的审计日志（仅安全审计员；单次至多 10 万条；导出本身记入审计日志）。"""
    note(request, action="audit.export", obj=f"audit:{format}", detail=_describe(filters))
    total = service.count(session, filters=filters)
    if total > EXPORT_MAX_ROWS:
        raise Invalid(
            f"符合条件的审计记录有 {total:,} 条，超过单次导出 {EXPORT_MAX_ROWS:,} 条的上限，"
            "请缩小起止日期或增加筛选条件后分批导出"
        )

    def produce(rows_session: Session) -> Iterator[list[object]]:
        for e in service.rows(rows_session, filters=filters):
            yield [
                service.in_china(e.at),
                e.actor,
                KIND_LABELS.get(e.actor_kind or "", e.actor_kind),
                e.ip,
                action_label(e.action),
                e.action,
                e.object,
                RESULT_LABELS.get(e.result, e.result),
                e.status,
                e.method,
                e.path,
                e.request_id,
                e.detail,
            ]

    # Read while the file is sent, in a session of its own (the request's closes when this returns).
    rows = files.rows_in_session(request.app.state.db.sessions, produce)
    chunks = files.stream_table(EXPORT_HEADERS, rows, fmt=format, sheet_title="审计日志")
    return files.download(chunks, fmt=format, name="审计日志")


def _describe(filters: AuditFilters) -> str | None:
    """The filters of an export, as the audit row keeps them."""
    parts = [
        f"{key}={value.isoformat() if isinstance(value, datetime) else value}"
        for key, value in vars(filters).items()
        if value not in (None, "")
    ]
    return " ".join(parts)[:1000] or None
