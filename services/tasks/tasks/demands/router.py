"""/demands: 诉求 submitted, assigned, answered, closed or reopened; the overdue list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status

from louyu_kit.auth import bearer_token
from louyu_kit.db import SessionDep
from louyu_kit.errors import Forbidden
from louyu_kit.paging import Page, PageDep
from louyu_kit.types import Id
from tasks.access import Actor, ReadActor
from tasks.clients.registry import BlockingRegistry, get_registry
from tasks.demands import service
from tasks.demands.models import CATEGORIES, Demand
from tasks.demands.schemas import (
    Category,
    CategoryRead,
    DemandAnswer,
    DemandAssign,
    DemandClose,
    DemandContact,
    DemandCreate,
    DemandNote,
    DemandRead,
    DemandReopen,
    Status,
)

router = APIRouter(tags=["企业诉求"])

SUBMIT_ROLES = {"bureau", "street", "chief"}


def deadlines_of(request: Request) -> dict[str, int]:
    """Days per category (LOUYU_TASKS_DEMAND_DEADLINES, parsed at start-up)."""
    return request.app.state.demand_deadlines


def valid_demand(demand_id: Id, session: SessionDep, actor: ReadActor) -> Demand:
    return service.get(session, demand_id, actor=actor)


DemandDep = Annotated[Demand, Depends(valid_demand)]


def _submitter(actor: ReadActor) -> Actor:
    if not actor.roles & SUBMIT_ROLES:
        raise Forbidden("只有楼长、街道或区商务局可以登记企业诉求")
    return actor


SubmitActor = Annotated[Actor, Depends(_submitter)]


def _one(session: Any, demand: Demand) -> DemandRead:
    names = service.unit_names(session, {demand.unit_code})
    return DemandRead.model_validate(service.read_model(demand, names, service.steps_of(session, demand)))


@router.get("/demand-categories", response_model=list[CategoryRead])
def list_categories(request: Request, actor: ReadActor) -> list[CategoryRead]:
    """诉求类别及各自的办理期限（天）。"""
    days = deadlines_of(request)
    return [CategoryRead(code=code, name=name, days=days[code]) for code, name in CATEGORIES.items()]


@router.post("/demands", response_model=DemandRead, status_code=status.HTTP_201_CREATED)
def create_demand(
    data: DemandCreate,
    request: Request,
    session: SessionDep,
    actor: SubmitActor,
    registry: Annotated[BlockingRegistry, Depends(get_registry)],
) -> DemandRead:
    """登记企业诉求（楼长、街道、区商务局）；填写承办单位即为已交办。期限按类别自动计算。"""
    street_code = None
    if data.building_code:
        building = registry.building(data.building_code, token=bearer_token(request))
        street_code = building.street_code
    demand = service.create(
        session,
        data=data,
        actor=actor,
        deadlines=deadlines_of(request),
        building_code=data.building_code,
        street_code=street_code,
    )
    return _one(session, demand)


def _list(session: Any, actor: Actor, page: Any, filters: service.DemandFilters) -> Page[DemandRead]:
    demands, total = service.list_page(session, actor=actor, filters=filters, page=page)
    names = service.unit_names(session, {d.unit_code for d in demands})
    items = [service.read_model(d, names) for d in demands]
    return Page[DemandRead].model_validate(
        {"items": items, "total": total, "page": page.page, "page_size": page.page_size}
    )


@router.get("/demands", response_model=Page[DemandRead])
def list_demands(
    session: SessionDep,
    actor: ReadActor,
    page: PageDep,
    status_: Annotated[Status | None, Query(alias="status", description="状态")] = None,
    category: Annotated[Category | None, Query(description="类别")] = None,
    unit: Annotated[str | None, Query(max_length=32, description="承办单位编码")] = None,
    street: Annotated[str | None, Query(max_length=12, description="街道代码")] = None,
    building: Annotated[str | None, Query(max_length=20, description="楼宇编码")] = None,
    visit_id: Annotated[Id | None, Query(description="来源走访")] = None,
    overdue: Annotated[bool | None, Query(description="true 只看超期未答复的")] = None,
    q: Annotated[str | None, Query(max_length=100, description="企业名称或诉求内容")] = None,
) -> Page[DemandRead]:
    """企业诉求列表（部门只看到交办给本单位的）。"""
    filters = service.DemandFilters(
        status=status_,
        category=category,
        unit=unit,
        street=street,
        building=building,
        visit_id=visit_id,
        overdue=overdue,
        q=q,
    )
    return _list(session, actor, page, filters)


@router.get("/demands/overdue", response_model=Page[DemandRead])
def list_overdue(
    session: SessionDep,
    actor: ReadActor,
    page: PageDep,
    unit: Annotated[str | None, Query(max_length=32, description="承办单位编码")] = None,
) -> Page[DemandRead]:
    """超期未答复的诉求（期限最早的在前）。"""
    return _list(session, actor, page, service.DemandFilters(unit=unit, overdue=True))


@router.get("/demands/{demand_id}", response_model=DemandRead)
def read_demand(demand: DemandDep, session: SessionDep) -> DemandRead:
    """诉求详情与办理过程。"""
    return _one(session, demand)


@router.post("/demands/{demand_id}/assign", response_model=DemandRead)
def assign_demand(demand: DemandDep, data: DemandAssign, session: SessionDep, actor: ReadActor) -> DemandRead:
    """交办（或改派）给承办单位（区商务局、所在街道）。"""
    return _one(session, service.assign(session, demand, data=data, actor=actor))


@router.post("/demands/{demand_id}/start", response_model=DemandRead)
def start_demand(demand: DemandDep, data: DemandNote, session: SessionDep, actor: ReadActor) -> DemandRead:
    """承办单位开始办理。"""
    return _one(session, service.start(session, demand, data=data, actor=actor))


@router.post("/demands/{demand_id}/answer", response_model=DemandRead)
def answer_demand(demand: DemandDep, data: DemandAnswer, session: SessionDep, actor: ReadActor) -> DemandRead:
    """承办单位答复。"""
    return _one(session, service.answer(session, demand, data=data, actor=actor))


@router.post("/demands/{demand_id}/close", response_model=DemandRead)
def close_demand(demand: DemandDep, data: DemandClose, session: SessionDep, actor: ReadActor) -> DemandRead:
    """回访办结，记录企业满意度（1–5）。"""
    return _one(session, service.close(session, demand, data=data, actor=actor))


@router.post("/demands/{demand_id}/reopen", response_model=DemandRead)
def reopen_demand(
    demand: DemandDep, data: DemandReopen, request: Request, session: SessionDep, actor: ReadActor
) -> DemandRead:
    """企业不满意：重办（期限重新起算，原承办单位继续办理或改派）。"""
    return _one(session, service.reopen(session, demand, data=data, actor=actor, deadlines=deadlines_of(request)))


@router.post("/demands/{demand_id}/contact/reveal", response_model=DemandContact)
def reveal_contact(demand: DemandDep, actor: ReadActor, response: Response) -> DemandContact:
    """查看企业联系人的完整电话（留痕）。"""
    if not actor.roles & {"bureau", "street", "chief", "department"}:
        raise Forbidden("您的账号不能查看完整电话号码")
    response.headers["X-Audit-Action"] = "phone.reveal"
    response.headers["X-Audit-Object"] = f"demand:{demand.id}"
    return DemandContact(contact_name=demand.contact_name, contact_phone=demand.contact_phone or None)
