"""The unit directory: seeded from ``units.csv``, resolved by name or alias, edited by the bureau."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from louyu_kit.errors import Conflict, Invalid, NotFound
from louyu_kit.paging import PageParams, paginate
from tasks.db import feed
from tasks.units.models import KINDS, Unit, UnitAlias
from tasks.units.names import Directory, UnitRef, normalise
from tasks.units.schemas import AliasCreate, UnitCreate, UnitUpdate

SEED_FILE = Path(__file__).with_name("units.csv")


def seed_rows() -> list[dict[str, str]]:
    with SEED_FILE.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def seed(session: Session) -> int:
    """Insert the shipped units and aliases that are missing (idempotent; never overwrites an edit)."""
    existing = set(session.scalars(select(Unit.code)))
    keys = set(session.scalars(select(UnitAlias.key)))
    added = 0
    for order, row in enumerate(seed_rows()):
        if row["code"] not in existing:
            session.add(
                Unit(
                    code=row["code"],
                    name=row["name"],
                    short_name=row["short_name"],
                    kind=row["kind"],
                    expands_kind=row["expands_kind"] or None,
                    sort_order=(order + 1) * 10,
                )
            )
            added += 1
        session.flush()
        for alias in [row["name"], row["short_name"], *row["aliases"].split("|")]:
            key = normalise(alias)
            # A bare short name (商务局) is an alias too, but one shared by two units would be ambiguous.
            if key and key not in keys:
                session.add(UnitAlias(alias=alias.strip(), key=key, unit_code=row["code"]))
                keys.add(key)
    session.flush()
    return added


def seed_database(sessions: Any) -> None:
    with sessions.begin() as session:
        seed(session)


def directory(session: Session) -> Directory:
    """The whole directory in memory, for resolving the names of one document or request."""
    units = {
        u.code: UnitRef(code=u.code, name=u.name, kind=u.kind)
        for u in session.scalars(select(Unit).where(Unit.is_active.is_(True)))
    }
    keys = {a.key: a.unit_code for a in session.scalars(select(UnitAlias)) if a.unit_code in units}
    for code, ref in units.items():
        keys.setdefault(normalise(ref.name), code)
    ordered = session.execute(
        select(Unit.code, Unit.kind).where(Unit.is_active.is_(True)).order_by(Unit.sort_order, Unit.code)
    ).all()
    members: dict[str, list[str]] = {}
    for unit in session.scalars(select(Unit).where(Unit.kind == "collective", Unit.is_active.is_(True))):
        members[unit.code] = [code for code, kind in ordered if kind == unit.expands_kind]
    return Directory(units=units, keys=keys, members=members)


def get(session: Session, code: str) -> Unit:
    unit = session.get(Unit, code.strip())
    if unit is None:
        raise NotFound(f"单位 {code} 不存在", error="UnitNotFound")
    return unit


def aliases_of(session: Session, code: str) -> list[UnitAlias]:
    return list(session.scalars(select(UnitAlias).where(UnitAlias.unit_code == code).order_by(UnitAlias.id)))


def members_of(session: Session, unit: Unit) -> list[Unit]:
    if unit.kind != "collective" or not unit.expands_kind:
        return []
    stmt = select(Unit).where(Unit.kind == unit.expands_kind, Unit.is_active.is_(True))
    return list(session.scalars(stmt.order_by(Unit.sort_order, Unit.code)))


def read_model(session: Session, unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "kind_name": KINDS.get(unit.kind, unit.kind),
        "expands_kind": unit.expands_kind,
        "is_active": unit.is_active,
        "note": unit.note,
        "sort_order": unit.sort_order,
        "version": unit.version,
        "aliases": [{"id": a.id, "alias": a.alias} for a in aliases_of(session, unit.code)],
        "members": [{"code": m.code, "name": m.name} for m in members_of(session, unit)],
    }


def list_page(
    session: Session, *, kind: str | None, q: str | None, active: bool | None, page: PageParams
) -> tuple[list[Unit], int]:
    stmt = select(Unit)
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    if active is not None:
        stmt = stmt.where(Unit.is_active.is_(active))
    text = (q or "").strip()
    if text:
        # LIKE's % and _ are the clerk's characters, not wildcards; a query that is only
        # punctuation has an empty alias key, which must not match every alias.
        matches = [
            Unit.code == text,
            Unit.name.icontains(text, autoescape=True),
            Unit.short_name.icontains(text, autoescape=True),
        ]
        key = normalise(text)
        if key:
            matches.append(
                Unit.code.in_(select(UnitAlias.unit_code).where(UnitAlias.key.contains(key, autoescape=True)))
            )
        stmt = stmt.where(or_(*matches))
    return paginate(session, stmt.order_by(Unit.sort_order, Unit.code), page)


def _check_alias_free(session: Session, alias: str, *, unit_code: str) -> str:
    key = normalise(alias)
    if not key:
        raise Invalid("别名不能为空", fields=[{"field": "alias", "message": "不能为空"}])
    owner = session.scalar(select(UnitAlias.unit_code).where(UnitAlias.key == key))
    if owner is not None and owner != unit_code:
        raise Conflict(f"名称“{alias}”已是单位 {owner} 的别名", error="DuplicateAlias")
    return key


def snapshot(unit: Unit) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind, "is_active": unit.is_active}


def create(session: Session, *, data: UnitCreate, actor: str) -> Unit:
    """Add a unit (and its name as an alias)."""
    if session.get(Unit, data.code) is not None:
        raise Conflict(f"单位编码 {data.code} 已存在", error="DuplicateUnit")
    if session.scalar(select(Unit.code).where(Unit.name == data.name)) is not None:
        raise Conflict(f"已有名为“{data.name}”的单位", error="DuplicateUnit")
    key = _check_alias_free(session, data.name, unit_code=data.code)
    if data.kind == "collective" and not data.expands_kind:
        raise Invalid("统称必须指明包含哪类单位", fields=[{"field": "expands_kind", "message": "统称必须填写"}])
    unit = Unit(**data.model_dump(exclude={"aliases"}))
    session.add(unit)
    session.flush()
    if session.scalar(select(UnitAlias.id).where(UnitAlias.key == key)) is None:
        session.add(UnitAlias(alias=data.name, key=key, unit_code=unit.code))
    for alias in data.aliases:
        add_alias(session, unit, data=AliasCreate(alias=alias), actor=actor, record=False)
    session.flush()
    feed.record(session, entity="unit", entity_id=unit.code, op="create", data=snapshot(unit), actor=actor)
    return unit


def update(session: Session, unit: Unit, *, data: UnitUpdate, actor: str) -> Unit:
    values = data.model_dump(exclude_unset=True)
    if values.get("name") and values["name"] != unit.name:
        clash = session.scalar(select(Unit.code).where(Unit.name == values["name"], Unit.code != unit.code))
        if clash:
            raise Conflict(f"已有名为“{values['name']}”的单位（{clash}）", error="DuplicateUnit")
        key = _check_alias_free(session, values["name"], unit_code=unit.code)
        if session.scalar(select(UnitAlias.id).where(UnitAlias.key == key)) is None:
            session.add(UnitAlias(alias=values["name"], key=key, unit_code=unit.code))
    for name, value in values.items():
        if value is not None:
            setattr(unit, name, value)
    session.flush()
    feed.record(session, entity="unit", entity_id=unit.code, op="update", data=snapshot(unit), actor=actor)
    return unit


def add_alias(session: Session, unit: Unit, *, data: AliasCreate, actor: str, record: bool = True) -> UnitAlias:
    if unit.kind == "collective":
        pass  # a collective may have aliases too (各街道 …)
    key = _check_alias_free(session, data.alias, unit_code=unit.code)
    existing = session.scalar(select(UnitAlias).where(UnitAlias.key == key))
    if existing is not None:
        return existing
    alias = UnitAlias(alias=data.alias.strip(), key=key, unit_code=unit.code)
    session.add(alias)
    session.flush()
    if record:
        feed.record(session, entity="unit", entity_id=unit.code, op="update", data=snapshot(unit), actor=actor)
    return alias


def delete_alias(session: Session, unit: Unit, alias_id: int, *, actor: str) -> None:
    alias = session.get(UnitAlias, alias_id)
    if alias is None or alias.unit_code != unit.code:
        raise NotFound(f"单位 {unit.code} 没有编号为 {alias_id} 的别名", error="AliasNotFound")
    if alias.key == normalise(unit.name):
        raise Conflict("单位的正式名称不能删除（请先修改名称）", error="AliasIsName")
    session.delete(alias)
    session.flush()
    feed.record(session, entity="unit", entity_id=unit.code, op="update", data=snapshot(unit), actor=actor)
