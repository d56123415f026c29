"""Keeping the rollups up to date: mark what changed, recompute it set-based, or rebuild all.

Freshness: the ingest and the read-model consumer call the hooks in their own transaction.
Marking is an insert of the changed keys into ``rollup_dirty`` / ``rollup_dirty_building``
(``ON CONFLICT DO NOTHING``), in proportion to the change. Tiny changes (everything pending at
most ``INLINE_LIMIT`` enterprise-periods and ``INLINE_BUILDINGS`` buildings: a manual entry, a
small page of registry events) are recomputed right there, so they are visible with the
commit. Anything bigger (a 50,000-row bureau batch, a catch-up page touching many buildings) is
only marked; the background worker of the metrics process (``metrics.rollups.worker``)
recomputes it within seconds, and every KPI answer says how many enterprise-periods are still
pending (``sync.rollups_pending``).

On PostgreSQL a transaction-scoped advisory lock lets one refresh run at a time. Marking never
waits for a refresh: the worker first moves the marks into ``rollup_claim`` /
``rollup_claim_building`` in a short transaction of its own (``claim``), then recomputes from
those in a second one, so no mark row stays locked during the long recompute; an inline
refresh only tries the lock and leaves the work to the worker while another refresh runs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.db import utcnow
from metrics.rollups.attribution import KINDS, insert_attribution
from metrics.rollups.models import (
    RollupBuildingPeriod,
    RollupBuildingStock,
    RollupClaim,
    RollupClaimBuilding,
    RollupDirty,
    RollupDirtyBuilding,
    RollupDirtyBuildingPeriod,
    RollupDirtySectionPeriod,
    RollupEnterprise,
    RollupPeriod,
    RollupSectionPeriod,
    RollupState,
)
from metrics.rollups.periods import MAX_YEAR, MIN_YEAR, enclosing_periods, month_key, stored_periods_of_year

log = logging.getLogger("louyu.metrics.rollups")

INLINE_LIMIT = 2_000
INLINE_BUILDINGS = 20
INDEX_JOIN_LIMIT = 500_000
CHUNK = 500
LOCK_KEY = 0x4C6F75797552  # "LouyuR"

_SUMS = ", ".join(f"SUM({k})" for k in KINDS)
_KIND_COLUMNS = ", ".join(KINDS)


@dataclass(frozen=True)
class RefreshResult:
    enterprise_periods: int
    buildings_restocked: int  # -1: every building (the kept months were recomputed from scratch)


def _featured_store():  # noqa: ANN202 - imported late: featured reads the read model, which calls the hooks
    from metrics.featured import store

    return store


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _lock(session: Session) -> None:
    if _dialect(session) == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


@contextmanager
def _tuned(session: Session, *, bulk: bool, index_joins: bool = False) -> Iterator[None]:
    """PostgreSQL settings for the rollup statements, reset afterwards (the inline refresh runs
    inside the caller's transaction): no JIT (it costs more than it saves here), room for a
    rebuild's sorts, and for a work list of up to ``INDEX_JOIN_LIMIT`` pairs joins through the
    indexes (a few hundred thousand index probes instead of scanning 14 million figures)."""
    if _dialect(session) != "postgresql":
        yield
        return
    values = {"jit": "off"}
    if bulk:
        values["work_mem"] = "'64MB'"
    if index_joins:
        values |= {"enable_hashjoin": "off", "enable_mergejoin": "off"}
    for name, value in values.items():
        session.execute(text(f"SET LOCAL {name} = {value}"))
    try:
        yield
    finally:
        for name in values:
            session.execute(text(f"RESET {name}"))


def _insert_ignore(session: Session, model: type, rows: list[dict[str, str]]) -> None:
    if not rows:
        return
    dialect = postgresql if _dialect(session) == "postgresql" else sqlite
    for start in range(0, len(rows), 5_000):
        session.execute(dialect.insert(model).on_conflict_do_nothing(), rows[start : start + 5_000])


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(v for v in values if v)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def ensure_periods(session: Session) -> None:
    """Fill the calendar of stored period keys (2000–2100) once."""
    expected = (MAX_YEAR - MIN_YEAR + 1) * 17
    if session.scalar(select(func.count()).select_from(RollupPeriod)) == expected:
        return
    existing = set(session.scalars(select(RollupPeriod.period)))
    rows = [
        {"period": key, "period_kind": kind, "year": year, "start_date": start, "end_date": end, "months": months}
        for year in range(MIN_YEAR, MAX_YEAR + 1)
        for key, kind, start, end, months in stored_periods_of_year(year)
        if key not in existing
    ]
    for start in range(0, len(rows), 1_000):
        session.execute(insert(RollupPeriod), rows[start : start + 1_000])


# ----- marking ----------------------------------------------------------------------------


def mark_facts(session: Session, *, periods: set[str], credit_codes: set[str]) -> None:
    """Figures of these enterprises for these periods changed.

    A new monthly figure can also change whether the enterprise's quarter or year total of
    that kind still counts (finer figures win), so those totals are marked too, but only
    where such a total exists (most enterprises send months only)."""
    given: set[str] = set()
    coarse: set[str] = set()
    for period in periods:
        try:
            keys = enclosing_periods(period)
        except ValueError:
            log.warning("ignoring figures of an unknown period key %r", period)
            continue
        given.add(keys[0])
        coarse.update(keys[1:])
    coarse -= given
    if _dialect(session) == "postgresql":
        # One statement each for a whole batch (a 50,000-row batch marks 25,000+ pairs).
        params = {"codes": sorted(credit_codes), "periods": sorted(given), "coarse": sorted(coarse)}
        session.execute(
            text(
                "INSERT INTO rollup_dirty (credit_code, period) "
                "SELECT c, p FROM unnest(CAST(:codes AS text[])) AS c, unnest(CAST(:periods AS text[])) AS p "
                "ON CONFLICT DO NOTHING"
            ),
            params,
        )
        if coarse:
            session.execute(
                text(
                    "INSERT INTO rollup_dirty (credit_code, period) "
                    "SELECT DISTINCT f.credit_code, f.period FROM fact f "
                    "WHERE f.credit_code = ANY(CAST(:codes AS text[])) AND f.period = ANY(CAST(:coarse AS text[])) "
                    "ON CONFLICT DO NOTHING"
                ),
                params,
            )
        return
    _insert_ignore(
        session, RollupDirty, [{"credit_code": cc, "period": p} for cc in sorted(credit_codes) for p in sorted(given)]
    )
    if coarse:
        wanted = ", ".join(f":p{i}" for i in range(len(coarse)))
        for chunk in _chunks(credit_codes):
            params = {f"c{i}": cc for i, cc in enumerate(chunk)} | {f"p{i}": p for i, p in enumerate(sorted(coarse))}
            names = ", ".join(f":c{i}" for i in range(len(chunk)))
            session.execute(
                text(
                    "INSERT INTO rollup_dirty (credit_code, period) SELECT DISTINCT credit_code, period FROM fact "
                    f"WHERE credit_code IN ({names}) AND period IN ({wanted}) ON CONFLICT DO NOTHING"
                ),
                params,
            )


def mark_dimensions(session: Session, *, credit_codes: set[str], building_codes: set[str]) -> None:
    """Stays, flags or industry of these enterprises, or these buildings, changed."""
    conflict = " ON CONFLICT DO NOTHING"
    for chunk in _chunks(credit_codes):
        params = {f"c{i}": cc for i, cc in enumerate(chunk)}
        names = ", ".join(f":c{i}" for i in range(len(chunk)))
        # Every stored period with a figure of these enterprises is attributed anew.
        session.execute(
            text(
                "INSERT INTO rollup_dirty (credit_code, period) "
                f"SELECT DISTINCT credit_code, period FROM fact WHERE credit_code IN ({names}){conflict}"
            ),
            params,
        )
        # Their buildings (also those of stays that were removed) count their tenants anew.
        session.execute(
            text(
                "INSERT INTO rollup_dirty_building (building_code) "
                f"SELECT DISTINCT building_code FROM rm_occupancy WHERE credit_code IN ({names}){conflict}"
            ),
            params,
        )
    _insert_ignore(session, RollupDirtyBuilding, [{"building_code": b} for b in sorted(building_codes) if b])


# The rollups' queue: marked (or claimed by a running refresh) but not yet recomputed.
PENDING_TABLES = (RollupDirty, RollupDirtyBuilding, RollupClaim, RollupClaimBuilding)


def pending(session: Session) -> int:
    """Enterprise-periods and buildings marked (or claimed by a running refresh) but not yet
    recomputed, in one statement (the cached dashboard's key asks it on every request)."""
    counts = [select(func.count()).select_from(model).scalar_subquery() for model in PENDING_TABLES]
    return int(session.scalar(select(counts[0] + counts[1] + counts[2] + counts[3])) or 0)


def _at_most(session: Session, table: str, limit: int) -> int:
    """Rows of ``table``, counted up to ``limit + 1`` (as cheap as the limit, however long the queue)."""
    return int(session.scalar(text(f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT {int(limit) + 1}) AS q")) or 0)


def refresh_if_small(
    session: Session, *, limit: int = INLINE_LIMIT, buildings: int = INLINE_BUILDINGS
) -> RefreshResult | None:
    """Recompute now when everything pending is tiny and no other refresh is running (the
    caller's transaction never waits for the worker); otherwise leave it to the worker.

    Not inline either when the kept occupancy months must be extended to a new month (every
    building): that is the worker's (a database whose occupancy was never kept at all is
    either new or still waiting for the worker's first round, and small)."""
    if _at_most(session, "rollup_dirty", limit) + _at_most(session, "rollup_claim", limit) > limit:
        return None
    if (
        _at_most(session, "rollup_dirty_building", buildings) + _at_most(session, "rollup_claim_building", buildings)
        > buildings
    ):
        return None
    state = session.get(RollupState, 1)
    today = today_in_china()
    if state is not None and state.stock_to is not None and state.stock_to < month_key(today.year, today.month):
        return None
    if _dialect(session) == "postgresql" and not session.scalar(
        text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": LOCK_KEY}
    ):
        return None
    return refresh(session)


# ----- recomputing ------------------------------------------------------------------------


def _state(session: Session) -> RollupState:
    state = session.get(RollupState, 1)
    if state is None:
        state = RollupState(id=1, refreshed_at=None)
        session.add(state)
        session.flush()
    return state


@dataclass(frozen=True)
class _Work:
    """The work lists a refresh reads: the marks themselves (SQLite: one writer at a time), or
    on PostgreSQL the marks claimed at the start into temporary tables, so marks committed by
    others meanwhile (without waiting for this refresh) stay for the next one."""

    figures: str
    buildings: str
    claimed: bool


def _move_marks(session: Session) -> int:
    moved = session.execute(
        text(
            "WITH gone AS (DELETE FROM rollup_dirty RETURNING credit_code, period) "
            "INSERT INTO rollup_claim (credit_code, period) SELECT credit_code, period FROM gone "
            "ON CONFLICT DO NOTHING"
        )
    ).rowcount
    session.execute(
        text(
            "WITH gone AS (DELETE FROM rollup_dirty_building RETURNING building_code) "
            "INSERT INTO rollup_claim_building (building_code) SELECT building_code FROM gone "
            "ON CONFLICT DO NOTHING"
        )
    )
    if moved and moved > INLINE_LIMIT:
        session.execute(text("ANALYZE rollup_claim"))
    return int(moved or 0)


def claim(session: Session) -> int:
    """PostgreSQL, the worker's first (short) transaction: move the marks into the claim tables
    under the refresh lock; the caller commits at once, so hooks marking the same keys again
    never wait for the recompute (``refresh(session, take=False)`` in a second transaction).
    Returns the enterprise-periods moved (0 on SQLite, where the refresh reads the marks)."""
    if _dialect(session) != "postgresql":
        return 0
    _lock(session)
    return _move_marks(session)


def _claim(session: Session, *, take: bool) -> _Work:
    if _dialect(session) != "postgresql":
        return _Work("rollup_dirty", "rollup_dirty_building", claimed=False)
    if take:
        _move_marks(session)
    return _Work("rollup_claim", "rollup_claim_building", claimed=True)


def refresh(session: Session, *, take: bool = True) -> RefreshResult:
    """Recompute every marked enterprise-period and building (set-based), in this transaction.

    PostgreSQL: the work is what the claim tables hold, after moving the current marks there
    (``take``; the worker moves them beforehand in a transaction of its own, see ``claim``)."""
    started = time.perf_counter()
    _lock(session)
    ensure_periods(session)
    work = _claim(session, take=take)
    dirty = int(session.scalar(text(f"SELECT COUNT(*) FROM {work.figures}")) or 0)
    # The buildings whose 特色 verdicts change with this refresh: their tenants, their sums.
    tenants: set[str] = set(session.scalars(text(f"SELECT building_code FROM {work.buildings}")))
    sums: set[tuple[str, str]] = set()
    laps = {"start": time.perf_counter() - started}
    with _tuned(session, bulk=dirty > INLINE_LIMIT, index_joins=dirty <= INDEX_JOIN_LIMIT):
        if dirty:
            sums = _refresh_figures(session, work, laps=laps)
        lap = time.perf_counter()
        restocked = _refresh_stock(session, work)
        laps["stock"] = time.perf_counter() - lap
        lap = time.perf_counter()
        _featured_store().update_after_refresh(session, tenants=tenants, sums=sums)
        laps["verdicts"] = time.perf_counter() - lap
    if work.claimed:
        session.execute(delete(RollupClaim))
        session.execute(delete(RollupClaimBuilding))
    state = _state(session)
    state.refreshed_at = utcnow()
    session.flush()
    if dirty > INLINE_LIMIT:
        # Where a large refresh's time goes (issue #19's freshness).
        log.info(
            "rollups refresh of %d enterprise-periods in %.2f s: %s",
            dirty,
            time.perf_counter() - started,
            ", ".join(f"{k} {v:.2f}" for k, v in laps.items()),
        )
    return RefreshResult(enterprise_periods=dirty, buildings_restocked=restocked)


_MATCH_DIRTY = "EXISTS (SELECT 1 FROM {w} d WHERE d.credit_code = {t}.credit_code AND d.period = {t}.period)"


def _collect_work(session: Session, work: _Work, *, new_only: bool) -> None:
    """Building and 门类 sums touched by the marked enterprise-periods (before and after)."""
    for target, column in (
        ("rollup_dirty_building_period", "building_code"),
        ("rollup_dirty_section_period", "section"),
    ):
        not_yet = (
            f" AND NOT EXISTS (SELECT 1 FROM {target} w WHERE w.{column} = e.{column} AND w.period = e.period)"
            if new_only
            else ""
        )
        session.execute(
            text(
                f"INSERT INTO {target} ({column}, period) SELECT DISTINCT e.{column}, e.period "
                f"FROM rollup_enterprise e WHERE {_MATCH_DIRTY.format(w=work.figures, t='e')}{not_yet}"
            )
        )


def _refresh_figures(session: Session, work: _Work, *, laps: dict[str, float]) -> set[tuple[str, str]]:
    lap = time.perf_counter()
    _collect_work(session, work, new_only=False)
    laps["collect"] = time.perf_counter() - lap
    lap = time.perf_counter()
    match = _MATCH_DIRTY.format(w=work.figures, t="rollup_enterprise")
    session.execute(text(f"DELETE FROM rollup_enterprise WHERE {match}"))
    laps["delete"] = time.perf_counter() - lap
    lap = time.perf_counter()
    insert_attribution(session, dirty_only=True, dirty_table=work.figures)
    laps["attribution"] = time.perf_counter() - lap
    lap = time.perf_counter()
    _collect_work(session, work, new_only=True)
    laps["collect_new"] = time.perf_counter() - lap
    lap = time.perf_counter()
    for target, sums_work, column in (
        ("rollup_building_period", "rollup_dirty_building_period", "building_code"),
        ("rollup_section_period", "rollup_dirty_section_period", "section"),
    ):
        match = (
            f"EXISTS (SELECT 1 FROM {sums_work} w WHERE w.{column} = {target}.{column} AND w.period = {target}.period)"
        )
        session.execute(text(f"DELETE FROM {target} WHERE {match}"))
        session.execute(
            text(
                f"INSERT INTO {target} ({column}, period, period_kind, {_KIND_COLUMNS}, enterprises) "
                f"SELECT e.{column}, e.period, MIN(e.period_kind), {_SUMS}, COUNT(*) FROM rollup_enterprise e "
                f"JOIN {sums_work} w ON w.{column} = e.{column} AND w.period = e.period "
                f"GROUP BY e.{column}, e.period"
            )
        )
    laps["sums"] = time.perf_counter() - lap
    work_list = text("SELECT building_code, period FROM rollup_dirty_building_period")
    buildings = {(b, p) for b, p in session.execute(work_list)}
    session.execute(delete(RollupDirtyBuildingPeriod))
    session.execute(delete(RollupDirtySectionPeriod))
    if not work.claimed:
        session.execute(delete(RollupDirty))
    return buildings


def _stock_bounds(session: Session, *, sums: str = "rollup_building_period") -> tuple[str, str]:
    """Months whose occupancy is kept: from the first month with figures (at the latest January
    of last year) to the last month with figures (at least the current month)."""
    today = today_in_china()
    first, last = session.execute(
        text(f"SELECT MIN(period), MAX(period) FROM {sums} WHERE period_kind = 'month'")
    ).one()
    start = min(first or "9999-12", month_key(today.year - 1, 1))
    end = max(last or "0000-01", month_key(today.year, today.month))
    return start, end


def _insert_stock(
    session: Session, *, start: str, end: str, dirty_table: str | None = None, target: str = "rollup_building_stock"
) -> None:
    # For marked buildings the statement starts from the marks and reaches their stays through
    # the (building_code, dates) index, instead of filtering every stay of the district.
    stays = (
        f"{dirty_table} d JOIN rm_occupancy o ON o.building_code = d.building_code AND NOT o.deleted "
        if dirty_table
        else "rm_occupancy o "
    )
    session.execute(
        text(
            f"INSERT INTO {target} "
            "(building_code, month, occupied_area, tenants, registered, in_statistics) "
            "SELECT o.building_code, p.period, SUM(CASE WHEN o.area > 0 THEN o.area ELSE 0 END), "
            "COUNT(DISTINCT o.credit_code), "
            "COUNT(DISTINCT CASE WHEN e.registered_in_district THEN o.credit_code END), "
            "COUNT(DISTINCT CASE WHEN e.in_statistics THEN o.credit_code END) "
            f"FROM {stays}"
            "JOIN rollup_period p ON p.period_kind = 'month' AND p.period >= :start AND p.period <= :end "
            "AND o.start_date <= p.end_date AND (o.end_date IS NULL OR o.end_date >= p.end_date) "
            "LEFT JOIN rm_enterprise e ON e.credit_code = o.credit_code "
            "WHERE NOT o.deleted "
            "GROUP BY o.building_code, p.period"
        ),
        {"start": start, "end": end},
    )


def _refresh_stock(session: Session, work: _Work) -> int:
    state = _state(session)
    start, end = _stock_bounds(session)
    if state.stock_from is None or state.stock_to is None:
        session.execute(delete(RollupBuildingStock))
        _insert_stock(session, start=start, end=end)
        state.stock_from, state.stock_to = start, end
        if not work.claimed:
            session.execute(delete(RollupDirtyBuilding))
        return -1
    if start < state.stock_from:
        _insert_stock(session, start=start, end=_month_before(state.stock_from))
        state.stock_from = start
    if end > state.stock_to:
        _insert_stock(session, start=_month_after(state.stock_to), end=end)
        state.stock_to = end
    count = int(session.scalar(text(f"SELECT COUNT(*) FROM {work.buildings}")) or 0)
    if count:
        session.execute(
            text(
                f"DELETE FROM rollup_building_stock WHERE EXISTS (SELECT 1 FROM {work.buildings} d "
                "WHERE d.building_code = rollup_building_stock.building_code)"
            )
        )
        _insert_stock(session, start=state.stock_from, end=state.stock_to, dirty_table=work.buildings)
        if not work.claimed:
            session.execute(delete(RollupDirtyBuilding))
    return count


def _month_before(key: str) -> str:
    year, month = int(key[:4]), int(key[5:7])
    return month_key(year - 1, 12) if month == 1 else month_key(year, month - 1)


def _month_after(key: str) -> str:
    year, month = int(key[:4]), int(key[5:7])
    return month_key(year + 1, 1) if month == 12 else month_key(year, month + 1)


# ----- rebuilding -------------------------------------------------------------------------

# The tables a rebuild recomputes: built whole into shadow tables (``<table>__next``) while
# readers keep reading the live ones, then swapped in by renames in one short step.
REBUILT = (RollupEnterprise, RollupBuildingPeriod, RollupSectionPeriod, RollupBuildingStock)
SHADOW = "__next"
SWAP_LOCK_TIMEOUT_MS = 200
SWAP_ATTEMPTS = 150


def rebuild_all(session: Session, *, before_swap: Callable[[], None] | None = None) -> dict[str, int]:
    """Recompute every rollup from the facts and the read model (``python -m metrics rebuild``).

    Readers never wait for it: the new rollups are built into shadow tables (``<table>__next``,
    no index while they are filled) and swapped in at the end by renames in one short step
    (PostgreSQL: each old table is dropped and its shadow renamed, under a short lock timeout
    retried, so a reader waits at most that long; SQLite: readers read the last committed
    state meanwhile anyway). Until the caller commits, every reader answers from the old
    rollups; after it, from the new ones. ``before_swap`` is called when the shadow tables are
    complete, before the swap (tests pause there)."""
    _lock(session)
    ensure_periods(session)
    with _tuned(session, bulk=True):
        counts = _rebuild_all(session)
    if before_swap is not None:
        before_swap()
    _swap(session)
    # The stored 特色 verdicts stay (readers keep answering from them); the CLI stores every
    # year again right after the commit (``featured.store.store_all``).
    session.flush()
    return counts


def _shadow(model: type) -> str:
    return model.__tablename__ + SHADOW


def _create_shadow(session: Session, model: type) -> None:
    """An empty copy of ``model``'s table (columns and primary key; indexes come after the fill)."""
    table, shadow = model.__tablename__, _shadow(model)
    session.execute(text(f"DROP TABLE IF EXISTS {shadow}"))
    if _dialect(session) == "postgresql":
        session.execute(text(f"CREATE TABLE {shadow} (LIKE {table} INCLUDING DEFAULTS)"))
        return
    ddl = session.scalar(text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": table})
    head, _, rest = str(ddl).partition("(")
    if not head.strip().strip('"').endswith(table):
        raise RuntimeError(f"unexpected DDL of {table}: {head}")
    session.execute(text(f"CREATE TABLE {shadow} (" + rest))


def _index_shadow(session: Session, model: type) -> None:
    """PostgreSQL: the primary key and indexes of a filled shadow table, under ``__next`` names."""
    if _dialect(session) != "postgresql":
        return
    table, shadow = model.__tablename__, _shadow(model)
    keys = ", ".join(c.name for c in model.__table__.primary_key.columns)
    session.execute(text(f"ALTER TABLE {shadow} ADD CONSTRAINT pk_{table}{SHADOW} PRIMARY KEY ({keys})"))
    for index in model.__table__.indexes:
        columns = ", ".join(c.name for c in index.columns)
        session.execute(text(f"CREATE INDEX {index.name}{SHADOW} ON {shadow} ({columns})"))
    session.execute(text(f"ANALYZE {shadow}"))


def _swap(session: Session) -> None:
    """Replace each rebuilt table by its shadow. PostgreSQL: inside a savepoint with a short
    lock timeout, retried, so a long reader delays the swap rather than every reader queueing
    behind it."""
    if _dialect(session) != "postgresql":
        for model in REBUILT:
            table, shadow = model.__tablename__, _shadow(model)
            indexes = list(
                session.scalars(
                    text("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t AND sql IS NOT NULL"),
                    {"t": table},
                )
            )
            session.execute(text(f"DROP TABLE {table}"))
            session.execute(text(f"ALTER TABLE {shadow} RENAME TO {table}"))
            for ddl in indexes:
                session.execute(text(ddl))
        return
    for attempt in range(SWAP_ATTEMPTS):
        savepoint = session.begin_nested()
        try:
            session.execute(text(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT_MS}ms'"))
            for model in REBUILT:
                table, shadow = model.__tablename__, _shadow(model)
                session.execute(text(f"DROP TABLE {table}"))
                session.execute(text(f"ALTER TABLE {shadow} RENAME TO {table}"))
                session.execute(text(f"ALTER TABLE {table} RENAME CONSTRAINT pk_{table}{SHADOW} TO pk_{table}"))
                for index in model.__table__.indexes:
                    session.execute(text(f"ALTER INDEX {index.name}{SHADOW} RENAME TO {index.name}"))
            savepoint.commit()
            session.execute(text("SET LOCAL lock_timeout = 0"))
            return
        except OperationalError as exc:
            savepoint.rollback()
            if "lock timeout" not in str(exc) or attempt == SWAP_ATTEMPTS - 1:
                raise
            log.info("rollup swap waited for readers (attempt %d)", attempt + 1)
            time.sleep(0.05)


def _rebuild_all(session: Session) -> dict[str, int]:
    # The work lists of a refresh are emptied (DELETE, not TRUNCATE: the dashboard counts the
    # claims on every request and must not wait). The hooks' queues are left alone: emptying
    # them would make every hook of the ingest and the feed consumer wait for the whole
    # rebuild; what they hold (a few marks at most, or marks made meanwhile) the worker
    # recomputes after it.
    for table in (RollupClaim, RollupClaimBuilding, RollupDirtyBuildingPeriod, RollupDirtySectionPeriod):
        session.execute(delete(table))
    if _dialect(session) != "postgresql":
        session.execute(delete(RollupDirty))
        session.execute(delete(RollupDirtyBuilding))
    for model in REBUILT:
        _create_shadow(session, model)
    enterprise, sums = _shadow(RollupEnterprise), _shadow(RollupBuildingPeriod)
    first, last = session.execute(text("SELECT MIN(period), MAX(period) FROM fact")).one()
    if first and last:
        for year in range(max(int(first[:4]), MIN_YEAR), min(int(last[:4]), MAX_YEAR) + 1):
            insert_attribution(session, dirty_only=False, year=year, target=enterprise)
    for model, column in ((RollupBuildingPeriod, "building_code"), (RollupSectionPeriod, "section")):
        session.execute(
            text(
                f"INSERT INTO {_shadow(model)} ({column}, period, period_kind, {_KIND_COLUMNS}, enterprises) "
                f"SELECT {column}, period, MIN(period_kind), {_SUMS}, COUNT(*) FROM {enterprise} "
                f"GROUP BY {column}, period"
            )
        )
    start, end = _stock_bounds(session, sums=sums)
    _insert_stock(session, start=start, end=end, target=_shadow(RollupBuildingStock))
    for model in REBUILT:
        _index_shadow(session, model)
    counts = {
        name: int(session.scalar(text(f"SELECT COUNT(*) FROM {_shadow(model)}")) or 0)
        for name, model in (
            ("enterprise_rows", RollupEnterprise),
            ("building_rows", RollupBuildingPeriod),
            ("stock_rows", RollupBuildingStock),
        )
    }
    state = _state(session)
    state.stock_from, state.stock_to = start, end
    state.rebuilt_at = state.refreshed_at = utcnow()
    return counts
