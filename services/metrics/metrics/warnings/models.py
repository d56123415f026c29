"""预警 rules (configurable by the bureau) and the warnings they raised, with their dates."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from metrics.db import Base

RULE_NAMES = {
    "tax_drop": "税收同比下降",
    "top_taxpayer_left": "纳税大户迁出",
    "occupancy_drop": "入驻率下降",
    "vacancy_high": "空置率过高",
    "not_reported": "数据完整性",
}
# Rules that remind a street of missing data rather than warn of a figure (low severity).
REMINDER_RULES = frozenset({"not_reported"})


class WarningRule(Base):
    """One rule (``code`` is one of ``metrics.warnings.rules.RULES``) as the bureau set it."""

    __tablename__ = "warning_rule"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    threshold: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    top_n: Mapped[int | None] = mapped_column(Integer)
    window_days: Mapped[int | None] = mapped_column(Integer)
    min_base: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100), default="")


class EarlyWarning(Base):
    """A warning about one building (and, for a move-out, one enterprise).

    While the condition holds, each evaluation updates ``last_seen_at`` and the figures of the
    same row (``active_key`` = rule|building|subject, unique); when it no longer holds the row
    is resolved (``resolved_at``, ``active_key`` cleared), and a later recurrence is a new row
    with its own ``first_seen_at``."""

    __tablename__ = "early_warning"
    __table_args__ = (Index("ix_early_warning_street_resolved", "street_code", "resolved_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(30), index=True)
    building_code: Mapped[str] = mapped_column(String(20), index=True)
    building_name: Mapped[str] = mapped_column(String(100), default="")
    street_code: Mapped[str] = mapped_column(String(9), default="")
    subject: Mapped[str] = mapped_column(String(18), default="")
    active_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    period: Mapped[str] = mapped_column(String(40), default="")
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def rule_name(self) -> str:
        return RULE_NAMES.get(self.rule, self.rule)

    @property
    def kind(self) -> str:
        """``data_completeness`` (数据完整性提醒) or ``warning`` (预警)."""
        return "data_completeness" if self.rule in REMINDER_RULES else "warning"

    @property
    def severity(self) -> str:
        return "low" if self.rule in REMINDER_RULES else "normal"

    @property
    def active(self) -> bool:
        return self.resolved_at is None
