"""Gathers the 待办 of one actor from every source (see the package docstring)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tasks.access import Actor
from tasks.demands import inbox as demands_inbox
from tasks.inbox.schemas import InboxItem
from tasks.inspections import inbox as inspections_inbox
from tasks.leads import inbox as leads_inbox
from tasks.parts import inbox as parts_inbox
from tasks.policies import inbox as policies_inbox
from tasks.summaries import inbox as summaries_inbox
from tasks.supervision import inbox as supervision_inbox
from tasks.visits import inbox as visits_inbox

SourceFn = Callable[..., list[InboxItem]]


@dataclass(frozen=True)
class Source:
    """One domain's 待办: its kind, the kind's Chinese name, and ``items(session, *, actor, today)``."""

    kind: str
    label: str
    items: SourceFn


SOURCES: list[Source] = [
    Source("supervision", "督办", supervision_inbox.items),
    Source("demand", "企业诉求", demands_inbox.items),
    Source("visit", "扫楼走访", visits_inbox.items),
    Source("part", "进展报送", parts_inbox.items),
    Source("opinion", "整改意见", inspections_inbox.items),
    Source("summary", "总结验收", summaries_inbox.items),
    Source("policy", "政策送达", policies_inbox.items),
    Source("lead_match", "线索匹配", leads_inbox.items),
]


def _order(item: InboxItem) -> tuple[int, date, str, str]:
    return (0 if item.overdue else 1, item.due_date or date.max, item.kind, item.source_id)


def gather(session: Session, *, actor: Actor, today: date) -> dict:
    """Every item of ``actor``, overdue first then by due date, with counts per kind."""
    items: list[InboxItem] = []
    counts = []
    for source in SOURCES:
        found = source.items(session, actor=actor, today=today)
        if found:
            counts.append(
                {
                    "kind": source.kind,
                    "label": source.label,
                    "count": len(found),
                    "overdue": sum(1 for i in found if i.overdue),
                }
            )
        items.extend(found)
    items.sort(key=_order)
    return {
        "items": items,
        "counts": counts,
        "total": len(items),
        "overdue": sum(1 for i in items if i.overdue),
    }
