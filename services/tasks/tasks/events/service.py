"""楼宇活动: recorded by the bureau or a street, read in the caller's scope, counted for 考核.

Scope: the bureau and leaders read every event; a street reads the events of its streets and
those its units organise; a department (or a 楼长) the events its units organise. The bureau
records any event; a street only events of its own streets.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, exists, false, or_, select, true
from sqlalchemy import delete as delete_rows
from sqlalchemy.orm import Session

from louyu_kit.errors import Forbidden, Invalid, NotFound
from tasks.access import Actor
from tasks.demands import service as demands
from tasks.demands.models import STATUSES as DEMAND_STATUSES
from tasks.demands.models import Demand
from tasks.events.models import (
    EVENT_KINDS,
    INVITEE_CATEGORIES,
    OUTCOME_KINDS,
    BuildingEvent,
    EventInvitee,
    EventOutcome,
    EventUnit,
)
from tasks.events.schemas import EventCreate, EventUpdate
from tasks.leads import service as leads
from tasks.leads.models import STAGES, Lead
from tasks.units.models import Unit
from tasks.visits.fields import resolve_units

DISTRICT = "全区"


def event_filter(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause on ``BuildingEvent`` for the events the caller may read."""
    if actor.roles & {"bureau", "leader"}:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if "street" in actor.roles and actor.street_codes:
        clauses.append(BuildingEvent.street_code.in_(actor.street_codes))
    if actor.unit_codes:
        clauses.append(
            exists(
                select(EventUnit.event_id).where(
                    EventUnit.event_id == BuildingEvent.id, EventUnit.unit_code.in_(actor.unit_codes)
                )
            )
        )
    return or_(*clauses) if clauses else false()


def can_record(actor: Actor) -> bool:
    return "bureau" in actor.roles or ("street" in actor.roles and bool(actor.street_codes))


def get(session: Session, event_id: int, *, actor: Actor) -> BuildingEvent:
    event = session.scalar(select(BuildingEvent).where(BuildingEvent.id == event_id, event_filter(actor)))
    if event is None:
        raise NotFound(f"楼宇活动 {event_id} 不存在", error="EventNotFound")
    return event


def street_of_place(actor: Actor, written: str | None, session: Session) -> str | None:
    """The street of an event held outside a building: the one written (checked), a street
    user's own single street, or none (a district-wide event of the bureau)."""
    if written:
        unit = session.get(Unit, written)
        if unit is None or unit.kind != "street":
            raise Invalid(
                f"街道代码“{written}”不是武昌区的街道", fields=[{"field": "street_code", "message": "街道不存在"}]
            )
        return written
    if "bureau" in actor.roles:
        return None
    if len(actor.street_codes) == 1:
        return actor.street_codes[0]
    raise Invalid("请填写活动所属街道", fields=[{"field": "street_code", "message": "请选择街道"}])


def _check_street(actor: Actor, street_code: str | None) -> None:
    if "bureau" in actor.roles:
        return
    if street_code is None or street_code not in actor.street_codes:
        raise Forbidden("街道只能登记本街道的楼宇活动")


def _outcome_ids(session: Session, actor: Actor, lead_ids: list[int], demand_ids: list[int]) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for index, lead_id in enumerate(dict.fromkeys(lead_ids)):
        if session.scalar(select(Lead.id).where(Lead.id == lead_id, leads.lead_filter(actor))) is None:
            raise Invalid(
                f"招商线索 {lead_id} 不存在或不在您的范围内",
                fields=[{"field": f"lead_ids.{index}", "message": "线索不存在"}],
            )
        found.append(("lead", lead_id))
    for index, demand_id in enumerate(dict.fromkeys(demand_ids)):
        if session.scalar(select(Demand.id).where(Demand.id == demand_id, demands.demand_filter(actor))) is None:
            raise Invalid(
                f"企业诉求 {demand_id} 不存在或不在您的范围内",
                fields=[{"field": f"demand_ids.{index}", "message": "诉求不存在"}],
            )
        found.append(("demand", demand_id))
    return found


def create(
    session: Session,
    *,
    data: EventCreate,
    actor: Actor,
    building_name: str = "",
    street_code: str | None,
) -> BuildingEvent:
    """Record an event (the building, read from registry in the caller's scope, gives the street)."""
    if not can_record(actor):
        raise Forbidden("只有区商务局和街道可以登记楼宇活动")
    if not data.building_code and not data.place:
        raise Invalid("请填写举办楼宇或举办地点", fields=[{"field": "place", "message": "楼宇和地点至少填一项"}])
    _check_street(actor, street_code)
    units = resolve_units(session, data.units, field="units")
    outcomes = _outcome_ids(session, actor, data.lead_ids, data.demand_ids)
    event = BuildingEvent(
        kind=data.kind,
        title=data.title,
        event_date=data.event_date,
        building_code=data.building_code,
        building_name=building_name,
        place=data.place,
        street_code=street_code,
        attendance=data.attendance,
        policies=data.policies,
        summary=data.summary,
        created_by=actor.username,
    )
    session.add(event)
    session.flush()
    for position, code in enumerate(units):
        session.add(EventUnit(event_id=event.id, unit_code=code, position=position))
    for invitee in data.invitees:
        session.add(
            EventInvitee(
                event_id=event.id, category=invitee.category, name=invitee.name, credit_code=invitee.credit_code
            )
        )
    for kind, ref_id in outcomes:
        session.add(EventOutcome(event_id=event.id, kind=kind, ref_id=ref_id))
    session.flush()
    return event


def update(session: Session, event: BuildingEvent, *, data: EventUpdate, actor: Actor) -> BuildingEvent:
    """Change what is known after the event (the caller checked the version)."""
    if not can_record(actor):
        raise Forbidden("只有区商务局和街道可以修改楼宇活动")
    _check_street(actor, event.street_code)
    values = data.model_dump(exclude_unset=True)
    for key in ("title", "policies", "summary"):
        if values.get(key) is not None:
            setattr(event, key, values[key])
    if "attendance" in values:
        event.attendance = values["attendance"]
    if data.invitees is not None:
        session.execute(delete_rows(EventInvitee).where(EventInvitee.event_id == event.id))
        for invitee in data.invitees:
            session.add(
                EventInvitee(
                    event_id=event.id, category=invitee.category, name=invitee.name, credit_code=invitee.credit_code
                )
            )
    for kind, ids in (("lead", data.lead_ids), ("demand", data.demand_ids)):
        if ids is None:
            continue
        checked = _outcome_ids(session, actor, ids if kind == "lead" else [], ids if kind == "demand" else [])
        session.execute(delete_rows(EventOutcome).where(EventOutcome.event_id == event.id, EventOutcome.kind == kind))
        for _, ref_id in checked:
            session.add(EventOutcome(event_id=event.id, kind=kind, ref_id=ref_id))
    event.version += 1
    session.flush()
    return event


def delete(session: Session, event: BuildingEvent, *, actor: Actor) -> None:
    if not can_record(actor):
        raise Forbidden("只有区商务局和街道可以删除楼宇活动")
    _check_street(actor, event.street_code)
    session.delete(event)
    session.flush()


@dataclass
class EventFilters:
    date_from: date | None = None
    date_to: date | None = None
    kind: str | None = None
    street: str | None = None
    unit: str | None = None
    building: str | None = None


def select_events(actor: Actor, filters: EventFilters) -> Any:
    stmt = select(BuildingEvent).where(event_filter(actor))
    if filters.date_from:
        stmt = stmt.where(BuildingEvent.event_date >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(BuildingEvent.event_date <= filters.date_to)
    if filters.kind:
        stmt = stmt.where(BuildingEvent.kind == filters.kind)
    if filters.street:
        stmt = stmt.where(BuildingEvent.street_code == filters.street)
    if filters.building:
        stmt = stmt.where(BuildingEvent.building_code == filters.building)
    if filters.unit:
        stmt = stmt.where(
            exists(
                select(EventUnit.event_id).where(
                    EventUnit.event_id == BuildingEvent.id, EventUnit.unit_code == filters.unit
                )
            )
        )
    return stmt


def _names(session: Session, codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    return dict(session.execute(select(Unit.code, Unit.name).where(Unit.code.in_(codes))).all())


def read_models(session: Session, events: list[BuildingEvent]) -> list[dict[str, Any]]:
    """Events with their units, invitees and outcomes (a few queries for the whole list)."""
    ids = [e.id for e in events]
    if not ids:
        return []
    units: dict[int, list[str]] = defaultdict(list)
    for row in session.scalars(select(EventUnit).where(EventUnit.event_id.in_(ids)).order_by(EventUnit.position)):
        units[row.event_id].append(row.unit_code)
    invitees: dict[int, list[EventInvitee]] = defaultdict(list)
    for row in session.scalars(select(EventInvitee).where(EventInvitee.event_id.in_(ids)).order_by(EventInvitee.id)):
        invitees[row.event_id].append(row)
    outcomes: dict[int, list[EventOutcome]] = defaultdict(list)
    for row in session.scalars(select(EventOutcome).where(EventOutcome.event_id.in_(ids))):
        outcomes[row.event_id].append(row)
    lead_ids = {o.ref_id for rows in outcomes.values() for o in rows if o.kind == "lead"}
    demand_ids = {o.ref_id for rows in outcomes.values() for o in rows if o.kind == "demand"}
    lead_rows = {x.id: x for x in session.scalars(select(Lead).where(Lead.id.in_(lead_ids)))} if lead_ids else {}
    demand_rows = (
        {x.id: x for x in session.scalars(select(Demand).where(Demand.id.in_(demand_ids)))} if demand_ids else {}
    )
    names = _names(
        session, {c for codes in units.values() for c in codes} | {e.street_code for e in events if e.street_code}
    )
    out = []
    for event in events:
        counts: dict[str, int] = defaultdict(int)
        for invitee in invitees[event.id]:
            counts[INVITEE_CATEGORIES.get(invitee.category, invitee.category)] += 1
        shown_outcomes = []
        for o in sorted(outcomes[event.id], key=lambda o: (o.kind != "lead", o.ref_id)):
            if o.kind == "lead" and o.ref_id in lead_rows:
                lead = lead_rows[o.ref_id]
                name, status = lead.company_name, STAGES.get(lead.stage, lead.stage)
            elif o.kind == "demand" and o.ref_id in demand_rows:
                demand = demand_rows[o.ref_id]
                name, status = demand.enterprise_name, DEMAND_STATUSES.get(demand.status, demand.status)
            else:
                continue  # a lead or demand deleted since
            shown_outcomes.append(
                {
                    "kind": o.kind,
                    "kind_label": OUTCOME_KINDS[o.kind],
                    "id": o.ref_id,
                    "name": name,
                    "status_label": status,
                }
            )
        out.append(
            {
                "id": event.id,
                "kind": event.kind,
                "kind_label": EVENT_KINDS.get(event.kind, event.kind),
                "title": event.title,
                "event_date": event.event_date,
                "building_code": event.building_code,
                "building_name": event.building_name,
                "place": event.place,
                "street_code": event.street_code,
                "street_name": names.get(event.street_code or "", ""),
                "units": [{"code": c, "name": names.get(c, c)} for c in units[event.id]],
                "invitees": [
                    {
                        "category": i.category,
                        "category_label": INVITEE_CATEGORIES.get(i.category, i.category),
                        "name": i.name,
                        "credit_code": i.credit_code,
                    }
                    for i in invitees[event.id]
                ],
                "invitee_counts": dict(counts),
                "attendance": event.attendance,
                "outcomes": shown_outcomes,
                "policies": event.policies,
                "summary": event.summary,
                "created_by": event.created_by,
                "created_at": event.created_at,
                "version": event.version,
            }
        )
    return out


def stats(session: Session, *, actor: Actor, year: int) -> dict[str, Any]:
    """Counts of the year's events in the caller's scope: by kind, street and organising unit."""
    filters = EventFilters(date_from=date(year, 1, 1), date_to=date(year, 12, 31))
    events = list(session.scalars(select_events(actor, filters)))
    by_kind: dict[str, int] = defaultdict(int)
    by_street: dict[str, int] = defaultdict(int)
    for e in events:
        by_kind[e.kind] += 1
        by_street[e.street_code or ""] += 1
    by_unit: dict[str, int] = defaultdict(int)
    if events:
        rows = session.scalars(select(EventUnit).where(EventUnit.event_id.in_([e.id for e in events])))
        for row in rows:
            by_unit[row.unit_code] += 1
    names = _names(session, set(by_unit) | {s for s in by_street if s})
    return {
        "year": year,
        "total": len(events),
        "by_kind": [
            {"code": k, "name": EVENT_KINDS.get(k, k), "count": n}
            for k, n in sorted(by_kind.items(), key=lambda x: -x[1])
        ],
        "by_street": [
            {"code": s, "name": names.get(s, s) if s else DISTRICT, "count": n}
            for s, n in sorted(by_street.items(), key=lambda x: (-x[1], x[0]))
        ],
        "by_unit": [
            {"code": u, "name": names.get(u, u), "count": n}
            for u, n in sorted(by_unit.items(), key=lambda x: (-x[1], x[0]))
        ],
    }


def counts_for_assessment(session: Session, *, start: date, end: date, as_of: date) -> dict[str, int]:
    """Unit → events held from ``start`` to ``end`` (not after ``as_of``) that count for it in
    考核: those it organised and, for a street, those held in the street; one event counts once
    per unit."""
    last = min(end, as_of)
    events = {
        e.id: e.street_code
        for e in session.scalars(
            select(BuildingEvent).where(BuildingEvent.event_date >= start, BuildingEvent.event_date <= last)
        )
    }
    if not events:
        return {}
    per_unit: dict[str, set[int]] = defaultdict(set)
    for row in session.scalars(select(EventUnit).where(EventUnit.event_id.in_(list(events)))):
        per_unit[row.unit_code].add(row.event_id)
    for event_id, street in events.items():
        if street:
            per_unit[street].add(event_id)
    return {unit: len(ids) for unit, ids in per_unit.items()}
