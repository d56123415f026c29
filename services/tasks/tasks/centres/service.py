"""招商共享中心: the bureau opens centres; the bureau and the centre's street record the
enterprises hosted there during their transition period (stays), and the two rates:

- 入驻率 = 工位 used by the stays in force on the day ÷ the centre's capacity in 工位;
- 转化率 = stays whose enterprise moved into a district building (an occupancy in registry
  starting between the stay's start and ``months`` months later) ÷ the stays that converted
  or whose ``months`` have passed (a stay still inside its window and not yet converted is
  neither a success nor a failure yet). A stay without a credit code cannot be looked up in
  registry and counts as not converted once its window has passed.

Scope: the bureau and leaders read every centre; a street the centres in its streets.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import Session

from louyu_kit.errors import Conflict, Forbidden, Invalid, NotFound
from tasks.access import Actor
from tasks.centres.models import LEVELS, CentreStay, SharingCentre
from tasks.centres.schemas import CentreCreate, StayCreate
from tasks.clients.registry import OccupancyRef
from tasks.units.models import Unit


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def centre_filter(actor: Actor) -> ColumnElement[bool]:
    if actor.roles & {"bureau", "leader"}:
        return true()
    if "street" in actor.roles and actor.street_codes:
        return SharingCentre.street_code.in_(actor.street_codes)
    return false()


def get(session: Session, centre_id: int, *, actor: Actor) -> SharingCentre:
    centre = session.scalar(select(SharingCentre).where(SharingCentre.id == centre_id, centre_filter(actor)))
    if centre is None:
        raise NotFound(f"招商共享中心 {centre_id} 不存在", error="CentreNotFound")
    return centre


def visible(session: Session, *, actor: Actor) -> list[SharingCentre]:
    stmt = select(SharingCentre).where(centre_filter(actor)).order_by(SharingCentre.opened_date, SharingCentre.id)
    return list(session.scalars(stmt))


def create(session: Session, *, data: CentreCreate, actor: Actor) -> SharingCentre:
    actor.require_bureau("新建招商共享中心")
    street = session.get(Unit, data.street_code)
    if street is None or street.kind != "street":
        raise Invalid(
            f"街道代码“{data.street_code}”不是武昌区的街道", fields=[{"field": "street_code", "message": "街道不存在"}]
        )
    if session.scalar(select(SharingCentre.id).where(SharingCentre.name == data.name)) is not None:
        raise Conflict(f"已有名为“{data.name}”的招商共享中心", error="CentreExists")
    centre = SharingCentre(**data.model_dump(), created_by=actor.username)
    session.add(centre)
    session.flush()
    return centre


def _require_writer(actor: Actor, centre: SharingCentre) -> None:
    if "bureau" in actor.roles:
        return
    if "street" in actor.roles and centre.street_code in actor.street_codes:
        return
    raise Forbidden(f"只有区商务局和所在街道可以登记“{centre.name}”的入驻企业")


def add_stay(session: Session, centre: SharingCentre, *, data: StayCreate, actor: Actor) -> CentreStay:
    _require_writer(actor, centre)
    if data.end_date is not None and data.end_date < data.start_date:
        raise Invalid("离开日期不能早于入驻日期", fields=[{"field": "end_date", "message": "早于入驻日期"}])
    if data.start_date < centre.opened_date:
        raise Invalid(
            f"入驻日期早于中心启用日期（{centre.opened_date.year}年{centre.opened_date.month}月{centre.opened_date.day}日）",
            fields=[{"field": "start_date", "message": "早于中心启用日期"}],
        )
    stay = CentreStay(centre_id=centre.id, **data.model_dump(), created_by=actor.username)
    session.add(stay)
    session.flush()
    return stay


def get_stay(session: Session, centre: SharingCentre, stay_id: int) -> CentreStay:
    stay = session.get(CentreStay, stay_id)
    if stay is None or stay.centre_id != centre.id:
        raise NotFound(f"入驻记录 {stay_id} 不存在", error="StayNotFound")
    return stay


def end_stay(session: Session, centre: SharingCentre, stay: CentreStay, *, end_date: date, actor: Actor) -> CentreStay:
    _require_writer(actor, centre)
    if end_date < stay.start_date:
        raise Invalid("离开日期不能早于入驻日期", fields=[{"field": "end_date", "message": "早于入驻日期"}])
    stay.end_date = end_date
    session.flush()
    return stay


def stays_of(session: Session, centre_ids: Iterable[int]) -> list[CentreStay]:
    ids = list(centre_ids)
    if not ids:
        return []
    stmt = select(CentreStay).where(CentreStay.centre_id.in_(ids)).order_by(CentreStay.start_date.desc(), CentreStay.id)
    return list(session.scalars(stmt))


def credit_codes(stays: Iterable[CentreStay]) -> list[str]:
    return sorted({s.credit_code for s in stays if s.credit_code})


def in_force(stay: CentreStay, on: date) -> bool:
    return stay.start_date <= on and (stay.end_date is None or stay.end_date >= on)


Occupancies = dict[str, list[OccupancyRef]] | None  # None: registry could not be asked


def moved_to(stay: CentreStay, occupancies: Occupancies, *, months: int, as_of: date) -> str | None:
    """The district building the stay's enterprise moved into within ``months`` of the stay's start."""
    if not stay.credit_code or occupancies is None:
        return None
    last = min(add_months(stay.start_date, months), as_of)
    for occ in sorted(occupancies.get(stay.credit_code, []), key=lambda o: o.start_date):
        if stay.start_date <= occ.start_date <= last:
            return occ.building_code
    return None


def rates(stays: list[CentreStay], *, desks: int, occupancies: Occupancies, months: int, as_of: date) -> dict[str, Any]:
    """入驻率 and 转化率 of ``stays`` against a capacity of ``desks`` (the module docstring)."""
    current = [s for s in stays if in_force(s, as_of)]
    used = sum(s.desks for s in current)
    converted = base = 0
    for stay in stays if occupancies is not None else []:
        if stay.start_date > as_of:
            continue
        if moved_to(stay, occupancies, months=months, as_of=as_of) is not None:
            converted += 1
            base += 1
        elif add_months(stay.start_date, months) <= as_of:
            base += 1
    return {
        "desks": desks,
        "desks_used": used,
        "hosted_now": len({s.credit_code or s.enterprise_name for s in current}),
        "occupancy_rate": round(used / desks, 4) if desks else None,
        "conversion_months": months,
        "conversion_base": base,
        "converted": converted,
        "conversion_rate": round(converted / base, 4) if base else None,
        "conversion_available": occupancies is not None,
        "as_of": as_of,
    }


def street_names(session: Session, codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    return dict(session.execute(select(Unit.code, Unit.name).where(Unit.code.in_(codes))).all())


def stay_read(stay: CentreStay, occupancies: Occupancies, *, months: int, as_of: date) -> dict:
    building = moved_to(stay, occupancies, months=months, as_of=as_of)
    return {
        "id": stay.id,
        "centre_id": stay.centre_id,
        "enterprise_name": stay.enterprise_name,
        "credit_code": stay.credit_code,
        "start_date": stay.start_date,
        "end_date": stay.end_date,
        "desks": stay.desks,
        "current": in_force(stay, as_of),
        "converted": building is not None,
        "moved_to": building,
        "note": stay.note,
    }


def read_model(
    centre: SharingCentre,
    stays: list[CentreStay],
    *,
    names: dict[str, str],
    occupancies: Occupancies,
    months: int,
    as_of: date,
    with_stays: bool,
) -> dict[str, Any]:
    return {
        "id": centre.id,
        "name": centre.name,
        "level": centre.level,
        "level_label": LEVELS.get(centre.level, centre.level),
        "street_code": centre.street_code,
        "street_name": names.get(centre.street_code, centre.street_code),
        "address": centre.address,
        "opened_date": centre.opened_date,
        "desks": centre.desks,
        "area": centre.area,
        "note": centre.note,
        "is_demo": centre.is_demo,
        "rates": rates(stays, desks=centre.desks, occupancies=occupancies, months=months, as_of=as_of),
        "stays": [stay_read(s, occupancies, months=months, as_of=as_of) for s in stays] if with_stays else [],
        "created_by": centre.created_by,
        "created_at": centre.created_at,
    }


def opened_in(session: Session, *, year: int) -> list[SharingCentre]:
    """Centres (区级 and 街道) opened in ``year``: what the plan's goal “新建招商共享中心N个” counts."""
    stmt = (
        select(SharingCentre)
        .where(SharingCentre.opened_date >= date(year, 1, 1), SharingCentre.opened_date <= date(year, 12, 31))
        .order_by(SharingCentre.opened_date, SharingCentre.id)
    )
    return list(session.scalars(stmt))
