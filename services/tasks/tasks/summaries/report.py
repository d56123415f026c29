"""办理情况报告: the written report to the People's Congress on the motion (一号议案), compiled
from the plan, its tasks, the units' summaries, the deputies' inspections and the closure of
every 整改意见, with the goals' achieved values exactly as the metrics service serves them
(quoted, never recomputed). A draft can be compiled at any time and says 草稿; issuing keeps
the compiled content as version n+1 (issued versions are never changed)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from louyu_kit.errors import Conflict, NotFound
from tasks.access import Actor
from tasks.clients.metrics import GoalFigure
from tasks.inspections import service as inspections
from tasks.inspections.models import KINDS, Inspection, Opinion
from tasks.inspections.models import STATUSES as OPINION_STATUSES
from tasks.plans.models import Plan
from tasks.summaries import service as summaries
from tasks.summaries.models import RATINGS, STATUSES, ReportIssue, UnitSummary
from tasks.work import service as work
from tasks.work.lights import today_in_china
from tasks.work.models import STATUSES as TASK_STATUSES
from tasks.work.models import Task, TaskUnit, TaskUpdate

ISSUER = "武昌区楼宇经济工作领导小组办公室"
ANNEX_COLUMNS = ["序号", "任务", "责任单位", "进度", "状态", "办理结果", "单位自评"]


def figure(value: Decimal | None) -> str:
    """A number as metrics gave it, without trailing zeros (2.00 → 2; 87.50 → 87.5); — when absent."""
    if value is None:
        return "—"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def plan_year(plan: Plan) -> int:
    return plan.issued_date.year if plan.issued_date else today_in_china().year


def _goals(goals: list[GoalFigure] | None) -> list[dict[str, Any]]:
    return [
        {
            "metric": g.metric,
            "metric_name": g.metric_name or g.metric,
            "text": g.text,
            "target": f"{g.comparison_name}{figure(g.target)}{g.unit}",
            "baseline": figure(g.baseline_value),
            "current": figure(g.current_value),
            "progress": f"{figure(g.progress)}%" if g.progress is not None else "—",
            "achieved": g.achieved,
            "computation": g.computation,
        }
        for g in goals or []
    ]


def _outcomes(session: Session, task_ids: list[int]) -> dict[int, str]:
    """The last progress note of each task (its outcome as reported)."""
    if not task_ids:
        return {}
    last = (
        select(func.max(TaskUpdate.id))
        .where(TaskUpdate.task_id.in_(task_ids), TaskUpdate.kind.in_(("progress", "comment")), TaskUpdate.text != "")
        .group_by(TaskUpdate.task_id)
    )
    return {u.task_id: u.text for u in session.scalars(select(TaskUpdate).where(TaskUpdate.id.in_(last)))}


def _unit_lists(session: Session, task_ids: list[int], names: dict[str, str]) -> dict[int, str]:
    out: dict[int, list[str]] = {}
    rows = session.execute(
        select(TaskUnit)
        .where(TaskUnit.task_id.in_(task_ids))
        .order_by(TaskUnit.task_id, TaskUnit.role.desc(), TaskUnit.position)
    ).scalars()
    for tu in rows:
        label = names.get(tu.unit_code, tu.unit_code) + ("（牵头）" if tu.role == "lead" else "")
        out.setdefault(tu.task_id, []).append(label)
    return {k: "、".join(v) for k, v in out.items()}


def _deputies(names: list[str]) -> str:
    if not names:
        return "—"
    shown = "、".join(inspections.mask_name(n) for n in names[:5])
    return f"{shown}等{len(names)}名代表" if len(names) > 1 else f"{shown}代表"


def compile_report(
    session: Session, plan: Plan, *, goals: list[GoalFigure] | None, today: date, version_no: int | None = None
) -> dict[str, Any]:
    """The report's content (a draft unless ``version_no`` is given)."""
    names = work.unit_names(session)
    units = summaries.responsible_units(session, plan)
    tasks = list(
        session.scalars(
            select(Task).where(Task.plan_id == plan.id, Task.kind == "task").order_by(Task.position, Task.id)
        )
    )
    ids = [t.id for t in tasks]
    outcomes = _outcomes(session, ids)
    unit_lists = _unit_lists(session, ids, names)
    rows = {s.unit_code: s for s in session.scalars(select(UnitSummary).where(UnitSummary.plan_id == plan.id))}
    ratings: dict[int, list[str]] = {}
    for s in rows.values():
        for a in s.assessments:
            ratings.setdefault(int(a["task_id"]), []).append(
                f"{names.get(s.unit_code, s.unit_code)}：{RATINGS.get(a['rating'], a['rating'])}"
            )
    task_items = [
        {
            "number": t.number or str(i),
            "title": t.title,
            "units": unit_lists.get(t.id, ""),
            "status_name": TASK_STATUSES.get(t.status, t.status),
            "progress": t.progress,
            "outcome": outcomes.get(t.id, "（未报送进展）"),
        }
        for i, t in enumerate(tasks, start=1)
    ]
    summary_items = []
    for code in units:
        s = rows.get(code)
        status = s.status if s else "missing"
        summary_items.append(
            {
                "unit_name": names.get(code, code),
                "status_name": STATUSES[status],
                "text": s.text if s and s.text else "（尚未提交年度总结）",
            }
        )
    inspection_items = []
    counter: Counter[str] = Counter()
    for inspection in session.scalars(
        select(Inspection)
        .where((Inspection.plan_id == plan.id) | Inspection.plan_id.is_(None))
        .order_by(Inspection.held_on, Inspection.id)
    ):
        opinions = list(
            session.scalars(select(Opinion).where(Opinion.inspection_id == inspection.id).order_by(Opinion.number))
        )
        shares = inspections._assignments(session, [o.id for o in opinions])
        items = []
        for o in opinions:
            group = shares.get(o.id, [])
            status = inspections.opinion_status(group)
            counter[status] += 1
            overdue = any(inspections.is_overdue(a, o.deadline, today=today) for a in group)
            answers = "；".join(
                f"{names.get(a.unit_code, a.unit_code)}（{OPINION_STATUSES[a.status]}）：{a.answer or '尚未反馈'}"
                for a in group
            )
            items.append(
                {
                    "number": f"{o.number}",
                    "text": o.text,
                    "deadline": chinese_date(o.deadline),
                    "units": "、".join(names.get(a.unit_code, a.unit_code) for a in group),
                    "status_name": OPINION_STATUSES[status] + ("（逾期）" if overdue else ""),
                    "answers": answers,
                }
            )
        inspection_items.append(
            {
                "held_on": chinese_date(inspection.held_on),
                "kind_name": KINDS[inspection.kind],
                "title": inspection.title,
                "deputies": _deputies(inspection.deputies),
                "places": "、".join([b["name"] for b in inspection.buildings] + inspection.places) or "—",
                "opinions": items,
            }
        )
    total = sum(counter.values())
    opinion_counts = (
        f"历次视察、座谈共提出整改意见 {total} 条，已办结 {counter['closed']} 条，"
        f"已反馈待确认 {counter['answered']} 条，退回重办 {counter['returned']} 条，待整改 {counter['open']} 条。"
    )
    done = sum(1 for t in tasks if t.status == "done" or t.progress >= 100)
    motion = [
        f"根据《{plan.title}》{('（' + plan.doc_number + '）') if plan.doc_number else ''}，区商务局作为主办单位，"
        f"会同{len(units)}个责任单位办理区人大一号议案。",
        f"方案共分解任务 {len(tasks)} 项，已完成 {done} 项；各责任单位年度总结 {len(units)} 份，"
        f"已验收 {sum(1 for s in rows.values() if s.status == 'accepted')} 份。",
        "现将办理情况报告如下。",
    ]
    annex_rows = [
        [
            str(i),
            t.title,
            unit_lists.get(t.id, ""),
            f"{t.progress}%",
            TASK_STATUSES.get(t.status, t.status),
            outcomes.get(t.id, "（未报送进展）"),
            "；".join(ratings.get(t.id, [])) or "—",
        ]
        for i, t in enumerate(tasks, start=1)
    ]
    return {
        "title": "关于区人大一号议案办理情况的报告",
        "plan_title": plan.title,
        "issuer": ISSUER,
        "compiled_on": chinese_date(today),
        "draft": version_no is None,
        "version_no": version_no,
        "motion": motion,
        "goals_available": goals is not None,
        "goals": _goals(goals),
        "tasks": task_items,
        "summaries": summary_items,
        "inspections": inspection_items,
        "opinion_counts": opinion_counts,
        "annex_columns": ANNEX_COLUMNS,
        "annex_rows": annex_rows,
    }


def issue(session: Session, plan: Plan, *, goals: list[GoalFigure] | None, today: date, actor: str) -> ReportIssue:
    """Issue the report as version n+1; every unit's summary must have been accepted."""
    state = summaries.overview(session, plan, actor=_everyone())
    if not state["all_accepted"]:
        waiting = len(summaries.responsible_units(session, plan)) - state["counts"]["accepted"]
        raise Conflict(
            f"尚有 {waiting} 个责任单位的年度总结未验收，只能预览草稿，不能印发", error="SummariesNotAccepted"
        )
    if goals is None:
        raise Conflict("指标分析服务暂时无法提供目标完成情况，请稍后再印发", error="GoalsUnavailable")
    last = session.scalar(select(func.max(ReportIssue.version_no)).where(ReportIssue.plan_id == plan.id)) or 0
    content = compile_report(session, plan, goals=goals, today=today, version_no=last + 1)
    issued = ReportIssue(plan_id=plan.id, version_no=last + 1, title=content["title"], content=content, issued_by=actor)
    session.add(issued)
    session.flush()
    return issued


def _everyone() -> Actor:
    return Actor(username="report", roles=frozenset({"leader"}), unit_codes=frozenset())


def issues(session: Session, plan: Plan) -> list[ReportIssue]:
    return list(
        session.scalars(
            select(ReportIssue).where(ReportIssue.plan_id == plan.id).order_by(ReportIssue.version_no.desc())
        )
    )


def get_issue(session: Session, issue_id: int) -> ReportIssue:
    issued = session.get(ReportIssue, issue_id)
    if issued is None:
        raise NotFound(f"办理情况报告 {issue_id} 不存在", error="ReportNotFound")
    return issued
