"""Concurrent posts with one Idempotency-Key against a real server: one batch, stored once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from louyu_kit.db import Database
from metrics.facts.models import Fact, FactBatch, FactRevision
from metrics.facts.service import claim, request_digest
from tests.conftest import ThreadServer, build_app, settings_for
from tests.metrics.conftest import TAX_CLIENT, credit_code

pytestmark = pytest.mark.live

ROWS = [
    {"credit_code": credit_code(n), "period": f"2025-{m:02d}", "kind": "tax_total", "value": n * 100 + m}
    for n in range(1, 401)
    for m in range(1, 13)
]  # 4,800 rows: long enough that the requests overlap


@pytest.fixture
def server(db_urls, tmp_path: Path) -> Iterator[tuple[str, Database]]:
    url = db_urls("metrics")
    app = build_app("metrics", settings_for("metrics", url, tmp_path))
    running = ThreadServer(app).start()
    db = Database.from_url(url)
    try:
        yield running.url, db
    finally:
        running.stop()
        db.dispose()


def _counts(db: Database) -> tuple[int, int, int]:
    with db.sessions() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model)) or 0 for model in (FactBatch, Fact, FactRevision)
        )


def test_concurrent_posts_with_one_key_store_one_batch(server):
    url, db = server
    barrier = threading.Barrier(6)
    answers: list[httpx.Response] = []
    lock = threading.Lock()

    def send() -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            barrier.wait()
            resp = client.post(
                "/api/metrics/facts/batches",
                json={"source": "tax_bureau", "rows": ROWS},
                headers={**TAX_CLIENT, "Idempotency-Key": "one-key-for-all"},
            )
        with lock:
            answers.append(resp)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 6
    statuses = sorted(r.status_code for r in answers)
    assert set(statuses) <= {201, 409}, [r.text[:200] for r in answers]
    done = [r.json() for r in answers if r.status_code == 201]
    assert done, statuses
    assert len({body["id"] for body in done}) == 1
    assert all(body["created"] == len(ROWS) and body["status"] == "done" for body in done)
    for conflict in (r for r in answers if r.status_code == 409):
        assert conflict.json()["error"] == "BatchInProgress"
    assert _counts(db) == (1, len(ROWS), 0)

    with httpx.Client(base_url=url, timeout=60) as client:
        again = client.post(
            "/api/metrics/facts/batches",
            json={"source": "tax_bureau", "rows": ROWS},
            headers={**TAX_CLIENT, "Idempotency-Key": "one-key-for-all"},
        )
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == done[0]
    assert _counts(db) == (1, len(ROWS), 0)


def test_claims_racing_in_the_database_let_one_through(server):
    """The guard itself, without HTTP: simultaneous claims of one key → one batch row, the others refused."""
    _, db = server
    rows = ROWS[:10]
    digest = request_digest("tax_bureau", rows)
    barrier = threading.Barrier(4)
    won: list[int] = []
    refused: list[str] = []
    lock = threading.Lock()

    def race() -> None:
        barrier.wait()
        try:
            outcome = claim(db, submitted_by="client:x", key="race", digest=digest, source="tax_bureau", rows_total=10)
            with lock:
                won.append(outcome.batch.id)
        except Exception as exc:  # the refusal type is asserted below
            with lock:
                refused.append(getattr(exc, "error", type(exc).__name__))

    threads = [threading.Thread(target=race) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(won) == 1 and refused == ["BatchInProgress"] * 3
    assert _counts(db)[0] == 1
