"""``python -m metrics rebuild`` never blocks a reader: the new rollups are built into shadow
tables and swapped in at the end, so a reader during a rebuild gets the pre-rebuild figures,
then the new ones, never an empty table or an error (both lanes).

The interleaving is made deterministic by the rebuild's ``before_swap`` hook: the rebuild
pauses there (its shadow tables complete, nothing swapped yet) until the test lets it go."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import text

from louyu_kit.db import Database
from metrics.rollups import service
from tests.metrics import rollup_case
from tests.metrics.conftest import add_fact

Figures = tuple[int, Decimal, int, int]


def _read(db: Database) -> Figures:
    """What a dashboard reads: building sums, attributed rows and occupancy, in one transaction."""
    with db.sessions() as session:
        rows, tax = session.execute(
            text("SELECT COUNT(*), SUM(tax_total) FROM rollup_building_period WHERE period_kind = 'month'")
        ).one()
        enterprises = session.scalar(text("SELECT COUNT(*) FROM rollup_enterprise"))
        stock = session.scalar(text("SELECT COUNT(*) FROM rollup_building_stock"))
    return int(rows), Decimal(str(tax or 0)), int(enterprises or 0), int(stock or 0)


class Reader(threading.Thread):
    """Reads the rollups over and over until stopped, keeping every answer and every error."""

    def __init__(self, db: Database) -> None:
        super().__init__(daemon=True)
        self.db = db
        self.seen: list[Figures] = []
        self.errors: list[BaseException] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.seen.append(_read(self.db))
            except BaseException as exc:  # noqa: BLE001 - every failure is what the test looks for
                self.errors.append(exc)


def _rebuild_paused(db: Database) -> tuple[threading.Thread, threading.Event, threading.Event, list[BaseException]]:
    built, go = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def pause() -> None:
        built.set()
        assert go.wait(60), "the test never let the rebuild go on"

    def run(hook: Callable[[], None] = pause) -> None:
        try:
            with db.write_sessions() as session:
                service.rebuild_all(session, before_swap=hook)
                session.commit()
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)
            built.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, built, go, failures


def test_a_reader_during_a_rebuild_gets_the_old_figures_then_the_new_ones(db_urls: Callable[[str], str]) -> None:
    db = Database.from_url(db_urls("metrics"))
    try:
        rollup_case.build(db)
        before = _read(db)
        assert before[0] > 0 and before[2] > 0 and before[3] > 0
        # A figure stored without the hooks: only a rebuild brings it into the rollups.
        add_fact(db, rollup_case.F1, "2025-07", 777)
        assert _read(db) == before

        reader = Reader(db)
        reader.start()
        thread, built, go, failures = _rebuild_paused(db)
        assert built.wait(60)
        assert not failures, failures
        # The shadow tables are complete; the live ones still answer, unchanged.
        paused = [_read(db) for _ in range(3)]
        assert paused == [before] * 3
        go.set()
        thread.join(60)
        assert not thread.is_alive() and not failures, failures
        after = _read(db)
        reader.stop.set()
        reader.join(30)
    finally:
        db.dispose()

    assert after[1] == before[1] + 777
    assert after[0] == before[0] + 1  # B1's July
    assert not reader.errors, reader.errors
    assert reader.seen, "the reader never read"
    assert set(reader.seen) <= {before, after}, set(reader.seen) - {before, after}
    # Old figures, then new ones: never back.
    first_new = next((i for i, f in enumerate(reader.seen) if f == after), len(reader.seen))
    assert all(f == after for f in reader.seen[first_new:])


def test_after_a_rebuild_the_tables_are_as_the_migrations_made_them(db_urls: Callable[[str], str]) -> None:
    """The swapped-in tables carry the same primary keys and indexes (names included), and no
    shadow table is left behind; a second rebuild gives the same figures."""
    db = Database.from_url(db_urls("metrics"))
    try:
        rollup_case.build(db)
        first = _read(db)
        rollup_case.rebuild(db)
        assert _read(db) == first
        with db.sessions() as session:
            if db.engine.dialect.name == "postgresql":
                names = set(session.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename LIKE 'rollup_%'")))
                tables = set(session.scalars(text("SELECT tablename FROM pg_tables WHERE tablename LIKE 'rollup_%'")))
            else:
                names = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'index'")))
                tables = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'table'")))
        for model in service.REBUILT:
            assert model.__tablename__ in tables
            assert model.__tablename__ + service.SHADOW not in tables
            for index in model.__table__.indexes:
                assert index.name in names
            if db.engine.dialect.name == "postgresql":
                assert f"pk_{model.__tablename__}" in names
        # The incremental refresh still works on the swapped-in tables.
        add_fact(db, rollup_case.F2, "2025-08", 5)
        with db.write_sessions() as session:
            service.mark_facts(session, periods={"2025-08"}, credit_codes={rollup_case.F2})
            service.refresh(session)
            session.commit()
        assert _read(db)[1] == first[1] + 5
    finally:
        db.dispose()
