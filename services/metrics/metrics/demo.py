"""演示数据 (synthetic figures) for `make run`: monthly tax and revenue of the registry's demo
enterprises for 2024-01 … 2025-12, so the cockpit has something to show on first start.

Every figure is invented and stored with ``synthetic = true`` in one batch from ``demo-loader``
(origin ``demo``). The metrics service does not read registry: the launcher (scripts/run.py)
passes the demo enterprises in. Loaded once, into a metrics database without any figure, and
never when ``LOUYU_ENV=production`` (the launcher's check). Deterministic per credit code, so
two runs give the same figures.

The shape is plausible rather than random noise: tax grows with the workforce, is higher for
finance, headquarters and key enterprises, peaks in the months of quarterly settlement, moves
year on year by −30 % … +35 % (a few enterprises drop by more than 20 %, which the warnings
pick up), and the district's share (区级) is 30–40 % of the whole (全口径).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import exists, select

from louyu_kit.db import Database, utcnow
from metrics.facts.models import Fact, FactBatch
from metrics.facts.store import store_rows
from metrics.facts.validation import ValidRow

ACTOR = "demo-loader"
YEARS = (2024, 2025)
# Months of quarterly settlement and the annual one carry more tax.
SEASON = {1: 1.5, 2: 0.7, 3: 0.9, 4: 1.25, 5: 0.85, 6: 0.9, 7: 1.2, 8: 0.85, 9: 0.9, 10: 1.2, 11: 0.85, 12: 0.95}
HQ_FACTOR = {"global500": 9.0, "china500": 6.0, "regional": 3.0}
# Tax per employee and year (yuan) by industry section: finance pays most.
SECTION_TAX = {"J": 90_000, "K": 60_000, "M": 35_000, "I": 35_000, "L": 30_000, "F": 25_000}
DEFAULT_TAX_PER_HEAD = 20_000
SECTION_OF_DIVISION = [
    (1, 5, "A"), (6, 12, "B"), (13, 43, "C"), (44, 46, "D"), (47, 50, "E"), (51, 52, "F"), (53, 60, "G"),
    (61, 62, "H"), (63, 65, "I"), (66, 69, "J"), (70, 70, "K"), (71, 72, "L"), (73, 75, "M"), (76, 79, "N"),
    (80, 82, "O"), (83, 83, "P"), (84, 85, "Q"), (86, 90, "R"), (91, 97, "S"), (98, 98, "T"),
]  # fmt: skip


@dataclass(frozen=True)
class DemoEnterprise:
    """What the figures are shaped by (from the registry's demo enterprise)."""

    credit_code: str
    industry_code: str | None = None
    employees: int | None = None
    is_key: bool = False
    above_scale: bool = False
    hq_level: str | None = None


def section(industry_code: str | None) -> str | None:
    """GB/T 4754 门类 letter of a 2–4 digit industry code."""
    if not industry_code or not industry_code[:2].isdigit():
        return None
    division = int(industry_code[:2])
    return next((letter for low, high, letter in SECTION_OF_DIVISION if low <= division <= high), None)


def _rng(credit_code: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(f"louyu-demo:{credit_code}".encode()).digest()[:8], "big"))


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def figures(enterprise: DemoEnterprise) -> list[tuple[str, str, Decimal]]:
    """(period, kind, value) of one enterprise for every month of ``YEARS``."""
    rng = _rng(enterprise.credit_code)
    heads = enterprise.employees or rng.randint(10, 200)
    per_head = SECTION_TAX.get(section(enterprise.industry_code) or "", DEFAULT_TAX_PER_HEAD)
    annual = heads * per_head * rng.lognormvariate(0, 0.6)
    annual *= HQ_FACTOR.get(enterprise.hq_level or "", 1.0)
    annual *= 2.0 if enterprise.is_key else 1.0
    annual *= 1.5 if enterprise.above_scale else 1.0
    growth = rng.uniform(0.7, 1.35) if rng.random() > 0.08 else rng.uniform(0.45, 0.75)
    district_share = rng.uniform(0.3, 0.4)
    revenue_multiple = rng.uniform(8, 20)
    out: list[tuple[str, str, Decimal]] = []
    for year in YEARS:
        level = annual if year == YEARS[0] else annual * growth
        for month in range(1, 13):
            tax = level / 12 * SEASON[month] * rng.uniform(0.85, 1.15)
            period = f"{year}-{month:02d}"
            out.append((period, "tax_total", _money(tax)))
            out.append((period, "tax_district", _money(tax * district_share)))
            out.append((period, "revenue", _money(tax * revenue_multiple)))
    return out


def is_loaded(database: Database) -> bool:
    with database.sessions() as session:
        return bool(session.scalar(select(exists().where(Fact.id.is_not(None)))))


def load(database: Database, enterprises: Sequence[DemoEnterprise]) -> dict[str, int]:
    """Store the synthetic figures of ``enterprises`` as one demo batch."""
    rows = [
        ValidRow(number, e.credit_code, period, "month", kind, value)
        for number, (e, (period, kind, value)) in enumerate(((e, f) for e in enterprises for f in figures(e)), start=1)
    ]
    with database.write_sessions() as session:
        batch = FactBatch(
            submitted_by=ACTOR,
            idempotency_key=None,
            request_sha256=hashlib.sha256(b"louyu-demo-figures").hexdigest(),
            origin="demo",
            file_name=None,
            source="tax_bureau",
            status="processing",
            rows_total=len(rows),
            rejected=[],
            unregistered=[],
        )
        session.add(batch)
        session.flush()
        stored = store_rows(session, rows=rows, source="tax_bureau", batch_id=batch.id, synthetic=True)
        batch.status = "done"
        batch.accepted = batch.created = stored.created
        batch.unchanged = stored.unchanged
        batch.unregistered_count = len(stored.unregistered)
        batch.finished_at = utcnow()
        session.commit()
    return {"enterprises": len(enterprises), "facts": stored.created, "months": 12 * len(YEARS)}


def load_if_empty(database_url: str, enterprises: Iterable[DemoEnterprise]) -> dict[str, int] | None:
    """Load the demo figures into a metrics database without figures; None when it has some already."""
    chosen = list(enterprises)
    if not chosen:
        return None
    database = Database.from_url(database_url)
    try:
        if is_loaded(database):
            return None
        return load(database, chosen)
    finally:
        database.dispose()


def summary(counts: dict[str, int]) -> str:
    return (
        f"已生成演示税收数据（虚构）：{counts['enterprises']} 家企业 × {counts['months']} 个月"
        f"（{YEARS[0]}-01 至 {YEARS[-1]}-12），共 {counts['facts']} 条。"
    )
