"""问数 benchmark for issue #20 (`make bench`): latency per question at city scale.

    .venv/bin/python bench/ask_bench.py                 # 2,015 buildings, 200,000 enterprises
    .venv/bin/python bench/ask_bench.py --copies 5      # smaller, for a quick look

What it does:

1. a fresh metrics database (SQLite file, migrated with ``louyu_kit.migrations.upgrade``);
2. the demo district of the tests (``tests/metrics/ask_demo.py``: the plan's 31 buildings with
   synthetic tenants and two years of monthly figures) repeated ``--copies`` times under other
   codes (65 copies → 2,015 buildings, ~7,000 tenants with figures, rolled up), plus enterprises
   without figures up to 200,000 (every one a word of the vocabulary, by name and credit code);
3. the metrics app in-process (FastAPI TestClient: the route, its session, the access checks,
   the KPI services and the history insert — no network, no gateway);
4. the whole question set of the tests (``tests/metrics/ask_questions.py``: values, 同比, tiers,
   lists, rankings, trends, enterprises, unknown, ambiguous, out of data, tasks) asked by the
   bureau, twice: the first pass meets cold caches (the vocabulary is built on the first
   question, each period's building rows on the first list of it), the second is warm.

Prints p50 / p95 / p99 / max per pass and PASS/FAIL for p95 ≤ 200 ms over both passes together.
Numbers to report, not a test: the exit status is non-zero only when something did not work.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, *(ROOT / "services" / s for s in ("kit", "metrics", "registry", "tasks", "gateway"))):
    sys.path.insert(0, str(path))
for _key in [k for k in os.environ if k.startswith("LOUYU_")]:
    del os.environ[_key]

TARGET_MS = 200.0
ENTERPRISES = 200_000


def log(message: str) -> None:
    print(f"[ask-bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=65, help="copies of the 31 demo buildings (65 → 2,015)")
    parser.add_argument("--enterprises", type=int, default=ENTERPRISES, help="enterprises in the read model")
    args = parser.parse_args()

    from fastapi.testclient import TestClient
    from sqlalchemy import func, insert, select

    from louyu_kit.db import Database
    from louyu_kit.migrations import upgrade
    from louyu_kit.uscc import make as make_code
    from metrics.ask.router import ask_today
    from metrics.readmodel.models import RmBuilding, RmEnterprise
    from tests.conftest import build_app, settings_for
    from tests.metrics import ask_demo
    from tests.metrics.ask_questions import TODAY, questions
    from tests.metrics.conftest import BUREAU

    with tempfile.TemporaryDirectory(prefix="louyu-ask-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'metrics.db'}"
        upgrade(ROOT / "services" / "metrics", url)
        db = Database.from_url(url)
        started = time.perf_counter()
        counts = ask_demo.load(db, copies=args.copies)
        with db.write_sessions() as session:
            have = session.scalar(select(func.count()).select_from(RmEnterprise)) or 0
            rows = [
                {
                    "credit_code": make_code(f"91420106{n:09d}"),
                    "name": f"（演示）城市企业{n}号有限公司",
                    "industry_code": "7224",
                    "is_demo": True,
                }
                for n in range(500_000, 500_000 + max(0, args.enterprises - have))
            ]
            for i in range(0, len(rows), 20_000):
                session.execute(insert(RmEnterprise), rows[i : i + 20_000])
            session.commit()
            buildings = session.scalar(select(func.count()).select_from(RmBuilding))
            enterprises = session.scalar(select(func.count()).select_from(RmEnterprise))
        db.dispose()
        log(
            f"loaded {buildings:,} buildings, {enterprises:,} enterprises, {counts['facts']:,} monthly figures "
            f"(rolled up) in {time.perf_counter() - started:.0f} s"
        )

        # Background work off (registry feed, goals copy, daily warnings): only the questions run.
        quiet = {"metrics_sync_seconds": 0, "metrics_goals_sync_seconds": 0, "metrics_warnings_seconds": 0}
        app = build_app("metrics", settings_for("metrics", url, Path(tmp), **quiet))
        app.dependency_overrides[ask_today] = lambda: TODAY
        qs = [q for q, _expected in questions()]
        passes: list[list[float]] = []
        statuses: dict[str, int] = {}
        with TestClient(app, raise_server_exceptions=True) as client:
            for n in (1, 2):
                times = []
                for q in qs:
                    t0 = time.perf_counter()
                    resp = client.post("/api/metrics/ask", json={"question": q}, headers=BUREAU)
                    times.append((time.perf_counter() - t0) * 1000)
                    if resp.status_code != 200:
                        log(f"FAILED: {q} → {resp.status_code} {resp.text[:200]}")
                        return 1
                    if n == 1:
                        status = resp.json()["status"]
                        statuses[status] = statuses.get(status, 0) + 1
                passes.append(times)
                slowest = sorted(zip(times, qs, strict=True), reverse=True)[:5]
                log("slowest: " + "; ".join(f"{q} {t:.0f} ms" for t, q in slowest))
                log(
                    f"pass {n} ({'cold caches' if n == 1 else 'warm'}): {len(times)} questions, "
                    f"p50 {statistics.median(times):.1f} ms, p95 {pct(times, 95):.1f} ms, "
                    f"p99 {pct(times, 99):.1f} ms, max {max(times):.1f} ms"
                )
        both = passes[0] + passes[1]
        log("answers: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
        for label, times in (("first asked (cold)", passes[0]), ("asked again (warm)", passes[1]), ("both", both)):
            p95 = pct(times, 95)
            verdict = "PASS" if p95 <= TARGET_MS else "FAIL"
            print(
                f"问数 latency per question, {label} ({len(times)} requests): "
                f"p95 {p95:.1f} ms (target ≤ {TARGET_MS:.0f} ms) {verdict}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
