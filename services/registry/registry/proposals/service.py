"""入驻申请: propose, list, confirm, reject.

A street user (or 楼长) who wants to move into one of its own buildings an enterprise that is
not in its scope (registry.access: another street's, or not in any building) cannot create the
stay; it files a proposal instead. The bureau confirms it (the stay is created then, every space
rule checked again as of that moment) or rejects it with a reason. Each step is in the field
history and on the change feed (entity ``occupancy_proposal``), like the stays themselves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from louyu_kit.db import utcnow
from louyu_kit.errors import Conflict, Invalid, NotFound
from louyu_kit.paging import PageParams, paginate
from registry.access import Access
from registry.buildings.models import Building
from registry.buildings.service import street_names
from registry.enterprises import service as enterprises
from registry.enterprises.models import Enterprise
from registry.history import service as history
from registry.occupancy import service as occupancy
from registry.occupancy.models import Occupancy
from registry.occupancy.schemas import OccupancyCreate, SpacePart
from registry.proposals.models import PROPOSAL_STATUSES, OccupancyProposal
from registry.proposals.schemas import ProposalCreate
from registry.spaces.models import Space

ENTITY = "occupancy_proposal"


def snapshot(p: OccupancyProposal, enterprise: Enterprise, building: Building) -> dict[str, Any]:
    return {
        "credit_code": enterprise.credit_code,
        "building_code": building.code,
        "spaces": list(p.spaces),
        "area": p.area,
        "start_date": p.start_date.isoformat(),
        "end_date": p.end_date.isoformat() if p.end_date else None,
        "note": p.note,
        "status": p.status,
        "proposed_by": p.proposed_by,
        "decided_by": p.decided_by,
        "reason": p.reason,
        "occupancy_id": p.occupancy_id,
    }


def _record(session: Session, p: OccupancyProposal, *, op: str, before: dict[str, Any] | None, actor: str) -> None:
    enterprise = session.get(Enterprise, p.enterprise_id)
    building = session.get(Building, p.building_id)
    assert enterprise is not None and building is not None
    history.record(
        session,
        entity=ENTITY,
        entity_id=p.id,
        op=op,
        before=before,
        after=snapshot(p, enterprise, building),
        actor=actor,
    )


def propose(session: Session, *, data: ProposalCreate, access: Access, actor: str) -> OccupancyProposal:
    """File a 待确认 move-in of an enterprise outside the caller's scope into the caller's building."""
    building = occupancy.writable_building(session, data.building_code, access, "building_code")
    enterprise = occupancy.find_enterprise(session, data.credit_code)
    if enterprises.can_edit(session, enterprise, access):
        raise Invalid(
            "该企业在您负责的范围内，请直接办理迁入",
            fields=[{"field": "credit_code", "message": "该企业在您负责的范围内，无须申请"}],
        )
    # The spaces are checked now, so the bureau is not asked to confirm what cannot be done.
    occupancy.resolve_parts(session, building, data.spaces, data.area)
    pending = session.scalar(
        select(OccupancyProposal.id).where(
            OccupancyProposal.enterprise_id == enterprise.id,
            OccupancyProposal.building_id == building.id,
            OccupancyProposal.status == "pending",
        )
    )
    if pending is not None:
        raise Conflict(
            f"该企业迁入“{building.name}”的申请（编号 {pending}）正在等待区商务局确认", error="ProposalPending"
        )
    proposal = OccupancyProposal(
        enterprise_id=enterprise.id,
        building_id=building.id,
        spaces=[part.model_dump() for part in data.spaces],
        area=data.area,
        start_date=data.start_date,
        end_date=data.end_date,
        note=data.note,
        status="pending",
        proposed_by=actor,
        reason="",
    )
    session.add(proposal)
    session.flush()
    _record(session, proposal, op="create", before=None, actor=actor)
    return proposal


def get(session: Session, proposal_id: int, *, access: Access) -> OccupancyProposal:
    proposal = session.get(OccupancyProposal, proposal_id)
    if proposal is None or not (access.writes_all or access.reads_all or proposal.proposed_by == access.username):
        raise NotFound(f"入驻申请 {proposal_id} 不存在", error="ProposalNotFound")
    return proposal


def list_page(
    session: Session, *, access: Access, status: str | None, page: PageParams
) -> tuple[list[OccupancyProposal], int]:
    """The bureau (and readers of everything) see every proposal; others their own."""
    stmt = select(OccupancyProposal)
    if not (access.writes_all or access.reads_all):
        stmt = stmt.where(OccupancyProposal.proposed_by == access.username)
    if status:
        stmt = stmt.where(OccupancyProposal.status == status)
    return paginate(session, stmt.order_by(OccupancyProposal.proposed_at.desc(), OccupancyProposal.id.desc()), page)


def _require_pending(p: OccupancyProposal) -> None:
    if p.status != "pending":
        raise Conflict(f"该申请已{PROPOSAL_STATUSES[p.status]}，不能重复处理", error="ProposalDecided")


def confirm(session: Session, proposal: OccupancyProposal, *, access: Access, actor: str) -> Occupancy:
    """The bureau confirms: the stay is created (its space rules checked as of now)."""
    access.require_bureau("确认入驻申请")
    _require_pending(proposal)
    enterprise = session.get(Enterprise, proposal.enterprise_id)
    building = session.get(Building, proposal.building_id)
    assert enterprise is not None and building is not None
    before = snapshot(proposal, enterprise, building)
    data = OccupancyCreate(
        credit_code=enterprise.credit_code,
        building_code=building.code,
        spaces=[SpacePart.model_validate(s) for s in proposal.spaces],
        area=proposal.area,
        start_date=proposal.start_date,
        end_date=proposal.end_date,
        note=proposal.note,
    )
    stay = occupancy.insert_stay(session, enterprise=enterprise, building=building, data=data, actor=actor)
    proposal.status, proposal.decided_by, proposal.decided_at = "confirmed", actor, utcnow()
    proposal.occupancy_id = stay.id
    session.flush()
    _record(session, proposal, op="update", before=before, actor=actor)
    return stay


def reject(session: Session, proposal: OccupancyProposal, *, reason: str, access: Access, actor: str) -> None:
    access.require_bureau("驳回入驻申请")
    _require_pending(proposal)
    enterprise = session.get(Enterprise, proposal.enterprise_id)
    building = session.get(Building, proposal.building_id)
    assert enterprise is not None and building is not None
    before = snapshot(proposal, enterprise, building)
    proposal.status, proposal.decided_by, proposal.decided_at = "rejected", actor, utcnow()
    proposal.reason = reason.strip()
    session.flush()
    _record(session, proposal, op="update", before=before, actor=actor)


def read_models(session: Session, rows: list[OccupancyProposal]) -> list[dict[str, Any]]:
    if not rows:
        return []
    ents = {
        e.id: e for e in session.scalars(select(Enterprise).where(Enterprise.id.in_({p.enterprise_id for p in rows})))
    }
    blds = {b.id: b for b in session.scalars(select(Building).where(Building.id.in_({p.building_id for p in rows})))}
    space_ids = {int(s["id"]) for p in rows for s in p.spaces}
    sps = {s.id: s for s in session.scalars(select(Space).where(Space.id.in_(space_ids)))} if space_ids else {}
    streets = street_names(session)
    out = []
    for p in rows:
        e, b = ents[p.enterprise_id], blds[p.building_id]
        parts = [
            {
                "id": sps[int(s["id"])].id,
                "floor": sps[int(s["id"])].floor,
                "unit": sps[int(s["id"])].unit,
                "area": s["area"] if s.get("area") is not None else sps[int(s["id"])].area,
            }
            for s in p.spaces
            if int(s["id"]) in sps
        ]
        area = p.area if p.area is not None else (round(sum(x["area"] for x in parts), 2) if parts else None)
        out.append(
            {
                "id": p.id,
                "status": p.status,
                "status_label": PROPOSAL_STATUSES[p.status],
                "credit_code": e.credit_code,
                "enterprise_name": e.name,
                "building_code": b.code,
                "building_name": b.name,
                "street_code": b.street_code,
                "street_name": streets.get(b.street_code, b.street_code),
                "spaces": parts,
                "area": area,
                "start_date": p.start_date,
                "end_date": p.end_date,
                "note": p.note,
                "proposed_by": p.proposed_by,
                "proposed_at": p.proposed_at,
                "decided_by": p.decided_by,
                "decided_at": p.decided_at,
                "reason": p.reason,
                "occupancy_id": p.occupancy_id,
                "version": p.version,
            }
        )
    return out
