"""/buildings: 一楼一档."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status

from louyu_kit.db import SessionDep
from louyu_kit.errors import Forbidden
from louyu_kit.paging import Page, PageDep
from louyu_kit.privacy import mask_phone
from louyu_kit.versioning import IfMatch, require_version, set_etag
from registry.access import ASSIGNEE_FIELDS, Access, ReadAccess, WriteAccess
from registry.audit import note
from registry.buildings import service
from registry.buildings.models import Building
from registry.buildings.schemas import (
    BuildingCreate,
    BuildingRead,
    BuildingSort,
    BuildingSummary,
    BuildingUpdate,
    Contacts,
    Stage,
)
from registry.clients.gateway import BlockingGateway, get_gateway
from registry.history import service as history
from registry.history.schemas import ChangeRead

router = APIRouter(tags=["楼宇"])


def valid_building(code: str, session: SessionDep, access: ReadAccess) -> Building:
    return service.get(session, code, access=access)


BuildingDep = Annotated[Building, Depends(valid_building)]


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def filters(
    q: Annotated[str | None, Query(max_length=100, description="名称或别名（包含即可），或楼宇编码")] = None,
    street: Annotated[str | None, Query(description="街道代码，多个用逗号分隔")] = None,
    stage: Annotated[Stage | None, Query(description="建设阶段")] = None,
    theme: Annotated[str | None, Query(description="特色主题代码")] = None,
    zone: Annotated[str | None, Query(max_length=50, description="功能区")] = None,
    chief: Annotated[str | None, Query(max_length=50, description="楼长账号或姓名")] = None,
    area_min: Annotated[float | None, Query(ge=0, description="建筑面积下限（㎡）")] = None,
    area_max: Annotated[float | None, Query(ge=0, description="建筑面积上限（㎡）")] = None,
) -> service.BuildingFilters:
    return service.BuildingFilters(
        q=q,
        street=_split(street),
        stage=stage,
        theme=theme,
        zone=zone,
        chief=chief,
        area_min=area_min,
        area_max=area_max,
    )


OnDate = Annotated[
    date | None, Query(description="入驻率等数字的统计日期（YYYY-MM-DD，默认今天）；按当日有效的入驻记录计算")
]


def _read(session: Any, building: Building, access: Any, response: Response, on: date | None = None) -> BuildingRead:
    set_etag(response, building.version)
    return BuildingRead.model_validate(service.read_model(session, building, access=access, mask=mask_phone, on=on))


@router.get("/buildings", response_model=Page[BuildingSummary])
def list_buildings(
    session: SessionDep,
    access: ReadAccess,
    page: PageDep,
    f: Annotated[service.BuildingFilters, Depends(filters)],
    sort: Annotated[BuildingSort, Query(description="排序字段，前加 - 为倒序")] = "code",
    on: OnDate = None,
) -> Page[BuildingSummary]:
    """楼宇列表：按街道、阶段、主题、功能区、楼长、面积筛选，按名称或别名搜索。"""
    items, total = service.list_page(session, access=access, filters=f, sort=sort, page=page, on=on)
    return Page[BuildingSummary].model_validate(
        {"items": items, "total": total, "page": page.page, "page_size": page.page_size}
    )


GatewayDep = Annotated[BlockingGateway, Depends(get_gateway)]


def _check_assignees(
    data: BuildingCreate | BuildingUpdate,
    access: Access,
    gateway: BlockingGateway,
    *,
    street_code: str,
    current: Building | None,
) -> None:
    """楼长 / 联络员 accounts: checked with the gateway (registry.access.Access.check_assignees)."""
    values: dict[str, str | None] = {}
    for field in ASSIGNEE_FIELDS:
        if field in data.model_fields_set:
            value = getattr(data, field)
            value = value.strip().lower() if value else None
            setattr(data, field, value)  # stored as the gateway spells login names
            values[field] = value
    access.check_assignees(street_code=street_code, values=values, current=current, lookup=gateway.account)


@router.post("/buildings", response_model=BuildingRead, status_code=status.HTTP_201_CREATED)
def create_building(
    data: BuildingCreate, session: SessionDep, access: WriteAccess, gateway: GatewayDep, response: Response
) -> BuildingRead:
    """新建楼宇（自动分配楼宇编码）。"""
    _check_assignees(data, access, gateway, street_code=data.street_code, current=None)
    building = service.create(session, data=data, access=access, actor=access.username)
    return _read(session, building, access, response)


@router.get("/buildings/{code}", response_model=BuildingRead)
def read_building(
    building: BuildingDep, session: SessionDep, access: ReadAccess, response: Response, on: OnDate = None
) -> BuildingRead:
    """楼宇档案（响应头 ETag 为当前版本，修改时放入 If-Match）；figures 为 on 当日的入驻率等数字。"""
    return _read(session, building, access, response, on)


@router.patch("/buildings/{code}", response_model=BuildingRead)
def update_building(
    building: BuildingDep,
    data: BuildingUpdate,
    session: SessionDep,
    access: WriteAccess,
    gateway: GatewayDep,
    if_match: IfMatch,
    response: Response,
) -> BuildingRead:
    """修改楼宇（需 If-Match；他人已修改时返回 412）。楼长、联络员只能由街道或区商务局指定。"""
    access.require_write(building)
    require_version(if_match, building.version, f"楼宇“{building.name}”")
    street = data.street_code if "street_code" in data.model_fields_set and data.street_code else building.street_code
    _check_assignees(data, access, gateway, street_code=street, current=building)
    service.update(session, building, data=data, access=access, actor=access.username)
    return _read(session, building, access, response)


@router.delete("/buildings/{code}", status_code=status.HTTP_204_NO_CONTENT)
def delete_building(building: BuildingDep, session: SessionDep, access: WriteAccess) -> Response:
    """删除误录的楼宇（仅区商务局；有入驻记录的楼宇不能删除）。"""
    service.delete(session, building, access=access, actor=access.username)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/buildings/{code}/contacts/reveal", response_model=Contacts)
def reveal_contacts(building: BuildingDep, access: ReadAccess, response: Response) -> Contacts:
    """查看楼长、联络员的完整电话（留痕）。"""
    if not access.may_reveal_phones:
        raise Forbidden("您的账号不能查看完整电话号码")
    note(response, action="phone.reveal", obj=f"building:{building.code}")
    return Contacts(chief_phone=building.chief_phone or None, liaison_phone=building.liaison_phone or None)


@router.get("/buildings/{code}/history", response_model=list[ChangeRead])
def building_history(building: BuildingDep, session: SessionDep) -> list[Any]:
    """楼宇的修改记录（谁在何时把哪个字段从什么改成什么），最新的在前。"""
    return history.list_for(session, entity="building", entity_id=building.code)
