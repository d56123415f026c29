"""/notifications: the send log of e-mail and webhook notifications (区商务局)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from louyu_kit.auth import Principal, allow
from louyu_kit.db import SessionDep
from louyu_kit.paging import Page, PageDep
from tasks.access import BureauActor
from tasks.notifications import service, worker
from tasks.notifications.schemas import DeliveryRead, DeliveryRun, DeliveryStatus

router = APIRouter(tags=["通知"])


@router.get("/notifications", response_model=Page[DeliveryRead])
def list_deliveries(
    session: SessionDep,
    actor: BureauActor,
    page: PageDep,
    status: Annotated[DeliveryStatus | None, Query(description="状态")] = None,
) -> Page[DeliveryRead]:
    """通知发送记录（每条含每次发送尝试；仅区商务局）。"""
    items, total = service.list_page(session, status=status, page=page)
    return Page[DeliveryRead].model_validate(
        {"items": service.read_many(session, items), "total": total, "page": page.page, "page_size": page.page_size}
    )


@router.post("/notifications/deliver", response_model=DeliveryRun)
def deliver_now(request: Request, principal: Annotated[Principal, allow("bureau")]) -> DeliveryRun:
    """立即发送到期的通知（不必等下一轮；仅区商务局）。"""
    # No request session: the worker's own transactions write (one writer at a time on SQLite).
    channels = getattr(request.app.state, "notify_channels", None) or worker.Channels.from_settings(
        request.app.state.settings
    )
    return DeliveryRun.model_validate(worker.deliver_due(request.app.state.db.write_sessions, channels))
