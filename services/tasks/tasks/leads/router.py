"""/leads: 招商线索 and their pipeline."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status

from louyu_kit.auth import bearer_token
from louyu_kit.clock import today_in_china
from louyu_kit.db import SessionDep
from louyu_kit.errors import Forbidden, Invalid
from louyu_kit.paging import Page, PageDep
from louyu_kit.types import Id
from louyu_kit.versioning import IfMatch, require_version, set_etag
from tasks.access import Actor, ReadActor
from tasks.clients.registry import BlockingRegistry, get_registry
from tasks.leads import matches, service
from tasks.leads.models import Lead
from tasks.leads.schemas import (
    LeadContact,
    LeadCreate,
    LeadMatches,
    LeadMove,
    LeadRead,
    LeadUpdate,
    SpaceLeadMatches,
    Stage,
)
from tasks.visits import service as visits

router = APIRouter(tags=["招商线索"])

WRITE_ROLES = {"bureau", "street", "chief", "department"}


def valid_lead(lead_id: Id, session: SessionDep, actor: ReadActor) -> Lead:
    return service.get(session, lead_id, actor=actor)


LeadDep = Annotated[Lead, Depends(valid_lead)]


def _writer(actor: ReadActor) -> Actor:
    if not actor.roles & WRITE_ROLES:
        raise Forbidden("您的账号不能登记招商线索")
    return actor


WriteActor = Annotated[Actor, Depends(_writer)]


def _one(session: Any, lead: Lead) -> LeadRead:
    return LeadRead.model_validate(service.read_model(lead, service.steps_of(session, lead)))


@router.post("/leads", response_model=LeadRead, status_code=status.HTTP_201_CREATED)
def create_lead(
    data: LeadCreate,
    request: Request,
    session: SessionDep,
    actor: WriteActor,
    registry: Annotated[BlockingRegistry, Depends(get_registry)],
) -> LeadRead:
    """登记招商线索（来源楼宇须在本人可见范围内）。"""
    if data.source_visit_id is not None:
        visit = visits.find(session, data.source_visit_id, actor=actor, field="source_visit_id")
        if data.building_code and data.building_code != visit.building_code:
            message = f"来源走访是楼宇 {visit.building_code} 的走访，与 building_code 不一致"
            raise Invalid(message, fields=[{"field": "building_code", "message": "与来源走访的楼宇不一致"}])
        data = data.model_copy(update={"building_code": visit.building_code})
    street_code = None
    if data.building_code:
        street_code = (registry.building(data.building_code, token=bearer_token(request))).street_code
    return _one(session, service.create_standalone(session, data=data, actor=actor, street_code=street_code))


@router.get("/leads", response_model=Page[LeadRead])
def list_leads(
    session: SessionDep,
    actor: ReadActor,
    page: PageDep,
    stage: Annotated[Stage | None, Query(description="阶段")] = None,
    street: Annotated[str | None, Query(max_length=12, description="街道代码")] = None,
    building: Annotated[str | None, Query(max_length=20, description="楼宇编码")] = None,
    unit: Annotated[str | None, Query(max_length=32, description="跟进单位编码")] = None,
    visit_id: Annotated[Id | None, Query(description="来源走访")] = None,
    q: Annotated[str | None, Query(max_length=100, description="企业名称（包含即可）")] = None,
) -> Page[LeadRead]:
    """招商线索列表（最新的在前；电话脱敏）。"""
    filters = service.LeadFilters(stage=stage, street=street, building=building, unit=unit, visit_id=visit_id, q=q)
    leads, total = service.list_page(session, actor=actor, filters=filters, page=page)
    return Page[LeadRead].model_validate(
        {
            "items": [service.read_model(x) for x in leads],
            "total": total,
            "page": page.page,
            "page_size": page.page_size,
        }
    )


@router.get("/leads/{lead_id}", response_model=LeadRead)
def read_lead(lead: LeadDep, session: SessionDep, response: Response) -> LeadRead:
    """招商线索详情与阶段记录（ETag 为当前版本）。"""
    set_etag(response, lead.version)
    return _one(session, lead)


@router.patch("/leads/{lead_id}", response_model=LeadRead)
def update_lead(
    lead: LeadDep, data: LeadUpdate, session: SessionDep, actor: ReadActor, if_match: IfMatch, response: Response
) -> LeadRead:
    """修改线索信息（需 If-Match；阶段请用“推进”）。"""
    require_version(if_match, lead.version, f"招商线索“{lead.company_name}”")
    service.update(session, lead, data=data, actor=actor)
    set_etag(response, lead.version)
    return _one(session, lead)


@router.post("/leads/{lead_id}/stage", response_model=LeadRead)
def move_lead(lead: LeadDep, data: LeadMove, session: SessionDep, actor: ReadActor) -> LeadRead:
    """推进线索阶段：新线索 → 已接洽 → 洽谈中 → 已签约，或标记为已流失（写明原因）。"""
    return _one(session, service.move(session, lead, data=data, actor=actor))


@router.post("/leads/{lead_id}/contact/reveal", response_model=LeadContact)
def reveal_contact(lead: LeadDep, actor: ReadActor, response: Response) -> LeadContact:
    """查看线索联系人的完整电话（留痕）。"""
    if not actor.roles & WRITE_ROLES:
        raise Forbidden("您的账号不能查看完整电话号码")
    response.headers["X-Audit-Action"] = "phone.reveal"
    response.headers["X-Audit-Object"] = f"lead:{lead.id}"
    return LeadContact(contact_name=lead.contact_name, contact_phone=lead.contact_phone or None)


RegistryDep = Annotated[BlockingRegistry, Depends(get_registry)]


@router.get("/leads/{lead_id}/matches", response_model=LeadMatches)
def lead_matches(lead: LeadDep, session: SessionDep, request: Request, registry: RegistryDep) -> LeadMatches:
    """匹配房源：本人可见范围内可供出租的房源与线索需求的匹配度和理由（面积契合、可用日期、楼宇主题契合、租金），
    匹配度高的在前；面积过小或可用日期晚于需要日期的不列出。"""
    needs = matches.needs_of(lead)
    # Every size: small spaces of one floor together may make a whole floor that fits.
    spaces = registry.available_spaces(token=bearer_token(request), available_before=needs.needed_by)
    return LeadMatches.model_validate(matches.spaces_for_lead(session, lead, spaces=spaces, today=today_in_china()))


@router.get("/spaces/{space_id}/leads", response_model=SpaceLeadMatches)
def space_leads(
    space_id: Id, session: SessionDep, actor: ReadActor, request: Request, registry: RegistryDep
) -> SpaceLeadMatches:
    """匹配线索：与这处房源匹配的在跟进线索（本人可见的线索；楼长另可看到匹配到本楼房源的线索概要）。"""
    token = bearer_token(request)
    space = registry.space(space_id, token=token)  # 404 outside the caller's scope
    found = next(
        (s for s in registry.available_spaces(token=token, building=space.building_code) if s.id == space_id), None
    )
    return SpaceLeadMatches.model_validate(
        matches.leads_for_space(session, actor=actor, space_id=space_id, space=found, today=today_in_china())
    )
