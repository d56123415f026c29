"""Spaces of a building; the district-wide listing of available space ordered by date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.errors import Conflict, Invalid, NotFound
from louyu_kit.paging import PageParams
from registry.access import Access
from registry.buildings.models import Building
from registry.buildings.service import current_on, street_names
from registry.history import service as history
from registry.occupancy.models import Occupancy, OccupancySpace
from registry.reference.models import Theme
from registry.spaces.models import SPACE_STATUSES, Space
from registry.spaces.schemas import SpaceCreate, SpaceUpdate

# Space that can be offered to investors: vacant space, and any space with a date it becomes
# available (a floor of a building under construction, a lease that ends, a reservation that
# lapses), so the listing shows what frees up when. Reserved space without a date is held back.


def snapshot(space: Space, building: Building) -> dict[str, Any]:
    return {
        "building_code": building.code,
        "floor": space.floor,
        "unit": space.unit,
        "area": space.area,
        "status": space.status,
        "available_from": space.available_from.isoformat() if space.available_from else None,
        "asking_rent": space.asking_rent,
        "note": space.note,
    }


def get(session: Session, space_id: int, *, access: Access) -> tuple[Space, Building]:
    """The space and its building, if the caller may read the building (404 otherwise)."""
    space = session.get(Space, space_id)
    building = session.get(Building, space.building_id) if space else None
    if space is None or building is None or not access.can_read(building):
        raise NotFound(f"房源 {space_id} 不存在", error="SpaceNotFound")
    return space, building


def list_for(session: Session, building: Building) -> list[Space]:
    return list(
        session.scalars(select(Space).where(Space.building_id == building.id).order_by(Space.floor, Space.unit))
    )


def occupied_areas(session: Session, space_ids: list[int], *, on: date | None = None) -> dict[int, float]:
    """Area of each space taken by occupancies in force on ``on`` (default today)."""
    if not space_ids:
        return {}
    on = on or today_in_china()
    stmt = (
        select(OccupancySpace.space_id, func.sum(OccupancySpace.area))
        .join(Occupancy, Occupancy.id == OccupancySpace.occupancy_id)
        .where(OccupancySpace.space_id.in_(space_ids), *current_on(on))
        .group_by(OccupancySpace.space_id)
    )
    return {sid: round(float(area or 0), 2) for sid, area in session.execute(stmt)}


def read_model(space: Space, building: Building, occupied: float = 0.0) -> dict[str, Any]:
    data = snapshot(space, building)
    data.update(
        id=space.id,
        available_from=space.available_from,
        status_label=SPACE_STATUSES.get(space.status, space.status),
        occupied_area=occupied,
        version=space.version,
    )
    return data


def _unique(session: Session, building: Building, floor: int, unit: str, exclude: int | None = None) -> None:
    stmt = select(Space.id).where(Space.building_id == building.id, Space.floor == floor, Space.unit == unit)
    if exclude is not None:
        stmt = stmt.where(Space.id != exclude)
    if session.scalar(stmt) is not None:
        raise Conflict(f"{building.name} {floor} 层已有房号“{unit}”", error="DuplicateSpace")


def _within_floors(building: Building, floor: int) -> None:
    if floor == 0:
        raise Invalid("楼层不能为 0（地上从 1 层起，地下为负数）", fields=[{"field": "floor", "message": "不能为 0"}])
    if building.floors_above and floor > building.floors_above:
        raise Invalid(
            f"{building.name} 地上只有 {building.floors_above} 层",
            fields=[{"field": "floor", "message": f"超出地上层数 {building.floors_above}"}],
        )
    if floor < 0 and building.floors_below is not None and -floor > building.floors_below:
        raise Invalid(
            f"{building.name} 地下只有 {building.floors_below} 层",
            fields=[{"field": "floor", "message": f"超出地下层数 {building.floors_below}"}],
        )


def create(session: Session, building: Building, *, data: SpaceCreate, access: Access, actor: str) -> Space:
    access.require_write(building)
    _within_floors(building, data.floor)
    _unique(session, building, data.floor, data.unit)
    space = Space(building_id=building.id, **data.model_dump())
    session.add(space)
    session.flush()
    history.record(
        session,
        entity="space",
        entity_id=space.id,
        op="create",
        before=None,
        after=snapshot(space, building),
        actor=actor,
    )
    return space


def update(
    session: Session, space: Space, building: Building, *, data: SpaceUpdate, access: Access, actor: str
) -> Space:
    access.require_write(building)
    values = {k: v for k, v in data.model_dump(exclude_unset=True).items() if v is not None or k in NULLABLE}
    before = snapshot(space, building)
    floor, unit = values.get("floor", space.floor), values.get("unit", space.unit)
    if "floor" in values:
        _within_floors(building, floor)
    if (floor, unit) != (space.floor, space.unit):
        _unique(session, building, floor, unit, exclude=space.id)
    if "area" in values:
        taken = max_concurrent_area(session, space.id)
        if values["area"] < taken:
            raise Invalid(
                f"面积不能小于已入驻企业占用的 {taken:g} ㎡",
                fields=[{"field": "area", "message": f"至少 {taken:g} ㎡（已有入驻占用）"}],
            )
    for key, value in values.items():
        setattr(space, key, value)
    after = snapshot(space, building)
    if after != before:
        session.flush()
        history.record(
            session, entity="space", entity_id=space.id, op="update", before=before, after=after, actor=actor
        )
    return space


NULLABLE = {"available_from", "asking_rent"}


def delete(session: Session, space: Space, *, building: Building, access: Access, actor: str) -> None:
    access.require_write(building)
    used = session.scalar(select(func.count()).where(OccupancySpace.space_id == space.id))
    if used:
        raise Conflict(f"房源 {space.floor}层 {space.unit} 有入驻记录，不能删除")
    before = snapshot(space, building)
    space_id = space.id
    session.delete(space)
    session.flush()
    history.record(session, entity="space", entity_id=space_id, op="delete", before=before, after=None, actor=actor)


def max_concurrent_area(session: Session, space_id: int, *, exclude_occupancy: int | None = None) -> float:
    """The largest area of ``space_id`` ever taken at one time by its occupancies (past, present, future)."""
    stmt = (
        select(Occupancy.id, Occupancy.start_date, Occupancy.end_date, OccupancySpace.area)
        .join(OccupancySpace, OccupancySpace.occupancy_id == Occupancy.id)
        .where(OccupancySpace.space_id == space_id)
    )
    if exclude_occupancy is not None:
        stmt = stmt.where(Occupancy.id != exclude_occupancy)
    rows = list(session.execute(stmt))
    # The peak is reached at some occupancy's start date.
    peak = 0.0
    for _, start, _, _ in rows:
        taken = sum(area for _, s, e, area in rows if s <= start and (e is None or e >= start))
        peak = max(peak, taken)
    return round(peak, 2)


@dataclass(frozen=True)
class AvailableFilters:
    street: list[str] | None = None
    building: str | None = None
    theme: str | None = None
    area_min: float | None = None
    area_max: float | None = None
    available_before: date | None = None


def _available_stmt(access: Access, filters: AvailableFilters) -> Any:
    stmt = (
        select(Space, Building)
        .join(Building, Building.id == Space.building_id)
        .where(
            or_(Space.status == "vacant", and_(Space.status != "self_use", Space.available_from.is_not(None))),
            access.building_filter(),
        )
    )
    if filters.street:
        stmt = stmt.where(Building.street_code.in_(filters.street))
    if filters.building:
        stmt = stmt.where(Building.code == filters.building)
    if filters.theme:
        from registry.buildings.models import BuildingTheme

        stmt = stmt.where(Building.theme_links.any(BuildingTheme.theme_code == filters.theme))
    if filters.area_min is not None:
        stmt = stmt.where(Space.area >= filters.area_min)
    if filters.area_max is not None:
        stmt = stmt.where(Space.area <= filters.area_max)
    if filters.available_before is not None:
        stmt = stmt.where(or_(Space.available_from.is_(None), Space.available_from <= filters.available_before))
    # 按时间顺序: available now (no date) first, then by date; then building and floor.
    return stmt.order_by(
        Space.available_from.asc().nulls_first(),
        Building.code,
        Space.floor,
        Space.unit,
    )


def available(
    session: Session, *, access: Access, filters: AvailableFilters, page: PageParams | None
) -> tuple[list[dict[str, Any]], int]:
    """Vacant and reserved space across the district, ordered by the date it becomes available."""
    stmt = _available_stmt(access, filters)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    if page is not None:
        stmt = stmt.limit(page.page_size).offset(page.offset)
    names = street_names(session)
    themes = {t.code: t for t in session.scalars(select(Theme))}
    rows = list(session.execute(stmt).tuples())
    floors = _floors(session, {b.id for _, b in rows})
    items = []
    for space, building in rows:
        own = [themes[c] for c in building.themes if c in themes]
        units, whole = floors.get((building.id, space.floor), (1, False))
        items.append(
            {
                "id": space.id,
                "building_code": building.code,
                "building_name": building.name,
                "street_code": building.street_code,
                "street_name": names.get(building.street_code, building.street_code),
                "floor": space.floor,
                "unit": space.unit,
                "area": space.area,
                "status": space.status,
                "status_label": SPACE_STATUSES[space.status],
                "available_from": space.available_from,
                "asking_rent": space.asking_rent,
                "is_demo": building.is_demo,
                "themes": [t.code for t in own],
                "theme_names": [t.name for t in own],
                "industry_prefixes": sorted({p for t in own for p in t.industry_prefixes}),
                "chief_username": building.chief_username,
                "floor_units": units,
                "floor_whole_available": whole,
            }
        )
    return items, total


def _floors(session: Session, building_ids: set[int]) -> dict[tuple[int, int], tuple[int, bool]]:
    """(building id, floor) → (number of spaces on the floor, every one of them can be let)."""
    out: dict[tuple[int, int], tuple[int, bool]] = {}
    if not building_ids:
        return out
    for bid, floor, status, available_from in session.execute(
        select(Space.building_id, Space.floor, Space.status, Space.available_from).where(
            Space.building_id.in_(building_ids)
        )
    ):
        lettable = status == "vacant" or (status != "self_use" and available_from is not None)
        units, whole = out.get((bid, floor), (0, True))
        out[(bid, floor)] = (units + 1, whole and lettable)
    return out
