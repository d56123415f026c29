"""入驻申请 (待确认): /occupancy-proposals. A street proposes moving in an enterprise that is not
its own; the bureau lists the pending ones and confirms (the stay is created) or rejects them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response, status

from louyu_kit.db import SessionDep
from louyu_kit.paging import Page, PageDep
from louyu_kit.versioning import set_etag
from registry.access import ReadAccess, WriteAccess
from registry.audit import note
from registry.proposals import service
from registry.proposals.schemas import ProposalCreate, ProposalRead, ProposalReject

router = APIRouter(tags=["入驻申请"])


def _one(session: Any, proposal: Any, response: Response) -> dict[str, Any]:
    set_etag(response, proposal.version)
    return service.read_models(session, [proposal])[0]


@router.get("/occupancy-proposals", response_model=Page[ProposalRead])
def list_proposals(
    session: SessionDep,
    access: ReadAccess,
    page: PageDep,
    status_: Annotated[
        Literal["pending", "confirmed", "rejected"] | None,
        Query(alias="status", description="pending 待确认 / confirmed 已确认 / rejected 已驳回"),
    ] = None,
) -> dict[str, Any]:
    """入驻申请列表（区商务局看全部，街道、楼长看本人提交的），最新的在前。"""
    rows, total = service.list_page(session, access=access, status=status_, page=page)
    return {"items": service.read_models(session, rows), "total": total, "page": page.page, "page_size": page.page_size}


@router.post("/occupancy-proposals", response_model=ProposalRead, status_code=status.HTTP_201_CREATED)
def create_proposal(data: ProposalCreate, session: SessionDep, access: WriteAccess, response: Response) -> Any:
    """申请迁入（待区商务局确认）：把不属于本街道的企业迁入本街道的楼宇。"""
    proposal = service.propose(session, data=data, access=access, actor=access.username)
    note(response, action="occupancy_proposal.create", obj=f"{data.credit_code}/{data.building_code}")
    return _one(session, proposal, response)


@router.get("/occupancy-proposals/{proposal_id}", response_model=ProposalRead)
def read_proposal(proposal_id: int, session: SessionDep, access: ReadAccess, response: Response) -> Any:
    """一条入驻申请。"""
    return _one(session, service.get(session, proposal_id, access=access), response)


@router.post("/occupancy-proposals/{proposal_id}/confirm", response_model=ProposalRead)
def confirm_proposal(proposal_id: int, session: SessionDep, access: WriteAccess, response: Response) -> Any:
    """确认入驻申请（仅区商务局）：生成入驻记录。"""
    proposal = service.get(session, proposal_id, access=access)
    service.confirm(session, proposal, access=access, actor=access.username)
    note(response, action="occupancy_proposal.confirm", obj=str(proposal_id))
    return _one(session, proposal, response)


@router.post("/occupancy-proposals/{proposal_id}/reject", response_model=ProposalRead)
def reject_proposal(
    proposal_id: int, data: ProposalReject, session: SessionDep, access: WriteAccess, response: Response
) -> Any:
    """驳回入驻申请（仅区商务局，须填写理由）。"""
    proposal = service.get(session, proposal_id, access=access)
    service.reject(session, proposal, reason=data.reason, access=access, actor=access.username)
    note(response, action="occupancy_proposal.reject", obj=str(proposal_id))
    return _one(session, proposal, response)
