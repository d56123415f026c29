"""绩效考核: each unit's score for a period from configurable rules.

What counts (a period is a year, quarter or month; ``as_of`` is its last day, or today):
- tasks due in the period where the unit is lead (co-organisers get ``co_share`` of the
  points), each unit judged by its own part (责任分解): its part done by the due date →
  ``task_on_time``; not done by ``as_of`` although due, or done after it → ``task_overdue``;
- 督办 notices issued to the unit in the period: answered by ``respond_by`` →
  ``notice_answered``; answered late, or unanswered after ``respond_by`` → ``notice_unanswered``;
- demands assigned to the unit, submitted in the period: answered by the due date →
  ``demand_on_time``; answered late or still open after it → ``demand_overdue``;
- 楼宇活动 held in the period (up to ``as_of``): each unit that organised one, and the street it
  was held in, earn ``event_held`` per event (one event counts once per unit);
- streets: each building that became a 亿元楼宇 / 特色楼宇 in the period's year, as metrics
  reports it (``yiyuan_bonus`` / ``featured_bonus``); without metrics these are left out and
  the run says so.
Rules: the most specific one applies — the unit's code, then ``kind:<kind>``, then ``*``
(and the built-in defaults when none is stored).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from louyu_kit.errors import Invalid, NotFound
from tasks.assessment.models import AssessmentRun, AssessmentScore, ScoringRule
from tasks.assessment.schemas import ScoringWeights
from tasks.bulletins.periods import Period
from tasks.clients.metrics import StreetNews
from tasks.demands.models import OPEN_STATUSES, Demand
from tasks.events.service import counts_for_assessment
from tasks.parts.models import TaskPart
from tasks.supervision.models import SupervisionNotice
from tasks.units.models import KINDS, Unit
from tasks.work.lights import CHINA
from tasks.work.models import Task

SCORED_KINDS = ("department", "street", "scenic_area", "committee", "enterprise", "squad")
DEFAULT_TARGET = "*"


def _local(moment: Any) -> date | None:
    return moment.astimezone(CHINA).date() if moment is not None else None


# ----- rules ------------------------------------------------------------------------------


def target_name(session: Session, target: str) -> str:
    if target == DEFAULT_TARGET:
        return "全部单位（默认）"
    if target.startswith("kind:"):
        return f"全部{KINDS.get(target.removeprefix('kind:'), target)}"
    unit = session.get(Unit, target)
    return unit.name if unit else target


def check_target(session: Session, target: str) -> str:
    target = target.strip()
    if target == DEFAULT_TARGET:
        return target
    if target.startswith("kind:"):
        if target.removeprefix("kind:") not in SCORED_KINDS:
            raise Invalid(f"单位类别“{target}”不参加考核", fields=[{"field": "target", "message": "类别不参加考核"}])
        return target
    unit = session.get(Unit, target)
    if unit is None or unit.kind not in SCORED_KINDS:
        raise Invalid(
            f"“{target}”不是参加考核的单位", fields=[{"field": "target", "message": "单位不存在或不参加考核"}]
        )
    return target


def rules(session: Session) -> list[dict[str, Any]]:
    """Stored rules, with the built-in default shown when ``*`` was never set."""
    stored = {r.target: r for r in session.scalars(select(ScoringRule).order_by(ScoringRule.target))}
    out = []
    if DEFAULT_TARGET not in stored:
        out.append(
            {
                "target": DEFAULT_TARGET,
                "target_name": target_name(session, DEFAULT_TARGET),
                "weights": ScoringWeights(),
                "version": 0,
                "updated_by": None,
                "updated_at": None,
            }
        )
    for rule in stored.values():
        out.append(
            {
                "target": rule.target,
                "target_name": target_name(session, rule.target),
                "weights": ScoringWeights.model_validate(rule.weights),
                "version": rule.version,
                "updated_by": rule.updated_by,
                "updated_at": rule.updated_at,
            }
        )
    return out


def get_rule(session: Session, target: str) -> ScoringRule | None:
    return session.get(ScoringRule, target)


def put_rule(session: Session, *, target: str, weights: ScoringWeights, actor: str) -> ScoringRule:
    target = check_target(session, target)
    rule = session.get(ScoringRule, target)
    if rule is None:
        rule = ScoringRule(target=target, weights=weights.model_dump(), updated_by=actor)
        session.add(rule)
    else:
        rule.weights = weights.model_dump()
        rule.updated_by = actor
    session.flush()
    return rule


def delete_rule(session: Session, target: str) -> None:
    rule = session.get(ScoringRule, target)
    if rule is None:
        raise NotFound(f"没有“{target}”的计分规则", error="RuleNotFound")
    session.delete(rule)
    session.flush()


def _rule_for(unit: Unit, stored: dict[str, ScoringWeights]) -> tuple[str, ScoringWeights]:
    for target in (unit.code, f"kind:{unit.kind}", DEFAULT_TARGET):
        if target in stored:
            return target, stored[target]
    return DEFAULT_TARGET, ScoringWeights()


# ----- scoring ----------------------------------------------------------------------------


def _item(key: str, label: str, count: int | None, each: float | None, points: float, detail: str = "") -> dict:
    return {
        "key": key,
        "label": label,
        "count": count,
        "points_each": each,
        "points": round(points, 2),
        "detail": detail,
    }


def _task_counts(session: Session, period: Period, as_of: date) -> dict[tuple[str, str], list[int]]:
    """(unit, role) → [on time, overdue] for tasks due in the period, each unit judged by its
    own part (责任分解): a lagging co-unit loses its points, the lead on time keeps its own."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    rows = session.execute(
        select(TaskPart.unit_code, TaskPart.role, TaskPart.progress, TaskPart.status, TaskPart.completed_at, Task)
        .join(Task, Task.id == TaskPart.task_id)
        .where(
            Task.kind.in_(("task", "subtask", "milestone")),
            Task.status != "suspended",
            Task.due_date >= period.start,
            Task.due_date <= period.end,
        )
    ).all()
    for unit_code, role, progress, status, completed_at, task in rows:
        done = status == "done" or progress >= 100
        done_on = _local(completed_at) if done else None
        if done and (done_on is None or done_on <= task.due_date):
            counts[(unit_code, role)][0] += 1
        elif (done and done_on and done_on > task.due_date) or (not done and task.due_date < as_of):
            counts[(unit_code, role)][1] += 1
    return counts


def _notice_counts(session: Session, period: Period, as_of: date) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    start, end = period.start, period.end
    for notice in session.scalars(select(SupervisionNotice)):
        issued = _local(notice.issued_at)
        if issued is None or not start <= issued <= end:
            continue
        answered = _local(notice.responded_at)
        if answered is not None and answered <= notice.respond_by:
            counts[notice.unit_code][0] += 1
        elif (answered is not None and answered > notice.respond_by) or notice.respond_by < as_of:
            counts[notice.unit_code][1] += 1
    return counts


def _demand_counts(session: Session, period: Period, as_of: date) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for demand in session.scalars(select(Demand).where(Demand.unit_code.is_not(None))):
        submitted = _local(demand.created_at)
        if submitted is None or not period.start <= submitted <= period.end:
            continue
        answered = _local(demand.answered_at)
        if demand.status not in OPEN_STATUSES and answered is not None and answered <= demand.due_date:
            counts[demand.unit_code][0] += 1  # type: ignore[index]
        elif (answered is not None and answered > demand.due_date) or (
            demand.status in OPEN_STATUSES and demand.due_date < as_of
        ):
            counts[demand.unit_code][1] += 1  # type: ignore[index]
    return counts


def score_units(session: Session, period: Period, *, today: date, news: StreetNews | None) -> list[dict[str, Any]]:
    """Every assessed unit's score and breakdown (not stored)."""
    as_of = period.clipped_end(today)
    stored = {r.target: ScoringWeights.model_validate(r.weights) for r in session.scalars(select(ScoringRule))}
    tasks = _task_counts(session, period, as_of)
    notices = _notice_counts(session, period, as_of)
    demands = _demand_counts(session, period, as_of)
    events = counts_for_assessment(session, start=period.start, end=period.end, as_of=as_of)
    involved = {u for u, _ in tasks} | set(notices) | set(demands) | set(events)
    units = [
        u
        for u in session.scalars(select(Unit).where(Unit.is_active.is_(True), Unit.kind.in_(SCORED_KINDS)))
        if u.code in involved or u.kind == "street"
    ]
    results = []
    for unit in units:
        target, w = _rule_for(unit, stored)
        lead_ok, lead_late = tasks.get((unit.code, "lead"), [0, 0])
        co_ok, co_late = tasks.get((unit.code, "co"), [0, 0])
        n_ok, n_late = notices.get(unit.code, [0, 0])
        d_ok, d_late = demands.get(unit.code, [0, 0])
        items = [
            _item("base", "基础分", None, None, w.base),
            _item("task_on_time", "牵头任务按期完成", lead_ok, w.task_on_time, lead_ok * w.task_on_time),
            _item("task_overdue", "牵头任务逾期", lead_late, w.task_overdue, lead_late * w.task_overdue),
            _item(
                "co_task_on_time",
                "配合任务按期完成",
                co_ok,
                w.task_on_time * w.co_share,
                co_ok * w.task_on_time * w.co_share,
            ),
            _item(
                "co_task_overdue",
                "配合任务逾期",
                co_late,
                w.task_overdue * w.co_share,
                co_late * w.task_overdue * w.co_share,
            ),
            _item("notice_answered", "督办单按期回复", n_ok, w.notice_answered, n_ok * w.notice_answered),
            _item("notice_unanswered", "督办单逾期未回复", n_late, w.notice_unanswered, n_late * w.notice_unanswered),
            _item("demand_on_time", "企业诉求按期答复", d_ok, w.demand_on_time, d_ok * w.demand_on_time),
            _item("demand_overdue", "企业诉求超期", d_late, w.demand_overdue, d_late * w.demand_overdue),
            _item(
                "event_held",
                "举办楼宇活动",
                events.get(unit.code, 0),
                w.event_held,
                events.get(unit.code, 0) * w.event_held,
            ),
        ]
        if unit.kind == "street":
            if news is None:
                detail = "指标分析服务暂不可用，未计入"
                items.append(_item("yiyuan_bonus", "新增亿元楼宇", None, w.yiyuan_bonus, 0, detail))
                items.append(_item("featured_bonus", "新增特色楼宇", None, w.featured_bonus, 0, detail))
            else:
                y, f = news.yiyuan.get(unit.code, 0), news.featured.get(unit.code, 0)
                year = f"{news.year}年"
                items.append(_item("yiyuan_bonus", "新增亿元楼宇", y, w.yiyuan_bonus, y * w.yiyuan_bonus, year))
                items.append(_item("featured_bonus", "新增特色楼宇", f, w.featured_bonus, f * w.featured_bonus, year))
        results.append(
            {
                "unit_code": unit.code,
                "unit_name": unit.name,
                "unit_kind": unit.kind,
                "sort_order": unit.sort_order,
                "score": round(sum(i["points"] for i in items), 2),
                "rule": target,
                "breakdown": items,
            }
        )
    # Ranks within a kind: streets compete with streets, departments with departments.
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by_kind[r["unit_kind"]].append(r)
    for group in by_kind.values():
        group.sort(key=lambda r: (-r["score"], r["sort_order"], r["unit_code"]))
        rank = 0
        for i, r in enumerate(group):
            if i == 0 or r["score"] != group[i - 1]["score"]:
                rank = i + 1
            r["rank"] = rank
    for r in results:
        del r["sort_order"]  # used for ties only: a fresh run answers the same fields as a stored one
    return sorted(results, key=lambda r: (r["unit_kind"] != "street", r["rank"], r["unit_code"]))


def run(
    session: Session, period: Period, *, today: date, news: StreetNews | None, actor: str
) -> tuple[AssessmentRun, list[dict[str, Any]]]:
    """Compute and store the scores of ``period`` (a later run of the period supersedes this one)."""
    results = score_units(session, period, today=today, news=news)
    record = AssessmentRun(
        period=period.key,
        start_date=period.start,
        end_date=period.end,
        metrics_available=news is not None,
        created_by=actor,
    )
    session.add(record)
    session.flush()
    for r in results:
        session.add(
            AssessmentScore(
                run_id=record.id,
                unit_code=r["unit_code"],
                score=r["score"],
                rank=r["rank"],
                breakdown={"rule": r["rule"], "items": r["breakdown"]},
            )
        )
    session.flush()
    return record, results


def latest_run(session: Session, period: Period) -> AssessmentRun:
    found = session.scalar(
        select(AssessmentRun)
        .where(AssessmentRun.period == period.key)
        .order_by(AssessmentRun.created_at.desc(), AssessmentRun.id.desc())
        .limit(1)
    )
    if found is None:
        raise NotFound(f"{period.label}尚未计算考核得分", error="AssessmentNotRun")
    return found


def get_run(session: Session, run_id: int) -> AssessmentRun:
    found = session.get(AssessmentRun, run_id)
    if found is None:
        raise NotFound(f"考核计算 {run_id} 不存在", error="AssessmentRunNotFound")
    return found


def stored_scores(session: Session, record: AssessmentRun) -> list[dict[str, Any]]:
    rows = session.execute(
        select(AssessmentScore, Unit)
        .join(Unit, Unit.code == AssessmentScore.unit_code)
        .where(AssessmentScore.run_id == record.id)
    ).all()
    out = [
        {
            "unit_code": unit.code,
            "unit_name": unit.name,
            "unit_kind": unit.kind,
            "score": score.score,
            "rank": score.rank,
            "rule": score.breakdown["rule"],
            "breakdown": score.breakdown["items"],
        }
        for score, unit in rows
    ]
    return sorted(out, key=lambda r: (r["unit_kind"] != "street", r["rank"], r["unit_code"]))


def run_read(record: AssessmentRun, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "run_id": record.id,
        "period": record.period,
        "start_date": record.start_date,
        "end_date": record.end_date,
        "created_by": record.created_by,
        "created_at": record.created_at,
        "metrics_available": record.metrics_available,
        "items": items,
    }
