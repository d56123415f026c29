"""待办 source: 整改意见 assigned to the caller's unit that wait for its answer (the integrator
connects ``items`` to the inbox)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.access import Actor
from tasks.inspections.models import STATUSES, Opinion, OpinionAssignment
from tasks.inspections.service import AWAITING_UNIT


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for the caller: what, where it is done (an SPA path), by when."""

    kind: str
    title: str
    link: str
    due_date: date | None
    overdue: bool
    note: str = ""


def items(session: Session, *, actor: Actor, today: date) -> list[InboxItem]:
    """整改意见 my unit must answer (open or sent back), the earliest deadline first."""
    if not actor.unit_codes:
        return []
    rows = session.execute(
        select(OpinionAssignment, Opinion)
        .join(Opinion, Opinion.id == OpinionAssignment.opinion_id)
        .where(OpinionAssignment.unit_code.in_(actor.unit_codes), OpinionAssignment.status.in_(AWAITING_UNIT))
        .order_by(Opinion.deadline, Opinion.id)
    ).all()
    return [
        InboxItem(
            kind="opinion",
            title=f"整改意见：{o.text[:40]}",
            link=f"/inspections/{o.inspection_id}?opinion={o.id}",
            due_date=o.deadline,
            overdue=o.deadline < today,
            note=STATUSES[a.status] + (f"（退回理由：{a.return_reason}）" if a.status == "returned" else ""),
        )
        for a, o in rows
    ]
