"""Demands: submitted (on a visit or by hand) → assigned to a unit → in progress → answered →
closed with the enterprise's satisfaction, or reopened when it is not satisfied.

Who may do what:
- submit: bureau, street, chief (楼长); read: bureau and leader all, a street the demands of its
  streets' buildings and those assigned to it, a department only those assigned to its unit,
  a 楼长 those they submitted.
- assign / reassign: bureau, or the street of the demand's building.
- start / answer: only users of the assigned unit.
- close (with satisfaction) / reopen: bureau, the street of the building, or whoever submitted it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.db import utcnow
from louyu_kit.errors import Conflict, Forbidden, NotFound
from louyu_kit.paging import PageParams, paginate
from louyu_kit.privacy import mask_phone
from tasks.access import Actor
from tasks.db import feed
from tasks.demands.models import CATEGORIES, OPEN_STATUSES, STATUSES, Demand, DemandStep
from tasks.demands.schemas import DemandAnswer, DemandAssign, DemandClose, DemandFields, DemandNote, DemandReopen
from tasks.units.models import Unit
from tasks.visits.fields import resolve_unit

ACTIONS = {
    "submit": "提交",
    "assign": "交办",
    "start": "开始办理",
    "answer": "答复",
    "close": "办结",
    "reopen": "重办",
}


def parse_deadlines(text: str) -> dict[str, int]:
    """``parking=10,permits=15`` → days per category (every category gets a value; ``other`` fills gaps)."""
    days: dict[str, int] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        key, _, value = part.partition("=")
        key = key.strip()
        if key not in CATEGORIES:
            raise ValueError(f"LOUYU_TASKS_DEMAND_DEADLINES: unknown category {key!r}")
        if not value.strip().isdigit() or int(value) < 1:
            raise ValueError(f"LOUYU_TASKS_DEMAND_DEADLINES: days of {key} must be a positive integer")
        days[key] = int(value)
    fallback = days.get("other", 15)
    return {code: days.get(code, fallback) for code in CATEGORIES}


def demand_filter(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause on ``Demand`` for what the caller may read."""
    if actor.roles & {"bureau", "leader"}:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if actor.unit_codes and actor.roles & {"department", "street"}:
        clauses.append(Demand.unit_code.in_(actor.unit_codes))
    if "street" in actor.roles and actor.street_codes:
        clauses.append(Demand.street_code.in_(actor.street_codes))
    if actor.roles & {"street", "chief"}:
        clauses.append(Demand.created_by == actor.username)
    return or_(*clauses) if clauses else false()


def get(session: Session, demand_id: int, *, actor: Actor) -> Demand:
    demand = session.scalar(select(Demand).where(Demand.id == demand_id, demand_filter(actor)))
    if demand is None:
        raise NotFound(f"诉求 {demand_id} 不存在", error="DemandNotFound")
    return demand


def is_overdue(demand: Demand, today: date | None = None) -> bool:
    return demand.status in OPEN_STATUSES and demand.due_date < (today or today_in_china())


def snapshot(demand: Demand) -> dict[str, Any]:
    """The demand as the change feed carries it (no phone number)."""
    return {
        "id": demand.id,
        "enterprise_name": demand.enterprise_name,
        "credit_code": demand.credit_code,
        "building_code": demand.building_code,
        "street_code": demand.street_code,
        "source_visit_id": demand.source_visit_id,
        "category": demand.category,
        "unit_code": demand.unit_code,
        "status": demand.status,
        "due_date": demand.due_date,
        "satisfaction": demand.satisfaction,
        "reopen_count": demand.reopen_count,
    }


def unit_names(session: Session, codes: set[str | None]) -> dict[str, str]:
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    return {code: name for code, name in session.execute(select(Unit.code, Unit.name).where(Unit.code.in_(wanted)))}


def read_model(demand: Demand, names: dict[str, str], steps: list[DemandStep] | None = None) -> dict[str, Any]:
    data = snapshot(demand)
    data.update(
        category_label=CATEGORIES[demand.category],
        text=demand.text,
        contact_name=demand.contact_name,
        contact_phone=mask_phone(demand.contact_phone),
        unit_name=names.get(demand.unit_code or ""),
        status_label=STATUSES[demand.status],
        overdue=is_overdue(demand),
        answer=demand.answer,
        answered_by=demand.answered_by,
        answered_at=demand.answered_at,
        closed_at=demand.closed_at,
        created_by=demand.created_by,
        created_at=demand.created_at,
        version=demand.version,
        steps=[
            {
                "action": s.action,
                "action_label": ACTIONS[s.action],
                "status_before": s.status_before,
                "status_after": s.status_after,
                "unit_code": s.unit_code,
                "text": s.text,
                "actor": s.actor,
                "created_at": s.created_at,
            }
            for s in steps or []
        ],
    )
    return data


def steps_of(session: Session, demand: Demand) -> list[DemandStep]:
    return list(session.scalars(select(DemandStep).where(DemandStep.demand_id == demand.id).order_by(DemandStep.id)))


def _step(session: Session, demand: Demand, *, action: str, before: str | None, text: str, actor: Actor) -> None:
    session.add(
        DemandStep(
            demand_id=demand.id,
            action=action,
            status_before=before,
            status_after=demand.status,
            unit_code=demand.unit_code,
            text=text,
            actor=actor.username,
        )
    )
    session.flush()
    op = "create" if action == "submit" else "update"
    feed.record(session, entity="demand", entity_id=demand.id, op=op, data=snapshot(demand), actor=actor.username)


def create(
    session: Session,
    *,
    data: DemandFields,
    actor: Actor,
    deadlines: dict[str, int],
    building_code: str | None = None,
    street_code: str | None = None,
    source_visit_id: int | None = None,
) -> Demand:
    """A new demand; assigned at once when ``data.unit`` names the unit (building already checked)."""
    unit_code = resolve_unit(session, data.unit, field="unit")
    may_assign = "bureau" in actor.roles or ("street" in actor.roles and street_code in (None, *actor.street_codes))
    if unit_code and not may_assign:
        raise Forbidden("只有区商务局或所在街道可以指定承办单位；请不填承办单位提交，由街道或区商务局交办")
    fields = data.model_dump(include=set(DemandFields.model_fields) - {"unit"})
    fields["contact_phone"] = fields["contact_phone"] or ""
    demand = Demand(
        **fields,
        building_code=building_code,
        street_code=street_code,
        source_visit_id=source_visit_id,
        status="submitted",
        due_date=today_in_china() + timedelta(days=deadlines[data.category]),
        created_by=actor.username,
    )
    session.add(demand)
    session.flush()
    _step(session, demand, action="submit", before=None, text="", actor=actor)
    if unit_code:
        demand.unit_code = unit_code
        demand.status = "assigned"
        _step(session, demand, action="assign", before="submitted", text="", actor=actor)
    return demand


def _manages(actor: Actor, demand: Demand) -> bool:
    return "bureau" in actor.roles or ("street" in actor.roles and demand.street_code in actor.street_codes)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise Forbidden(message)


def _require_status(demand: Demand, allowed: tuple[str, ...], doing: str) -> None:
    if demand.status not in allowed:
        raise Conflict(f"诉求当前为“{STATUSES[demand.status]}”，不能{doing}", error="DemandStatus")


def assign(session: Session, demand: Demand, *, data: DemandAssign, actor: Actor) -> Demand:
    _require(_manages(actor, demand), "只有区商务局或诉求所在街道可以交办诉求")
    _require_status(demand, ("submitted", "assigned", "in_progress", "reopened"), "交办")
    unit_code = resolve_unit(session, data.unit, field="unit")
    if unit_code == demand.unit_code and demand.status in ("assigned", "in_progress"):
        raise Conflict("诉求已交办给该单位", error="SameUnit")
    before = demand.status
    demand.unit_code = unit_code
    demand.status = "assigned"
    _step(session, demand, action="assign", before=before, text=data.note, actor=actor)
    return demand


def _is_assignee(actor: Actor, demand: Demand) -> bool:
    return (
        bool(demand.unit_code) and demand.unit_code in actor.unit_codes and bool(actor.roles & {"department", "street"})
    )


def start(session: Session, demand: Demand, *, data: DemandNote, actor: Actor) -> Demand:
    _require(_is_assignee(actor, demand), "只有承办单位可以办理该诉求")
    _require_status(demand, ("assigned", "reopened"), "开始办理")
    before = demand.status
    demand.status = "in_progress"
    _step(session, demand, action="start", before=before, text=data.note, actor=actor)
    return demand


def answer(session: Session, demand: Demand, *, data: DemandAnswer, actor: Actor) -> Demand:
    _require(_is_assignee(actor, demand), "只有承办单位可以答复该诉求")
    _require_status(demand, ("assigned", "in_progress", "reopened"), "答复")
    before = demand.status
    demand.status = "answered"
    demand.answer = data.answer
    demand.answered_by = actor.username
    demand.answered_at = utcnow()
    _step(session, demand, action="answer", before=before, text=data.answer, actor=actor)
    return demand


def _follows_up(actor: Actor, demand: Demand) -> bool:
    return _manages(actor, demand) or demand.created_by == actor.username


def close(session: Session, demand: Demand, *, data: DemandClose, actor: Actor) -> Demand:
    _require(_follows_up(actor, demand), "只有区商务局、所在街道或提交人可以办结诉求")
    _require_status(demand, ("answered",), "办结（须先答复）")
    demand.status = "closed"
    demand.satisfaction = data.satisfaction
    demand.closed_at = utcnow()
    _step(session, demand, action="close", before="answered", text=data.note, actor=actor)
    return demand


def reopen(session: Session, demand: Demand, *, data: DemandReopen, actor: Actor, deadlines: dict[str, int]) -> Demand:
    _require(_follows_up(actor, demand), "只有区商务局、所在街道或提交人可以重办诉求")
    _require_status(demand, ("answered", "closed"), "重办")
    before = demand.status
    demand.status = "reopened"
    demand.reopen_count += 1
    demand.closed_at = None
    demand.satisfaction = None
    demand.due_date = today_in_china() + timedelta(days=deadlines[demand.category])
    _step(session, demand, action="reopen", before=before, text=data.reason, actor=actor)
    return demand


@dataclass(frozen=True)
class DemandFilters:
    status: str | None = None
    category: str | None = None
    unit: str | None = None
    street: str | None = None
    building: str | None = None
    visit_id: int | None = None
    overdue: bool | None = None
    q: str | None = None


def _overdue_clause(today: date) -> ColumnElement[bool]:
    return and_(Demand.status.in_(OPEN_STATUSES), Demand.due_date < today)


def list_page(session: Session, *, actor: Actor, filters: DemandFilters, page: PageParams) -> tuple[list[Demand], int]:
    stmt = select(Demand).where(demand_filter(actor))
    if filters.status:
        stmt = stmt.where(Demand.status == filters.status)
    if filters.category:
        stmt = stmt.where(Demand.category == filters.category)
    if filters.unit:
        stmt = stmt.where(Demand.unit_code == filters.unit)
    if filters.street:
        stmt = stmt.where(Demand.street_code == filters.street)
    if filters.building:
        stmt = stmt.where(Demand.building_code == filters.building)
    if filters.visit_id is not None:
        stmt = stmt.where(Demand.source_visit_id == filters.visit_id)
    if filters.overdue is True:
        stmt = stmt.where(_overdue_clause(today_in_china()))
    elif filters.overdue is False:
        stmt = stmt.where(~_overdue_clause(today_in_china()))
    if filters.q:
        stmt = stmt.where(
            or_(
                Demand.enterprise_name.contains(filters.q, autoescape=True),
                Demand.text.contains(filters.q, autoescape=True),
            )
        )
    order = (Demand.due_date, Demand.id) if filters.overdue else (Demand.id.desc(),)
    return paginate(session, stmt.order_by(*order), page)
