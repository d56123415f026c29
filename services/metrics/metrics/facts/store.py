"""Writing checked figures in bulk: one set-based pass whatever the batch size.

The rows go into a temporary table (PostgreSQL: COPY; SQLite: one executemany), then three
statements do the work against ``fact``: copy the values about to be replaced into
``fact_revision``, upsert (``INSERT … ON CONFLICT … DO UPDATE … WHERE value differs``), and
record credit codes the read model does not know in ``unregistered_taxpayer``. An identical
figure changes nothing (no new revision, no hook call).

Fact writers are serialised (a transaction-level advisory lock on PostgreSQL; SQLite has one
writer anyway), so the value copied into ``fact_revision`` is exactly the one replaced even
when two batches correct the same figure at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, TextClause, bindparam, text
from sqlalchemy.orm import Session

from louyu_kit.db import UtcDateTime, utcnow
from metrics.facts.validation import ValidRow
from metrics.rollups import hooks

# pg_advisory_xact_lock key shared by every writer of ``fact`` ("LOUYFACT").
FACT_WRITE_LOCK = 0x4C4F_5559_4641_4354
INCOMING = "fact_incoming"
_JOIN = "f.credit_code = i.credit_code AND f.period = i.period AND f.kind = i.kind AND f.source = :source"
_TYPES = {"source": String(), "batch": Integer(), "now": UtcDateTime(), "synthetic": Boolean(), "no": Boolean()}


def _sql(statement: str) -> TextClause:
    """A statement whose parameters are typed (PostgreSQL cannot guess the type of a bare NULL)."""
    clause = text(statement)
    used = [bindparam(name, type_=type_) for name, type_ in _TYPES.items() if re.search(rf":{name}\b", statement)]
    return clause.bindparams(*used) if used else clause


@dataclass
class StoreResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unregistered: list[str] = field(default_factory=list)
    periods: set[str] = field(default_factory=set)
    credit_codes: set[str] = field(default_factory=set)


def lock_fact_writes(session: Session) -> None:
    """Serialise writers of ``fact`` until this transaction ends (PostgreSQL; SQLite already is)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FACT_WRITE_LOCK})


def _load_incoming(session: Session, rows: Sequence[ValidRow]) -> None:
    dialect = session.get_bind().dialect.name
    columns = "row_no, credit_code, period, period_kind, kind, value"
    if dialect == "postgresql":
        session.execute(
            text(
                f"CREATE TEMPORARY TABLE {INCOMING} (row_no integer, credit_code varchar(18), period varchar(7), "
                "period_kind varchar(8), kind varchar(16), value numeric(20, 2)) ON COMMIT DROP"
            )
        )
        raw = session.connection().connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {INCOMING} ({columns}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row((r.row, r.credit_code, r.period, r.period_kind, r.kind, r.value))
        # A temporary table has no statistics: without them the planner may scan all of ``fact``.
        session.execute(text(f"ANALYZE {INCOMING}"))
        return
    session.execute(
        text(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {INCOMING} (row_no INTEGER, credit_code VARCHAR(18), "
            "period VARCHAR(7), period_kind VARCHAR(8), kind VARCHAR(16), value NUMERIC(20, 2))"
        )
    )
    session.execute(text(f"DELETE FROM {INCOMING}"))
    if rows:
        session.execute(
            text(f"INSERT INTO {INCOMING} ({columns}) VALUES (:r, :c, :p, :pk, :k, :v)"),
            [
                {"r": r.row, "c": r.credit_code, "p": r.period, "pk": r.period_kind, "k": r.kind, "v": str(r.value)}
                for r in rows
            ],
        )


def _drop_incoming(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":  # PostgreSQL drops it at commit
        session.execute(text(f"DROP TABLE IF EXISTS {INCOMING}"))


def store_rows(
    session: Session,
    *,
    rows: Sequence[ValidRow],
    source: str,
    batch_id: int | None,
    dry_run: bool = False,
    synthetic: bool = False,
    now: datetime | None = None,
) -> StoreResult:
    """Store checked rows from ``source``; with ``dry_run`` only count what would change."""
    now = now or utcnow()
    result = StoreResult()
    if not rows:
        return result
    lock_fact_writes(session)
    _load_incoming(session, rows)
    params = {"source": source}
    try:
        changed = session.execute(
            _sql(
                f"SELECT i.credit_code, i.period, f.id FROM {INCOMING} i LEFT JOIN fact f ON {_JOIN} "
                "WHERE f.id IS NULL OR f.value <> i.value"
            ),
            params,
        ).all()
        for credit_code, period, fact_id in changed:
            if fact_id is None:
                result.created += 1
            else:
                result.updated += 1
            result.periods.add(period)
            result.credit_codes.add(credit_code)
        result.unchanged = len(rows) - result.created - result.updated
        result.unregistered = list(
            session.scalars(
                text(
                    f"SELECT DISTINCT i.credit_code FROM {INCOMING} i LEFT JOIN rm_enterprise e "
                    "ON e.credit_code = i.credit_code AND e.deleted = :no WHERE e.credit_code IS NULL "
                    "ORDER BY i.credit_code"
                ),
                {"no": False},
            )
        )
        if dry_run:
            return result
        write = {**params, "batch": batch_id, "now": now, "synthetic": synthetic}
        if result.updated:
            session.execute(
                _sql(
                    "INSERT INTO fact_revision (fact_id, credit_code, period, kind, source, value, revision, "
                    "batch_id, valid_from, replaced_at, replaced_by_batch_id) "
                    "SELECT f.id, f.credit_code, f.period, f.kind, f.source, f.value, f.revision, f.batch_id, "
                    f"f.updated_at, :now, :batch FROM {INCOMING} i JOIN fact f ON {_JOIN} WHERE f.value <> i.value"
                ),
                write,
            )
        if result.created or result.updated:
            # ``WHERE true`` keeps SQLite from reading ON CONFLICT as part of a join.
            session.execute(
                _sql(
                    "INSERT INTO fact (credit_code, period, period_kind, kind, value, source, revision, batch_id, "
                    "synthetic, updated_at) "
                    "SELECT i.credit_code, i.period, i.period_kind, i.kind, i.value, :source, 1, :batch, "
                    f":synthetic, :now FROM {INCOMING} i WHERE true "
                    "ON CONFLICT (credit_code, period, kind, source) DO UPDATE SET value = excluded.value, "
                    "revision = fact.revision + 1, batch_id = excluded.batch_id, synthetic = excluded.synthetic, "
                    "updated_at = excluded.updated_at WHERE fact.value <> excluded.value"
                ),
                write,
            )
        if result.unregistered:
            _note_unregistered(session, batch_id=batch_id, now=now)
        if result.periods:
            hooks.on_facts_changed(session, periods=set(result.periods), credit_codes=set(result.credit_codes))
        return result
    finally:
        _drop_incoming(session)


def _note_unregistered(session: Session, *, batch_id: int | None, now: datetime) -> None:
    """Remember the batch's codes unknown to the read model (first and last time seen)."""
    session.execute(
        _sql(
            "INSERT INTO unregistered_taxpayer (credit_code, first_seen_at, last_seen_at, first_batch_id, "
            f"last_batch_id) SELECT DISTINCT i.credit_code, :now, :now, :batch, :batch FROM {INCOMING} i "
            "LEFT JOIN rm_enterprise e ON e.credit_code = i.credit_code AND e.deleted = :no "
            "WHERE e.credit_code IS NULL "
            "ON CONFLICT (credit_code) DO UPDATE SET last_seen_at = excluded.last_seen_at, "
            "last_batch_id = excluded.last_batch_id"
        ),
        {"now": now, "batch": batch_id, "no": False},
    )
