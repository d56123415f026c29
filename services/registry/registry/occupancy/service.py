"""入驻 history: move in, move out, move between buildings; tenants of a building on any date.

Rules (each refused with a Chinese message naming the field):
- end ≥ start;
- the spaces named belong to the building, and each part is no larger than its space;
- at no moment does the area taken from a space by all occupancies exceed the space's area;
- an enterprise's stays in one space never overlap each other.
A space an enterprise moves into (in force today) becomes 已租; when the last tenant of a
space moves out it becomes 空置, available from the day after the move-out date.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.db import utcnow
from louyu_kit.errors import Forbidden, Invalid, NotFound
from louyu_kit.files import chinese_date
from registry.access import Access
from registry.buildings import service as buildings
from registry.buildings.models import Building
from registry.enterprises import service as enterprises
from registry.enterprises.models import Enterprise
from registry.history import service as history
from registry.occupancy.models import Occupancy, OccupancySpace
from registry.occupancy.schemas import OccupancyCreate, OccupancyMove, OccupancyUpdate, SpacePart
from registry.spaces import service as spaces
from registry.spaces.models import Space

AREA_TOLERANCE = 0.01


def snapshot(occupancy: Occupancy, enterprise: Enterprise, building: Building) -> dict[str, Any]:
    return {
        "credit_code": enterprise.credit_code,
        "building_code": building.code,
        "area": occupancy.area,
        "start_date": occupancy.start_date.isoformat(),
        "end_date": occupancy.end_date.isoformat() if occupancy.end_date else None,
        "spaces": [{"space_id": link.space_id, "area": link.area} for link in occupancy.space_links],
        "note": occupancy.note,
    }


def _overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    return a_start <= (b_end or date.max) and b_start <= (a_end or date.max)


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(message, fields=[{"field": field, "message": message}])


def _resolve_parts(
    session: Session, building: Building, parts: list[SpacePart], area: float | None
) -> tuple[list[tuple[Space, float]], float]:
    """The spaces with the area taken from each, and the occupancy's total area."""
    resolved: list[tuple[Space, float]] = []
    seen: set[int] = set()
    for index, part in enumerate(parts):
        space = session.get(Space, part.id)
        if space is None or space.building_id != building.id:
            raise _invalid(f"spaces[{index}].id", f"房源 {part.id} 不属于楼宇“{building.name}”")
        if space.id in seen:
            raise _invalid(f"spaces[{index}].id", f"房源 {space.floor}层 {space.unit} 重复填写")
        seen.add(space.id)
        taken = round(part.area if part.area is not None else space.area, 2)
        if taken > space.area + AREA_TOLERANCE:
            raise _invalid(
                f"spaces[{index}].area",
                f"占用面积 {taken:g} ㎡ 超过房源 {space.floor}层 {space.unit} 的面积 {space.area:g} ㎡",
            )
        resolved.append((space, taken))
    if resolved:
        total = round(sum(a for _, a in resolved), 2)
        if area is not None and abs(area - total) > AREA_TOLERANCE:
            raise _invalid("area", f"入驻面积 {area:g} ㎡ 与所填房源面积之和 {total:g} ㎡ 不一致")
        return resolved, total
    if area is None:
        raise _invalid("area", "未指定房源时必须填写入驻面积")
    return resolved, round(area, 2)


def _check_spaces(
    session: Session,
    *,
    enterprise: Enterprise,
    parts: list[tuple[Space, float]],
    start: date,
    end: date | None,
    exclude: int | None = None,
) -> None:
    """The overlap and capacity rules for each space over the new stay's dates."""
    for index, (space, taken) in enumerate(parts):
        stmt = (
            select(Occupancy, OccupancySpace.area)
            .join(OccupancySpace, OccupancySpace.occupancy_id == Occupancy.id)
            .where(OccupancySpace.space_id == space.id)
        )
        if exclude is not None:
            stmt = stmt.where(Occupancy.id != exclude)
        others = [(o, a) for o, a in session.execute(stmt) if _overlaps(o.start_date, o.end_date, start, end)]
        for other, _ in others:
            if other.enterprise_id == enterprise.id:
                raise _invalid(
                    "start_date",
                    f"该企业在房源 {space.floor}层 {space.unit} 已有 {chinese_date(other.start_date)} 起的入驻记录，"
                    "时间不能重叠",
                )
        # The peak within the new stay is reached at its start or at another stay's start inside it.
        moments = {start} | {o.start_date for o, _ in others if o.start_date >= start}
        for moment in moments:
            used = sum(a for o, a in others if _overlaps(o.start_date, o.end_date, moment, moment))
            if used + taken > space.area + AREA_TOLERANCE:
                free = max(space.area - used, 0)
                raise _invalid(
                    f"spaces[{index}].area",
                    f"房源 {space.floor}层 {space.unit} 在 {moment} 仅剩 {free:g} ㎡ 可用（面积 {space.area:g} ㎡，"
                    f"已被占用 {used:g} ㎡），不能再入驻 {taken:g} ㎡",
                )


def _sync_space_status(
    session: Session, space: Space, building: Building, *, actor: str, today: date | None = None
) -> None:
    """已租 while someone occupies the space today; 空置 from the day after the last stay ends."""
    today = today or today_in_china()
    links = session.execute(
        select(Occupancy.start_date, Occupancy.end_date)
        .join(OccupancySpace, OccupancySpace.occupancy_id == Occupancy.id)
        .where(OccupancySpace.space_id == space.id)
    ).all()
    current = [(s, e) for s, e in links if s <= today and (e is None or e >= today)]
    before = spaces.snapshot(space, building)
    if current:
        if space.status in ("vacant", "reserved", "leased"):
            ends = [e for _, e in current]
            space.status = "leased"
            # A lease with a known end makes the space available again from the next day.
            space.available_from = max(ends) + timedelta(days=1) if all(e is not None for e in ends) else None  # type: ignore[type-var,operator]
    else:
        upcoming = [s for s, _ in links if s > today]
        if space.status == "leased" or (upcoming and space.status == "vacant"):
            # Free now, or held for a tenant who moves in later (预留).
            space.status, space.available_from = ("reserved" if upcoming else "vacant"), None
    after = spaces.snapshot(space, building)
    if after != before:
        session.flush()
        history.record(
            session, entity="space", entity_id=space.id, op="update", before=before, after=after, actor=actor
        )


def _writable_building(session: Session, code: str, access: Access, field: str) -> Building:
    building = buildings.get_by_code(session, code)
    if building is None or not access.can_read(building):
        raise _invalid(field, f"楼宇 {code} 不存在")
    access.require_write(building)
    return building


NEEDS_CONFIRMATION = "NeedsConfirmation"


def require_enterprise_in_scope(session: Session, enterprise: Enterprise, access: Access) -> None:
    """Moving an enterprise in is the bureau's act, or its current street's (registry.access):
    anyone else may only propose it (registry.proposals), for the bureau to confirm."""
    if not enterprises.can_edit(session, enterprise, access):
        raise Forbidden(
            f"企业 {enterprise.credit_code} 不在您负责的范围内：迁入须提交区商务局确认（入驻申请）",
            error=NEEDS_CONFIRMATION,
            fields=[{"field": "credit_code", "message": "该企业属于其他街道或尚未入驻，迁入须经区商务局确认"}],
        )


def find_enterprise(session: Session, credit_code: str) -> Enterprise:
    enterprise = enterprises.get_by_code(session, credit_code)
    if enterprise is None:
        raise _invalid("credit_code", f"统一社会信用代码 {credit_code} 的企业尚未登记，请先登记企业")
    return enterprise


def writable_building(session: Session, code: str, access: Access, field: str) -> Building:
    """The building by code, if the caller may write it (404-like 422 when out of sight, 403 when read-only)."""
    return _writable_building(session, code, access, field)


def resolve_parts(
    session: Session, building: Building, parts: list[SpacePart], area: float | None
) -> tuple[list[tuple[Space, float]], float]:
    return _resolve_parts(session, building, parts, area)


def create(session: Session, *, data: OccupancyCreate, access: Access, actor: str) -> Occupancy:
    """迁入: the enterprise occupies area (optionally given spaces) in the building from ``start_date``."""
    building = _writable_building(session, data.building_code, access, "building_code")
    enterprise = find_enterprise(session, data.credit_code)
    require_enterprise_in_scope(session, enterprise, access)
    return insert_stay(session, enterprise=enterprise, building=building, data=data, actor=actor)


def insert_stay(
    session: Session, *, enterprise: Enterprise, building: Building, data: OccupancyCreate, actor: str
) -> Occupancy:
    """The stay itself, every space rule checked (the caller has checked who may do it)."""
    parts, area = _resolve_parts(session, building, data.spaces, data.area)
    _check_spaces(session, enterprise=enterprise, parts=parts, start=data.start_date, end=data.end_date)
    occupancy = Occupancy(
        enterprise_id=enterprise.id,
        building_id=building.id,
        area=area,
        start_date=data.start_date,
        end_date=data.end_date,
        note=data.note,
        space_links=[OccupancySpace(space_id=s.id, area=a) for s, a in parts],
    )
    session.add(occupancy)
    session.flush()
    history.record(
        session,
        entity="occupancy",
        entity_id=occupancy.id,
        op="create",
        before=None,
        after=snapshot(occupancy, enterprise, building),
        actor=actor,
    )
    for space, _ in parts:
        _sync_space_status(session, space, building, actor=actor)
    return occupancy


def get(session: Session, occupancy_id: int, *, access: Access) -> tuple[Occupancy, Enterprise, Building]:
    occupancy = session.get(Occupancy, occupancy_id)
    building = session.get(Building, occupancy.building_id) if occupancy else None
    if occupancy is None or building is None or not access.can_read(building):
        raise NotFound(f"入驻记录 {occupancy_id} 不存在", error="OccupancyNotFound")
    enterprise = session.get(Enterprise, occupancy.enterprise_id)
    assert enterprise is not None
    return occupancy, enterprise, building


def update(
    session: Session,
    occupancy: Occupancy,
    enterprise: Enterprise,
    building: Building,
    *,
    data: OccupancyUpdate,
    access: Access,
    actor: str,
) -> Occupancy:
    """Correct a stay (dates, area, spaces, note); every rule is checked again."""
    access.require_write(building)
    values = data.model_dump(exclude_unset=True)
    start = values.get("start_date") or occupancy.start_date
    end = values["end_date"] if "end_date" in values else occupancy.end_date
    if end is not None and end < start:
        raise _invalid("end_date", "迁出日期不能早于入驻日期")
    old_spaces = [session.get(Space, link.space_id) for link in occupancy.space_links]
    if "spaces" in values and data.spaces is not None:
        parts, area = _resolve_parts(session, building, data.spaces, values.get("area"))
    else:
        parts = [(s, link.area) for s, link in zip(old_spaces, occupancy.space_links, strict=True) if s is not None]
        if parts and "area" in values and values["area"] is not None:
            total = round(sum(a for _, a in parts), 2)
            if abs(values["area"] - total) > AREA_TOLERANCE:
                raise _invalid("area", f"入驻面积应与所占房源面积之和 {total:g} ㎡ 一致（如需调整请同时修改房源）")
        area = round(values.get("area") or occupancy.area, 2) if not parts else round(sum(a for _, a in parts), 2)
    _check_spaces(session, enterprise=enterprise, parts=parts, start=start, end=end, exclude=occupancy.id)
    before = snapshot(occupancy, enterprise, building)
    occupancy.start_date, occupancy.end_date, occupancy.area = start, end, area
    if values.get("note") is not None:
        occupancy.note = values["note"]
    if "spaces" in values and data.spaces is not None:
        occupancy.space_links = [OccupancySpace(space_id=s.id, area=a) for s, a in parts]
    after = snapshot(occupancy, enterprise, building)
    if after != before:
        occupancy.updated_at = utcnow()
        session.flush()
        history.record(
            session, entity="occupancy", entity_id=occupancy.id, op="update", before=before, after=after, actor=actor
        )
        touched = {s.id: s for s in old_spaces if s is not None} | {s.id: s for s, _ in parts}
        for space in touched.values():
            _sync_space_status(session, space, building, actor=actor)
    return occupancy


def end(
    session: Session,
    occupancy: Occupancy,
    enterprise: Enterprise,
    building: Building,
    *,
    end_date: date,
    access: Access,
    actor: str,
) -> Occupancy:
    """迁出: the stay ends on ``end_date`` (its last day in the building)."""
    if occupancy.end_date is not None and occupancy.end_date < end_date:
        raise _invalid("end_date", f"该入驻记录已于 {chinese_date(occupancy.end_date)} 迁出")
    return update(
        session, occupancy, enterprise, building, data=OccupancyUpdate(end_date=end_date), access=access, actor=actor
    )


def move(
    session: Session,
    occupancy: Occupancy,
    enterprise: Enterprise,
    building: Building,
    *,
    data: OccupancyMove,
    access: Access,
    actor: str,
) -> Occupancy:
    """迁移: leave this building the day before ``move_date`` and occupy the other from that day."""
    if data.move_date <= occupancy.start_date:
        raise _invalid("move_date", f"迁移日期须晚于原入驻日期 {chinese_date(occupancy.start_date)}")
    if occupancy.end_date is not None and occupancy.end_date < data.move_date - timedelta(days=1):
        raise _invalid("move_date", f"该入驻记录已于 {chinese_date(occupancy.end_date)} 迁出，请直接办理入驻")
    # Checked before the move-out below ends the stay that puts the enterprise in scope.
    target = _writable_building(session, data.to_building_code, access, "to_building_code")
    require_enterprise_in_scope(session, enterprise, access)
    end(
        session,
        occupancy,
        enterprise,
        building,
        end_date=data.move_date - timedelta(days=1),
        access=access,
        actor=actor,
    )
    return insert_stay(
        session,
        enterprise=enterprise,
        building=target,
        data=OccupancyCreate(
            credit_code=enterprise.credit_code,
            building_code=data.to_building_code,
            spaces=data.spaces,
            area=data.area,
            start_date=data.move_date,
            note=f"由“{building.name}”迁入",
        ),
        actor=actor,
    )


def delete(
    session: Session, occupancy: Occupancy, enterprise: Enterprise, building: Building, *, access: Access, actor: str
) -> None:
    """Remove a stay entered by mistake (a real move-out is recorded with an end date)."""
    access.require_write(building)
    before = snapshot(occupancy, enterprise, building)
    touched = [session.get(Space, link.space_id) for link in occupancy.space_links]
    occupancy_id = occupancy.id
    session.delete(occupancy)
    session.flush()
    history.record(
        session, entity="occupancy", entity_id=occupancy_id, op="delete", before=before, after=None, actor=actor
    )
    for space in touched:
        if space is not None:
            _sync_space_status(session, space, building, actor=actor)


def read_models(session: Session, rows: list[Occupancy], *, today: date | None = None) -> list[dict[str, Any]]:
    today = today or today_in_china()
    if not rows:
        return []
    ents = {
        e.id: e for e in session.scalars(select(Enterprise).where(Enterprise.id.in_({o.enterprise_id for o in rows})))
    }
    blds = {b.id: b for b in session.scalars(select(Building).where(Building.id.in_({o.building_id for o in rows})))}
    space_ids = {link.space_id for o in rows for link in o.space_links}
    sps = {s.id: s for s in session.scalars(select(Space).where(Space.id.in_(space_ids)))} if space_ids else {}
    out = []
    for o in rows:
        e, b = ents[o.enterprise_id], blds[o.building_id]
        out.append(
            {
                "id": o.id,
                "credit_code": e.credit_code,
                "enterprise_name": e.name,
                "building_code": b.code,
                "building_name": b.name,
                "area": o.area,
                "start_date": o.start_date,
                "end_date": o.end_date,
                "spaces": [
                    {
                        "id": link.space_id,
                        "floor": sps[link.space_id].floor,
                        "unit": sps[link.space_id].unit,
                        "area": link.area,
                    }
                    for link in o.space_links
                    if link.space_id in sps
                ],
                "note": o.note,
                "current": o.start_date <= today and (o.end_date is None or o.end_date >= today),
                "version": o.version,
            }
        )
    return out


def tenants_on(session: Session, building: Building, *, on: date) -> list[Occupancy]:
    """The stays in force in ``building`` on ``on``."""
    stmt = (
        select(Occupancy)
        .where(Occupancy.building_id == building.id, *buildings.current_on(on))
        .order_by(Occupancy.start_date, Occupancy.id)
    )
    return list(session.scalars(stmt))


def history_of_building(session: Session, building: Building) -> list[Occupancy]:
    stmt = (
        select(Occupancy)
        .where(Occupancy.building_id == building.id)
        .order_by(Occupancy.start_date.desc(), Occupancy.id)
    )
    return list(session.scalars(stmt))


def history_of_enterprise(session: Session, enterprise: Enterprise, *, access: Access) -> list[Occupancy]:
    stmt = (
        select(Occupancy)
        .join(Building, Building.id == Occupancy.building_id)
        .where(Occupancy.enterprise_id == enterprise.id, access.building_filter())
        .order_by(Occupancy.start_date.desc(), Occupancy.id)
    )
    return list(session.scalars(stmt))
