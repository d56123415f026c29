"""Buildings: create, read, list with filters, update, delete; vacancy and tenant counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, case, exists, func, or_, select
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.db import utcnow
from louyu_kit.errors import Conflict, Invalid, NotFound
from louyu_kit.occupancy import OccupancyFigures, occupancy_figures
from louyu_kit.paging import PageParams
from registry.access import Access
from registry.buildings.models import OWNERSHIPS, STAGES, Building, BuildingTheme
from registry.buildings.schemas import BuildingCreate, BuildingUpdate
from registry.history import service as history
from registry.occupancy.models import Occupancy
from registry.reference import service as reference
from registry.reference.models import District, Street
from registry.spaces.models import Space

OCCUPIED = ("leased", "self_use")


@dataclass(frozen=True)
class BuildingFilters:
    q: str | None = None
    street: list[str] | None = None
    stage: str | None = None
    theme: str | None = None
    zone: str | None = None
    chief: str | None = None
    area_min: float | None = None
    area_max: float | None = None


def snapshot(building: Building) -> dict[str, Any]:
    """Every user-visible field (history and change feed)."""
    return {
        "code": building.code,
        "name": building.name,
        "aliases": list(building.aliases or []),
        "street_code": building.street_code,
        "address": building.address,
        "lng": building.lng,
        "lat": building.lat,
        "gfa": building.gfa,
        "leasable_area": building.leasable_area,
        "floors_above": building.floors_above,
        "floors_below": building.floors_below,
        "stage": building.stage,
        "ownership": building.ownership,
        "owner": building.owner,
        "operator": building.operator,
        "property_manager": building.property_manager,
        "property_star": building.property_star,
        "zone": building.zone,
        "themes": building.themes,
        "completion_year": building.completion_year,
        "chief_username": building.chief_username,
        "chief_name": building.chief_name,
        "chief_phone": building.chief_phone,
        "liaison_username": building.liaison_username,
        "liaison_name": building.liaison_name,
        "liaison_phone": building.liaison_phone,
        "note": building.note,
        "is_demo": building.is_demo,
    }


def _search_text(name: str, aliases: list[str]) -> str:
    return "|".join([name, *aliases]).lower()


def get(session: Session, code: str, *, access: Access) -> Building:
    """The building with ``code`` if the caller may read it (404 otherwise, even if it exists)."""
    building = session.scalar(select(Building).where(Building.code == code.strip()))
    if building is None or not access.can_read(building):
        raise NotFound(f"楼宇 {code} 不存在", error="BuildingNotFound")
    return building


def get_by_code(session: Session, code: str) -> Building | None:
    return session.scalar(select(Building).where(Building.code == code.strip()))


def _district(session: Session, district_code: str) -> District:
    district = session.scalar(select(District).where(District.code == district_code).with_for_update())
    if district is None:
        raise NotFound(f"行政区 {district_code} 不存在")
    return district


def _next_code(session: Session, district_code: str) -> str:
    district = _district(session, district_code)
    seq = district.next_building_seq
    district.next_building_seq = seq + 1
    return f"{district.code}-{seq:04d}"


def _claim_code(session: Session, code: str, district_code: str) -> str:
    """A code given by an import (a building moved from another system or an export): it must
    belong to the street's district, and later codes are numbered after it."""
    prefix, _, number = code.partition("-")
    if prefix != district_code or not number.isdigit():
        message = f"楼宇编码 {code} 应以所属区代码 {district_code}- 开头"
        raise Invalid(message, fields=[{"field": "code", "message": message}])
    district = _district(session, district_code)
    district.next_building_seq = max(district.next_building_seq, int(number) + 1)
    return code


def _apply(session: Session, building: Building, values: dict[str, Any]) -> None:
    if "themes" in values:
        codes = reference.validate_themes(session, values.pop("themes") or [])
        current = {link.theme_code: link for link in building.theme_links}
        building.theme_links = [current.get(c) or BuildingTheme(theme_code=c) for c in codes]
    if "street_code" in values:
        reference.get_street(session, values["street_code"])
    if "aliases" in values and values["aliases"] is None:
        values["aliases"] = []
    for key, value in values.items():
        if value is None and key in _NOT_NULL_TEXT:
            value = ""
        setattr(building, key, value)
    building.search_text = _search_text(building.name, list(building.aliases or []))
    if building.gfa is not None and building.leasable_area is not None and building.leasable_area > building.gfa:
        message = f"可出租面积 {building.leasable_area:g} ㎡ 不能大于建筑面积 {building.gfa:g} ㎡"
        raise Invalid(message, fields=[{"field": "leasable_area", "message": message}])


_NOT_NULL_TEXT = {
    "address",
    "owner",
    "operator",
    "property_manager",
    "zone",
    "chief_name",
    "chief_phone",
    "liaison_name",
    "liaison_phone",
    "note",
}


def _check_unique_name(session: Session, *, name: str, street_code: str, exclude_id: int | None = None) -> None:
    stmt = select(Building.code).where(Building.name == name, Building.street_code == street_code)
    if exclude_id is not None:
        stmt = stmt.where(Building.id != exclude_id)
    clash = session.scalar(stmt)
    if clash is not None:
        raise Conflict(f"本街道已有名为“{name}”的楼宇（编码 {clash}）", error="DuplicateBuilding")


def create(
    session: Session,
    *,
    data: BuildingCreate,
    access: Access,
    actor: str,
    is_demo: bool = False,
    code: str | None = None,
) -> Building:
    """Register a building; its code is the district code plus the next sequence number."""
    access.require_create_building(data.street_code)
    street = reference.get_street(session, data.street_code)
    _check_unique_name(session, name=data.name, street_code=data.street_code)
    code = _claim_code(session, code, street.district_code) if code else _next_code(session, street.district_code)
    building = Building(code=code, is_demo=is_demo, theme_links=[])
    values = data.model_dump(exclude_none=True)
    values.setdefault("stage", "operating")
    _apply(session, building, values)
    session.add(building)
    session.flush()
    history.record(
        session,
        entity="building",
        entity_id=building.code,
        op="create",
        before=None,
        after=snapshot(building),
        actor=actor,
    )
    return building


def update(session: Session, building: Building, *, data: BuildingUpdate, access: Access, actor: str) -> Building:
    """Change the fields sent; the caller has checked the version (If-Match)."""
    access.require_write(building)
    values = data.model_dump(exclude_unset=True)
    for required in ("name", "street_code", "stage"):
        if required in values and values[required] is None:
            values.pop(required)
    if "street_code" in values:
        access.require_create_building(values["street_code"])
    before = snapshot(building)
    if "name" in values or "street_code" in values:
        _check_unique_name(
            session,
            name=values.get("name", building.name),
            street_code=values.get("street_code", building.street_code),
            exclude_id=building.id,
        )
    _apply(session, building, values)
    after = snapshot(building)
    if after != before:
        building.updated_at = utcnow()  # a themes-only change must still bump the version
        session.flush()
        history.record(
            session, entity="building", entity_id=building.code, op="update", before=before, after=after, actor=actor
        )
    return building


def delete(session: Session, building: Building, *, access: Access, actor: str) -> None:
    """Remove a building registered by mistake; one with occupancy history is kept."""
    access.require_bureau("删除楼宇")
    if session.scalar(select(exists().where(Occupancy.building_id == building.id))):
        raise Conflict(f"楼宇“{building.name}”有入驻记录，不能删除（如已拆除，请在备注中说明）")
    from registry.spaces import service as spaces  # spaces import buildings: avoid the cycle at import time

    for space in session.scalars(select(Space).where(Space.building_id == building.id)):
        spaces.delete(session, space, building=building, access=access, actor=actor)
    before = snapshot(building)
    session.delete(building)
    session.flush()
    history.record(
        session, entity="building", entity_id=before["code"], op="delete", before=before, after=None, actor=actor
    )


# ----- reading: vacancy, tenants, lists ---------------------------------------------------


def _space_totals() -> Any:
    """The 楼长's unit statuses per building (what each space is marked as, not the stays)."""
    occupied = func.sum(case((Space.status.in_(OCCUPIED), Space.area), else_=0))
    return select(
        Space.building_id.label("building_id"),
        func.count(Space.id).label("units"),
        func.sum(case((Space.status == "vacant", 1), else_=0)).label("vacant_units"),
        func.coalesce(func.sum(Space.area), 0).label("total_area"),
        func.sum(case((Space.status == "vacant", Space.area), else_=0)).label("vacant_area"),
        func.sum(case((Space.status == "leased", Space.area), else_=0)).label("leased_area"),
        func.sum(case((Space.status == "self_use", Space.area), else_=0)).label("self_use_area"),
        func.sum(case((Space.status == "reserved", Space.area), else_=0)).label("reserved_area"),
        occupied.label("occupied_area"),
    ).group_by(Space.building_id)


def unit_statuses(session: Session, buildings: list[Building]) -> dict[int, dict[str, Any]]:
    """房源状态 per building: the areas by the status of each registered space (空置/已租/自用/预留)."""
    if not buildings:
        return {}
    stmt = _space_totals().where(Space.building_id.in_([b.id for b in buildings]))
    rows = {row.building_id: row for row in session.execute(stmt)}
    out = {}
    for b in buildings:
        row = rows.get(b.id)
        values: dict[str, Any] = {
            "units": int(row.units) if row else 0,
            "vacant_units": int(row.vacant_units or 0) if row else 0,
        }
        for key in ("total_area", "vacant_area", "leased_area", "self_use_area", "reserved_area"):
            values[key] = round(float(getattr(row, key) or 0), 2) if row else 0.0
        out[b.id] = values
    return out


def figures_on(session: Session, buildings: list[Building], *, on: date | None = None) -> dict[int, OccupancyFigures]:
    """入驻率, occupied and vacant area and tenants of each building on ``on`` (today by default):
    the one definition (DOMAIN.md → 指标口径), from the stays in force that day, never from the
    spaces' statuses. metrics computes the same from its read model (``metrics.kpis.occupancy``)."""
    if not buildings:
        return {}
    on = on or today_in_china()
    ids = [b.id for b in buildings]
    in_force = {
        bid: (float(area or 0), int(n))
        for bid, area, n in session.execute(
            select(
                Occupancy.building_id,
                func.sum(case((Occupancy.area > 0, Occupancy.area), else_=0)),
                func.count(func.distinct(Occupancy.enterprise_id)),
            )
            .where(Occupancy.building_id.in_(ids), *current_on(on))
            .group_by(Occupancy.building_id)
        )
    }
    with_spaces = set(session.scalars(select(Space.building_id).where(Space.building_id.in_(ids)).distinct()))
    with_stays = set(session.scalars(select(Occupancy.building_id).where(Occupancy.building_id.in_(ids)).distinct()))
    out = {}
    for b in buildings:
        occupied, tenants = in_force.get(b.id, (0.0, 0))
        out[b.id] = occupancy_figures(
            on=on,
            stage=b.stage,
            leasable_area=b.leasable_area,
            recorded=b.id in with_spaces or b.id in with_stays,
            occupied_area=occupied,
            tenants=tenants,
        )
    return out


def current_on(on: date) -> tuple[ColumnElement[bool], ...]:
    """Occupancies in force on ``on`` (start ≤ on ≤ end, or no end)."""
    return (Occupancy.start_date <= on, or_(Occupancy.end_date.is_(None), Occupancy.end_date >= on))


def _filtered(access: Access, filters: BuildingFilters) -> Any:
    stmt = select(Building).where(access.building_filter())
    if filters.q:
        text = filters.q.strip().lower()
        stmt = stmt.where(or_(Building.search_text.contains(text, autoescape=True), Building.code == filters.q.strip()))
    if filters.street:
        stmt = stmt.where(Building.street_code.in_(filters.street))
    if filters.stage:
        stmt = stmt.where(Building.stage == filters.stage)
    if filters.theme:
        stmt = stmt.where(
            exists().where(BuildingTheme.building_id == Building.id, BuildingTheme.theme_code == filters.theme)
        )
    if filters.zone:
        stmt = stmt.where(Building.zone == filters.zone)
    if filters.chief:
        chief = filters.chief.strip()
        stmt = stmt.where(or_(Building.chief_username == chief, Building.chief_name.contains(chief, autoescape=True)))
    if filters.area_min is not None:
        stmt = stmt.where(Building.gfa >= filters.area_min)
    if filters.area_max is not None:
        stmt = stmt.where(Building.gfa <= filters.area_max)
    return stmt


def list_page(
    session: Session,
    *,
    access: Access,
    filters: BuildingFilters,
    sort: str,
    page: PageParams,
    on: date | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """One page of building summaries and the total matching."""
    stmt = _filtered(access, filters)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "vacancy_rate":
        # 空置率 on the date, from the stays in force (the same definition as ``figures_on``).
        stays = (
            select(
                Occupancy.building_id.label("building_id"),
                func.sum(case((Occupancy.area > 0, Occupancy.area), else_=0)).label("occupied"),
            )
            .where(*current_on(on or today_in_china()))
            .group_by(Occupancy.building_id)
            .subquery()
        )
        base = func.nullif(Building.leasable_area, 0)
        column: Any = (base - func.coalesce(stays.c.occupied, 0)) / base
        stmt = stmt.outerjoin(stays, stays.c.building_id == Building.id)
    else:
        column = {"code": Building.code, "name": Building.name, "gfa": Building.gfa, "street": Building.street_code}[
            key
        ]
    order = column.desc().nulls_last() if descending else column.asc().nulls_last()
    buildings = list(session.scalars(stmt.order_by(order, Building.code).limit(page.page_size).offset(page.offset)))
    return summaries(session, buildings, on=on), total


def street_names(session: Session) -> dict[str, str]:
    return {s.code: s.name for s in reference.list_streets(session)}


def figures_answer(f: OccupancyFigures) -> dict[str, Any]:
    """The figures as the API sends them (the same fields as metrics' building KPIs)."""
    return {
        "on": f.on,
        "status": f.status,
        "status_label": f.status_label,
        "leasable_area": f.leasable_area,
        "occupied_area": f.occupied_area,
        "vacant_area": f.vacant_area,
        "occupancy_rate": f.occupancy_rate,
        "tenant_count": f.tenants,
    }


def summaries(session: Session, buildings: list[Building], *, on: date | None = None) -> list[dict[str, Any]]:
    figures = figures_on(session, buildings, on=on)
    names = street_names(session)
    out = []
    for b in buildings:
        f = figures[b.id]
        out.append(
            {
                "code": b.code,
                "name": b.name,
                "aliases": list(b.aliases or []),
                "street_code": b.street_code,
                "street_name": names.get(b.street_code, b.street_code),
                "address": b.address,
                "stage": b.stage,
                "stage_label": STAGES.get(b.stage, b.stage),
                "gfa": b.gfa,
                "leasable_area": b.leasable_area,
                "zone": b.zone,
                "themes": b.themes,
                "chief_name": b.chief_name,
                "figures_on": f.on,
                "figures_status": f.status,
                "figures_status_label": f.status_label,
                "occupied_area": f.occupied_area,
                "vacant_area": f.vacant_area,
                "occupancy_rate": f.occupancy_rate,
                "tenant_count": f.tenants,
                "lng": b.lng,
                "lat": b.lat,
                "is_demo": b.is_demo,
            }
        )
    return out


def unit_status_answer(session: Session, building: Building, figures: OccupancyFigures) -> dict[str, Any]:
    """房源状态 with how it compares with the stays: the 楼长's per-unit view, which the nightly
    ``apply-stays`` job keeps in line with the stays; when they differ the screen says so."""
    values = unit_statuses(session, [building])[building.id]
    marked = round(values["leased_area"] + values["self_use_area"], 2)
    values["status_occupied_area"] = marked
    values["agrees_with_stays"] = values["units"] == 0 or abs(marked - figures.occupied_area) < 0.01
    return values


def read_model(
    session: Session, building: Building, *, access: Access, mask: Any, on: date | None = None
) -> dict[str, Any]:
    """The full building record for the API (phones masked by ``mask``), with its occupancy
    figures on ``on`` (today by default)."""
    data = snapshot(building)
    figures = figures_on(session, [building], on=on)[building.id]
    street = session.get(Street, building.street_code)
    data.update(
        street_name=street.name if street else building.street_code,
        stage_label=STAGES.get(building.stage, building.stage),
        ownership_label=OWNERSHIPS.get(building.ownership) if building.ownership else None,
        chief_phone=mask(building.chief_phone),
        liaison_phone=mask(building.liaison_phone),
        version=building.version,
        created_at=building.created_at,
        updated_at=building.updated_at,
        figures=figures_answer(figures),
        vacancy=unit_status_answer(session, building, figures),
        can_edit=access.can_write(building),
    )
    return data
