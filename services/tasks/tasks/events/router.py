"""/events: 楼宇活动 (政企座谈会, 楼宇创新圆桌会, 长江楼宇议事厅 …), their calendar and counts."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from louyu_kit.auth import bearer_token
from louyu_kit.clock import today_in_china
from louyu_kit.db import SessionDep
from louyu_kit.errors import Forbidden, Invalid
from louyu_kit.paging import Page, PageDep, paginate
from louyu_kit.types import Id
from louyu_kit.versioning import IfMatch, require_version, set_etag
from tasks.access import ReadActor
from tasks.clients.registry import BlockingRegistry, get_registry
from tasks.events import service
from tasks.events.models import BuildingEvent
from tasks.events.schemas import EventCreate, EventKind, EventMonth, EventRead, EventStats, EventUpdate

router = APIRouter(tags=["楼宇活动"])

RegistryDep = Annotated[BlockingRegistry, Depends(get_registry)]


def valid_event(event_id: Id, session: SessionDep, actor: ReadActor) -> BuildingEvent:
    return service.get(session, event_id, actor=actor)


EventDep = Annotated[BuildingEvent, Depends(valid_event)]


@router.post("/events", response_model=EventRead, status_code=status.HTTP_201_CREATED)
def create_event(
    data: EventCreate, request: Request, session: SessionDep, actor: ReadActor, registry: RegistryDep
) -> EventRead:
    """登记楼宇活动（区商务局；街道登记本街道的活动）：组织单位、邀请对象、实到人数、成果。"""
    if not service.can_record(actor):
        raise Forbidden("只有区商务局和街道可以登记楼宇活动")
    building_name, street_code = "", None
    if data.building_code:
        building = registry.building(data.building_code, token=bearer_token(request))
        building_name, street_code = building.name, building.street_code
    else:
        street_code = service.street_of_place(actor, data.street_code, session)
    event = service.create(session, data=data, actor=actor, building_name=building_name, street_code=street_code)
    return EventRead.model_validate(service.read_models(session, [event])[0])


@router.get("/events", response_model=Page[EventRead])
def list_events(
    session: SessionDep,
    actor: ReadActor,
    page: PageDep,
    date_from: Annotated[date | None, Query(description="活动日期起")] = None,
    date_to: Annotated[date | None, Query(description="活动日期止")] = None,
    kind: Annotated[EventKind | None, Query(description="活动类型")] = None,
    street: Annotated[str | None, Query(max_length=12, description="街道代码")] = None,
    unit: Annotated[str | None, Query(max_length=32, description="组织单位编码")] = None,
    building: Annotated[str | None, Query(max_length=20, description="楼宇编码")] = None,
) -> Page[EventRead]:
    """楼宇活动列表（最近的在前，本人可见范围）。"""
    filters = service.EventFilters(
        date_from=date_from, date_to=date_to, kind=kind, street=street, unit=unit, building=building
    )
    stmt = service.select_events(actor, filters).order_by(BuildingEvent.event_date.desc(), BuildingEvent.id.desc())
    events, total = paginate(session, stmt, page)
    return Page[EventRead].model_validate(
        {"items": service.read_models(session, events), "total": total, "page": page.page, "page_size": page.page_size}
    )


@router.get("/events/calendar", response_model=EventMonth)
def event_calendar(
    session: SessionDep,
    actor: ReadActor,
    month: Annotated[str | None, Query(max_length=7, description="月份 YYYY-MM（默认本月）")] = None,
    street: Annotated[str | None, Query(max_length=12, description="街道代码")] = None,
) -> EventMonth:
    """活动日历：一个月内的全部活动（按日期）。"""
    today = today_in_china()
    if month is None:
        year, mon = today.year, today.month
    else:
        found = re.fullmatch(r"(\d{4})-(\d{2})", month)
        if not found or not 1 <= int(found.group(2)) <= 12 or not 2000 <= int(found.group(1)) <= 2100:
            raise Invalid(
                "月份应写作 YYYY-MM，例如 2025-09", fields=[{"field": "month", "message": "格式应为 YYYY-MM"}]
            )
        year, mon = int(found.group(1)), int(found.group(2))
    start, end = date(year, mon, 1), date(year, mon, monthrange(year, mon)[1])
    filters = service.EventFilters(date_from=start, date_to=end, street=street)
    events = list(
        session.scalars(service.select_events(actor, filters).order_by(BuildingEvent.event_date, BuildingEvent.id))
    )
    items = service.read_models(session, events)
    return EventMonth.model_validate(
        {"month": f"{year:04d}-{mon:02d}", "start_date": start, "end_date": end, "items": items, "total": len(items)}
    )


@router.get("/events/stats", response_model=EventStats)
def event_stats(
    session: SessionDep,
    actor: ReadActor,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="年度（默认今年）")] = None,
) -> EventStats:
    """一年的活动场数：按类型、街道、组织单位（本人可见范围）。"""
    return EventStats.model_validate(service.stats(session, actor=actor, year=year or today_in_china().year))


@router.get("/events/{event_id}", response_model=EventRead)
def read_event(event: EventDep, session: SessionDep, response: Response) -> EventRead:
    """楼宇活动详情（ETag 为当前版本）。"""
    set_etag(response, event.version)
    return EventRead.model_validate(service.read_models(session, [event])[0])


@router.patch("/events/{event_id}", response_model=EventRead)
def update_event(
    event: EventDep, data: EventUpdate, session: SessionDep, actor: ReadActor, if_match: IfMatch, response: Response
) -> EventRead:
    """活动之后补记实到人数、邀请对象、成果、宣讲政策和活动情况（需 If-Match）。"""
    require_version(if_match, event.version, f"楼宇活动“{event.title}”")
    service.update(session, event, data=data, actor=actor)
    set_etag(response, event.version)
    return EventRead.model_validate(service.read_models(session, [event])[0])


@router.delete("/events/{event_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_event(event: EventDep, session: SessionDep, actor: ReadActor) -> Response:
    """删除误登记的楼宇活动（区商务局；街道删除本街道的活动）。"""
    service.delete(session, event, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
