"""Figures per enterprise and period as the bureaus report them, with every earlier revision.

One ``fact`` row per (credit code, period, kind, source): a later figure for the same key is a
correction; it replaces the value, bumps ``revision`` and leaves the replaced value in
``fact_revision``. KPIs read the first available source in the order tax_bureau >
statistics_bureau > manual > visit (``SOURCE_PRECEDENCE``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from metrics.db import Base

KINDS = ("tax_total", "tax_district", "revenue", "employees")
KIND_LABELS = {"tax_total": "全口径税收", "tax_district": "区级税收", "revenue": "营业收入", "employees": "从业人员"}
SOURCES = ("tax_bureau", "statistics_bureau", "visit", "manual")
SOURCE_LABELS = {"tax_bureau": "税务局", "statistics_bureau": "统计局", "visit": "走访", "manual": "手工录入"}
# When one enterprise/period/kind has figures from several sources, KPIs use the first of these.
SOURCE_PRECEDENCE = ("tax_bureau", "statistics_bureau", "manual", "visit")
PERIOD_KINDS = ("month", "quarter", "year")
PERIOD_KIND_LABELS = {"month": "月度", "quarter": "季度合计", "year": "年度合计"}


class Fact(Base):
    """One figure: enterprise × period (``2025-06`` / ``2025-Q2`` / ``2025``) × kind × source."""

    __tablename__ = "fact"
    __table_args__ = (
        UniqueConstraint("credit_code", "period", "kind", "source"),
        Index("ix_fact_period_kind", "period", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18))
    period: Mapped[str] = mapped_column(String(7))
    period_kind: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[Decimal] = mapped_column(Numeric(20, 2))
    source: Mapped[str] = mapped_column(String(20))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    batch_id: Mapped[int | None] = mapped_column(Integer)
    # Demo and benchmark figures are invented; they say so.
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class FactRevision(Base):
    """A value a correction replaced (the fact's state before revision ``revision + 1``)."""

    __tablename__ = "fact_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fact_id: Mapped[int] = mapped_column(Integer, index=True)
    credit_code: Mapped[str] = mapped_column(String(18))
    period: Mapped[str] = mapped_column(String(7))
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(20))
    value: Mapped[Decimal] = mapped_column(Numeric(20, 2))
    revision: Mapped[int] = mapped_column(Integer)
    batch_id: Mapped[int | None] = mapped_column(Integer)
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime)
    replaced_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    replaced_by_batch_id: Mapped[int | None] = mapped_column(Integer)


class FactBatch(Base):
    """One ingest: a posted batch (with its Idempotency-Key) or an applied file upload.

    The row is inserted and committed before the rows are processed, so a second request
    with the same key finds it (409 while ``status`` is processing, the stored answer after)."""

    __tablename__ = "fact_batch"
    __table_args__ = (UniqueConstraint("submitted_by", "idempotency_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submitted_by: Mapped[str] = mapped_column(String(100))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_sha256: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(10), default="api")  # api / upload
    file_name: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20))
    # processing / done / failed
    status: Mapped[str] = mapped_column(String(12), default="processing", index=True)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected_count: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    aggregate_rows: Mapped[int] = mapped_column(Integer, default=0)
    unregistered_count: Mapped[int] = mapped_column(Integer, default=0)
    unregistered: Mapped[list[str]] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class UnregisteredTaxpayer(Base):
    """在税不在册: a credit code with figures that the registry did not know when they arrived.

    Listing it joins the read model again, so a code the registry has learned since drops out."""

    __tablename__ = "unregistered_taxpayer"

    credit_code: Mapped[str] = mapped_column(String(18), primary_key=True)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    first_batch_id: Mapped[int | None] = mapped_column(Integer)
    last_batch_id: Mapped[int | None] = mapped_column(Integer)
