"""企业诉求 in the 待办: demands assigned to the actor's unit, due within ``NEAR_DAYS`` or overdue."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.access import Actor
from tasks.demands.models import CATEGORIES, Demand
from tasks.inbox.schemas import InboxItem

KIND = "demand"
# A demand enters the 待办 this many days before its deadline (and stays while it is overdue).
NEAR_DAYS = 3
# Statuses in which the assigned unit must act (开始办理 / 答复).
ACTIONABLE = ("assigned", "in_progress", "reopened")


def items(session: Session, *, actor: Actor, today: date) -> list[InboxItem]:
    """Only the users who may answer (department and street users of the assigned unit)."""
    if not actor.unit_codes or not actor.roles & {"department", "street"}:
        return []
    demands = session.scalars(
        select(Demand).where(
            Demand.unit_code.in_(actor.unit_codes),
            Demand.status.in_(ACTIONABLE),
            Demand.due_date <= today + timedelta(days=NEAR_DAYS),
        )
    ).all()
    return [
        InboxItem(
            kind=KIND,
            title=f"答复企业诉求：{d.enterprise_name}（{CATEGORIES.get(d.category, '其他')}）",
            due_date=d.due_date,
            overdue=d.due_date < today,
            link=f"/demands/{d.id}",
            source_id=str(d.id),
        )
        for d in demands
    ]
