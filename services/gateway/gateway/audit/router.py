"""``GET /api/auth/audit``: the audit trail, for the auditor role only (三员分立)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from gateway.audit import service
from louyu_kit.auth import allow
from louyu_kit.db import SessionDep
from louyu_kit.paging import Page, PageDep

router = APIRouter(tags=["安全审计"])


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
    object: str | None
    result: str = Field(description="success / failure")
    request_id: str | None
    detail: str | None


@router.get("/audit", response_model=Page[AuditRead], dependencies=[allow("auditor")])
def list_audit(
    session: SessionDep,
    page: PageDep,
    actor: Annotated[str | None, Query(max_length=100, description="操作人")] = None,
    action: Annotated[str | None, Query(max_length=50, description="动作（前缀匹配）")] = None,
    result: Annotated[Literal["success", "failure"] | None, Query(description="结果")] = None,
    since: Annotated[datetime | None, Query(description="起始时间（含）")] = None,
    until: Annotated[datetime | None, Query(description="截止时间（不含）")] = None,
) -> Page[AuditRead]:
    """查询审计日志（仅安全审计员）。"""
    rows, total = service.search(
        session, params=page, actor=actor, action=action, result=result, since=since, until=until
    )
    return Page(
        items=[AuditRead.model_validate(r) for r in rows], total=total, page=page.page, page_size=page.page_size
    )
