"""Counts for the 大屏: 督办 notices and 整改意见 shares in the whole district."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from tasks.inspections import service as inspections
from tasks.supervision.models import SupervisionNotice


def todo_counts(session: Session, *, today: date) -> dict[str, int]:
    """督办 open / answered / overdue, 整改意见 open / overdue / closed (district-wide)."""
    open_, responded, overdue = session.execute(
        select(
            func.sum(case((SupervisionNotice.status == "open", 1), else_=0)),
            func.sum(case((SupervisionNotice.status == "responded", 1), else_=0)),
            func.sum(case(((SupervisionNotice.status == "open") & (SupervisionNotice.respond_by < today), 1), else_=0)),
        ).where(SupervisionNotice.status != "closed")
    ).one()
    opinions = inspections.figures(session, today=today)
    return {
        "supervision_open": int(open_ or 0),
        "supervision_responded": int(responded or 0),
        "supervision_overdue": int(overdue or 0),
        "opinions_open": opinions["open"],
        "opinions_overdue": opinions["overdue"],
        "opinions_closed": opinions["closed"],
    }
