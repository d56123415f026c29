"""An enterprise's visits, demands, leads, policy applications and deliveries, events and
招商共享中心 stays, each filtered by the caller's own scope (the scope functions of the domains
that own them); and the policies it fits, matched by tasks/policies/match.py on registry's facts."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from tasks.access import Actor
from tasks.centres.models import LEVELS as CENTRE_LEVELS
from tasks.centres.models import CentreStay, SharingCentre
from tasks.centres.service import centre_filter, in_force
from tasks.demands.models import CATEGORIES, STATUSES, Demand
from tasks.demands.service import demand_filter
from tasks.events.models import EVENT_KINDS, BuildingEvent, EventInvitee
from tasks.events.service import event_filter
from tasks.leads.models import STAGES, Lead
from tasks.leads.service import lead_filter
from tasks.policies import service as policies
from tasks.policies.match import BuildingFacts, EnterpriseFacts
from tasks.policies.models import Policy, PolicyApplication, PolicyDelivery
from tasks.visits.models import TENANT_MOVES, Visit, VisitTenant
from tasks.visits.service import visit_filter

LIMIT = 200


def record(
    session: Session,
    *,
    enterprise: EnterpriseFacts,
    buildings: dict[str, BuildingFacts],
    actor: Actor,
    today: date,
) -> dict[str, Any]:
    """What tasks knows of one enterprise (the caller already may read the enterprise)."""
    credit_code, name = enterprise.credit_code, enterprise.name
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
    applications = list(
        session.scalars(
            select(PolicyApplication)
            .where(PolicyApplication.credit_code == credit_code, policies.application_filter(actor))
            .order_by(PolicyApplication.applied_on.desc(), PolicyApplication.id.desc())
            .limit(LIMIT)
        )
    )
    deliveries = list(
        session.scalars(
            select(PolicyDelivery)
            .where(
                or_(
                    PolicyDelivery.credit_code == credit_code,
                    (PolicyDelivery.credit_code.is_(None)) & (PolicyDelivery.enterprise_name == name),
                ),
                policies.delivery_filter(actor),
            )
            .order_by(PolicyDelivery.delivered_on.desc(), PolicyDelivery.id.desc())
            .limit(LIMIT)
        )
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
        "policy_matches": _policy_matches(session, enterprise, buildings, applications, deliveries, today),
        "applications": [
            {k: a[k] for k in _APPLICATION_FIELDS} for a in policies.application_reads(session, applications)
        ],
        "deliveries": [{k: d[k] for k in _DELIVERY_FIELDS} for d in policies.delivery_reads(session, deliveries)],
        "events": _events(session, credit_code, actor),
        "centre_stays": _centre_stays(session, credit_code, actor, today),
    }


_APPLICATION_FIELDS = (
    "id",
    "policy_id",
    "policy_title",
    "status",
    "status_label",
    "applied_on",
    "amount_granted",
    "paid_on",
    "building_name",
    "note",
)
_DELIVERY_FIELDS = (
    "id",
    "policy_id",
    "policy_title",
    "method",
    "method_label",
    "delivered_on",
    "delivered_by",
    "visit_id",
    "building_code",
    "note",
)


def _policy_matches(
    session: Session,
    enterprise: EnterpriseFacts,
    buildings: dict[str, BuildingFacts],
    applications: list[PolicyApplication],
    deliveries: list[PolicyDelivery],
    today: date,
) -> list[dict[str, Any]]:
    """Policies in force (not past 有效期) the enterprise fits, with the reasons."""
    in_force_policies = session.scalars(
        select(Policy)
        .where(or_(Policy.valid_until.is_(None), Policy.valid_until >= today))
        .order_by(Policy.published_on.desc().nulls_last(), Policy.id.desc())
        .limit(LIMIT)
    )
    applied = {a.policy_id for a in applications}
    delivered = {d.policy_id for d in deliveries}
    out = []
    for policy in in_force_policies:
        found = policies.matches(policy, [enterprise], buildings)
        if not found:
            continue
        out.append(
            {
                "policy_id": policy.id,
                "title": policy.title,
                "issuer": policy.issuer,
                "level": policy.level,
                "valid_until": policy.valid_until,
                "apply_until": policy.apply_until,
                "reasons": found[0].reasons,
                "delivered": policy.id in delivered,
                "applied": policy.id in applied,
            }
        )
    return out


def _events(session: Session, credit_code: str, actor: Actor) -> list[dict[str, Any]]:
    """Events (in the caller's scope) the enterprise was invited to."""
    invited = select(EventInvitee.name).where(
        EventInvitee.event_id == BuildingEvent.id, EventInvitee.credit_code == credit_code
    )
    rows = session.execute(
        select(BuildingEvent, invited.limit(1).scalar_subquery())
        .where(exists(invited), event_filter(actor))
        .order_by(BuildingEvent.event_date.desc(), BuildingEvent.id.desc())
        .limit(LIMIT)
    ).all()
    return [
        {
            "id": e.id,
            "kind": e.kind,
            "kind_label": EVENT_KINDS.get(e.kind, e.kind),
            "title": e.title,
            "event_date": e.event_date,
            "building_code": e.building_code,
            "building_name": e.building_name,
            "place": e.place,
            "attendance": e.attendance,
            "invited_as": invited_as or "",
        }
        for e, invited_as in rows
    ]


def _centre_stays(session: Session, credit_code: str, actor: Actor, today: date) -> list[dict[str, Any]]:
    """The enterprise's stays in 招商共享中心 the caller may read."""
    rows = session.execute(
        select(CentreStay, SharingCentre)
        .join(SharingCentre, SharingCentre.id == CentreStay.centre_id)
        .where(CentreStay.credit_code == credit_code, centre_filter(actor))
        .order_by(CentreStay.start_date.desc(), CentreStay.id.desc())
        .limit(LIMIT)
    ).all()
    return [
        {
            "id": stay.id,
            "centre_id": centre.id,
            "centre_name": centre.name,
            "centre_level": centre.level,
            "centre_level_label": CENTRE_LEVELS.get(centre.level, centre.level),
            "start_date": stay.start_date,
            "end_date": stay.end_date,
            "current": in_force(stay, today),
            "desks": stay.desks,
            "note": stay.note,
        }
        for stay, centre in rows
    ]
