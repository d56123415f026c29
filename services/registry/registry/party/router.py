"""/buildings/{code}/party and /party/summary: 党建 of a building and its counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from louyu_kit.db import SessionDep
from louyu_kit.versioning import IfMatch, require_version, set_etag
from registry.access import ReadAccess, WriteAccess
from registry.buildings.router import BuildingDep
from registry.party import service
from registry.party.schemas import PartyRead, PartySummary, PartyWrite

router = APIRouter(tags=["楼宇党建"])


@router.get("/buildings/{code}/party", response_model=PartyRead)
def read_party(building: BuildingDep, session: SessionDep, response: Response) -> PartyRead:
    """楼宇党建情况：党组织、党建指导员、楼宇理事会、商会与党建联盟、一楼四员（ETag 为版本）。"""
    party = service.of(session, building)
    set_etag(response, party.version if party else 0)
    return PartyRead.model_validate(service.read_model(building, party))


@router.put("/buildings/{code}/party", response_model=PartyRead)
def write_party(
    building: BuildingDep,
    data: PartyWrite,
    session: SessionDep,
    access: WriteAccess,
    if_match: IfMatch,
    response: Response,
) -> PartyRead:
    """登记或修改楼宇党建情况（区商务局、所在街道、楼长；需 If-Match，首次登记为 "0"）。"""
    access.require_write(building)
    party = service.of(session, building)
    require_version(if_match, party.version if party else 0, f"楼宇“{building.name}”的党建情况")
    party = service.write(session, building, data=data, access=access)
    set_etag(response, party.version)
    return PartyRead.model_validate(service.read_model(building, party))


@router.get("/party/summary", response_model=PartySummary)
def party_summary(
    session: SessionDep,
    access: ReadAccess,
    street: Annotated[str | None, Query(max_length=12, description="街道代码")] = None,
) -> PartySummary:
    """楼宇党建统计（本人可见楼宇，不含在建）：建有党组织的楼宇数、一楼四员配备率等。"""
    return PartySummary.model_validate(service.summary(session, access=access, street=street))
