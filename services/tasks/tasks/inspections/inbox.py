"""待办 source: 整改意见 assigned to the caller's unit that wait for its answer."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.access import Actor
from tasks.inbox.schemas import InboxItem
from tasks.inspections.models import STATUSES, Opinion, OpinionAssignment
from tasks.inspections.service import AWAITING_UNIT


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
            title=f"答复整改意见（{STATUSES[a.status]}）：{o.text[:40]}",
            link=f"/inspections/{o.inspection_id}?opinion={o.id}",
            due_date=o.deadline,
            overdue=o.deadline < today,
            source_id=str(a.id),
        )
        for a, o in rows
    ]
