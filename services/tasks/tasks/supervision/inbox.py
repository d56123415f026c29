"""督办 in the 待办: notices the actor's units must answer; for the bureau (督办单位), answers to close."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.access import Actor
from tasks.inbox.schemas import InboxItem
from tasks.supervision.models import LEVELS, SupervisionNotice
from tasks.units.models import Unit
from tasks.work.models import Task

KIND = "supervision"


def items(session: Session, *, actor: Actor, today: date) -> list[InboxItem]:
    """Open notices addressed to the actor's units (回复); the bureau also gets answered ones (办结)."""
    found: list[InboxItem] = []
    if actor.unit_codes and not actor.manages_all:
        rows = session.execute(
            select(SupervisionNotice, Task.title)
            .join(Task, Task.id == SupervisionNotice.task_id)
            .where(SupervisionNotice.status == "open", SupervisionNotice.unit_code.in_(actor.unit_codes))
        ).all()
        found += [
            InboxItem(
                kind=KIND,
                title=f"回复{LEVELS.get(n.level, '督办')}单：{title}",
                due_date=n.respond_by,
                overdue=n.respond_by < today,
                link="/supervision?status=open",
                source_id=str(n.id),
            )
            for n, title in rows
        ]
    if actor.manages_all:
        rows = session.execute(
            select(SupervisionNotice, Task.title, Unit.name)
            .join(Task, Task.id == SupervisionNotice.task_id)
            .join(Unit, Unit.code == SupervisionNotice.unit_code)
            .where(SupervisionNotice.status == "responded")
        ).all()
        found += [
            InboxItem(
                kind=KIND,
                title=f"审核{name}的督办回复并办结：{title}",
                due_date=None,
                overdue=False,
                link="/supervision?status=responded",
                source_id=str(n.id),
            )
            for n, title, name in rows
        ]
    return found
