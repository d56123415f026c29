"""Goals: copied from the tasks service (in the background and on demand) or entered by hand,
and measured here: baseline, current value, progress and how it is computed, in Chinese with
the figures' names (never their codes).

Every form a plan writes a goal in is one shape: a figure (``metric``), a comparison and a target.
- increase (新增2栋亿元楼宇): for a tier of buildings (亿元楼宇 …: 全口径 tax attributed for the
  goal's year ≥ the tier, 达到即计入) or 特色楼宇, the buildings that reach it in the goal's year and
  did not in the year before (the baseline year); for a KPI (入驻率 …), the change since the end
  of the year before.
- at_least / at_most / equal (亿元楼宇达到35栋, 入驻率不低于90%): the figure now against the target.
- 招商共享中心: the centres (区级 and 街道) opened in the goal's year, as tasks counts them; the
  count is asked when the goals are copied (never on a read) and kept on the goal row, in the
  columns of an entered value written by ``service:tasks`` (so no table of its own).
- a figure metrics does not compute: the current value the bureau enters, with the day it is
  true on and who entered it.
KPIs come from the KPI part (``metrics.kpis.service.kpis``, district scope), never recomputed here.

A goal's year is the year its phase ends; without a phase date, the year the plan's title
names ("2025年…"), else the year of the copy.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.db import Database, utcnow
from louyu_kit.errors import Conflict, Invalid, LouyuError, NotFound, Unavailable
from louyu_kit.files import chinese_date
from metrics.clients.tasks import CentresOpened, TasksClient, TasksGoal
from metrics.featured import numbers
from metrics.featured import service as featured
from metrics.goals.kinds import METRICS, TIER_THRESHOLDS, GoalMetric
from metrics.goals.models import COMPARISONS, SOURCES, Goal, GoalSync
from metrics.kpis import service as kpis
from metrics.readmodel.models import RmBuilding
from metrics.rollups.periods import PeriodRange
from metrics.rollups.queries import building_totals

log = logging.getLogger("louyu.metrics.goals")

YIYUAN = TIER_THRESHOLDS["yiyuan"]
TASKS = "tasks"
CENTRES = "sharing_centres"
CENTRES_BY = "service:tasks"  # who wrote a centres count on a goal row
_COPY_LOCK = 5_005_006


@dataclass
class GoalProgress:
    """A goal with its measurement."""

    id: int
    source: str
    source_name: str
    metric: str
    metric_name: str
    comparison: str
    comparison_name: str
    kind: str
    measured_by: str
    plan_id: str | None
    plan_title: str
    text: str
    unit: str
    year: int
    phase_end_date: date | None
    target: Decimal
    baseline_year: int | None
    baseline_value: Decimal | None
    current_value: Decimal | None
    progress: Decimal | None
    achieved: bool
    computed: bool
    computation: str
    buildings: list[dict[str, str]] = field(default_factory=list)
    manual_note: str = ""
    manual_as_of: date | None = None
    manual_by: str = ""
    manual_at: datetime | None = None
    updated_at: datetime | None = None


# ----- the copy from tasks ----------------------------------------------------------------


def goal_year(goal: TasksGoal, *, today: date | None = None) -> int:
    if goal.phase_end_date is not None:
        return goal.phase_end_date.year
    for words in (goal.plan_title, goal.text):
        found = re.search(r"(20\d\d)\s*年", words or "")
        if found:
            return int(found.group(1))
    return (today or today_in_china()).year


def store_tasks_goals(session: Session, *, goals: list[TasksGoal], today: date | None = None) -> int:
    """Replace the copy of the tasks goals (the bureau's current values on them are kept)."""
    if session.get_bind().dialect.name == "postgresql":
        # Several metrics replicas copy on their own schedule: one copy at a time.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _COPY_LOCK})
    existing = {g.external_id: g for g in session.scalars(select(Goal).where(Goal.source == TASKS))}
    seen = set()
    for item in goals:
        seen.add(item.id)
        row = existing.get(item.id)
        if row is None:
            row = Goal(source=TASKS, external_id=item.id, updated_by="service:tasks")
            session.add(row)
            if item.is_demo and item.measured_by == "bureau":
                _demo_value(row, item, today=today or today_in_china())
        row.plan_id, row.plan_title, row.metric = item.plan_id, item.plan_title[:300], item.metric[:40]
        row.target, row.unit, row.text = item.target, item.unit[:20], item.text[:500]
        row.metric_name, row.comparison = item.metric_name[:50], item.comparison
        row.phase_end_date, row.year = item.phase_end_date, goal_year(item, today=today)
    for external_id, row in existing.items():
        if external_id not in seen:
            session.delete(row)
    state = _sync_row(session)
    state.last_attempt_at = state.last_ok_at = utcnow()
    state.last_error = None
    state.items = len(goals)
    session.flush()
    return len(goals)


DEMO_ACTOR = "demo-loader"


def _demo_value(row: Goal, item: TasksGoal, *, today: date) -> None:
    """The demo plan (make run) shows a bureau-entered goal with progress: an invented value,
    a third of the target, entered by the demo loader and saying so."""
    row.manual_value = max(Decimal(1), (item.target / 3).quantize(Decimal(1)))
    row.manual_note = "演示数据，数值为虚构"
    row.manual_by = DEMO_ACTOR
    row.manual_as_of = min(today, item.phase_end_date) if item.phase_end_date else today
    row.manual_at = utcnow()


def _sync_row(session: Session) -> GoalSync:
    row = session.get(GoalSync, TASKS)
    if row is None:
        row = GoalSync(source=TASKS, items=0)
        session.add(row)
    return row


def record_failure(session: Session, *, error: str) -> GoalSync:
    state = _sync_row(session)
    state.last_attempt_at = utcnow()
    state.last_error = error[:2000]
    session.flush()
    return state


def sync_state(session: Session) -> GoalSync | None:
    return session.get(GoalSync, TASKS)


def _stale_message(state: GoalSync | None) -> str:
    if state is None or state.last_ok_at is None:
        return "尚未从任务服务取得过目标"
    return f"目标仍为 {state.last_ok_at.astimezone().strftime('%Y-%m-%d %H:%M')} 同步的版本"


async def pull(db: Database, client: TasksClient) -> int:
    """Copy the goals from tasks; on failure keep the last copy, note the error and raise 503."""
    try:
        goals = await client.goals()
    except LouyuError as exc:
        state = await asyncio.to_thread(_note_failure, db, exc.detail)
        raise Unavailable(
            f"无法从任务服务同步目标：{exc.detail}。{_stale_message(state)}。", error="TasksUnavailable"
        ) from exc
    count = await asyncio.to_thread(_store, db, goals)
    await pull_centres(db, client)
    return count


async def pull_centres(db: Database, client: TasksClient) -> None:
    """Ask tasks for the centres opened in each year a 招商共享中心 goal has, and keep the counts
    (a failure keeps the last counts: the goals themselves were copied)."""
    years = await asyncio.to_thread(_centre_goal_years, db)
    counts = []
    for year in sorted(years):
        try:
            counts.append(await client.centres_opened(year))
        except LouyuError as exc:
            log.warning("cannot count the sharing centres of %s: %s", year, exc.detail)
    if counts:
        await asyncio.to_thread(_store_centres, db, counts)


def _centre_goal_years(db: Database) -> set[int]:
    with db.write_sessions() as session:
        return set(session.scalars(select(Goal.year).where(Goal.metric == CENTRES)))


def _store_centres(db: Database, counts: list[CentresOpened]) -> None:
    with db.write_sessions() as session:
        store_centre_counts(session, counts=counts)
        session.commit()


def store_centre_counts(session: Session, *, counts: list[CentresOpened], today: date | None = None) -> None:
    """The count of centres opened in each year onto the 招商共享中心 goals of that year."""
    by_year = {c.year: c for c in counts}
    for goal in session.scalars(select(Goal).where(Goal.metric == CENTRES, Goal.year.in_(list(by_year)))):
        found = by_year[goal.year]
        goal.manual_value = Decimal(found.count)
        goal.manual_note = "、".join(found.names)[:300]
        goal.manual_as_of = today or today_in_china()
        goal.manual_by = CENTRES_BY
        goal.manual_at = utcnow()
    session.flush()


def _store(db: Database, goals: list[TasksGoal]) -> int:
    with db.write_sessions() as session:
        count = store_tasks_goals(session, goals=goals)
        session.commit()
    return count


def _note_failure(db: Database, error: str) -> GoalSync:
    with db.write_sessions() as session:
        state = record_failure(session, error=error)
        session.commit()
        return state


async def run_periodically(db: Database, client: TasksClient, *, interval: float, first_delay: float = 5.0) -> None:
    """The background copy (lifespan): now and then every ``interval`` seconds."""
    await asyncio.sleep(first_delay)
    failures = 0
    while True:
        try:
            count = await pull(db, client)
            if failures:
                log.info("goals copied from tasks again after %d failures (%d goals)", failures, count)
            else:  # the routine copy: never INFO
                log.debug("goals copied from tasks (%d goals)", count)
            failures = 0
        except LouyuError as exc:
            failures += 1
            if failures in (1, 10) or failures % 100 == 0:
                log.warning("cannot copy goals from tasks: %s", exc.detail)
        except Exception:  # noqa: BLE001  (a database hiccup must not end the loop)
            failures += 1
            log.exception("goal copy failed")
        # After a failure (tasks still starting, or down) try again soon, backing off to the interval.
        await asyncio.sleep(min(interval, 5.0 * 2 ** min(failures - 1, 6)) if failures else interval)


# ----- goals entered by hand, and values the bureau enters -----------------------------------


def get(session: Session, goal_id: int) -> Goal:
    goal = session.get(Goal, goal_id)
    if goal is None:
        raise NotFound(f"目标 {goal_id} 不存在", error="GoalNotFound")
    return goal


MANUAL_FIELDS = ("manual_value", "manual_note", "manual_as_of")


def create(session: Session, *, data: dict[str, Any], actor: str, today: date | None = None) -> Goal:
    manual = {k: data.pop(k) for k in MANUAL_FIELDS if k in data}
    goal = Goal(source="manual", external_id=None, plan_id=None, updated_by=actor, **data)
    _refuse_manual_value(goal, manual)
    session.add(goal)
    if manual.get("manual_value") is not None:
        _enter(goal, manual, actor=actor, today=today)
    session.flush()
    return goal


TASKS_FIELDS = {"metric", "metric_name", "comparison", "target", "unit", "text", "year", "plan_title"}


def _refuse_manual_value(goal: Goal, values: dict[str, Any]) -> None:
    metric = METRICS.get(values.get("metric", goal.metric))
    if metric is not None and metric.computed and values.get("manual_value") is not None:
        raise Invalid(
            f"“{metric.name}”由税收和登记数据计算，不能填报当前值",
            error="GoalComputed",
            fields=[{"field": "manual_value", "message": f"“{metric.name}”由指标服务计算，不能填报"}],
        )


def _enter(goal: Goal, values: dict[str, Any], *, actor: str, today: date | None) -> None:
    """The bureau's current value, the day it is true on (today unless given) and who entered it."""
    as_of = values.get("manual_as_of") or today or today_in_china()
    if as_of > (today or today_in_china()):  # checked before anything changes
        raise Invalid("填报日期不能晚于今天", fields=[{"field": "manual_as_of", "message": "填报日期不能晚于今天"}])
    goal.manual_value = values.get("manual_value")
    if "manual_note" in values and values["manual_note"] is not None:
        goal.manual_note = values["manual_note"]
    goal.manual_as_of = None if goal.manual_value is None else as_of
    goal.manual_by = actor if goal.manual_value is not None else ""
    goal.manual_at = utcnow() if goal.manual_value is not None else None


def update(session: Session, goal: Goal, *, values: dict[str, Any], actor: str, today: date | None = None) -> Goal:
    """Change a goal; a goal copied from the plan takes only the bureau's current value here."""
    if goal.source == TASKS and TASKS_FIELDS & set(values):
        fields = "、".join(sorted(TASKS_FIELDS & set(values)))
        raise Invalid(f"该目标来自工作方案，{fields} 请在任务服务的工作方案中修改；此处只能填报当前值")
    _refuse_manual_value(goal, values)
    manual = {k: values.pop(k) for k in MANUAL_FIELDS if k in values}
    for key, value in values.items():
        setattr(goal, key, value)
    if "manual_value" in manual:
        _enter(goal, manual, actor=actor, today=today)
    elif "manual_note" in manual and manual["manual_note"] is not None:
        goal.manual_note = manual["manual_note"]
    goal.updated_by = actor
    session.flush()
    return goal


def enter_value(session: Session, goal: Goal, *, values: dict[str, Any], actor: str) -> Goal:
    """The bureau enters the current value of a goal metrics cannot compute (招商共享中心 …)."""
    metric = METRICS.get(goal.metric)
    if metric is not None and metric.computed:
        raise Invalid(f"“{metric.name}”由税收和登记数据计算，不能填报当前值", error="GoalComputed")
    _enter(goal, values, actor=actor, today=None)
    goal.updated_by = actor
    session.flush()
    return goal


def delete(session: Session, goal: Goal) -> None:
    if goal.source == TASKS:
        raise Conflict("该目标来自工作方案，请在任务服务的工作方案中删除", error="GoalFromPlan")
    session.delete(goal)
    session.flush()


# ----- measurement ------------------------------------------------------------------------


def tier_codes(session: Session, *, year: int, threshold: Decimal) -> set[str]:
    """Buildings whose attributed 全口径 tax for ``year`` reaches ``threshold`` (达到即计入)."""
    totals = building_totals(session, period=str(year), basis="tax_total")
    return {code for code, value in totals.items() if value is not None and Decimal(value) >= threshold}


def yiyuan_codes(session: Session, *, year: int) -> set[str]:
    """Buildings whose attributed 全口径 tax for ``year`` is ≥ 1亿元 (the tier rule)."""
    return tier_codes(session, year=year, threshold=YIYUAN)


def _names(session: Session, codes: set[str]) -> list[dict[str, str]]:
    if not codes:
        return []
    rows = session.execute(
        select(RmBuilding.code, RmBuilding.name, RmBuilding.street_code)
        .where(RmBuilding.code.in_(sorted(codes)))
        .order_by(RmBuilding.code)
    ).all()
    known = {r.code: {"code": r.code, "name": r.name, "street_code": r.street_code} for r in rows}
    return [known.get(c, {"code": c, "name": c, "street_code": ""}) for c in sorted(codes)]


def _progress(current: Decimal | None, target: Decimal, comparison: str = "increase") -> Decimal | None:
    """Percent done: current ÷ target for an increase or a level to reach; for a ceiling (≤),
    100 while under it, else target ÷ current; for an exact value, the nearer ÷ the farther."""
    if current is None:
        return None
    one = Decimal("0.1")
    if comparison == "at_most":
        if current <= target:
            return Decimal(100).quantize(one)
        return (target * 100 / current).quantize(one)
    if comparison == "equal":
        low, high = sorted((current, target))
        return Decimal(100).quantize(one) if high == 0 else (low * 100 / high).quantize(one)
    if target <= 0:
        return None
    return (current * 100 / target).quantize(one)


def _achieved(current: Decimal | None, target: Decimal, comparison: str) -> bool:
    if current is None:
        return False
    if comparison == "at_most":
        return current <= target
    if comparison == "equal":
        return current == target
    return current >= target


def _count(value: int | Decimal) -> str:
    return f"{Decimal(value):,.0f}"


def _pct(done: Decimal | None) -> str:
    return "—" if done is None else f"{done}%"


def _year_phrase(year: int, today: date) -> str:
    return f"{year}年（截至{today.month}月{today.day}日）" if year == today.year else f"{year}年"


def _target_phrase(goal: Goal, unit: str) -> str:
    target = numbers.plain(goal.target)
    gap = "" if unit in ("%", "个百分点") else " "
    words = {"increase": "新增" if unit != "个百分点" else "提高", "at_least": "达到", "at_most": "不高于",
             "equal": "为"}[goal.comparison]  # fmt: skip
    return f"目标{words} {target}{gap}{unit}"


@dataclass
class Measure:
    baseline: Decimal | None
    current: Decimal | None
    base_year: int | None
    sentence: str
    buildings: list[dict[str, str]]
    computed: bool


Cache = dict[tuple[str, int], Any]


def _cached(cache: Cache, key: tuple[str, int], compute: Any) -> Any:
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _district_kpis(session: Session, year: int, cache: Cache) -> dict[str, Any]:
    """The district's KPIs for ``year`` (occupancy read at the year's end, or today in this year)."""
    rng = PeriodRange("year", year, 1, 12)
    scope = kpis.Scope("district", "", "全区", None, include_unattributed=True)
    return _cached(cache, ("kpis", year), lambda: kpis.kpis(session, scope=scope, rng=rng, with_rank=False))


def _building_set(session: Session, metric: GoalMetric, year: int, cache: Cache, today: date) -> set[str]:
    if metric.code == "featured_buildings":
        return _cached(cache, (metric.code, year), lambda: featured.qualifying_codes(session, year=year, today=today))
    threshold = TIER_THRESHOLDS[metric.tier or ""]
    return _cached(cache, (metric.code, year), lambda: tier_codes(session, year=year, threshold=threshold))


def _measure_buildings(session: Session, goal: Goal, metric: GoalMetric, cache: Cache, today: date) -> Measure:
    base_year = goal.year - 1
    now = _building_set(session, metric, goal.year, cache, today)
    unit = goal.unit or metric.unit
    if goal.comparison != "increase":
        done = _progress(Decimal(len(now)), Decimal(goal.target), goal.comparison)
        sentence = (
            f"{metric.rule}。{metric.name} 现有 {_count(len(now))} {unit}（{_year_phrase(goal.year, today)}），"
            f"{_target_phrase(goal, unit)}，完成 {_pct(done)}。"
        )
        return Measure(None, Decimal(len(now)), None, sentence, _names(session, now), True)
    before = _building_set(session, metric, base_year, cache, today)
    new = now - before
    done = _progress(Decimal(len(new)), Decimal(goal.target))
    sentence = (
        f"{metric.rule}。{base_year}年{metric.name} {_count(len(before))} 栋（基线）；{_year_phrase(goal.year, today)}"
        f"{metric.name} {_count(len(now))} 栋，其中新增 {_count(len(new))} 栋（{base_year}年未达到）；"
        f"目标新增 {_count(goal.target)} {unit}，完成 {_pct(done)}。"
    )
    return Measure(Decimal(len(before)), Decimal(len(new)), base_year, sentence, _names(session, new), True)


def _kpi_value(session: Session, metric: GoalMetric, year: int, cache: Cache) -> Decimal | None:
    answer = _district_kpis(session, year, cache)
    value = answer.get(metric.kpi or metric.code)
    if value is None and metric.code == "vacancy_rate" and answer.get("occupancy_rate") is not None:
        # The catalogue's 空置率 = 1 − 入驻率 (not below 0), while the KPI answer does not carry it.
        value = max(Decimal(0), 1 - Decimal(str(answer["occupancy_rate"])))
    if value is None:
        return None
    number = Decimal(str(value))
    return (number * 100).quantize(Decimal("0.1")) if metric.kind == "rate" else number


def _measure_kpi(session: Session, goal: Goal, metric: GoalMetric, cache: Cache, today: date) -> Measure:
    unit = metric.unit  # a rate in %, a count of tenants in 家
    now = _kpi_value(session, metric, goal.year, cache)
    when = _year_phrase(goal.year, today)
    if now is None:
        missing = "尚无可计算的数据（楼宇面积或入驻情况未填报）"
        sentence = f"{metric.name}（{metric.rule}）{when}{missing}；{_target_phrase(goal, goal.unit or unit)}。"
        return Measure(None, None, None, sentence, [], True)
    shown = f"{numbers.plain(now)}{unit}" if unit == "%" else f"{_count(now)} {unit}"
    if goal.comparison != "increase":
        done = _progress(now, Decimal(goal.target), goal.comparison)
        target = _target_phrase(goal, goal.unit or unit)
        sentence = f"{metric.name}（{metric.rule}）{when} {shown}，{target}，完成 {_pct(done)}。"
        return Measure(None, now, None, sentence, [], True)
    base_year = goal.year - 1
    before = _kpi_value(session, metric, base_year, cache)
    if before is None:
        sentence = (
            f"{metric.name}（{metric.rule}）{when} {shown}；{base_year}年末没有可比的数据，无法计算增量；"
            f"{_target_phrase(goal, goal.unit or unit)}。"
        )
        return Measure(None, None, base_year, sentence, [], True)
    change = now - before
    what = "个百分点" if unit == "%" else f" {unit}"
    before_shown = f"{numbers.plain(before)}{unit}" if unit == "%" else f"{_count(before)} {unit}"
    done = _progress(change, Decimal(goal.target))
    sentence = (
        f"{metric.name}（{metric.rule}）{base_year}年末 {before_shown}（基线）；{when} {shown}，"
        f"{'提高' if unit == '%' else '增加'} {numbers.plain(change)}{what}；"
        f"{_target_phrase(goal, goal.unit or what.strip())}，完成 {_pct(done)}。"
    )
    return Measure(before, change, base_year, sentence, [], True)


def _measure_entered(goal: Goal) -> Measure:
    name = metric_name(goal)
    unit = goal.unit
    if goal.manual_value is None:
        sentence = f"“{name}”无法由税收和登记数据计算，当前值由区商务局填报；尚未填报。"
        return Measure(None, None, None, sentence, [], False)
    note = f"：{goal.manual_note}" if goal.manual_note else ""
    as_of = goal.manual_as_of or (goal.updated_at.date() if goal.updated_at else None)
    when = f"截至{chinese_date(as_of)}，" if as_of else ""
    who = f" {goal.manual_by} " if goal.manual_by else ""
    current = Decimal(goal.manual_value)
    so_far = "已新增" if goal.comparison == "increase" else "现有"
    done = _progress(current, Decimal(goal.target), goal.comparison)
    shown = f"{numbers.plain(current)}{unit}" if unit == "%" else f"{numbers.plain(current)} {unit}".rstrip()
    sentence = (
        f"{name} {so_far} {shown}，{_target_phrase(goal, unit)}，完成 {_pct(done)}（{when}区商务局{who}填报{note}）。"
    )
    return Measure(None, current, None, sentence, [], False)


def _measure_centres(goal: Goal, metric: GoalMetric, today: date) -> Measure:
    unit = goal.unit or metric.unit
    when = _year_phrase(goal.year, today)
    if goal.manual_by != CENTRES_BY or goal.manual_value is None:
        sentence = f"{metric.rule}。尚未从任务服务取得{goal.year}年启用的中心数；{_target_phrase(goal, unit)}。"
        return Measure(None, None, None, sentence, [], True)
    current = Decimal(goal.manual_value)
    names = f"（{goal.manual_note}）" if goal.manual_note else ""
    done = _progress(current, Decimal(goal.target), goal.comparison)
    as_of = f"，截至{chinese_date(goal.manual_as_of)}同步" if goal.manual_as_of else ""
    sentence = (
        f"{metric.rule}。{when}启用 {_count(current)} {unit}{names}；"
        f"{_target_phrase(goal, unit)}，完成 {_pct(done)}{as_of}。"
    )
    return Measure(None, current, None, sentence, [], True)


def metric_name(goal: Goal) -> str:
    """The Chinese name of a goal's figure: the catalogue's, else the plan's words; never a code."""
    metric = METRICS.get(goal.metric)
    if metric is not None:
        return metric.name
    return goal.metric_name or goal.text or "该目标"


def _measure(session: Session, goal: Goal, *, cache: Cache, today: date) -> Measure:
    metric = METRICS.get(goal.metric)
    if metric is None or not metric.computed:
        return _measure_entered(goal)
    if metric.code == CENTRES:
        return _measure_centres(goal, metric, today)
    if metric.tier is not None or metric.code == "featured_buildings":
        return _measure_buildings(session, goal, metric, cache, today)
    return _measure_kpi(session, goal, metric, cache, today)


def goal_progress(session: Session, *, year: int, today: date | None = None) -> list[GoalProgress]:
    """Every goal of ``year`` with baseline, current value, progress and how it is computed."""
    today = today or today_in_china()
    goals = session.scalars(select(Goal).where(Goal.year == year).order_by(Goal.source.desc(), Goal.id))
    cache: Cache = {}
    return [_with_progress(session, goal, cache=cache, today=today) for goal in goals]


def progress_of(session: Session, goal: Goal, *, today: date | None = None) -> GoalProgress:
    return _with_progress(session, goal, cache={}, today=today or today_in_china())


def _with_progress(session: Session, goal: Goal, *, cache: Cache, today: date) -> GoalProgress:
    m = _measure(session, goal, cache=cache, today=today)
    target = Decimal(goal.target)
    metric = METRICS.get(goal.metric)
    return GoalProgress(
        id=goal.id,
        source=goal.source,
        source_name=SOURCES.get(goal.source, goal.source),
        metric=goal.metric,
        metric_name=metric_name(goal),
        comparison=goal.comparison,
        comparison_name=COMPARISONS.get(goal.comparison, goal.comparison),
        kind=metric.kind if metric else "count",
        measured_by="metrics" if metric is not None and metric.computed else "bureau",
        plan_id=goal.plan_id,
        plan_title=goal.plan_title,
        text=goal.text,
        unit=goal.unit,
        year=goal.year,
        phase_end_date=goal.phase_end_date,
        target=target,
        baseline_year=m.base_year,
        baseline_value=m.baseline,
        current_value=m.current,
        progress=_progress(m.current, target, goal.comparison),
        achieved=_achieved(m.current, target, goal.comparison),
        computed=m.computed,
        computation=m.sentence,
        buildings=m.buildings,
        manual_note=goal.manual_note,
        manual_as_of=goal.manual_as_of,
        manual_by=goal.manual_by,
        manual_at=goal.manual_at,
        updated_at=goal.updated_at,
    )
