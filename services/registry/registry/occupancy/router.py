"""入驻: /occupancies, a building's tenants on a date, an enterprise's stays."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status

from louyu_kit.clock import today_in_china
from louyu_kit.db import SessionDep
from louyu_kit.types import Id
from louyu_kit.versioning import IfMatch, require_version, set_etag
from registry.access import ReadAccess, WriteAccess
from registry.buildings.models import Building
from registry.buildings.router import BuildingDep
from registry.enterprises.models import Enterprise
from registry.enterprises.router import EnterpriseDep
from registry.history import service as history
from registry.history.schemas import ChangeRead
from registry.occupancy import service
from registry.occupancy.models import Occupancy
from registry.occupancy.schemas import OccupancyCreate, OccupancyEnd, OccupancyMove, OccupancyRead, OccupancyUpdate

router = APIRouter(tags=["入驻"])

Found = tuple[Occupancy, Enterprise, Building]


def valid_occupancy(occupancy_id: Id, session: SessionDep, access: ReadAccess) -> Found:
    return service.get(session, occupancy_id, access=access)


OccupancyDep = Annotated[Found, Depends(valid_occupancy)]


def _editable(found: Found, access: WriteAccess, if_match: str | None) -> Found:
    """The stay, if the caller may write its building and has read its current version."""
    access.require_write(found[2])
    require_version(if_match, found[0].version, "入驻记录")
    return found


def _one(session: Any, occupancy: Occupancy, response: Response) -> OccupancyRead:
    set_etag(response, occupancy.version)
    return OccupancyRead.model_validate(service.read_models(session, [occupancy])[0])


def _many(rows: list[dict[str, Any]]) -> list[OccupancyRead]:
    return [OccupancyRead.model_validate(row) for row in rows]


@router.get("/buildings/{code}/tenants", response_model=list[OccupancyRead])
def building_tenants(
    building: BuildingDep,
    session: SessionDep,
    on: Annotated[date | None, Query(description="日期（默认今天）：返回当天在楼的企业")] = None,
) -> list[OccupancyRead]:
    """某日在楼企业（默认今天）。"""
    return _many(service.read_models(session, service.tenants_on(session, building, on=on or today_in_china())))


@router.get("/buildings/{code}/occupancies", response_model=list[OccupancyRead])
def building_occupancies(building: BuildingDep, session: SessionDep) -> list[OccupancyRead]:
    """楼宇的全部入驻记录（含已迁出），最近入驻的在前。"""
    return _many(service.read_models(session, service.history_of_building(session, building)))


@router.get("/enterprises/{credit_code}/occupancies", response_model=list[OccupancyRead])
def enterprise_occupancies(enterprise: EnterpriseDep, session: SessionDep, access: ReadAccess) -> list[OccupancyRead]:
    """企业的入驻历史（可见范围内的楼宇）。"""
    return _many(service.read_models(session, service.history_of_enterprise(session, enterprise, access=access)))


@router.post("/occupancies", response_model=OccupancyRead, status_code=status.HTTP_201_CREATED)
def create_occupancy(
    data: OccupancyCreate, session: SessionDep, access: WriteAccess, response: Response
) -> OccupancyRead:
    """迁入：企业自某日起入驻楼宇（可指定房源）。"""
    occupancy = service.create(session, data=data, access=access, actor=access.username)
    return _one(session, occupancy, response)


@router.get("/occupancies/{occupancy_id}", response_model=OccupancyRead)
def read_occupancy(found: OccupancyDep, session: SessionDep, response: Response) -> OccupancyRead:
    """入驻记录（ETag 为当前版本）。"""
    return _one(session, found[0], response)


@router.patch("/occupancies/{occupancy_id}", response_model=OccupancyRead)
def update_occupancy(
    found: OccupancyDep,
    data: OccupancyUpdate,
    session: SessionDep,
    access: WriteAccess,
    if_match: IfMatch,
    response: Response,
) -> OccupancyRead:
    """更正入驻记录（需 If-Match）。"""
    occupancy, enterprise, building = _editable(found, access, if_match)
    service.update(session, occupancy, enterprise, building, data=data, access=access, actor=access.username)
    return _one(session, occupancy, response)


@router.post("/occupancies/{occupancy_id}/end", response_model=OccupancyRead)
def end_occupancy(
    found: OccupancyDep,
    data: OccupancyEnd,
    session: SessionDep,
    access: WriteAccess,
    if_match: IfMatch,
    response: Response,
) -> OccupancyRead:
    """迁出：记录企业在楼的最后一天（需 If-Match）。"""
    occupancy, enterprise, building = _editable(found, access, if_match)
    service.end(session, occupancy, enterprise, building, end_date=data.end_date, access=access, actor=access.username)
    return _one(session, occupancy, response)


@router.post("/occupancies/{occupancy_id}/move", response_model=OccupancyRead, status_code=status.HTTP_201_CREATED)
def move_occupancy(
    found: OccupancyDep,
    data: OccupancyMove,
    session: SessionDep,
    access: WriteAccess,
    if_match: IfMatch,
    response: Response,
) -> OccupancyRead:
    """迁移：从本楼迁到另一楼宇（原记录截止到迁移日前一天，返回新的入驻记录）。"""
    occupancy, enterprise, building = _editable(found, access, if_match)
    new = service.move(session, occupancy, enterprise, building, data=data, access=access, actor=access.username)
    return _one(session, new, response)


@router.delete("/occupancies/{occupancy_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_occupancy(found: OccupancyDep, session: SessionDep, access: WriteAccess) -> Response:
    """删除误录的入驻记录（真实迁出请用“迁出”）。"""
    occupancy, enterprise, building = found
    service.delete(session, occupancy, enterprise, building, access=access, actor=access.username)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/occupancies/{occupancy_id}/history", response_model=list[ChangeRead])
def occupancy_history(found: OccupancyDep, session: SessionDep) -> list[Any]:
    """入驻记录的修改记录，最新的在前。"""
    return history.list_for(session, entity="occupancy", entity_id=found[0].id)
