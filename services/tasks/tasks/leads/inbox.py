"""线索匹配 in the 待办: open leads matched to a vacant space of the 楼长's buildings at or above
the threshold (kept when the lead's or the space's matches were last read)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tasks.access import Actor
from tasks.inbox.schemas import InboxItem
from tasks.leads import matches

KIND = "lead_match"


def items(session: Session, *, actor: Actor, today: date) -> list[InboxItem]:
    if "chief" not in actor.roles:
        return []
    return [
        InboxItem(
            kind=KIND,
            title=f"线索“{lead.company_name}”匹配{m.building_name}{m.space_label}（匹配度 {m.score}）",
            due_date=lead.needed_by,
            overdue=bool(lead.needed_by and lead.needed_by < today),
            link=f"/buildings/{m.building_code}?space={m.space_id}",
            source_id=f"{m.lead_id}:{m.space_id}",
        )
        for m, lead in matches.inbox_items(session, chief_username=actor.username)
    ]
