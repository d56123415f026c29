"""待办 source: policies pushed to my buildings (楼长) or, for buildings without a 楼长, to my
streets (street users), not yet delivered to every fitting enterprise."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tasks.access import Actor
from tasks.inbox.schemas import InboxItem
from tasks.policies.models import Policy, PolicyPush

KIND = "policy"


def items(session: Session, *, actor: Actor, today: date) -> list[InboxItem]:
    clauses = []
    if "chief" in actor.roles:
        clauses.append(PolicyPush.chief_username == actor.username)
    if "street" in actor.roles and actor.street_codes:
        clauses.append(PolicyPush.chief_username.is_(None) & PolicyPush.street_code.in_(actor.street_codes))
    if not clauses:
        return []
    rows = session.execute(
        select(PolicyPush, Policy.title)
        .join(Policy, Policy.id == PolicyPush.policy_id)
        .where(or_(*clauses), PolicyPush.delivered_at.is_(None))
    ).all()
    return [
        InboxItem(
            kind=KIND,
            title=f"送达政策“{title}”到{p.building_name}（{len(p.enterprises or [])}家企业）",
            due_date=p.due_date,
            overdue=p.due_date is not None and p.due_date < today,
            link=f"/m/visit/{p.building_code}",
            source_id=str(p.id),
        )
        for p, title in rows
    ]
