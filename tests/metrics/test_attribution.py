"""Attribution of enterprise figures to buildings, against a case computed by hand.

June 2025 (30 days), 全口径 tax:
- A moves on 15 June from B1 to B2 (200 m² each; last day in B1 is 14 June): 300,000 →
  B1 300,000 × 14/30 = 140,000, B2 300,000 × 16/30 = 160,000. (A visit figure of 999 for
  the same month is ignored: the tax bureau's figure wins.)
- C occupies 300 m² in B2 and 100 m² in B3 all month: 400,000 → B2 300,000, B3 100,000.
- D occupies no building: 50,000 → the district, no building.
Building totals: B1 140,000; B2 460,000; B3 100,000; no building 50,000; district 750,000.

Quarter totals: E sends only a Q2 total of 91,000 and sat in B1 from 1 April to 15 May
(45 days) then in B3 from 16 May (46 days), 100 m² each → B1 45,000, B3 46,000. F sends
April 10,000 and a Q2 total of 50,000: the monthly figure wins, the Q2 total is not added.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from metrics.rollups import hooks, queries, service
from metrics.rollups.models import RollupDirty, RollupEnterprise
from tests.metrics.conftest import (
    JIYUQIAO,
    YANGYUAN,
    add_building,
    add_enterprise,
    add_fact,
    add_occupancy,
    credit_code,
    metrics_db,
)

A, C, D, E, F = (credit_code(n) for n in (11, 12, 13, 14, 15))


@pytest.fixture
def case(metrics):
    db = metrics_db(metrics)
    add_building(db, "B1", street_code=JIYUQIAO)
    add_building(db, "B2", street_code=JIYUQIAO)
    add_building(db, "B3", street_code=YANGYUAN)
    for code in (A, C, D, E, F):
        add_enterprise(db, code)
    add_occupancy(db, 1, A, "B1", area=200, start=date(2024, 1, 1), end=date(2025, 6, 14))
    add_occupancy(db, 2, A, "B2", area=200, start=date(2025, 6, 15))
    add_occupancy(db, 3, C, "B2", area=300, start=date(2024, 1, 1))
    add_occupancy(db, 4, C, "B3", area=100, start=date(2024, 1, 1))
    add_occupancy(db, 5, E, "B1", area=100, start=date(2025, 4, 1), end=date(2025, 5, 15))
    add_occupancy(db, 6, E, "B3", area=100, start=date(2025, 5, 16))
    add_occupancy(db, 7, F, "B2", area=100, start=date(2024, 1, 1))
    add_fact(db, A, "2025-06", 300_000)
    add_fact(db, A, "2025-06", 999, source="visit")
    add_fact(db, A, "2025-05", 100_000)
    add_fact(db, C, "2025-06", 400_000)
    add_fact(db, D, "2025-06", 50_000)
    add_fact(db, E, "2025-Q2", 91_000)
    add_fact(db, F, "2025-04", 10_000)
    add_fact(db, F, "2025-Q2", 50_000)
    return db


def _rebuild(db) -> None:
    with db.write_sessions() as session:
        service.rebuild_all(session)
        session.commit()


def test_june_split_by_days_and_by_area(case):
    _rebuild(case)
    with case.sessions() as session:
        june = queries.building_totals(session, period="2025-06")
        assert june == {"B1": Decimal("140000.00"), "B2": Decimal("460000.00"), "B3": Decimal("100000.00")}
        assert queries.unattributed(session, period="2025-06").tax_total == Decimal("50000.00")
        everything = queries.building_figures(session, period="2025-06", include_unattributed=True)
        assert sum(f.tax_total for f in everything.values()) == Decimal("750000.00")


def test_shares_are_recorded_per_enterprise(case):
    _rebuild(case)
    with case.sessions() as session:
        rows = session.query(RollupEnterprise).filter_by(credit_code=A, period="2025-06").all()
        shares = {r.building_code: round(r.share, 6) for r in rows}
        assert shares == {"B1": round(14 / 30, 6), "B2": round(16 / 30, 6)}
        (none,) = session.query(RollupEnterprise).filter_by(credit_code=D).all()
        assert none.building_code == "" and none.share == 1.0


def test_quarter_total_split_over_the_quarter_and_monthly_figures_win(case):
    _rebuild(case)
    with case.sessions() as session:
        q2 = queries.building_totals(session, period="2025-Q2")
    # B1: A's May 100,000 + A's June 140,000 + E's 45,000; B2: 460,000 + F's April 10,000 (not its Q2 total).
    assert q2 == {
        "B1": Decimal("285000.00"),
        "B2": Decimal("470000.00"),
        "B3": Decimal("146000.00"),
    }


def test_incremental_hooks_equal_a_rebuild(metrics, case):
    """Figures and stays arriving through the hooks give the same rollups as a full rebuild."""
    with case.write_sessions() as session:
        hooks.on_facts_changed(
            session, periods={"2025-04", "2025-05", "2025-06", "2025-Q2"}, credit_codes={A, C, D, E, F}
        )
        session.commit()
    with case.sessions() as session:
        incremental = queries.building_figures(session, period="2025", include_unattributed=True)
        assert service.pending(session) == 0
    _rebuild(case)
    with case.sessions() as session:
        assert queries.building_figures(session, period="2025", include_unattributed=True) == incremental


def test_a_correction_moves_only_the_changed_enterprise(case):
    _rebuild(case)
    from metrics.facts.models import Fact

    with case.write_sessions() as session:
        fact = session.query(Fact).filter_by(credit_code=C, period="2025-06", source="tax_bureau").one()
        fact.value = Decimal("800000")
        hooks.on_facts_changed(session, periods={"2025-06"}, credit_codes={C})
        session.commit()
    with case.sessions() as session:
        june = queries.building_totals(session, period="2025-06")
    assert june == {"B1": Decimal("140000.00"), "B2": Decimal("760000.00"), "B3": Decimal("200000.00")}


def test_a_move_recorded_late_reattributes_past_months(case):
    """D's stay in B3 since 1 June arrives from the registry after the figures."""
    _rebuild(case)
    add_occupancy(case, 8, D, "B3", area=50, start=date(2025, 6, 1))
    with case.write_sessions() as session:
        hooks.on_dimensions_changed(session, credit_codes={D}, building_codes=set())
        session.commit()
    with case.sessions() as session:
        june = queries.building_totals(session, period="2025-06")
        assert june["B3"] == Decimal("150000.00")
        assert queries.unattributed(session, period="2025-06").tax_total is None


def test_a_monthly_figure_arriving_later_replaces_the_quarter_total(metrics):
    """G first sends a Q2 total (it counts), then its April figure: from then on the months count."""
    db = metrics_db(metrics)
    g = credit_code(16)
    add_building(db, "BG")
    add_enterprise(db, g)
    add_occupancy(db, 1, g, "BG", start=date(2024, 1, 1))
    add_fact(db, g, "2025-Q2", 50_000)
    with db.write_sessions() as session:
        hooks.on_facts_changed(session, periods={"2025-Q2"}, credit_codes={g})
        session.commit()
    with db.sessions() as session:
        assert queries.building_totals(session, period="2025-Q2") == {"BG": Decimal("50000.00")}
    add_fact(db, g, "2025-04", 10_000)
    with db.write_sessions() as session:
        hooks.on_facts_changed(session, periods={"2025-04"}, credit_codes={g})
        session.commit()
    with db.sessions() as session:
        assert queries.building_totals(session, period="2025-Q2") == {"BG": Decimal("10000.00")}
        assert queries.building_totals(session, period="2025") == {"BG": Decimal("10000.00")}


def test_marks_made_during_a_refresh_wait_for_the_next_one(case):
    """PostgreSQL: the ingest marks without waiting for a running refresh, and no mark is lost."""
    if case.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: a mark waits for the refresh by design")
    with case.write_sessions() as first:
        service.mark_facts(first, periods={"2025-06"}, credit_codes={A})
        first.commit()
    refreshing = case.write_sessions()
    try:
        service.refresh(refreshing)  # holds the refresh lock until it commits
        with case.write_sessions() as ingest:
            service.mark_facts(ingest, periods={"2025-06"}, credit_codes={C})
            assert service.refresh_if_small(ingest) is None  # the worker will do it
            ingest.commit()
        refreshing.commit()
    finally:
        refreshing.close()
    # C's mark survived the first refresh (whichever refresh then took it: the worker or this one).
    with case.write_sessions() as session:
        service.refresh(session)
        session.commit()
    with case.sessions() as session:
        june = queries.building_totals(session, period="2025-06")
    assert june == {"B1": Decimal("140000.00"), "B2": Decimal("460000.00"), "B3": Decimal("100000.00")}


def test_the_worker_claims_its_marks_first_so_marking_the_same_key_never_waits(case):
    """PostgreSQL: while the worker recomputes (second transaction, after committing its claim),
    a hook marking a key it is working on again inserts at once (a lock wait would fail fast
    here through ``lock_timeout``) and the mark stays for the next refresh."""
    if case.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: a mark waits for the refresh by design")
    _rebuild(case)
    with case.write_sessions() as session:
        service.mark_facts(session, periods={"2025-06"}, credit_codes={A, C})
        session.commit()
    with case.write_sessions() as session:
        assert service.claim(session) == 2
        session.commit()
    refreshing = case.write_sessions()
    try:
        service.refresh(refreshing, take=False)  # holds the refresh lock and the claimed work
        with case.write_sessions() as ingest:
            ingest.execute(text("SET LOCAL lock_timeout = '2s'"))
            hooks.on_facts_changed(ingest, periods={"2025-06"}, credit_codes={C})
            ingest.commit()
        refreshing.commit()
    finally:
        refreshing.close()
    with case.sessions() as session:
        assert session.scalar(select(func.count()).select_from(RollupDirty)) == 1  # C, for the next refresh
        assert service.pending(session) == 1
    with case.write_sessions() as session:
        service.refresh(session)
        session.commit()
    with case.sessions() as session:
        assert service.pending(session) == 0
        june = queries.building_totals(session, period="2025-06")
    assert june == {"B1": Decimal("140000.00"), "B2": Decimal("460000.00"), "B3": Decimal("100000.00")}
