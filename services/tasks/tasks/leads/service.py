"""Leads: created from a visit or by hand, moved along new → contacted → negotiating → signed / lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.errors import Conflict, Forbidden, Invalid, NotFound
from louyu_kit.files import chinese_date
from louyu_kit.paging import PageParams, paginate
from louyu_kit.privacy import mask_phone
from tasks.access import Actor
from tasks.db import feed
from tasks.leads.models import STAGES, Lead, LeadStep
from tasks.leads.schemas import LeadCreate, LeadFields, LeadMove, LeadUpdate
from tasks.visits.fields import resolve_unit

NEEDS = ("area_min", "area_max", "industry_code", "needed_by", "budget_rent", "budget_total", "floor_min", "floor_max")
ORDER = ["new", "contacted", "negotiating", "signed"]
FINAL = {"signed", "lost"}


def lead_filter(actor: Actor) -> ColumnElement[bool]:
    """Leads a caller may read: bureau and leader all; streets those of their streets; a unit
    the leads it follows up; a 楼长 the leads they recorded."""
    if actor.roles & {"bureau", "leader"}:
        return true()
    clauses: list[ColumnElement[bool]] = [Lead.created_by == actor.username]
    if "street" in actor.roles and actor.street_codes:
        clauses.append(Lead.street_code.in_(actor.street_codes))
    if actor.unit_codes and actor.roles & {"department", "street"}:
        clauses.append(Lead.owner_unit_code.in_(actor.unit_codes))
    return or_(*clauses) if clauses else false()


def can_write(actor: Actor, lead: Lead) -> bool:
    if "bureau" in actor.roles:
        return True
    if "leader" in actor.roles and not actor.roles & {"street", "department", "chief"}:
        return False
    if lead.created_by == actor.username:
        return True
    if "street" in actor.roles and lead.street_code in actor.street_codes:
        return True
    return bool(lead.owner_unit_code and lead.owner_unit_code in actor.unit_codes)


def check_needs(values: dict[str, Any]) -> None:
    """A range's lower bound may not exceed its upper bound (面积, 楼层)."""
    for low, high, label in (("area_min", "area_max", "需求面积"), ("floor_min", "floor_max", "意向楼层")):
        a, b = values.get(low), values.get(high)
        if a is not None and b is not None and a > b:
            raise Invalid(f"{label}下限不能大于上限", fields=[{"field": low, "message": f"不能大于{label}上限 {b}"}])


def get(session: Session, lead_id: int, *, actor: Actor) -> Lead:
    lead = session.scalar(select(Lead).where(Lead.id == lead_id, lead_filter(actor)))
    if lead is None:
        raise NotFound(f"招商线索 {lead_id} 不存在", error="LeadNotFound")
    return lead


def snapshot(lead: Lead) -> dict[str, Any]:
    """The lead as the change feed carries it (the phone number masked)."""
    return {
        "id": lead.id,
        "company_name": lead.company_name,
        "credit_code": lead.credit_code,
        "industry": lead.industry,
        "area_wanted": lead.area_wanted,
        "building_code": lead.building_code,
        "street_code": lead.street_code,
        "source_visit_id": lead.source_visit_id,
        "owner_unit_code": lead.owner_unit_code,
        "stage": lead.stage,
        "stage_date": lead.stage_date,
    }


def read_model(lead: Lead, steps: list[LeadStep] | None = None) -> dict[str, Any]:
    data = snapshot(lead)
    data.update({name: getattr(lead, name) for name in NEEDS})
    data.update(
        contact_name=lead.contact_name,
        contact_phone=mask_phone(lead.contact_phone),
        note=lead.note,
        stage_label=STAGES[lead.stage],
        created_by=lead.created_by,
        created_at=lead.created_at,
        version=lead.version,
        steps=[
            {
                "stage_before": s.stage_before,
                "stage_after": s.stage_after,
                "stage_label": STAGES[s.stage_after],
                "step_date": s.step_date,
                "note": s.note,
                "actor": s.actor,
                "created_at": s.created_at,
            }
            for s in steps or []
        ],
    )
    return data


def steps_of(session: Session, lead: Lead) -> list[LeadStep]:
    return list(session.scalars(select(LeadStep).where(LeadStep.lead_id == lead.id).order_by(LeadStep.id)))


def create(
    session: Session,
    *,
    data: LeadFields,
    actor: Actor,
    building_code: str | None = None,
    street_code: str | None = None,
    source_visit_id: int | None = None,
    owner_unit_code: str | None = None,
    found_date: date | None = None,
) -> Lead:
    """A new lead at stage ``new`` (building and street already checked by the caller)."""
    found_date = found_date or today_in_china()
    if found_date > today_in_china():
        raise Invalid("发现线索的日期不能晚于今天", fields=[{"field": "found_date", "message": "不能晚于今天"}])
    fields = data.model_dump(include=set(LeadFields.model_fields))
    check_needs(fields)
    fields["contact_phone"] = fields["contact_phone"] or ""
    lead = Lead(
        **fields,
        building_code=building_code,
        street_code=street_code,
        source_visit_id=source_visit_id,
        owner_unit_code=owner_unit_code,
        stage="new",
        stage_date=found_date,
        created_by=actor.username,
    )
    session.add(lead)
    session.flush()
    session.add(
        LeadStep(lead_id=lead.id, stage_before=None, stage_after="new", step_date=lead.stage_date, actor=actor.username)
    )
    feed.record(session, entity="lead", entity_id=lead.id, op="create", data=snapshot(lead), actor=actor.username)
    return lead


def create_standalone(session: Session, *, data: LeadCreate, actor: Actor, street_code: str | None) -> Lead:
    owner = resolve_unit(session, data.owner_unit, field="owner_unit")
    return create(
        session,
        data=data,
        actor=actor,
        building_code=data.building_code,
        street_code=street_code,
        source_visit_id=data.source_visit_id,
        owner_unit_code=owner,
        found_date=data.found_date,
    )


def update(session: Session, lead: Lead, *, data: LeadUpdate, actor: Actor) -> Lead:
    if not can_write(actor, lead):
        raise Forbidden(f"您不能修改招商线索“{lead.company_name}”")
    values = data.model_dump(exclude_unset=True)
    if "owner_unit" in values:
        values["owner_unit_code"] = resolve_unit(session, values.pop("owner_unit"), field="owner_unit")
    if "contact_phone" in values:
        values["contact_phone"] = values["contact_phone"] or ""
    for key in ("company_name", "industry", "contact_name", "note"):
        if key in values and values[key] is None:
            raise Invalid(f"{key} 不能为空", fields=[{"field": key, "message": "不能为空"}])
    check_needs({name: values.get(name, getattr(lead, name)) for name in NEEDS})
    for key, value in values.items():
        setattr(lead, key, value)
    session.flush()
    feed.record(session, entity="lead", entity_id=lead.id, op="update", data=snapshot(lead), actor=actor.username)
    return lead


def move(session: Session, lead: Lead, *, data: LeadMove, actor: Actor) -> Lead:
    """Move the lead to a later stage (or to lost); signed and lost are final."""
    if not can_write(actor, lead):
        raise Forbidden(f"您不能推进招商线索“{lead.company_name}”")
    if lead.stage in FINAL:
        raise Conflict(f"线索已{STAGES[lead.stage]}，不能再变更阶段", error="LeadClosed")
    if data.stage == lead.stage:
        raise Conflict(f"线索已处于“{STAGES[lead.stage]}”阶段", error="SameStage")
    if data.stage != "lost" and ORDER.index(data.stage) < ORDER.index(lead.stage):
        raise Conflict(f"线索不能从“{STAGES[lead.stage]}”退回到“{STAGES[data.stage]}”", error="StageBackwards")
    when = data.step_date or today_in_china()
    if when > today_in_china():
        raise Invalid("发生日期不能晚于今天", fields=[{"field": "step_date", "message": "不能晚于今天"}])
    if when < lead.stage_date:
        raise Invalid(
            f"发生日期不能早于上一阶段的日期 {chinese_date(lead.stage_date)}",
            fields=[{"field": "step_date", "message": f"不能早于 {chinese_date(lead.stage_date)}"}],
        )
    if data.stage == "lost" and not data.note:
        raise Invalid("线索流失时请写明原因", fields=[{"field": "note", "message": "请写明流失原因"}])
    session.add(
        LeadStep(
            lead_id=lead.id,
            stage_before=lead.stage,
            stage_after=data.stage,
            step_date=when,
            note=data.note,
            actor=actor.username,
        )
    )
    lead.stage = data.stage
    lead.stage_date = when
    session.flush()
    feed.record(session, entity="lead", entity_id=lead.id, op="update", data=snapshot(lead), actor=actor.username)
    return lead


@dataclass(frozen=True)
class LeadFilters:
    stage: str | None = None
    street: str | None = None
    building: str | None = None
    unit: str | None = None
    q: str | None = None
    visit_id: int | None = None


def list_page(session: Session, *, actor: Actor, filters: LeadFilters, page: PageParams) -> tuple[list[Lead], int]:
    stmt = select(Lead).where(lead_filter(actor))
    if filters.stage:
        stmt = stmt.where(Lead.stage == filters.stage)
    if filters.street:
        stmt = stmt.where(Lead.street_code == filters.street)
    if filters.building:
        stmt = stmt.where(Lead.building_code == filters.building)
    if filters.unit:
        stmt = stmt.where(Lead.owner_unit_code == filters.unit)
    if filters.visit_id is not None:
        stmt = stmt.where(Lead.source_visit_id == filters.visit_id)
    if filters.q:
        stmt = stmt.where(Lead.company_name.contains(filters.q, autoescape=True))
    return paginate(session, stmt.order_by(Lead.id.desc()), page)
