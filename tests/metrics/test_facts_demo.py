"""The demo figures: synthetic, monthly for 2024–2025, deterministic, loaded only once."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from sqlalchemy import func, select

from louyu_kit.db import Database
from metrics import demo
from metrics.facts.models import Fact, FactBatch
from tests.metrics.conftest import credit_code

ENTERPRISES = [
    demo.DemoEnterprise(credit_code(1), industry_code="6620", employees=300, hq_level="regional", is_key=True),
    demo.DemoEnterprise(credit_code(2), industry_code="6513", employees=40),
    demo.DemoEnterprise(credit_code(3)),
]


def test_demo_figures_are_synthetic_monthly_and_loaded_once(db_urls):
    url = db_urls("metrics")
    counts = demo.load_if_empty(url, ENTERPRISES)
    assert counts == {"enterprises": 3, "facts": 3 * 24 * 3, "months": 24}
    assert "虚构" in demo.summary(counts)
    assert demo.load_if_empty(url, ENTERPRISES) is None

    db = Database.from_url(url)
    try:
        with db.sessions() as session:
            facts = list(session.scalars(select(Fact)))
            batch = session.scalars(select(FactBatch)).one()
            assert session.scalar(select(func.count()).select_from(FactBatch)) == 1
    finally:
        db.dispose()
    assert all(f.synthetic and f.source == "tax_bureau" and f.period_kind == "month" for f in facts)
    assert {f.period for f in facts} == {f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)}
    assert Counter(f.kind for f in facts) == {"tax_total": 72, "tax_district": 72, "revenue": 72}
    assert (batch.origin, batch.submitted_by, batch.status, batch.created) == ("demo", "demo-loader", "done", 216)
    by_key = {(f.credit_code, f.period, f.kind): f.value for f in facts}
    for code in (e.credit_code for e in ENTERPRISES):
        for month in ("2024-01", "2025-07"):
            total, district = by_key[(code, month, "tax_total")], by_key[(code, month, "tax_district")]
            assert Decimal(0) < district < total
    # Bigger, finance, headquarters, key: pays more than a small default enterprise.
    yearly = Counter()
    for (code, period, kind), value in by_key.items():
        if kind == "tax_total" and period.startswith("2024"):
            yearly[code] += value
    assert yearly[credit_code(1)] > yearly[credit_code(3)]


def test_the_same_enterprise_gets_the_same_figures_every_time():
    assert demo.figures(ENTERPRISES[1]) == demo.figures(ENTERPRISES[1])
    assert demo.figures(ENTERPRISES[1]) != demo.figures(ENTERPRISES[2])


def test_nothing_to_load_without_demo_enterprises(db_urls):
    assert demo.load_if_empty(db_urls("metrics"), []) is None


def test_industry_sections():
    assert [demo.section(c) for c in ("6620", "70", "0511", None, "x")] == ["J", "K", "A", None, None]
