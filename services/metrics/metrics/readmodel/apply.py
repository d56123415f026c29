"""Apply registry change events to the read model, idempotently and in bulk.

Every event becomes an upsert of one row keyed like registry keys it (building code, space id,
credit code, occupancy id, theme code); a ``delete`` upserts a tombstone (``deleted = true``)
from the event's last snapshot. The upsert only wins where the stored ``seq`` is older than the
event's, so a replayed page, or an older event arriving after a newer one, changes nothing.
Within a page only the newest event of each object is written (one statement per table).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Table, any_, bindparam, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from metrics.readmodel.models import RmBuilding, RmEnterprise, RmOccupancy, RmSpace, RmTheme
from metrics.rollups import hooks

# Rows per INSERT … ON CONFLICT statement (SQLite: an executemany; PostgreSQL: one JSON array).
CHUNK = 1000


def _text(value: Any, default: str = "") -> str:
    return default if value is None else str(value)


def _float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    return float(value)


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _building(key: str, data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "code": key,
        "name": _text(data.get("name")),
        "street_code": _text(data.get("street_code")),
        "zone": _text(data.get("zone")),
        "gfa": _float(data.get("gfa")),
        "leasable_area": _float(data.get("leasable_area")),
        "stage": _text(data.get("stage"), "operating"),
        "lng": _float(data.get("lng")),
        "lat": _float(data.get("lat")),
        "themes": [str(t) for t in data.get("themes") or []],
        "aliases": [str(a) for a in data.get("aliases") or []],
        "chief_username": data.get("chief_username") or None,
        "liaison_username": data.get("liaison_username") or None,
        "is_demo": bool(data.get("is_demo")),
    }


def _space(key: str, data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": int(key),
        "building_code": _text(data.get("building_code")),
        "area": _float(data.get("area")) or 0.0,
        "status": _text(data.get("status"), "vacant"),
    }


def _enterprise(key: str, data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "credit_code": key,
        "name": _text(data.get("name")),
        "industry_code": data.get("industry_code") or None,
        "registered_in_district": bool(data.get("registered_in_district")),
        "taxed_in_district": bool(data.get("taxed_in_district")),
        "in_statistics": bool(data.get("in_statistics")),
        "above_scale": bool(data.get("above_scale")),
        "is_key": bool(data.get("is_key")),
        "hq_level": data.get("hq_level") or None,
        "is_demo": bool(data.get("is_demo")),
    }


def _occupancy(key: str, data: Mapping[str, Any]) -> dict[str, Any]:
    start = _date(data.get("start_date"))
    return {
        "id": int(key),
        "credit_code": _text(data.get("credit_code")),
        "building_code": _text(data.get("building_code")),
        "area": _float(data.get("area")) or 0.0,
        "start_date": start or date.min,
        "end_date": _date(data.get("end_date")),
        "spaces": [
            {"space_id": int(part["space_id"]), "area": float(part.get("area") or 0)}
            for part in data.get("spaces") or []
            if isinstance(part, Mapping) and part.get("space_id") is not None
        ],
    }


def _theme(key: str, data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "code": key,
        "name": _text(data.get("name")),
        "industry_prefixes": [str(p) for p in data.get("industry_prefixes") or []],
    }


@dataclass(frozen=True)
class Entity:
    table: Table
    key: str
    row: Callable[[str, Mapping[str, Any]], dict[str, Any]]


ENTITIES: dict[str, Entity] = {
    "building": Entity(RmBuilding.__table__, "code", _building),  # type: ignore[arg-type]
    "space": Entity(RmSpace.__table__, "id", _space),  # type: ignore[arg-type]
    "enterprise": Entity(RmEnterprise.__table__, "credit_code", _enterprise),  # type: ignore[arg-type]
    "occupancy": Entity(RmOccupancy.__table__, "id", _occupancy),  # type: ignore[arg-type]
    "theme": Entity(RmTheme.__table__, "code", _theme),  # type: ignore[arg-type]
}


@cache
def shipped_themes() -> dict[str, dict[str, Any]]:
    """The 特色 themes registry ships and seeds at start-up (a copy of registry's
    ``reference/data/themes.csv``; tests/metrics keeps the two equal)."""
    path = Path(__file__).resolve().parent / "data" / "themes.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return {
            row["code"]: {
                "code": row["code"],
                "name": row["name"],
                "industry_prefixes": row["industry_prefixes"].split(),
            }
            for row in csv.DictReader(f)
        }


def _shipped_themes_named(
    session: Session, buildings: Iterable[Mapping[str, Any]], known: set[str]
) -> list[dict[str, Any]]:
    """Registry seeds its shipped themes without change events, so the feed never carries them.
    When a building names one the read model lacks, it is added from the shipped list with
    seq 0: any real theme event (seq ≥ 1, a bureau's edit) wins over it, in whatever order."""
    named = {code for row in buildings if not row["deleted"] for code in row["themes"]} - known
    if not named:
        return []
    present = set(session.scalars(select(RmTheme.code).where(RmTheme.code.in_(named))))
    defaults = shipped_themes()
    return [{**defaults[code], "deleted": False, "seq": 0} for code in sorted(named - present) if code in defaults]


@dataclass
class Applied:
    """What a page touched: the events read, and the keys the rollups must hear about."""

    events: int = 0
    ignored: int = 0
    credit_codes: set[str] = field(default_factory=set)
    building_codes: set[str] = field(default_factory=set)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot send {type(value).__name__} as JSON")


@cache
def _pg_upsert_sql(table: Table, key: str) -> str:
    """PostgreSQL: the rows travel as one JSON array (``jsonb_to_recordset``), so a chunk is one
    statement with one parameter, parsed by the server; psycopg would otherwise send a row-by-row
    executemany or split a 13,000-placeholder query in Python."""
    dialect = postgresql.dialect()
    quote = dialect.identifier_preparer.quote
    names = [c.name for c in table.columns]
    listed = ", ".join(quote(n) for n in names)
    types = ", ".join(f"{quote(c.name)} {c.type.compile(dialect=dialect)}" for c in table.columns)
    updates = ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in names if n != key)
    return (
        f"INSERT INTO {quote(table.name)} ({listed}) "
        f"SELECT {listed} FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r({types}) "
        f"ON CONFLICT ({quote(key)}) DO UPDATE SET {updates} WHERE {quote(table.name)}.seq < excluded.seq"
    )


def _upsert(session: Session, entity: Entity, rows: list[dict[str, Any]]) -> None:
    """``INSERT … ON CONFLICT DO UPDATE … WHERE stored.seq < new.seq`` for many rows."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        sql = text(_pg_upsert_sql(entity.table, entity.key))
        for start in range(0, len(rows), CHUNK):
            payload = json.dumps(rows[start : start + CHUNK], default=_json_default, ensure_ascii=False)
            session.execute(sql, {"rows": payload})
        return
    if dialect != "sqlite":  # pragma: no cover - Louyu runs on SQLite and PostgreSQL only
        raise RuntimeError(f"unsupported database {dialect}")
    stmt: Any = sqlite.insert(entity.table)
    columns = [c.name for c in entity.table.columns if c.name != entity.key]
    stmt = stmt.on_conflict_do_update(
        index_elements=[entity.key],
        set_={name: stmt.excluded[name] for name in columns},
        where=entity.table.c.seq < stmt.excluded.seq,
    )
    for start in range(0, len(rows), CHUNK):
        session.execute(stmt, rows[start : start + CHUNK])


def _stored(session: Session, entity: Entity, keys: Iterable[Any], *columns: str) -> list[tuple[Any, ...]]:
    """``columns`` of the stored rows with these keys."""
    keys = list(keys)
    key = entity.table.c[entity.key]
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        if session.get_bind().dialect.name == "postgresql":
            # One array parameter (= ANY) instead of a thousand placeholders.
            match = key == any_(bindparam("keys", chunk, type_=postgresql.ARRAY(key.type)))
        else:
            match = key.in_(chunk)
        stmt = select(*(entity.table.c[c] for c in columns)).where(match)
        found.extend(tuple(r) for r in session.execute(stmt))
    return found


def apply_events(session: Session, events: Sequence[Mapping[str, Any]]) -> Applied:
    """Apply change events (dicts shaped like louyu_kit.changes.ChangeEvent) in the caller's
    transaction, then tell the rollups which enterprises and buildings changed."""
    applied = Applied(events=len(events))
    newest: dict[str, dict[str, tuple[int, dict[str, Any]]]] = {name: {} for name in ENTITIES}
    for event in events:
        entity = ENTITIES.get(str(event["entity"]))
        if entity is None:
            # An entity metrics does not read (registry may grow new ones): skip it.
            applied.ignored += 1
            continue
        seq, key, data = int(event["seq"]), str(event["entity_id"]), event.get("data") or {}
        known = newest[str(event["entity"])].get(key)
        if known is not None and known[0] >= seq:
            continue
        row = entity.row(key, data)
        row.update(deleted=event["op"] == "delete", seq=seq)
        newest[str(event["entity"])][key] = (seq, row)

    # The keys an object had before this page count too (an occupancy corrected to another
    # building, a space moved): both the old and the new building must be recomputed.
    spaces = [row for _, row in newest["space"].values()]
    occupancies = [row for _, row in newest["occupancy"].values()]
    if spaces:
        for (building_code,) in _stored(session, ENTITIES["space"], [r["id"] for r in spaces], "building_code"):
            applied.building_codes.add(building_code)
    if occupancies:
        stored = _stored(session, ENTITIES["occupancy"], [r["id"] for r in occupancies], "credit_code", "building_code")
        for credit_code, building_code in stored:
            applied.credit_codes.add(credit_code)
            applied.building_codes.add(building_code)

    applied.building_codes.update(newest["building"])
    applied.building_codes.update(r["building_code"] for r in spaces)
    applied.credit_codes.update(newest["enterprise"])
    applied.credit_codes.update(r["credit_code"] for r in occupancies)
    applied.building_codes.update(r["building_code"] for r in occupancies)

    for name, entity in ENTITIES.items():
        rows = [row for _, row in sorted(newest[name].values(), key=lambda item: item[0])]
        if name == "theme":
            buildings = [row for _, row in newest["building"].values()]
            rows += _shipped_themes_named(session, buildings, known=set(newest["theme"]))
        if rows:
            _upsert(session, entity, rows)

    if newest["theme"]:
        # Every building is judged against every theme: the stored verdicts are computed anew.
        from metrics.featured import store as featured_store  # late: featured reads this module

        featured_store.invalidate(session)
        # A theme's industries decide which buildings are 特色: every building of the theme.
        themes = set(newest["theme"])
        for code, building_themes in session.execute(
            select(RmBuilding.code, RmBuilding.themes).where(RmBuilding.deleted.is_(False))
        ):
            if themes.intersection(building_themes or ()):
                applied.building_codes.add(code)

    applied.credit_codes.discard("")
    applied.building_codes.discard("")
    if applied.credit_codes or applied.building_codes:
        hooks.on_dimensions_changed(session, credit_codes=applied.credit_codes, building_codes=applied.building_codes)
    return applied
