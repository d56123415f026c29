"""待办 source: parts my units report on whose report is due within a week or past due."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tasks.access import Actor
from tasks.config import get_settings
from tasks.inbox.schemas import InboxItem
from tasks.parts import service

KIND = "part"
WITHIN_DAYS = 7


def items(session: Session, *, actor: Actor, today: date) -> list[InboxItem]:
    """A report due on one of my parts (the reporting cycle), from a week before its date."""
    units = service.reportable_units(actor)
    if not units:
        return []
    settings = get_settings()
    due = service.due_parts(
        session,
        unit_codes=units,
        today=today,
        within_days=WITHIN_DAYS,
        grace_days=settings.tasks_report_grace_days,
        default_day=settings.tasks_report_day,
    )
    return [
        InboxItem(
            kind=KIND,
            title=f"报送分项进展：{d.task_title}",
            due_date=d.due_date,
            overdue=d.due_date < today,
            link=f"/tasks/{d.task_id}",
            source_id=str(d.part_id),
        )
        for d in due
    ]
