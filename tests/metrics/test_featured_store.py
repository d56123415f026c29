"""Stored 特色楼宇 verdicts (metrics.featured.store): kept with the rollups, equal to a
from-scratch evaluation after every kind of change, and what the counts read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from louyu_kit.clock import today_in_china
from louyu_kit.db import Database
from metrics.featured import service as featured
from metrics.featured import store
from metrics.featured.models import FeaturedVerdict, FeaturedYear
from metrics.readmodel.models import RmBuilding, RmEnterprise, RmOccupancy
from metrics.rollups import service as rollups
from tests.metrics import rollup_case
from tests.metrics.conftest import add_enterprise, add_fact, add_occupancy, credit_code

F6 = credit_code(106)


def _from_scratch(db: Database, year: int) -> dict[str, Any]:
    with db.sessions() as session:
        verdicts = featured._evaluate(
            session,
            year=year,
            as_of=featured.reference_date(year),
            building_codes=None,
            street_codes=None,
            explain=False,
        )
    return {v.building_code: (v.qualifies, list(v.themes), v.tenants, round(v.occupied_area, 2)) for v in verdicts}


def _stored(db: Database, year: int) -> dict[str, Any]:
    with db.sessions() as session:
        kept = session.get(FeaturedYear, year)
        assert kept is not None and kept.as_of == featured.reference_date(year), f"{year} not stored"
        rows = session.scalars(select(FeaturedVerdict).where(FeaturedVerdict.year == year))
        return {
            r.building_code: (r.qualifies, [t for t in r.themes.split(",") if t], r.tenants, round(r.occupied_area, 2))
            for r in rows
        }


def _years() -> list[int]:
    return [today_in_china().year, 2025, 2024]


def _assert_current(db: Database) -> None:
    for year in _years():
        assert _stored(db, year) == _from_scratch(db, year), year


def _refresh(
    db: Database, *, periods: Iterable[str] = (), credit_codes: Iterable[str] = (), buildings: Iterable[str] = ()
) -> None:
    """What the ingest and the feed consumer do: mark, then refresh (here at once)."""
    with db.write_sessions() as session:
        if periods:
            rollups.mark_facts(session, periods=set(periods), credit_codes=set(credit_codes))
        else:
            rollups.mark_dimensions(session, credit_codes=set(credit_codes), building_codes=set(buildings))
        rollups.refresh(session)
        session.commit()


def _change(db: Database, statement: Any) -> None:
    with db.write_sessions() as session:
        session.execute(statement)
        session.commit()


def _ensure_all(db: Database) -> list[int]:
    with db.write_sessions() as session:
        years = store.ensure(session, limit=None, fed_only=False)
        session.commit()
    return years


def _qualifying(db: Database, year: int) -> set[str]:
    with db.sessions() as session:
        return featured.qualifying_codes(session, year=year)


def test_stored_verdicts_equal_a_fresh_evaluation_after_every_change(db_urls: Callable[[str], str]) -> None:
    db = Database.from_url(db_urls("metrics"))
    try:
        rollup_case.build(db)
        assert _ensure_all(db) == _years()
        _assert_current(db)
        # Shipped themes: B1 金融, B2 数字经济 (F3, 6513), B3 工程设计 (F4, 7481).
        assert _qualifying(db, 2025) == {"B1", "B2", "B3"}

        # A new tenant of the theme (a stay).
        add_enterprise(db, F6, name="己金融有限公司", industry_code="6710")
        add_occupancy(db, 6, F6, "B2", area=20_000, start=date(2024, 1, 1))
        _refresh(db, credit_codes={F6}, buildings={"B2"})
        _assert_current(db)
        assert _stored(db, 2025)["B2"][1] == ["finance"]

        # An enterprise's industry changes (F4, B3's one tenant, from design to finance).
        _change(db, update(RmEnterprise).where(RmEnterprise.credit_code == rollup_case.F4).values(industry_code="6620"))
        _refresh(db, credit_codes={rollup_case.F4})
        _assert_current(db)
        assert _stored(db, 2025)["B3"][1] == ["finance"]

        # The bureau's rule: by tax, 60 %. The stored years are dropped; reads compute meanwhile.
        with db.write_sessions() as session:
            featured.set_rule(
                session, "finance", measure="tax", threshold=Decimal(60), min_gfa=Decimal(10_000), actor="shangwu"
            )
            session.commit()
        with db.sessions() as session:
            assert store.read(session, year=2025, as_of=date(2025, 12, 31)) is None
        computed = _qualifying(db, 2025)
        assert _ensure_all(db) == _years()
        _assert_current(db)
        assert _qualifying(db, 2025) == computed

        # Figures: a large tax of a non-finance tenant of B2 in July (tax rule in force).
        add_fact(db, rollup_case.F3, "2025-07", 50_000_000)
        _refresh(db, periods={"2025-07"}, credit_codes={rollup_case.F3})
        _assert_current(db)
        assert "B2" not in _qualifying(db, 2025)

        # A building's GFA falls under the floor.
        _change(db, update(RmBuilding).where(RmBuilding.code == "B1").values(gfa=5_000.0))
        _refresh(db, buildings={"B1"})
        _assert_current(db)
        assert "B1" not in _qualifying(db, 2025)

        # A stay ends; a building is deleted.
        _change(db, update(RmOccupancy).where(RmOccupancy.id == 4).values(end_date=date(2024, 12, 31)))
        _change(db, update(RmBuilding).where(RmBuilding.code == "B2").values(deleted=True))
        _refresh(db, credit_codes={rollup_case.F4}, buildings={"B2", "B3"})
        _assert_current(db)
        assert _qualifying(db, 2024) == {v for v, (q, *_rest) in _from_scratch(db, 2024).items() if q}
    finally:
        db.dispose()


def test_the_counts_read_the_stored_verdicts_not_a_computation(db_urls: Callable[[str], str]) -> None:
    """A stored year is read as stored (here altered by hand to tell), a year not stored is computed."""
    db = Database.from_url(db_urls("metrics"))
    try:
        rollup_case.build(db)
        assert _qualifying(db, 2025) == {"B1", "B2", "B3"}
        _ensure_all(db)
        _change(
            db,
            update(FeaturedVerdict)
            .where(FeaturedVerdict.building_code == "B2", FeaturedVerdict.year == 2025)
            .values(qualifies=False, themes=""),
        )
        assert _qualifying(db, 2025) == {"B1", "B3"}
        with db.sessions() as session:
            listed = featured.evaluate(session, year=2025, explain=False, street_codes=["420106001"])
        assert [(v.building_code, v.qualifies, v.theme_names) for v in listed] == [
            ("B1", True, ["金融"]),
            ("B2", False, []),
        ]
        # Explained verdicts are always computed (the reasons are not stored).
        with db.sessions() as session:
            assert featured.evaluate_one(session, code="B2", year=2025).qualifies is True
        # A rebuild keeps them (readers answer as before); the CLI stores every year again after it.
        rollup_case.rebuild(db)
        assert _qualifying(db, 2025) == {"B1", "B3"}
        with db.write_sessions() as session:
            assert store.store_all(session) == _years()
            session.commit()
        assert _qualifying(db, 2025) == {"B1", "B2", "B3"}
    finally:
        db.dispose()
