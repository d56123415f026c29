"""预警: the rules, their evaluation, and the warnings kept with the date they first appeared.

Rules (each configurable by the bureau; defaults in ``RULES``):

- ``tax_drop`` 税收同比下降: a building's 全口径 tax attributed for the current period (January
  to the latest month with figures) is more than ``threshold`` % below the same months of
  the year before. Buildings whose figure of the year before is below ``min_base`` 元 are
  not judged (a small base makes big swings).
- ``top_taxpayer_left`` 纳税大户迁出: one of the ``top_n`` enterprises by 全口径 tax over the
  last 12 months with figures left a building (an occupancy whose last day is within the
  last ``window_days`` days, and no stay in that building today).
- ``occupancy_drop`` 入驻率下降: occupied ÷ leasable area today is more than ``threshold``
  points below the same day a year ago (occupancy history of the read model).
- ``vacancy_high`` 空置率过高: 1 − occupied ÷ leasable area today is above ``threshold`` %.
- ``not_reported`` 数据完整性 (a reminder, low severity): a building (not 在建) whose figures
  are 未填报 today — no leasable area, or neither spaces nor stays recorded. It raises no
  vacancy warning (below), but its street is reminded to fill it in.

When: daily in the background, after the rollups were recomputed (new figures, a tenant
moving; at most once per five minutes), and on demand (``POST /api/metrics/warnings/evaluate``).

The two occupancy rules read the one definition of a building's occupancy
(``metrics.kpis.occupancy``: the stays in force that day ÷ leasable area). Buildings under
construction (在建) and buildings whose figures are 未填报 (no leasable area, or neither
spaces nor stays recorded — a building registered a minute ago) are not judged by them: no
"空置率 100%" for a building nobody has filled in yet.

Evaluation is idempotent: a condition that still holds updates the
same warning (``last_seen_at``, figures); one that no longer holds is resolved; one that
comes back later is a new warning with its own ``first_seen_at``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, select, text, update
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.db import Database, utcnow
from louyu_kit.errors import Invalid, NotFound
from louyu_kit.files import chinese_date
from metrics.featured import numbers
from metrics.featured.service import in_force
from metrics.kpis import occupancy
from metrics.readmodel.models import RmBuilding, RmEnterprise, RmOccupancy, RmSpace
from metrics.rollups.models import RollupBuildingPeriod, RollupEnterprise, RollupState
from metrics.rollups.periods import YTD, PeriodRange, month_key
from metrics.rollups.queries import building_totals
from metrics.warnings.models import (
    DEFAULT_LEVELS,
    LEVEL_RANK,
    LEVELS,
    NOTE_KINDS,
    REMINDER_RULES,
    RULE_NAMES,
    EarlyWarning,
    WarningNote,
    WarningRule,
)

log = logging.getLogger("louyu.metrics.warnings")

UNDER_CONSTRUCTION = "under_construction"
NOT_REPORTED = "not_reported"
# The background loop looks every CHECK_SECONDS whether the rollups were recomputed, and then
# evaluates, at most once per AFTER_ROLLUPS_MIN_GAP seconds.
CHECK_SECONDS = 30.0
AFTER_ROLLUPS_MIN_GAP = 300.0
_LOCK_KEY = 5_005_005


@dataclass(frozen=True)
class RuleSpec:
    code: str
    name: str
    description: str
    threshold: Decimal | None = None
    threshold_unit: str = ""
    top_n: int | None = None
    window_days: int | None = None
    min_base: Decimal | None = None


RULES: dict[str, RuleSpec] = {
    spec.code: spec
    for spec in (
        RuleSpec(
            "tax_drop",
            RULE_NAMES["tax_drop"],
            "楼宇本年累计全口径税收比上年同期下降超过阈值（上年同期低于起评税额的楼宇不预警）",
            threshold=Decimal(20),
            threshold_unit="%",
            min_base=Decimal(1_000_000),
        ),
        RuleSpec(
            "top_taxpayer_left",
            RULE_NAMES["top_taxpayer_left"],
            "近12个月全口径纳税排名前列的企业在最近若干天内迁出楼宇",
            top_n=50,
            window_days=90,
        ),
        RuleSpec(
            "occupancy_drop",
            RULE_NAMES["occupancy_drop"],
            "楼宇入驻率（入驻面积 ÷ 可出租面积）比上年同日下降超过阈值（百分点）",
            threshold=Decimal(10),
            threshold_unit="个百分点",
        ),
        RuleSpec(
            "vacancy_high",
            RULE_NAMES["vacancy_high"],
            "楼宇空置率（1 − 入驻面积 ÷ 可出租面积）高于阈值",
            threshold=Decimal(30),
            threshold_unit="%",
        ),
        RuleSpec(
            "not_reported",
            RULE_NAMES["not_reported"],
            "楼宇（在建除外）尚未填报房源或可出租面积（未填报）：不计入入驻率、不作空置预警，提醒所在街道填报",
        ),
    )
}


@dataclass(frozen=True)
class Rule:
    """A rule as evaluated: the stored settings, or the defaults."""

    code: str
    name: str
    description: str
    enabled: bool
    threshold: Decimal | None
    threshold_unit: str
    top_n: int | None
    window_days: int | None
    min_base: Decimal | None
    is_default: bool
    level: str = "minor"
    updated_at: datetime | None = None
    updated_by: str = ""

    @property
    def level_name(self) -> str:
        return LEVELS[self.level]


@dataclass
class Found:
    """A condition that holds now."""

    rule: str
    building_code: str
    subject: str
    title: str
    message: str
    period: str
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.rule}|{self.building_code}|{self.subject}"


@dataclass
class EvaluationResult:
    raised: int = 0
    updated: int = 0
    resolved: int = 0
    active: int = 0
    evaluated_at: datetime | None = None
    notes: list[str] = field(default_factory=list)


# ----- rules ------------------------------------------------------------------------------


def list_rules(session: Session) -> list[Rule]:
    stored = {r.code: r for r in session.scalars(select(WarningRule))}
    return [_rule(spec, stored.get(code)) for code, spec in RULES.items()]


def _rule(spec: RuleSpec, row: WarningRule | None) -> Rule:
    if row is None:
        return Rule(
            code=spec.code,
            name=spec.name,
            description=spec.description,
            enabled=True,
            threshold=spec.threshold,
            threshold_unit=spec.threshold_unit,
            top_n=spec.top_n,
            window_days=spec.window_days,
            min_base=spec.min_base,
            is_default=True,
            level=DEFAULT_LEVELS[spec.code],
        )
    return Rule(
        code=spec.code,
        name=spec.name,
        description=spec.description,
        enabled=row.enabled,
        threshold=row.threshold if spec.threshold is not None else None,
        threshold_unit=spec.threshold_unit,
        top_n=row.top_n if spec.top_n is not None else None,
        window_days=row.window_days if spec.window_days is not None else None,
        min_base=row.min_base if spec.min_base is not None else None,
        is_default=False,
        level=row.level or DEFAULT_LEVELS[spec.code],
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def set_rules(session: Session, *, changes: dict[str, dict[str, Any]], actor: str) -> list[Rule]:
    """Apply the bureau's changes (rule code → fields); fields a rule does not have are refused."""
    current = {r.code: r for r in list_rules(session)}
    for code, values in changes.items():
        spec = RULES.get(code)
        if spec is None:
            raise Invalid(f"预警规则 {code} 不存在（可选：{'、'.join(RULES)}）", error="WarningRuleNotFound")
        for name in ("threshold", "top_n", "window_days", "min_base"):
            if values.get(name) is not None and getattr(spec, name) is None:
                raise Invalid(f"预警规则“{spec.name}”没有 {name} 这一设置", error="WarningRuleField")
        rule = current[code]
        row = session.get(WarningRule, code)
        if row is None:
            row = WarningRule(code=code)
            session.add(row)
        level = values.get("level")
        if level is not None and level not in LEVELS:
            raise Invalid(
                f"预警规则“{spec.name}”的严重程度 {level} 无效（可选：严重、较重、一般）", error="WarningLevel"
            )
        # A field left out (or null) keeps its current value.
        for name in ("enabled", "threshold", "top_n", "window_days", "min_base", "level"):
            value = values.get(name)
            setattr(row, name, getattr(rule, name) if value is None else value)
        row.updated_by = actor
        # The warnings in force take the rule's new level at once (resolved ones keep theirs).
        session.execute(
            update(EarlyWarning)
            .where(EarlyWarning.rule == code, EarlyWarning.resolved_at.is_(None))
            .values(level=row.level)
        )
    session.flush()
    return list_rules(session)


# ----- figures ----------------------------------------------------------------------------


def latest_month(session: Session, *, today: date) -> tuple[int, int] | None:
    """The latest month (≤ this month) with tax attributed in the rollups."""
    value = session.scalar(
        select(func.max(RollupBuildingPeriod.period)).where(
            RollupBuildingPeriod.period_kind == "month",
            RollupBuildingPeriod.tax_total.is_not(None),
            RollupBuildingPeriod.period <= month_key(today.year, today.month),
        )
    )
    if not value:
        return None
    return int(value[:4]), int(value[5:7])


def _window_periods(last: tuple[int, int], months: int = 12) -> list[str]:
    """Stored period keys covering the ``months`` months ending with ``last``: the months, the
    quarters wholly inside, and a calendar year when the window is exactly that year."""
    year, month = last
    keys = []
    for i in range(months):
        m = month - i
        y = year + (m - 1) // 12
        m = (m - 1) % 12 + 1
        keys.append(month_key(y, m))
    inside = set(keys)
    for y in {int(k[:4]) for k in keys}:
        for q in range(1, 5):
            if all(month_key(y, q * 3 - j) in inside for j in range(3)):
                keys.append(f"{y}-Q{q}")
        if all(month_key(y, m) in inside for m in range(1, 13)):
            keys.append(str(y))
    return keys


def top_taxpayers(session: Session, *, last: tuple[int, int], top_n: int) -> list[tuple[str, Decimal]]:
    """The ``top_n`` enterprises by 全口径 tax over the 12 months ending with ``last``."""
    total = func.sum(RollupEnterprise.tax_total)
    rows = session.execute(
        select(RollupEnterprise.credit_code, total)
        .where(RollupEnterprise.period.in_(_window_periods(last)), RollupEnterprise.tax_total.is_not(None))
        .group_by(RollupEnterprise.credit_code)
        .having(total > 0)
        .order_by(total.desc(), RollupEnterprise.credit_code)
        .limit(top_n)
    ).all()
    return [(code, Decimal(value)) for code, value in rows]


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# ----- evaluation -------------------------------------------------------------------------


def _tax_drop(session: Session, rule: Rule, buildings: dict[str, RmBuilding], today: date) -> list[Found]:
    last = latest_month(session, today=today)
    if last is None:
        return []
    current = PeriodRange(YTD, last[0], 1, last[1])
    before = current.previous_year()
    now_figures = building_totals(session, period=current)
    then_figures = building_totals(session, period=before)
    threshold = rule.threshold or Decimal(0)
    found = []
    for code, then in then_figures.items():
        if code not in buildings or then <= 0 or (rule.min_base is not None and then < rule.min_base):
            continue
        now = now_figures.get(code, Decimal(0))
        drop = (then - now) * 100 / then
        if drop <= threshold:
            continue
        shown = numbers.percent(drop)
        found.append(
            Found(
                rule=rule.code,
                building_code=code,
                subject="",
                title=f"税收同比下降 {shown}",
                message=(
                    f"{current.label}全口径税收 {numbers.money(now)}，上年同期 {numbers.money(then)}，"
                    f"同比下降 {shown}（预警阈值 {numbers.threshold(threshold)}）"
                ),
                period=f"{current.label} 对比 {before.label}",
                figures={
                    "current": str(now),
                    "previous": str(then),
                    "drop_percent": str(drop.quantize(Decimal("0.01"))),
                    "threshold": str(threshold),
                    "current_period": f"{current.year}-{current.last_month:02d}-YTD",
                    "previous_period": f"{before.year}-{before.last_month:02d}-YTD",
                },
            )
        )
    return found


def _top_taxpayer_left(session: Session, rule: Rule, buildings: dict[str, RmBuilding], today: date) -> list[Found]:
    last = latest_month(session, today=today)
    if last is None:
        return []
    top_n, window = rule.top_n or 50, rule.window_days or 90
    ranked = top_taxpayers(session, last=last, top_n=top_n)
    if not ranked:
        return []
    rank = {code: (i + 1, value) for i, (code, value) in enumerate(ranked)}
    since = today - timedelta(days=window)
    left = session.execute(
        select(RmOccupancy.credit_code, RmOccupancy.building_code, func.max(RmOccupancy.end_date))
        .where(
            RmOccupancy.deleted.is_(False),
            RmOccupancy.credit_code.in_(list(rank)),
            RmOccupancy.end_date.is_not(None),
            RmOccupancy.end_date >= since,
            RmOccupancy.end_date < today,
        )
        .group_by(RmOccupancy.credit_code, RmOccupancy.building_code)
    ).all()
    if not left:
        return []
    codes = {c for c, _, _ in left}
    staying: dict[str, set[str]] = {}
    for credit_code, building_code in session.execute(
        select(RmOccupancy.credit_code, RmOccupancy.building_code).where(
            in_force(today), RmOccupancy.credit_code.in_(list(codes))
        )
    ):
        staying.setdefault(credit_code, set()).add(building_code)
    names = dict(
        session.execute(
            select(RmEnterprise.credit_code, RmEnterprise.name).where(RmEnterprise.credit_code.in_(list(codes)))
        ).all()
    )
    all_names = dict(session.execute(select(RmBuilding.code, RmBuilding.name)).all())
    months = f"{_window_label(last)}"
    found = []
    for credit_code, building_code, end in left:
        if building_code not in buildings or building_code in staying.get(credit_code, set()):
            continue
        position, value = rank[credit_code]
        name = names.get(credit_code) or credit_code
        elsewhere = sorted(all_names.get(b, b) for b in staying.get(credit_code, set()))
        where = f"，现入驻{'、'.join(elsewhere)}" if elsewhere else "，未在区内其他楼宇登记入驻"
        found.append(
            Found(
                rule=rule.code,
                building_code=building_code,
                subject=credit_code,
                title=f"纳税大户迁出：{name}",
                message=(
                    f"{name}（{months}全口径纳税 {numbers.money(value)}，全区第 {position} 名，"
                    f"预警范围前 {top_n} 名）于 {chinese_date(end)} 迁出{where}"
                ),
                period=months,
                figures={
                    "credit_code": credit_code,
                    "enterprise_name": name,
                    "rank": position,
                    "tax_12_months": str(value),
                    "moved_out_on": end.isoformat(),
                    "now_in": sorted(staying.get(credit_code, set())),
                    "top_n": top_n,
                    "window_days": window,
                },
            )
        )
    return found


def _window_label(last: tuple[int, int]) -> str:
    year, month = last
    first_month = month + 1 if month < 12 else 1
    first_year = year - 1 if month < 12 else year
    return f"{first_year}年{first_month}月至{year}年{month}月"


def _percent(rate: float | None) -> Decimal:
    return min(Decimal(100), Decimal(str(rate or 0)) * 100).quantize(Decimal("0.01"))


def _occupancy(session: Session, rules: dict[str, Rule], buildings: dict[str, RmBuilding], today: date) -> list[Found]:
    year_ago = _year_before(today)
    now = occupancy.buildings_on(session, on=today, codes=list(buildings))
    then = occupancy.buildings_on(session, on=year_ago, codes=list(buildings))
    judged = [code for code, item in now.items() if item.figures.counts_in_rates]
    if not judged:
        return []
    now_area = {code: now[code].figures.occupied_area for code in judged}
    then_area = {code: then[code].figures.occupied_area if code in then else 0.0 for code in judged}
    found = []
    drop_rule, vacancy_rule = rules.get("occupancy_drop"), rules.get("vacancy_high")
    for code in judged:
        figures = now[code].figures
        leasable = float(figures.leasable_area or 0)
        rate_now = _percent(figures.occupancy_rate)
        rate_then = _percent(then[code].figures.occupancy_rate if code in then else 0.0)
        if drop_rule is not None:
            threshold = drop_rule.threshold or Decimal(0)
            drop = rate_then - rate_now
            if drop > threshold:
                found.append(
                    Found(
                        rule=drop_rule.code,
                        building_code=code,
                        subject="",
                        title=f"入驻率同比下降 {numbers.plain(drop)} 个百分点",
                        message=(
                            f"入驻率 {numbers.plain(rate_now)}%（入驻 {numbers.area(now_area.get(code, 0.0))} / "
                            f"可出租 {numbers.area(leasable)}），上年同日（{chinese_date(year_ago)}）"
                            f"{numbers.plain(rate_then)}%，下降 {numbers.plain(drop)} 个百分点"
                            f"（预警阈值 {numbers.plain(threshold)} 个百分点）"
                        ),
                        period=f"{chinese_date(today)} 对比 {chinese_date(year_ago)}",
                        figures={
                            "rate": str(rate_now),
                            "rate_year_ago": str(rate_then),
                            "drop_points": str(drop),
                            "occupied_area": now_area.get(code, 0.0),
                            "occupied_area_year_ago": then_area.get(code, 0.0),
                            "leasable_area": leasable,
                            "threshold": str(threshold),
                        },
                    )
                )
        if vacancy_rule is not None:
            threshold = vacancy_rule.threshold or Decimal(0)
            vacancy = Decimal(100) - rate_now
            if vacancy > threshold:
                vacant = figures.vacant_area or 0.0
                found.append(
                    Found(
                        rule=vacancy_rule.code,
                        building_code=code,
                        subject="",
                        title=f"空置率 {numbers.plain(vacancy)}%",
                        message=(
                            f"空置率 {numbers.plain(vacancy)}%（空置 {numbers.area(vacant)} / 可出租 "
                            f"{numbers.area(leasable)}，{chinese_date(today)}），"
                            f"高于预警阈值 {numbers.threshold(threshold)}"
                        ),
                        period=today.isoformat(),
                        figures={
                            "vacancy": str(vacancy),
                            "vacant_area": vacant,
                            "occupied_area": now_area.get(code, 0.0),
                            "leasable_area": leasable,
                            "threshold": str(threshold),
                        },
                    )
                )
    return found


def _not_reported(session: Session, rule: Rule, buildings: dict[str, RmBuilding], today: date) -> list[Found]:
    """数据完整性: buildings whose occupancy figures are 未填报 today (在建 ones are not asked)."""
    found = []
    for code, item in occupancy.buildings_on(session, on=today, codes=list(buildings)).items():
        figures = item.figures
        if figures.status != NOT_REPORTED:
            continue
        missing = []
        if not figures.leasable_area or figures.leasable_area <= 0:
            missing.append("可出租面积")
        if not _recorded(session, code):
            missing.append("房源或入驻记录")
        name = buildings[code].name or code
        found.append(
            Found(
                rule=rule.code,
                building_code=code,
                subject="",
                title="数据完整性：尚未填报房源/可租面积",
                message=(
                    f"数据完整性：{name}尚未填报房源/可租面积（缺{'、'.join(missing) or '房源'}），"
                    f"入驻率、空置面积暂不计算，也不作空置预警；请所在街道督促楼宇填报（{chinese_date(today)}）"
                ),
                period=today.isoformat(),
                figures={"missing": missing, "leasable_area": figures.leasable_area},
            )
        )
    return found


def _recorded(session: Session, code: str) -> bool:
    """Whether the building has any space or stay recorded."""
    if (
        session.scalar(select(RmSpace.id).where(RmSpace.building_code == code, RmSpace.deleted.is_(False)).limit(1))
        is not None
    ):
        return True
    stay = select(RmOccupancy.id).where(RmOccupancy.building_code == code, RmOccupancy.deleted.is_(False))
    return session.scalar(stay.limit(1)) is not None


def _lock(session: Session) -> None:
    """One evaluation at a time (SQLite's write lock does this for writing sessions)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def evaluate(session: Session, *, today: date | None = None, now: datetime | None = None) -> EvaluationResult:
    """Evaluate every enabled rule and bring the stored warnings up to date (idempotent)."""
    today = today or today_in_china()
    now = now or utcnow()
    _lock(session)
    rules = {r.code: r for r in list_rules(session) if r.enabled}
    buildings = {b.code: b for b in session.scalars(select(RmBuilding).where(RmBuilding.deleted.is_(False)))}
    found: list[Found] = []
    if "tax_drop" in rules:
        found += _tax_drop(session, rules["tax_drop"], buildings, today)
    if "top_taxpayer_left" in rules:
        found += _top_taxpayer_left(session, rules["top_taxpayer_left"], buildings, today)
    if "occupancy_drop" in rules or "vacancy_high" in rules:
        found += _occupancy(session, rules, buildings, today)
    if "not_reported" in rules:
        found += _not_reported(session, rules["not_reported"], buildings, today)

    result = EvaluationResult(evaluated_at=now)
    stored = session.scalars(select(EarlyWarning).where(EarlyWarning.active_key.is_not(None)))
    active = {w.active_key: w for w in stored}
    for item in found:
        building = buildings[item.building_code]
        row = active.pop(item.key, None)
        if row is None:
            row = EarlyWarning(rule=item.rule, building_code=item.building_code, subject=item.subject)
            row.active_key, row.first_seen_at = item.key, now
            session.add(row)
            result.raised += 1
        else:
            result.updated += 1
        row.building_name, row.street_code = building.name, building.street_code
        row.title, row.message, row.period, row.figures = item.title, item.message, item.period, item.figures
        row.level = rules[item.rule].level
        row.last_seen_at = now
    for row in active.values():
        row.resolved_at, row.active_key = now, None
        result.resolved += 1
    session.flush()
    result.active = len(found)
    return result


# ----- reading ----------------------------------------------------------------------------


def active_warnings(
    session: Session, *, street_codes: Iterable[str] | None = None, limit: int = 20
) -> list[EarlyWarning]:
    """The active warnings, the most severe first (严重, 较重, 一般), newest first within a level
    (all streets, or only ``street_codes``); 数据完整性 reminders after the warnings of their level.
    A limit therefore never hides a severe warning behind minor ones."""
    stmt = select(EarlyWarning).where(EarlyWarning.resolved_at.is_(None))
    if street_codes is not None:
        stmt = stmt.where(EarlyWarning.street_code.in_(list(street_codes)))
    return list(session.scalars(stmt.order_by(*_newest_first()).limit(limit)))


def warnings_query(
    *,
    street_codes: Iterable[str] | None = None,
    building_codes: Iterable[str] | None = None,
    active: bool | None = None,
    rule: str | None = None,
    level: str | None = None,
) -> Select[tuple[EarlyWarning]]:
    stmt = select(EarlyWarning)
    if level is not None:
        stmt = stmt.where(EarlyWarning.level == level)
    if street_codes is not None:
        stmt = stmt.where(EarlyWarning.street_code.in_(list(street_codes)))
    if building_codes is not None:
        stmt = stmt.where(EarlyWarning.building_code.in_(list(building_codes)))
    if active is True:
        stmt = stmt.where(EarlyWarning.resolved_at.is_(None))
    elif active is False:
        stmt = stmt.where(EarlyWarning.resolved_at.is_not(None))
    if rule is not None:
        stmt = stmt.where(EarlyWarning.rule == rule)
    return stmt.order_by(*_newest_first())


def _newest_first() -> tuple[Any, ...]:
    """The most severe first, then newest first; 数据完整性 reminders after the warnings."""
    rank = case(*((EarlyWarning.level == lv, r) for lv, r in LEVEL_RANK.items()), else_=len(LEVEL_RANK))
    reminder = case((EarlyWarning.rule.in_(sorted(REMINDER_RULES)), 1), else_=0)
    return (rank, reminder, EarlyWarning.first_seen_at.desc(), EarlyWarning.id.desc())


def level_counts(session: Session, *, building_codes: Iterable[str] | None = None) -> dict[str, int]:
    """Active warnings per level (severe/major/minor), for the headline of the 预警 panels."""
    stmt = select(EarlyWarning.level, func.count()).where(EarlyWarning.resolved_at.is_(None))
    if building_codes is not None:
        stmt = stmt.where(EarlyWarning.building_code.in_(list(building_codes)))
    counts = dict.fromkeys(LEVELS, 0)
    for level, n in session.execute(stmt.group_by(EarlyWarning.level)):
        counts[level] = n
    return counts


# ----- 处置 notes -------------------------------------------------------------------------


def get_warning(session: Session, warning_id: int, *, building_codes: Iterable[str] | None) -> EarlyWarning:
    """One warning; outside the caller's buildings it does not exist (404)."""
    row = session.get(EarlyWarning, warning_id)
    if row is None or (building_codes is not None and row.building_code not in set(building_codes)):
        raise NotFound(f"预警 {warning_id} 不存在", error="WarningNotFound")
    return row


def list_notes(session: Session, *, warning: EarlyWarning) -> list[WarningNote]:
    """The warning's 处置 notes, oldest first."""
    stmt = select(WarningNote).where(WarningNote.warning_id == warning.id)
    return list(session.scalars(stmt.order_by(WarningNote.created_at, WarningNote.id)))


def add_note(session: Session, *, warning: EarlyWarning, kind: str, text_: str, actor: str) -> WarningNote:
    """Record who looked at the warning or what was done about it."""
    if kind not in NOTE_KINDS:
        raise Invalid(f"处置记录的类别 {kind} 无效（可选：{'、'.join(NOTE_KINDS.values())}）", error="WarningNoteKind")
    if kind != "viewed" and not text_.strip():
        raise Invalid("处置记录的内容（text）不能为空", error="WarningNoteText")
    note = WarningNote(warning_id=warning.id, kind=kind, text=text_.strip(), author=actor, created_at=utcnow())
    session.add(note)
    session.flush()
    return note


def note_counts(session: Session, *, warning_ids: list[int]) -> dict[int, int]:
    if not warning_ids:
        return {}
    stmt = (
        select(WarningNote.warning_id, func.count())
        .where(WarningNote.warning_id.in_(warning_ids))
        .group_by(WarningNote.warning_id)
    )
    return {wid: n for wid, n in session.execute(stmt)}


# ----- schedule ---------------------------------------------------------------------------


def evaluate_now(db: Database) -> EvaluationResult:
    with db.write_sessions() as session:
        result = evaluate(session)
        session.commit()
    return result


def rollups_refreshed_at(db: Database) -> datetime | None:
    """When the rollups were last recomputed (refreshed or rebuilt)."""
    with db.sessions() as session:
        state = session.get(RollupState, 1)
        if state is None:
            return None
        stamps = [t for t in (state.refreshed_at, state.rebuilt_at) if t is not None]
        return max(stamps) if stamps else None


def evaluation_due(
    *,
    now: datetime,
    last_evaluated_at: datetime | None,
    rollups_at: datetime | None,
    rollups_seen: datetime | None,
    interval: float,
    min_gap: float = AFTER_ROLLUPS_MIN_GAP,
) -> bool:
    """Evaluate when a day (``interval``) has passed, or when the rollups were recomputed since
    the last evaluation (at most once per ``min_gap`` seconds, so a burst of uploads costs one)."""
    if last_evaluated_at is None:
        return True
    elapsed = (now - last_evaluated_at).total_seconds()
    if elapsed >= interval:
        return True
    return rollups_at is not None and rollups_at != rollups_seen and elapsed >= min_gap


async def run_periodically(db: Database, *, interval: float, first_delay: float = 5.0) -> None:
    """The background evaluation (lifespan): daily, and after the rollups were recomputed."""
    await asyncio.sleep(first_delay)
    last_evaluated_at: datetime | None = None
    rollups_seen: datetime | None = None
    while True:
        try:
            rollups_at = await asyncio.to_thread(rollups_refreshed_at, db)
            now = utcnow()
            if evaluation_due(
                now=now,
                last_evaluated_at=last_evaluated_at,
                rollups_at=rollups_at,
                rollups_seen=rollups_seen,
                interval=interval,
            ):
                result = await asyncio.to_thread(evaluate_now, db)
                last_evaluated_at, rollups_seen = now, rollups_at
                log.info(
                    "warnings evaluated: %d raised, %d resolved, %d active",
                    result.raised,
                    result.resolved,
                    result.active,
                )
        except Exception:  # noqa: BLE001  (a database hiccup must not end the loop)
            log.exception("warning evaluation failed")
        await asyncio.sleep(min(CHECK_SECONDS, interval))
