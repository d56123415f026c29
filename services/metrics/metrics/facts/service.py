"""Ingest of figures: posted batches with an Idempotency-Key, file uploads, and reading them back.

A posted batch runs in two transactions. The first claims the key: it inserts the
``fact_batch`` row (unique per submitter and key) and commits at once, so a concurrent request
with the same key finds it — on PostgreSQL the second INSERT waits for the first and then hits
the unique constraint; on SQLite writers queue. The second transaction checks and stores the
rows and writes the answer into the same row. Hence:

- same key, same body, finished → the stored answer again (nothing is written twice);
- same key, different body → 422;
- same key while the first is still working → 409 (a batch stuck in ``processing`` for longer
  than ``STALE_AFTER``, e.g. after a crash, and a ``failed`` one may be taken over by a retry
  with the same body).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from louyu_kit.db import Database, utcnow
from louyu_kit.errors import Conflict, Invalid, NotFound
from metrics.facts.models import SOURCE_PRECEDENCE, Fact, FactBatch, FactRevision, UnregisteredTaxpayer
from metrics.facts.store import StoreResult, store_rows
from metrics.facts.validation import Checked, check_rows
from metrics.rollups import worker as rollup_worker

log = logging.getLogger("louyu.metrics.facts")

STALE_AFTER = timedelta(minutes=5)
MAX_REPORTED_REJECTIONS = 10_000
MAX_REPORTED_UNREGISTERED = 1_000


def current_year() -> int:
    """The current year in China (UTC+8): the upper bound of a plausible period."""
    return (datetime.now(UTC) + timedelta(hours=8)).year


def request_digest(source: str, rows: Sequence[Any]) -> str:
    """SHA-256 of the body as data (key order and whitespace of the JSON text do not matter)."""
    canonical = json.dumps(
        {"source": source, "rows": rows}, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Outcome:
    batch: FactBatch
    replayed: bool


def _find(session: Session, submitted_by: str, key: str) -> FactBatch | None:
    return session.scalar(
        select(FactBatch).where(FactBatch.submitted_by == submitted_by, FactBatch.idempotency_key == key)
    )


def _judge_existing(session: Session, existing: FactBatch, digest: str) -> FactBatch | None:
    """The stored answer to replay, or None when this request may (re)process the claimed batch."""
    if existing.request_sha256 != digest:
        raise Invalid(
            "该 Idempotency-Key 已用于另一批内容不同的数据："
            "重新提交同一批数据请使用原来的内容，提交新数据请换一个新的 Key",
            error="IdempotencyKeyReused",
            fields=[{"field": "Idempotency-Key", "message": "已用于内容不同的另一批数据", "location": "请求头"}],
        )
    if existing.status == "done":
        return existing
    started = existing.started_at
    stale = existing.status == "processing" and utcnow() - started > STALE_AFTER
    if existing.status == "processing" and not stale:
        raise Conflict(
            f"同一 Idempotency-Key 的批次（编号 {existing.id}）仍在处理中，请稍后用 GET 查询该批次的结果，不要重复提交",
            error="BatchInProgress",
        )
    # failed, or abandoned while processing: take it over, unless another retry just did.
    taken = session.execute(
        update(FactBatch)
        .where(FactBatch.id == existing.id, FactBatch.status == existing.status, FactBatch.started_at == started)
        .values(status="processing", started_at=utcnow(), error=None)
    )
    if taken.rowcount != 1:
        raise Conflict(
            f"同一 Idempotency-Key 的批次（编号 {existing.id}）正在重新处理，请稍后查询结果", error="BatchInProgress"
        )
    return None


def claim(db: Database, *, submitted_by: str, key: str, digest: str, source: str, rows_total: int) -> Outcome:
    """Claim ``key`` for this submitter in a transaction of its own (committed before any row is stored)."""
    for attempt in (1, 2):
        with db.write_sessions() as session:
            existing = _find(session, submitted_by, key)
            if existing is not None:
                replay = _judge_existing(session, existing, digest)
                session.commit()
                return Outcome(batch=replay or existing, replayed=replay is not None)
            batch = FactBatch(
                submitted_by=submitted_by,
                idempotency_key=key,
                request_sha256=digest,
                origin="api",
                source=source,
                status="processing",
                rows_total=rows_total,
                rejected=[],
                unregistered=[],
            )
            session.add(batch)
            try:
                session.commit()
            except IntegrityError:
                # Another request with this key inserted first (PostgreSQL waited for it): judge that one.
                session.rollback()
                if attempt == 2:
                    raise
                continue
            return Outcome(batch=batch, replayed=False)
    raise AssertionError("unreachable")


def _finish(batch: FactBatch, checked: Checked, stored: StoreResult) -> None:
    batch.status = "done"
    batch.rows_total = checked.rows_total
    batch.accepted = len(checked.valid)
    batch.created = stored.created
    batch.updated = stored.updated
    batch.unchanged = stored.unchanged
    batch.rejected_count = checked.rejected_rows
    batch.rejected = [r.as_dict() for r in checked.rejected[:MAX_REPORTED_REJECTIONS]]
    batch.aggregate_rows = sum(1 for r in checked.valid if r.period_kind != "month")
    batch.unregistered_count = len(stored.unregistered)
    batch.unregistered = stored.unregistered[:MAX_REPORTED_UNREGISTERED]
    batch.finished_at = utcnow()
    batch.error = None


def _mark_failed(db: Database, batch_id: int, exc: BaseException) -> None:
    try:
        with db.write_sessions() as session:
            session.execute(
                update(FactBatch)
                .where(FactBatch.id == batch_id)
                .values(
                    status="failed",
                    error=f"处理失败（{type(exc).__name__}），可用同一 Key 重新提交",
                    finished_at=utcnow(),
                )
            )
            session.commit()
    except Exception:  # the database may be the reason: the batch then stays stale and is taken over later
        log.exception("could not mark batch %s failed", batch_id)


def ingest_batch(db: Database, *, submitted_by: str, key: str, source: str, rows: list[Any]) -> Outcome:
    """POST /facts/batches: claim the key, check every row, store the valid ones, keep the answer."""
    digest = request_digest(source, rows)
    outcome = claim(db, submitted_by=submitted_by, key=key, digest=digest, source=source, rows_total=len(rows))
    if outcome.replayed:
        return outcome
    batch_id = outcome.batch.id
    try:
        started = time.perf_counter()
        checked = check_rows(enumerate(rows, start=1), current_year=current_year())
        checked_at = time.perf_counter()
        with db.write_sessions() as session:
            batch = session.get(FactBatch, batch_id)
            assert batch is not None
            stored = store_rows(session, rows=checked.valid, source=source, batch_id=batch_id)
            _finish(batch, checked, stored)
            session.commit()
        if stored.created or stored.updated:
            rollup_worker.nudge()  # the rollups' worker starts its round now, not in up to 2 s
        log.info(
            "facts batch %s from %s: %d rows (%d new, %d corrected, %d rejected) checked in %.2f s, "
            "written in %.2f s %s, rollups hook %.2f s, %.2f s in all",
            batch_id,
            submitted_by,
            checked.rows_total,
            stored.created,
            stored.updated,
            checked.rejected_rows,
            checked_at - started,
            stored.write_seconds,
            stored.phases,
            stored.hook_seconds,
            time.perf_counter() - started,
        )
        return Outcome(batch=batch, replayed=False)
    except BaseException as exc:
        _mark_failed(db, batch_id, exc)
        raise


# ----- uploads ---------------------------------------------------------------------------------


@dataclass
class UploadReport:
    file_name: str
    source: str
    dry_run: bool
    applied: bool
    rows_total: int
    accepted: int
    created: int
    updated: int
    unchanged: int
    rejected_count: int
    rejected: list[dict[str, Any]]
    aggregate_rows: int
    unregistered_count: int
    unregistered: list[str]
    batch_id: int | None


def upload(
    session: Session,
    *,
    rows: Iterable[tuple[int, dict[str, Any]]],
    source: str,
    dry_run: bool,
    submitted_by: str,
    file_name: str,
    sha256: str,
) -> UploadReport:
    """Check an uploaded file's rows; store them all when applying and none is rejected (all or nothing)."""
    checked = check_rows(rows, current_year=current_year())
    apply = not dry_run and not checked.rejected
    batch: FactBatch | None = None
    if apply:
        batch = FactBatch(
            submitted_by=submitted_by,
            idempotency_key=None,
            request_sha256=sha256,
            origin="upload",
            file_name=file_name[:200],
            source=source,
            status="processing",
            rows_total=checked.rows_total,
            rejected=[],
            unregistered=[],
        )
        session.add(batch)
        session.flush()
    stored = store_rows(
        session, rows=checked.valid, source=source, batch_id=batch.id if batch else None, dry_run=not apply
    )
    if batch is not None:
        _finish(batch, checked, stored)
        session.flush()
    return UploadReport(
        file_name=file_name,
        source=source,
        dry_run=dry_run,
        applied=apply,
        rows_total=checked.rows_total,
        accepted=len(checked.valid),
        created=stored.created,
        updated=stored.updated,
        unchanged=stored.unchanged,
        rejected_count=checked.rejected_rows,
        rejected=[r.as_dict() for r in checked.rejected[:MAX_REPORTED_REJECTIONS]],
        aggregate_rows=sum(1 for r in checked.valid if r.period_kind != "month"),
        unregistered_count=len(stored.unregistered),
        unregistered=stored.unregistered[:MAX_REPORTED_UNREGISTERED],
        batch_id=batch.id if batch else None,
    )


# ----- reading ---------------------------------------------------------------------------------


def get_batch(session: Session, *, batch_id: int, submitted_by: str | None) -> FactBatch:
    """A batch; ``submitted_by`` limits a bureau system to its own batches (others: 404)."""
    batch = session.get(FactBatch, batch_id)
    if batch is None or (submitted_by is not None and batch.submitted_by != submitted_by):
        raise NotFound(f"数据批次 {batch_id} 不存在", error="BatchNotFound")
    return batch


def list_batches(session: Session, *, submitted_by: str | None, offset: int, limit: int) -> tuple[list[FactBatch], int]:
    stmt = select(FactBatch)
    if submitted_by is not None:
        stmt = stmt.where(FactBatch.submitted_by == submitted_by)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = list(session.scalars(stmt.order_by(FactBatch.id.desc()).offset(offset).limit(limit)))
    return items, total


def facts_of(
    session: Session, *, credit_code: str, year: int | None, kind: str | None
) -> list[tuple[Fact, list[FactRevision]]]:
    """An enterprise's figures (optionally one year, one kind), each with its earlier revisions."""
    stmt = select(Fact).where(Fact.credit_code == credit_code)
    if year is not None:
        stmt = stmt.where(Fact.period.like(f"{year:04d}%"))
    if kind is not None:
        stmt = stmt.where(Fact.kind == kind)
    facts = list(session.scalars(stmt.order_by(Fact.period, Fact.kind, Fact.source)))
    revisions: dict[int, list[FactRevision]] = {f.id: [] for f in facts}
    if facts:
        for rev in session.scalars(
            select(FactRevision)
            .where(FactRevision.credit_code == credit_code, FactRevision.fact_id.in_(list(revisions)))
            .order_by(FactRevision.fact_id, FactRevision.revision)
        ):
            revisions[rev.fact_id].append(rev)
    return [(f, revisions[f.id]) for f in facts]


@dataclass
class UnregisteredLead:
    credit_code: str
    tax_total: Decimal
    months: int
    first_period: str | None
    last_period: str | None
    first_seen_at: datetime
    last_seen_at: datetime


def unregistered_taxpayers(
    session: Session, *, year: int | None, offset: int, limit: int
) -> tuple[list[UnregisteredLead], int, Decimal]:
    """在税不在册: codes with figures the read model still does not know, biggest total tax first.

    Tax is 全口径 of monthly figures (quarter and year totals would count twice); for each month
    the first available source in the order of ``SOURCE_PRECEDENCE``."""
    from metrics.readmodel.models import RmEnterprise

    known = select(RmEnterprise.credit_code).where(
        RmEnterprise.credit_code == UnregisteredTaxpayer.credit_code, RmEnterprise.deleted.is_(False)
    )
    leads = {u.credit_code: u for u in session.scalars(select(UnregisteredTaxpayer).where(~known.exists()))}
    if not leads:
        return [], 0, Decimal(0)
    best: dict[tuple[str, str], tuple[int, Decimal]] = {}
    codes = sorted(leads)
    for start in range(0, len(codes), 1000):
        stmt = select(Fact.credit_code, Fact.period, Fact.source, Fact.value).where(
            Fact.credit_code.in_(codes[start : start + 1000]), Fact.kind == "tax_total", Fact.period_kind == "month"
        )
        if year is not None:
            stmt = stmt.where(Fact.period.like(f"{year:04d}-%"))
        for code, period, source, value in session.execute(stmt):
            rank = SOURCE_PRECEDENCE.index(source) if source in SOURCE_PRECEDENCE else len(SOURCE_PRECEDENCE)
            current = best.get((code, period))
            if current is None or rank < current[0]:
                best[(code, period)] = (rank, Decimal(value))
    per_code: dict[str, list[tuple[str, Decimal]]] = {code: [] for code in codes}
    for (code, period), (_, value) in best.items():
        per_code[code].append((period, value))
    out = []
    for code in codes:
        months = sorted(per_code[code])
        if year is not None and not months:
            continue
        lead = leads[code]
        out.append(
            UnregisteredLead(
                credit_code=code,
                tax_total=sum((v for _, v in months), Decimal(0)),
                months=len(months),
                first_period=months[0][0] if months else None,
                last_period=months[-1][0] if months else None,
                first_seen_at=lead.first_seen_at,
                last_seen_at=lead.last_seen_at,
            )
        )
    out.sort(key=lambda lead: (-lead.tax_total, lead.credit_code))
    total_tax = sum((lead.tax_total for lead in out), Decimal(0))
    return out[offset : offset + limit], len(out), total_tax
