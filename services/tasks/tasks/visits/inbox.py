"""扫楼 in the 待办: the 楼长's buildings of a current round not yet visited in it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.access import Actor
from tasks.inbox.schemas import InboxItem
from tasks.visits.models import Visit, VisitRound, VisitRoundBuilding

KIND = "visit"
# A round that ended stays in the 待办 (overdue) this many days, then the bureau's coverage
# report is where a missed building shows.
GRACE_DAYS = 30


def items(session: Session, *, actor: Actor, today: date) -> list[InboxItem]:
    if "chief" not in actor.roles:
        return []
    visited = select(Visit.id).where(
        Visit.round_id == VisitRoundBuilding.round_id, Visit.building_code == VisitRoundBuilding.building_code
    )
    rows = session.execute(
        select(VisitRoundBuilding, VisitRound)
        .join(VisitRound, VisitRound.id == VisitRoundBuilding.round_id)
        .where(
            VisitRoundBuilding.chief_username == actor.username,
            VisitRound.start_date <= today,
            VisitRound.end_date >= today - timedelta(days=GRACE_DAYS),
            ~visited.exists(),
        )
    ).all()
    return [
        InboxItem(
            kind=KIND,
            title=f"走访{b.building_name}（{r.name}）",
            due_date=r.end_date,
            overdue=r.end_date < today,
            link=f"/m/visit/{b.building_code}",
            source_id=f"{r.id}:{b.building_code}",
        )
        for b, r in rows
    ]
