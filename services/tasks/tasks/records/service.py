"""An enterprise's visits, demands and leads, each filtered by the caller's own scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.access import Actor
from tasks.demands.models import CATEGORIES, STATUSES, Demand
from tasks.demands.service import demand_filter
from tasks.leads.models import STAGES, Lead
from tasks.leads.service import lead_filter
from tasks.visits.models import TENANT_MOVES, Visit, VisitTenant
from tasks.visits.service import visit_filter

LIMIT = 200


def record(session: Session, *, credit_code: str, name: str, actor: Actor) -> dict[str, Any]:
    """What tasks knows of one enterprise (the caller already may read the enterprise)."""
    demands = list(
        session.scalars(
            select(Demand)
            .where(Demand.credit_code == credit_code, demand_filter(actor))
            .order_by(Demand.created_at.desc(), Demand.id.desc())
            .limit(LIMIT)
        )
    )
    leads = list(
        session.scalars(
            select(Lead)
            .where(Lead.credit_code == credit_code, lead_filter(actor))
            .order_by(Lead.id.desc())
            .limit(LIMIT)
        )
    )
    seen: dict[int, str] = {}
    tenant_rows = session.execute(
        select(VisitTenant.visit_id, VisitTenant.move).where(VisitTenant.credit_code == credit_code)
    ).all()
    for visit_id, move in tenant_rows:
        seen.setdefault(visit_id, TENANT_MOVES.get(move, move))
    for d in session.scalars(
        select(Demand).where(Demand.credit_code == credit_code, Demand.source_visit_id.is_not(None))
    ):
        seen.setdefault(d.source_visit_id, "提出诉求")  # type: ignore[arg-type]
    for lead in session.scalars(select(Lead).where(Lead.credit_code == credit_code, Lead.source_visit_id.is_not(None))):
        seen.setdefault(lead.source_visit_id, "招商线索")  # type: ignore[arg-type]
    visits = (
        list(
            session.scalars(
                select(Visit)
                .where(Visit.id.in_(seen), visit_filter(actor))
                .order_by(Visit.visit_date.desc(), Visit.id.desc())
                .limit(LIMIT)
            )
        )
        if seen
        else []
    )
    return {
        "credit_code": credit_code,
        "name": name,
        "visits": [
            {
                "id": v.id,
                "visit_date": v.visit_date,
                "building_code": v.building_code,
                "building_name": v.building_name,
                "chief_username": v.chief_username,
                "seen_as": seen[v.id],
                "notes": v.notes,
            }
            for v in visits
        ],
        "demands": [
            {
                "id": d.id,
                "category_label": CATEGORIES.get(d.category, d.category),
                "text": d.text,
                "status": d.status,
                "status_label": STATUSES.get(d.status, d.status),
                "unit_code": d.unit_code,
                "due_date": d.due_date,
                "created_at": d.created_at,
            }
            for d in demands
        ],
        "leads": [
            {
                "id": x.id,
                "company_name": x.company_name,
                "stage": x.stage,
                "stage_label": STAGES[x.stage],
                "stage_date": x.stage_date,
                "area_min": x.area_min,
                "area_max": x.area_max,
                "building_code": x.building_code,
            }
            for x in leads
        ],
    }
