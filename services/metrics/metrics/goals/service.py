"""Goals: copied from the tasks service (in the background and on demand) or entered by hand,
and measured here: baseline, current value, progress and how it is computed, in Chinese.

- ``yiyuan_buildings`` (新增亿元楼宇): buildings whose tenants' 全口径 tax attributed for the goal's
  year reaches 1亿元 (≥ 100,000,000, the rollups' tier) and did not in the year before (the
  baseline year); the baseline value is the count of 亿元楼宇 of the baseline year.
- ``featured_buildings`` (新增特色楼宇): buildings that qualify as 特色楼宇 for the goal's year
  (metrics.featured) and did not for the baseline year.
- anything else (``sharing_centres`` 招商共享中心 …): the current value the bureau enters.

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
from metrics.clients.tasks import TasksClient, TasksGoal
from metrics.featured import numbers
from metrics.featured import service as featured
from metrics.goals.models import METRICS, SOURCES, Goal, GoalSync
from metrics.readmodel.models import RmBuilding
from metrics.rollups.queries import TIERS, building_totals

log = logging.getLogger("louyu.metrics.goals")

YIYUAN = next(threshold for key, _, threshold in TIERS if key == "yiyuan")
TASKS = "tasks"
_COPY_LOCK = 5_005_006


@dataclass
class GoalProgress:
    """A goal with its measurement."""

    id: int
    source: str
    source_name: str
    metric: str
    metric_name: str
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
        row.plan_id, row.plan_title, row.metric = item.plan_id, item.plan_title[:300], item.metric[:40]
        row.target, row.unit, row.text = item.target, item.unit[:20], item.text[:500]
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
    return await asyncio.to_thread(_store, db, goals)


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


# ----- goals entered by hand --------------------------------------------------------------


def get(session: Session, goal_id: int) -> Goal:
    goal = session.get(Goal, goal_id)
    if goal is None:
        raise NotFound(f"目标 {goal_id} 不存在", error="GoalNotFound")
    return goal


def create(session: Session, *, data: dict[str, Any], actor: str) -> Goal:
    _refuse_manual_value(data["metric"], data)
    goal = Goal(source="manual", external_id=None, plan_id=None, updated_by=actor, **data)
    session.add(goal)
    session.flush()
    return goal


TASKS_FIELDS = {"metric", "target", "unit", "text", "year", "plan_title"}
# Goals metrics measures itself; a value entered by hand would never be shown.
COMPUTED = {"yiyuan_buildings", "featured_buildings"}


def _refuse_manual_value(metric: str, values: dict[str, Any]) -> None:
    if metric in COMPUTED and values.get("manual_value") is not None:
        raise Invalid(f"“{METRICS[metric]}”由税收和登记数据计算，不能填报当前值", error="GoalComputed")


def update(session: Session, goal: Goal, *, values: dict[str, Any], actor: str) -> Goal:
    """Change a goal; a goal copied from the plan takes only the bureau's current value here."""
    if goal.source == TASKS and TASKS_FIELDS & set(values):
        fields = "、".join(sorted(TASKS_FIELDS & set(values)))
        raise Invalid(f"该目标来自工作方案，{fields} 请在任务服务的工作方案中修改；此处只能填报当前值")
    _refuse_manual_value(values.get("metric", goal.metric), values)
    for key, value in values.items():
        setattr(goal, key, value)
    goal.updated_by = actor
    session.flush()
    return goal


def delete(session: Session, goal: Goal) -> None:
    if goal.source == TASKS:
        raise Conflict("该目标来自工作方案，请在任务服务的工作方案中删除", error="GoalFromPlan")
    session.delete(goal)
    session.flush()


# ----- measurement ------------------------------------------------------------------------


def yiyuan_codes(session: Session, *, year: int) -> set[str]:
    """Buildings whose attributed 全口径 tax for ``year`` is ≥ 1亿元 (the tier rule)."""
    totals = building_totals(session, period=str(year), basis="tax_total")
    return {code for code, value in totals.items() if value is not None and Decimal(value) >= YIYUAN}


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


def _progress(current: Decimal | None, target: Decimal) -> Decimal | None:
    if current is None or target <= 0:
        return None
    return (current * 100 / target).quantize(Decimal("0.1"))


def _count(value: int | Decimal) -> str:
    return f"{Decimal(value):,.0f}"


def _year_phrase(year: int, today: date) -> str:
    return f"{year}年（截至{today:%m月%d日}）" if year == today.year else f"{year}年"


def _measure(
    session: Session, goal: Goal, *, cache: dict[tuple[str, int], set[str]], today: date
) -> tuple[Decimal | None, Decimal | None, int | None, str, list[dict[str, str]], bool]:
    """(baseline, current, baseline year, computation sentence, new buildings, computed)."""
    base_year = goal.year - 1
    if goal.metric in ("yiyuan_buildings", "featured_buildings"):
        if goal.metric == "yiyuan_buildings":

            def codes(y: int) -> set[str]:
                return yiyuan_codes(session, year=y)

            what, rule = "亿元楼宇", "楼内企业归属本楼的全口径税收年度合计 ≥ 1亿元（恰好1亿元计入）"
        else:

            def codes(y: int) -> set[str]:
                return featured.qualifying_codes(session, year=y, today=today)

            what, rule = "特色楼宇", "按各主题的特色楼宇认定规则（主题企业占比达到阈值且建筑面积达标）"
        for y in (base_year, goal.year):
            if (goal.metric, y) not in cache:
                cache[(goal.metric, y)] = codes(y)
        before, now = cache[(goal.metric, base_year)], cache[(goal.metric, goal.year)]
        new = now - before
        target_text = f"目标新增 {_count(goal.target)} {goal.unit or '栋'}"
        done = _progress(Decimal(len(new)), goal.target)
        sentence = (
            f"{rule}。{base_year}年{what} {_count(len(before))} 栋（基线）；{_year_phrase(goal.year, today)}"
            f"{what} {_count(len(now))} 栋，其中新增 {_count(len(new))} 栋（{base_year}年未达到）；"
            f"{target_text}，完成 {numbers.threshold(done) if done is not None else '—'}。"
        )
        return Decimal(len(before)), Decimal(len(new)), base_year, sentence, _names(session, new), True
    if goal.manual_value is None:
        sentence = (
            f"“{METRICS.get(goal.metric, goal.metric)}”无法由税收和登记数据计算，当前值由区商务局填报；尚未填报。"
        )
        return None, None, None, sentence, [], False
    note = f"（{goal.manual_note}）" if goal.manual_note else ""
    when = goal.updated_at.astimezone().strftime("%Y-%m-%d") if goal.updated_at else ""
    sentence = (
        f"当前值 {numbers.plain(goal.manual_value)} {goal.unit} 由区商务局于 {when} 填报{note}；"
        f"目标 {_count(goal.target)} {goal.unit}。"
    )
    return None, goal.manual_value, None, sentence, [], False


def goal_progress(session: Session, *, year: int, today: date | None = None) -> list[GoalProgress]:
    """Every goal of ``year`` with baseline, current value, progress and how it is computed."""
    today = today or today_in_china()
    goals = session.scalars(select(Goal).where(Goal.year == year).order_by(Goal.source.desc(), Goal.id))
    cache: dict[tuple[str, int], set[str]] = {}
    return [_with_progress(session, goal, cache=cache, today=today) for goal in goals]


def progress_of(session: Session, goal: Goal, *, today: date | None = None) -> GoalProgress:
    return _with_progress(session, goal, cache={}, today=today or today_in_china())


def _with_progress(
    session: Session, goal: Goal, *, cache: dict[tuple[str, int], set[str]], today: date
) -> GoalProgress:
    baseline, current, base_year, sentence, buildings, computed = _measure(session, goal, cache=cache, today=today)
    target = Decimal(goal.target)
    return GoalProgress(
        id=goal.id,
        source=goal.source,
        source_name=SOURCES.get(goal.source, goal.source),
        metric=goal.metric,
        metric_name=METRICS.get(goal.metric, goal.metric),
        plan_id=goal.plan_id,
        plan_title=goal.plan_title,
        text=goal.text,
        unit=goal.unit,
        year=goal.year,
        phase_end_date=goal.phase_end_date,
        target=target,
        baseline_year=base_year,
        baseline_value=baseline,
        current_value=current,
        progress=_progress(current, target),
        achieved=current is not None and current >= target,
        computed=computed,
        computation=sentence,
        buildings=buildings,
        manual_note=goal.manual_note,
        updated_at=goal.updated_at,
    )
