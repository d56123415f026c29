"""待办 source: year summaries my unit still owes (not started, draft, or returned for changes)
on plans whose 总结验收 phase has begun."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.access import Actor
from tasks.inbox.schemas import InboxItem
from tasks.plans.models import Plan
from tasks.summaries import service
from tasks.summaries.models import STATUSES


def items(session: Session, *, actor: Actor, today: date) -> list[InboxItem]:
    """A summary to write or rewrite, per plan in its 总结验收 phase (or past it)."""
    if not actor.unit_codes:
        return []
    out = []
    for plan in session.scalars(select(Plan).order_by(Plan.id)):
        phase = service.phase_of(session, plan)
        if phase is None or (phase.start_date and phase.start_date > today):
            continue
        units = service.responsible_units(session, plan)
        done = {
            s.unit_code: s.status
            for s in session.scalars(select(service.UnitSummary).where(service.UnitSummary.plan_id == plan.id))
        }
        for code in sorted(actor.unit_codes & units.keys()):
            status = done.get(code, "missing")
            if status in ("submitted", "accepted"):
                continue
            out.append(
                InboxItem(
                    kind="summary",
                    title=f"年度工作总结（{STATUSES[status]}）：{plan.title}",
                    link=f"/summaries/{code}?plan={plan.id}",
                    due_date=phase.end_date,
                    overdue=bool(phase.end_date and phase.end_date < today),
                    source_id=f"{plan.id}:{code}",
                )
            )
    return out
