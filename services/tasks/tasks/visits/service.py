"""Visit rounds, visits and their coverage.

A visit's space changes are written through to registry with the 楼长's own token (registry
applies the chief's scope and each space's version). Order, so that nothing is half-saved:
1. everything checked first: the building (registry, in the caller's scope), the spaces
   (registry: they belong to the building, versions), units, the round;
2. the visit and its tenants, leads and demands are flushed to tasks' database (not committed);
3. the space changes are sent to registry one by one;
4. the request's session commits when the route returns.
Registry down or refusing at 1 or 3: the error is raised, the session rolls back (no visit,
no leads, no demands, no change event), and space changes already made at 3 are put back.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select, true
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.errors import (
    Conflict,
    Forbidden,
    Invalid,
    LouyuError,
    NotFound,
    PreconditionFailed,
    Unavailable,
    Upstream,
)
from louyu_kit.paging import PageParams, paginate
from tasks.access import Actor
from tasks.clients.registry import BlockingRegistry, BuildingRef, SpaceRef
from tasks.db import feed
from tasks.demands import service as demands
from tasks.demands.models import Demand
from tasks.leads import service as leads
from tasks.leads.models import Lead
from tasks.policies import service as policies
from tasks.visits.fields import resolve_units
from tasks.visits.models import (
    TENANT_MOVES,
    Visit,
    VisitPhoto,
    VisitRound,
    VisitRoundBuilding,
    VisitSpaceChange,
    VisitTenant,
    VisitUnit,
)
from tasks.visits.schemas import RoundCreate, VisitCreate

log = logging.getLogger("louyu.tasks.visits")

WRITE_ROLES = ("bureau", "street", "chief")


# ----- scope ------------------------------------------------------------------------------


def visit_filter(actor: Actor) -> ColumnElement[bool]:
    """Visits a caller may read: bureau and leader all; a street those in its streets; a 楼长
    their own; a unit the visits it took part in."""
    if actor.roles & {"bureau", "leader"}:
        return true()
    clauses: list[ColumnElement[bool]] = [Visit.chief_username == actor.username, Visit.created_by == actor.username]
    if "street" in actor.roles and actor.street_codes:
        clauses.append(Visit.street_code.in_(actor.street_codes))
    if actor.unit_codes:
        clauses.append(
            select(VisitUnit.visit_id)
            .where(VisitUnit.visit_id == Visit.id, VisitUnit.unit_code.in_(actor.unit_codes))
            .exists()
        )
    return or_(*clauses)


def round_building_filter(actor: Actor) -> ColumnElement[bool]:
    """Round buildings a caller sees: bureau, leader, departments all; a street its streets'; a 楼长 theirs."""
    if actor.roles & {"bureau", "leader", "department"}:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if "street" in actor.roles and actor.street_codes:
        clauses.append(VisitRoundBuilding.street_code.in_(actor.street_codes))
    if "chief" in actor.roles:
        clauses.append(VisitRoundBuilding.chief_username == actor.username)
    return or_(*clauses) if clauses else false()


# ----- rounds -----------------------------------------------------------------------------


def create_round(
    session: Session, *, data: RoundCreate, actor: Actor, registry: BlockingRegistry, token: str
) -> VisitRound:
    """A round over the given buildings (or every building of the given streets, or all)."""
    actor.require_bureau("创建扫楼轮次")
    if session.scalar(select(VisitRound.id).where(VisitRound.name == data.name)) is not None:
        raise Conflict(f"已有名为“{data.name}”的扫楼轮次", error="DuplicateRound")
    if data.building_codes:
        codes = list(dict.fromkeys(data.building_codes))
    else:
        codes = registry.building_codes(streets=data.street_codes, token=token)
    if not codes:
        raise Invalid("所选范围内没有楼宇", fields=[{"field": "building_codes", "message": "没有楼宇"}])
    try:
        buildings = registry.buildings(codes, token=token)
    except LouyuError as exc:
        if exc.status_code == 404:
            raise Invalid(
                f"楼宇编码有误：{exc.detail}", fields=[{"field": "building_codes", "message": exc.detail}]
            ) from exc
        raise
    round_ = VisitRound(
        name=data.name, start_date=data.start_date, end_date=data.end_date, note=data.note, created_by=actor.username
    )
    session.add(round_)
    session.flush()
    for b in buildings:
        session.add(
            VisitRoundBuilding(
                round_id=round_.id,
                building_code=b.code,
                building_name=b.name,
                street_code=b.street_code,
                street_name=b.street_name,
                chief_username=b.chief_username,
                chief_name=b.chief_name,
            )
        )
    session.flush()
    return round_


def get_round(session: Session, round_id: int) -> VisitRound:
    found = session.get(VisitRound, round_id)
    if found is None:
        raise NotFound(f"扫楼轮次 {round_id} 不存在", error="RoundNotFound")
    return found


def _visited(round_id: int) -> Any:
    """Building code → last visit date in the round."""
    return (
        select(Visit.building_code, func.max(Visit.visit_date).label("last"))
        .where(Visit.round_id == round_id)
        .group_by(Visit.building_code)
        .subquery()
    )


def round_counts(session: Session, rounds: list[VisitRound], *, actor: Actor) -> dict[int, tuple[int, int]]:
    """Round id → (buildings, visited) within the caller's scope."""
    out: dict[int, tuple[int, int]] = {}
    for r in rounds:
        visited = _visited(r.id)
        row = session.execute(
            select(func.count(), func.count(visited.c.building_code))
            .select_from(VisitRoundBuilding)
            .outerjoin(visited, visited.c.building_code == VisitRoundBuilding.building_code)
            .where(VisitRoundBuilding.round_id == r.id, round_building_filter(actor))
        ).one()
        out[r.id] = (row[0], row[1])
    return out


def list_rounds(session: Session, *, page: PageParams) -> tuple[list[VisitRound], int]:
    return paginate(session, select(VisitRound).order_by(VisitRound.start_date.desc(), VisitRound.id.desc()), page)


def round_read(round_: VisitRound, counts: tuple[int, int]) -> dict[str, Any]:
    return {
        "id": round_.id,
        "name": round_.name,
        "start_date": round_.start_date,
        "end_date": round_.end_date,
        "note": round_.note,
        "building_count": counts[0],
        "visited_count": counts[1],
        "created_by": round_.created_by,
        "created_at": round_.created_at,
    }


@dataclass(frozen=True)
class RoundBuildingFilters:
    street: str | None = None
    chief: str | None = None
    visited: bool | None = None


def round_buildings(
    session: Session, round_: VisitRound, *, actor: Actor, filters: RoundBuildingFilters, page: PageParams
) -> tuple[list[dict[str, Any]], int]:
    """The buildings of a round (in scope) with whether and when they were visited."""
    visited = _visited(round_.id)
    stmt = (
        select(VisitRoundBuilding, visited.c.last)
        .outerjoin(visited, visited.c.building_code == VisitRoundBuilding.building_code)
        .where(VisitRoundBuilding.round_id == round_.id, round_building_filter(actor))
    )
    if filters.street:
        stmt = stmt.where(VisitRoundBuilding.street_code == filters.street)
    if filters.chief:
        stmt = stmt.where(VisitRoundBuilding.chief_username == filters.chief)
    if filters.visited is True:
        stmt = stmt.where(visited.c.last.is_not(None))
    elif filters.visited is False:
        stmt = stmt.where(visited.c.last.is_(None))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(
        stmt.order_by(VisitRoundBuilding.street_code, VisitRoundBuilding.building_code)
        .limit(page.page_size)
        .offset(page.offset)
    ).all()
    items = [
        {
            "building_code": b.building_code,
            "building_name": b.building_name,
            "street_code": b.street_code,
            "street_name": b.street_name,
            "chief_username": b.chief_username,
            "chief_name": b.chief_name,
            "visited": last is not None,
            "last_visit_date": last,
        }
        for b, last in rows
    ]
    return items, total


def _rate(visited: int, total: int) -> float | None:
    return round(visited / total, 4) if total else None


def coverage(session: Session, round_: VisitRound, *, actor: Actor) -> dict[str, Any]:
    """Coverage of a round per street and per 楼长 (within the caller's scope)."""
    visited = _visited(round_.id)
    rows = session.execute(
        select(VisitRoundBuilding, visited.c.last)
        .outerjoin(visited, visited.c.building_code == VisitRoundBuilding.building_code)
        .where(VisitRoundBuilding.round_id == round_.id, round_building_filter(actor))
    ).all()
    streets: dict[str, list[Any]] = defaultdict(lambda: ["", 0, 0])
    chiefs: dict[str, list[Any]] = defaultdict(lambda: ["", 0, 0])
    for b, last in rows:
        for bucket, key, name in (
            (streets, b.street_code, b.street_name or b.street_code),
            (chiefs, b.chief_username or "", b.chief_name or b.chief_username or "（未指定楼长）"),
        ):
            entry = bucket[key]
            entry[0] = name
            entry[1] += 1
            entry[2] += last is not None

    def table(bucket: dict[str, list[Any]]) -> list[dict[str, Any]]:
        return [
            {"code": code, "name": name, "buildings": n, "visited": v, "rate": _rate(v, n)}
            for code, (name, n, v) in sorted(bucket.items())
        ]

    total = len(rows)
    done = sum(1 for _, last in rows if last is not None)
    return {
        "round_id": round_.id,
        "round_name": round_.name,
        "buildings": total,
        "visited": done,
        "rate": _rate(done, total),
        "by_street": table(streets),
        "by_chief": table(chiefs),
    }


# ----- visits -----------------------------------------------------------------------------


def get(session: Session, visit_id: int, *, actor: Actor) -> Visit:
    visit = session.scalar(select(Visit).where(Visit.id == visit_id, visit_filter(actor)))
    if visit is None:
        raise NotFound(f"走访记录 {visit_id} 不存在", error="VisitNotFound")
    return visit


def find(session: Session, visit_id: int, *, actor: Actor, field: str) -> Visit:
    """A visit named in another record's field (422 naming the field when unknown or out of scope)."""
    visit = session.scalar(select(Visit).where(Visit.id == visit_id, visit_filter(actor)))
    if visit is None:
        raise Invalid(f"走访记录 {visit_id} 不存在", fields=[{"field": field, "message": "走访记录不存在"}])
    return visit


def _round_for(session: Session, data: VisitCreate, visit_date: date) -> VisitRound | None:
    if data.round_id is not None:
        round_ = session.get(VisitRound, data.round_id)
        if round_ is None:
            raise Invalid(f"扫楼轮次 {data.round_id} 不存在", fields=[{"field": "round_id", "message": "轮次不存在"}])
        member = session.get(VisitRoundBuilding, (round_.id, data.building_code))
        if member is None:
            raise Invalid(
                f"楼宇 {data.building_code} 不在“{round_.name}”的走访范围内",
                fields=[{"field": "round_id", "message": "该楼宇不在本轮范围内"}],
            )
        return round_
    return session.scalar(
        select(VisitRound)
        .join(VisitRoundBuilding, VisitRoundBuilding.round_id == VisitRound.id)
        .where(
            VisitRoundBuilding.building_code == data.building_code,
            VisitRound.start_date <= visit_date,
            VisitRound.end_date >= visit_date,
        )
        .order_by(VisitRound.start_date.desc(), VisitRound.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class PlannedChange:
    space: SpaceRef
    status: str
    available_from: date | None


def _plan_space_changes(data: VisitCreate, spaces: list[SpaceRef]) -> list[PlannedChange]:
    by_id = {s.id: s for s in spaces}
    planned = []
    for index, change in enumerate(data.spaces):
        space = by_id.get(change.space_id)
        if space is None:
            raise Invalid(
                f"房源 {change.space_id} 不属于楼宇 {data.building_code}",
                fields=[{"field": f"spaces.{index}.space_id", "message": "不是该楼宇的房源"}],
            )
        if change.version is not None and change.version != space.version:
            raise PreconditionFailed(
                f"房源 {space.floor}层 {space.unit} 已被他人修改（当前为第 {space.version} 版），请刷新后重新核对"
            )
        if change.status == space.status and change.available_from == space.available_from:
            continue
        planned.append(PlannedChange(space=space, status=change.status, available_from=change.available_from))
    return planned


def _undo(registry: BlockingRegistry, applied: list[tuple[PlannedChange, SpaceRef]], token: str) -> list[str]:
    """Put back space changes already written; return the spaces that could not be restored."""
    stuck = []
    for planned, written in reversed(applied):
        try:
            registry.set_space_status(
                written.id,
                status=planned.space.status,
                available_from=planned.space.available_from,
                version=written.version,
                token=token,
            )
        except LouyuError as exc:
            log.error("space %s could not be restored after a failed visit: %s", written.id, exc.detail)
            stuck.append(f"{planned.space.floor}层 {planned.space.unit}")
    return stuck


def existing_by_ref(session: Session, client_ref: str | None, *, actor: Actor) -> Visit | None:
    """The visit already saved from this phone draft (a repeated send), if any."""
    if not client_ref:
        return None
    visit = session.scalar(select(Visit).where(Visit.client_ref == client_ref))
    if visit is not None and actor.username not in (visit.created_by, visit.chief_username):
        raise Conflict("草稿编号已被其他走访使用，请重新生成草稿", error="DuplicateClientRef")
    return visit


def record(
    session: Session,
    *,
    data: VisitCreate,
    actor: Actor,
    registry: BlockingRegistry,
    token: str,
    deadlines: dict[str, int],
) -> Visit:
    """Record a visit with everything found there (see the module docstring for the order)."""
    if not actor.roles & set(WRITE_ROLES):
        raise Forbidden("只有楼长、街道或区商务局可以记录走访")
    visit_date = data.visit_date or today_in_china()
    if visit_date > today_in_china():
        raise Invalid("走访日期不能晚于今天", fields=[{"field": "visit_date", "message": "不能晚于今天"}])
    # 1. Checks (registry first: down or out of scope → nothing is written).
    try:
        building: BuildingRef = registry.building(data.building_code, token=token)
        spaces = registry.spaces(building.code, token=token) if data.spaces else []
    except (Unavailable, Upstream) as exc:
        exc.detail = f"{exc.detail}。本次走访未保存，房源状态也未修改，请稍后重新提交"
        raise
    planned = _plan_space_changes(data, spaces) if data.spaces else []
    unit_codes = resolve_units(session, data.units, field="units")
    round_ = _round_for(session, data, visit_date)

    # 2. The visit and what it found, flushed (not committed).
    visit = Visit(
        round_id=round_.id if round_ else None,
        building_code=building.code,
        building_name=building.name,
        street_code=building.street_code,
        visit_date=visit_date,
        chief_username=actor.username,
        notes=data.notes,
        client_ref=data.client_ref,
        created_by=actor.username,
    )
    session.add(visit)
    session.flush()
    for code in unit_codes:
        session.add(VisitUnit(visit_id=visit.id, unit_code=code))
    for tenant in data.tenants:
        session.add(VisitTenant(visit_id=visit.id, **tenant.model_dump()))
    for lead in data.leads:
        leads.create(
            session,
            data=lead,
            actor=actor,
            building_code=building.code,
            street_code=building.street_code,
            source_visit_id=visit.id,
            found_date=visit_date,
        )
    for demand in data.demands:
        demands.create(
            session,
            data=demand,
            actor=actor,
            deadlines=deadlines,
            building_code=building.code,
            street_code=building.street_code,
            source_visit_id=visit.id,
        )
    if data.policy_deliveries:
        policies.record_from_visit(session, visit=visit, items=data.policy_deliveries, actor=actor)
    session.flush()

    # 3. Write through to registry; on any failure put back what was written and refuse.
    applied: list[tuple[PlannedChange, SpaceRef]] = []
    try:
        for change in planned:
            written = registry.set_space_status(
                change.space.id,
                status=change.status,
                available_from=change.available_from,
                version=change.space.version,
                token=token,
            )
            applied.append((change, written))
    except LouyuError as exc:
        stuck = _undo(registry, applied, token)
        note = "本次走访未保存，请稍后重新提交"
        if stuck:
            note += f"；以下房源已改动但未能恢复，请到楼宇档案核对：{'、'.join(stuck)}"
        elif applied:
            note += "（已改动的房源状态已恢复）"
        exc.detail = f"{exc.detail}。{note}"
        raise
    for change, written in applied:
        session.add(
            VisitSpaceChange(
                visit_id=visit.id,
                space_id=written.id,
                floor=written.floor,
                unit=written.unit,
                area=written.area,
                status_before=change.space.status,
                status_after=written.status,
                available_from=written.available_from,
                registry_version=written.version,
            )
        )
    session.flush()
    feed.record(
        session, entity="visit", entity_id=visit.id, op="create", data=snapshot(session, visit), actor=actor.username
    )
    return visit


def snapshot(session: Session, visit: Visit) -> dict[str, Any]:
    """The visit as the change feed carries it."""
    changes = list(session.scalars(select(VisitSpaceChange).where(VisitSpaceChange.visit_id == visit.id)))
    return {
        "id": visit.id,
        "round_id": visit.round_id,
        "building_code": visit.building_code,
        "street_code": visit.street_code,
        "visit_date": visit.visit_date,
        "chief_username": visit.chief_username,
        "units": units_of(session, [visit.id]).get(visit.id, []),
        "space_changes": [
            {"space_id": c.space_id, "status_before": c.status_before, "status_after": c.status_after} for c in changes
        ],
    }


def units_of(session: Session, visit_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    if visit_ids:
        rows = session.execute(
            select(VisitUnit.visit_id, VisitUnit.unit_code)
            .where(VisitUnit.visit_id.in_(visit_ids))
            .order_by(VisitUnit.unit_code)
        )
        for visit_id, code in rows:
            out[visit_id].append(code)
    return out


def _counts(session: Session, model: Any, column: Any, visit_ids: list[int]) -> dict[int, int]:
    if not visit_ids:
        return {}
    rows = session.execute(select(column, func.count()).where(column.in_(visit_ids)).group_by(column))
    return {key: n for key, n in rows}


def summaries(session: Session, visits: list[Visit]) -> list[dict[str, Any]]:
    ids = [v.id for v in visits]
    units = units_of(session, ids)
    spaces = _counts(session, VisitSpaceChange, VisitSpaceChange.visit_id, ids)
    tenants = _counts(session, VisitTenant, VisitTenant.visit_id, ids)
    lead_n = _counts(session, Lead, Lead.source_visit_id, ids)
    demand_n = _counts(session, Demand, Demand.source_visit_id, ids)
    photos = _counts(session, VisitPhoto, VisitPhoto.visit_id, ids)
    return [
        {
            "id": v.id,
            "round_id": v.round_id,
            "building_code": v.building_code,
            "building_name": v.building_name,
            "street_code": v.street_code,
            "visit_date": v.visit_date,
            "chief_username": v.chief_username,
            "units": units.get(v.id, []),
            "spaces_changed": spaces.get(v.id, 0),
            "tenants": tenants.get(v.id, 0),
            "leads": lead_n.get(v.id, 0),
            "demands": demand_n.get(v.id, 0),
            "photos": photos.get(v.id, 0),
            "created_at": v.created_at,
        }
        for v in visits
    ]


def read_model(session: Session, visit: Visit, *, photo_url: Any) -> dict[str, Any]:
    data = summaries(session, [visit])[0]
    round_ = session.get(VisitRound, visit.round_id) if visit.round_id else None
    changes = session.scalars(
        select(VisitSpaceChange).where(VisitSpaceChange.visit_id == visit.id).order_by(VisitSpaceChange.id)
    )
    tenants = session.scalars(select(VisitTenant).where(VisitTenant.visit_id == visit.id).order_by(VisitTenant.id))
    photos = session.scalars(select(VisitPhoto).where(VisitPhoto.visit_id == visit.id).order_by(VisitPhoto.id))
    data.update(
        round_name=round_.name if round_ else None,
        notes=visit.notes,
        client_ref=visit.client_ref,
        created_by=visit.created_by,
        space_changes=[
            {
                "space_id": c.space_id,
                "floor": c.floor,
                "unit": c.unit,
                "area": c.area,
                "status_before": c.status_before,
                "status_after": c.status_after,
                "available_from": c.available_from,
                "registry_version": c.registry_version,
            }
            for c in changes
        ],
        tenant_moves=[
            {
                "move": t.move,
                "move_label": TENANT_MOVES[t.move],
                "enterprise_name": t.enterprise_name,
                "credit_code": t.credit_code,
                "floor": t.floor,
                "area": t.area,
                "note": t.note,
            }
            for t in tenants
        ],
        lead_ids=list(session.scalars(select(Lead.id).where(Lead.source_visit_id == visit.id).order_by(Lead.id))),
        demand_ids=list(
            session.scalars(select(Demand.id).where(Demand.source_visit_id == visit.id).order_by(Demand.id))
        ),
        photo_list=[
            {
                "id": p.id,
                "filename": p.filename,
                "content_type": p.content_type,
                "size": p.size,
                "url": photo_url(visit.id, p.id),
                "uploaded_by": p.uploaded_by,
                "created_at": p.created_at,
            }
            for p in photos
        ],
    )
    return data


@dataclass(frozen=True)
class VisitFilters:
    round_id: int | None = None
    building: str | None = None
    street: str | None = None
    chief: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def list_page(session: Session, *, actor: Actor, filters: VisitFilters, page: PageParams) -> tuple[list[Visit], int]:
    stmt = select(Visit).where(visit_filter(actor))
    if filters.round_id is not None:
        stmt = stmt.where(Visit.round_id == filters.round_id)
    if filters.building:
        stmt = stmt.where(Visit.building_code == filters.building)
    if filters.street:
        stmt = stmt.where(Visit.street_code == filters.street)
    if filters.chief:
        stmt = stmt.where(Visit.chief_username == filters.chief)
    if filters.date_from:
        stmt = stmt.where(Visit.visit_date >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(Visit.visit_date <= filters.date_to)
    return paginate(session, stmt.order_by(Visit.visit_date.desc(), Visit.id.desc()), page)


def can_add_photos(actor: Actor, visit: Visit) -> bool:
    if "bureau" in actor.roles:
        return True
    if actor.username in (visit.chief_username, visit.created_by):
        return True
    return "street" in actor.roles and visit.street_code in actor.street_codes


def add_photo(
    session: Session,
    visit: Visit,
    *,
    content: bytes,
    filename: str,
    content_type: str,
    size: int,
    sha256: str,
    actor: Actor,
) -> VisitPhoto:
    if not can_add_photos(actor, visit):
        raise Forbidden("只有走访人、所在街道或区商务局可以上传走访照片")
    # The phone re-sends a draft's photos when an earlier send lost its answer: same photo, same row.
    same = session.scalar(select(VisitPhoto).where(VisitPhoto.visit_id == visit.id, VisitPhoto.sha256 == sha256))
    if same is not None:
        return same
    photo = VisitPhoto(
        visit_id=visit.id,
        content=content,
        filename=filename,
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=actor.username,
    )
    session.add(photo)
    session.flush()
    return photo


def get_photo(session: Session, visit: Visit, photo_id: int) -> VisitPhoto:
    photo = session.get(VisitPhoto, photo_id)
    if photo is None or photo.visit_id != visit.id:
        raise NotFound(f"照片 {photo_id} 不存在", error="PhotoNotFound")
    return photo
