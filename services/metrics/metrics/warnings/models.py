"""预警 rules (configurable by the bureau) and the warnings they raised, with their dates."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, Numeric, String, Text
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
# 严重程度, set per rule by the bureau; the most severe come first wherever warnings are listed.
LEVELS = {"severe": "严重", "major": "较重", "minor": "一般"}
LEVEL_RANK = {"severe": 0, "major": 1, "minor": 2}
DEFAULT_LEVELS = {
    "tax_drop": "severe",
    "top_taxpayer_left": "severe",
    "occupancy_drop": "major",
    "vacancy_high": "minor",
    "not_reported": "minor",
}
# 处置 notes: what someone did about a warning.
NOTE_KINDS = {"viewed": "已查看", "handling": "处置中", "handled": "已处置", "note": "备注"}
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
    # 严重程度 (severe/major/minor); null: the rule's default (DEFAULT_LEVELS).
    level: Mapped[str | None] = mapped_column(String(10))
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
    # 严重程度 of the rule when the warning was last evaluated (or the rule's level was changed).
    level: Mapped[str] = mapped_column(String(10), default="minor", server_default="minor", index=True)
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

    @property
    def level_name(self) -> str:
        return LEVELS.get(self.level, self.level)


class WarningNote(Base):
    """处置 note on a warning: who looked at it or what was done, and when (append-only)."""

    __tablename__ = "warning_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("early_warning.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    @property
    def kind_name(self) -> str:
        return NOTE_KINDS.get(self.kind, self.kind)
