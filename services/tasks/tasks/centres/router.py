"""/centres: 招商共享中心, the enterprises they host, 入驻率 and 转化率; the count the plan's goal reads."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status

from louyu_kit.auth import bearer_token, verify_internal_or_roles
from louyu_kit.clock import today_in_china
from louyu_kit.db import SessionDep
from louyu_kit.errors import LouyuError
from louyu_kit.types import Id
from tasks.access import ReadActor
from tasks.centres import service
from tasks.centres.models import LEVELS, CentreStay, SharingCentre
from tasks.centres.schemas import CentreCreate, CentreList, CentreRead, OpenedCount, StayCreate, StayEnd, StayRead
from tasks.clients.registry import BlockingRegistry, get_registry

router = APIRouter(tags=["招商共享中心"])

RegistryDep = Annotated[BlockingRegistry, Depends(get_registry)]


def valid_centre(centre_id: Id, session: SessionDep, actor: ReadActor) -> SharingCentre:
    return service.get(session, centre_id, actor=actor)


CentreDep = Annotated[SharingCentre, Depends(valid_centre)]


def _months(request: Request) -> int:
    return int(request.app.state.settings.tasks_centre_conversion_months)


def _occupancies(registry: BlockingRegistry, request: Request, stays: list[CentreStay]) -> dict[str, Any] | None:
    """The hosted enterprises' occupancies in registry; None when registry cannot answer (the
    centres still show, with 入驻率 and without 转化率)."""
    codes = service.credit_codes(stays)
    if not codes:
        return {}
    try:
        return registry.occupancies_of(codes, token=bearer_token(request))
    except LouyuError as exc:
        if exc.status_code >= 500:
            return None
        raise


def _one(session: Any, centre: SharingCentre, request: Request, registry: BlockingRegistry) -> CentreRead:
    stays = service.stays_of(session, [centre.id])
    return CentreRead.model_validate(
        service.read_model(
            centre,
            stays,
            names=service.street_names(session, {centre.street_code}),
            occupancies=_occupancies(registry, request, stays),
            months=_months(request),
            as_of=today_in_china(),
            with_stays=True,
        )
    )


@router.get(
    "/centres/opened",
    response_model=OpenedCount,
    dependencies=[Depends(verify_internal_or_roles("leader", "bureau"))],
)
def centres_opened(
    session: SessionDep, year: Annotated[int, Query(ge=2000, le=2100, description="年度")]
) -> OpenedCount:
    """某年启用的招商共享中心数（供指标服务计算“新建招商共享中心”目标；内部服务、区领导、区商务局可读）。"""
    centres = service.opened_in(session, year=year)
    items = [
        {"id": c.id, "name": c.name, "level_label": LEVELS.get(c.level, c.level), "opened_date": c.opened_date}
        for c in centres
    ]
    return OpenedCount.model_validate({"year": year, "count": len(items), "items": items})


@router.post("/centres", response_model=CentreRead, status_code=status.HTTP_201_CREATED)
def create_centre(
    data: CentreCreate, request: Request, session: SessionDep, actor: ReadActor, registry: RegistryDep
) -> CentreRead:
    """新建招商共享中心（仅区商务局）。"""
    return _one(session, service.create(session, data=data, actor=actor), request, registry)


@router.get("/centres", response_model=CentreList)
def list_centres(session: SessionDep, actor: ReadActor, request: Request, registry: RegistryDep) -> CentreList:
    """招商共享中心（本人可见范围）及各中心、合计的入驻率和转化率。"""
    centres = service.visible(session, actor=actor)
    stays = service.stays_of(session, [c.id for c in centres])
    occupancies = _occupancies(registry, request, stays)
    months, as_of = _months(request), today_in_china()
    names = service.street_names(session, {c.street_code for c in centres})
    items = [
        service.read_model(
            c,
            [s for s in stays if s.centre_id == c.id],
            names=names,
            occupancies=occupancies,
            months=months,
            as_of=as_of,
            with_stays=False,
        )
        for c in centres
    ]
    total_desks = sum(c.desks for c in centres)
    overall = service.rates(stays, desks=total_desks, occupancies=occupancies, months=months, as_of=as_of)
    return CentreList.model_validate({"items": items, "total": len(items), "rates": overall})


@router.get("/centres/{centre_id}", response_model=CentreRead)
def read_centre(centre: CentreDep, session: SessionDep, request: Request, registry: RegistryDep) -> CentreRead:
    """招商共享中心详情：入驻企业、入驻率、转化率。"""
    return _one(session, centre, request, registry)


@router.post("/centres/{centre_id}/stays", response_model=StayRead, status_code=status.HTTP_201_CREATED)
def add_stay(centre: CentreDep, data: StayCreate, session: SessionDep, actor: ReadActor) -> StayRead:
    """登记入驻共享中心的企业（区商务局或中心所在街道）。"""
    stay = service.add_stay(session, centre, data=data, actor=actor)
    return StayRead.model_validate(service.stay_read(stay, {}, months=0, as_of=today_in_china()))


@router.post("/centres/{centre_id}/stays/{stay_id}/end", response_model=StayRead)
def end_stay(centre: CentreDep, stay_id: Id, data: StayEnd, session: SessionDep, actor: ReadActor) -> StayRead:
    """登记企业离开共享中心的日期（区商务局或中心所在街道）。"""
    stay = service.end_stay(
        session, centre, service.get_stay(session, centre, stay_id), end_date=data.end_date, actor=actor
    )
    return StayRead.model_validate(service.stay_read(stay, {}, months=0, as_of=today_in_china()))
