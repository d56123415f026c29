"""/buildings/{code}/spaces, /spaces: floors and units, and the available-space listing."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status

from louyu_kit.db import SessionDep
from louyu_kit.paging import Page, PageDep
from louyu_kit.types import Id
from louyu_kit.versioning import IfMatch, require_version, set_etag
from registry.access import ReadAccess, WriteAccess
from registry.buildings.models import Building
from registry.buildings.router import BuildingDep
from registry.history import service as history
from registry.history.schemas import ChangeRead
from registry.spaces import service
from registry.spaces.models import Space
from registry.spaces.schemas import AvailableSpace, SpaceCreate, SpaceRead, SpaceUpdate

router = APIRouter(tags=["房源"])


def valid_space(space_id: Id, session: SessionDep, access: ReadAccess) -> tuple[Space, Building]:
    return service.get(session, space_id, access=access)


SpaceDep = Annotated[tuple[Space, Building], Depends(valid_space)]


def available_filters(
    street: Annotated[str | None, Query(description="街道代码，多个用逗号分隔")] = None,
    building: Annotated[str | None, Query(description="楼宇编码")] = None,
    theme: Annotated[str | None, Query(description="楼宇特色主题代码")] = None,
    area_min: Annotated[float | None, Query(ge=0, description="面积下限（㎡）")] = None,
    area_max: Annotated[float | None, Query(ge=0, description="面积上限（㎡）")] = None,
    available_before: Annotated[date | None, Query(description="在此日期前（含）可用")] = None,
) -> service.AvailableFilters:
    streets = [s.strip() for s in street.split(",") if s.strip()] if street else None
    return service.AvailableFilters(
        street=streets,
        building=building,
        theme=theme,
        area_min=area_min,
        area_max=area_max,
        available_before=available_before,
    )


AvailableFiltersDep = Annotated[service.AvailableFilters, Depends(available_filters)]


@router.get("/spaces/available", response_model=Page[AvailableSpace])
def list_available(
    session: SessionDep, access: ReadAccess, page: PageDep, f: AvailableFiltersDep
) -> Page[AvailableSpace]:
    """可用空间：全区空置、预留和即将到期的房源，按可用日期先后排列（按时间顺序梳理可用空间载体资源）。"""
    items, total = service.available(session, access=access, filters=f, page=page)
    return Page[AvailableSpace].model_validate(
        {"items": items, "total": total, "page": page.page, "page_size": page.page_size}
    )


@router.get("/buildings/{code}/spaces", response_model=list[SpaceRead])
def list_spaces(building: BuildingDep, session: SessionDep) -> list[SpaceRead]:
    """楼宇的楼层与房源（按楼层、房号排列）。"""
    rows = service.list_for(session, building)
    occupied = service.occupied_areas(session, [s.id for s in rows])
    return [SpaceRead.model_validate(service.read_model(s, building, occupied.get(s.id, 0.0))) for s in rows]


@router.post("/buildings/{code}/spaces", response_model=SpaceRead, status_code=status.HTTP_201_CREATED)
def create_space(
    building: BuildingDep, data: SpaceCreate, session: SessionDep, access: WriteAccess, response: Response
) -> SpaceRead:
    """新增房源。"""
    space = service.create(session, building, data=data, access=access, actor=access.username)
    set_etag(response, space.version)
    return SpaceRead.model_validate(service.read_model(space, building))


@router.get("/spaces/{space_id}", response_model=SpaceRead)
def read_space(found: SpaceDep, session: SessionDep, response: Response) -> SpaceRead:
    """房源详情（ETag 为当前版本）。"""
    space, building = found
    set_etag(response, space.version)
    return SpaceRead.model_validate(
        service.read_model(space, building, service.occupied_areas(session, [space.id]).get(space.id, 0.0))
    )


@router.patch("/spaces/{space_id}", response_model=SpaceRead)
def update_space(
    found: SpaceDep, data: SpaceUpdate, session: SessionDep, access: WriteAccess, if_match: IfMatch, response: Response
) -> SpaceRead:
    """修改房源（需 If-Match）。"""
    space, building = found
    access.require_write(building)
    require_version(if_match, space.version, f"房源 {space.floor}层 {space.unit}")
    service.update(session, space, building, data=data, access=access, actor=access.username)
    set_etag(response, space.version)
    return SpaceRead.model_validate(
        service.read_model(space, building, service.occupied_areas(session, [space.id]).get(space.id, 0.0))
    )


@router.delete("/spaces/{space_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_space(found: SpaceDep, session: SessionDep, access: WriteAccess) -> Response:
    """删除房源（有入驻记录的不能删除）。"""
    space, building = found
    service.delete(session, space, building=building, access=access, actor=access.username)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/spaces/{space_id}/history", response_model=list[ChangeRead])
def space_history(found: SpaceDep, session: SessionDep) -> list[Any]:
    """房源的修改记录，最新的在前。"""
    return history.list_for(session, entity="space", entity_id=found[0].id)
