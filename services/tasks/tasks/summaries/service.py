"""总结验收: each responsible unit of a plan writes its year summary with a self-assessment per
task it is responsible for, submits it, and the 领导小组办公室 (the bureau) returns it with
comments or accepts it.

States: (missing) → draft → submitted → accepted, or submitted → returned → submitted → …; a
unit edits only a draft or a returned summary; every other move is a Conflict.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from louyu_kit.db import utcnow
from louyu_kit.errors import Conflict, Forbidden, Invalid, NotFound
from tasks.access import Actor
from tasks.inspections.models import OversightFile
from tasks.plans.models import Plan, PlanPhase
from tasks.summaries.models import RATINGS, STATUSES, UnitSummary
from tasks.summaries.schemas import SummaryWrite
from tasks.units.models import Unit
from tasks.work import service as work
from tasks.work.models import ROLES, Task, TaskUnit
from tasks.work.models import STATUSES as TASK_STATUSES

WORK_KINDS = ("task", "subtask", "milestone")
EDITABLE = ("draft", "returned")


def get_plan(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"工作方案 {plan_id} 不存在", error="PlanNotFound")
    return plan


def phase_of(session: Session, plan: Plan) -> PlanPhase | None:
    """The plan's 总结验收 phase (by name), or its last phase."""
    phases = list(session.scalars(select(PlanPhase).where(PlanPhase.plan_id == plan.id).order_by(PlanPhase.position)))
    return next((p for p in phases if "总结" in p.name or "验收" in p.name), phases[-1] if phases else None)


def responsible_units(session: Session, plan: Plan) -> dict[str, list[tuple[Task, str]]]:
    """Unit code → the plan's tasks it is responsible for (with its role), in unit order."""
    rows = session.execute(
        select(TaskUnit.unit_code, TaskUnit.role, Task)
        .join(Task, Task.id == TaskUnit.task_id)
        .join(Unit, Unit.code == TaskUnit.unit_code)
        .where(Task.plan_id == plan.id, Task.kind.in_(WORK_KINDS))
        .order_by(Unit.sort_order, Unit.code, Task.position, Task.id)
    ).all()
    out: dict[str, list[tuple[Task, str]]] = {}
    for code, role, task in rows:
        out.setdefault(code, []).append((task, role))
    return out


def _summaries(session: Session, plan: Plan) -> dict[str, UnitSummary]:
    return {s.unit_code: s for s in session.scalars(select(UnitSummary).where(UnitSummary.plan_id == plan.id))}


def _may_read(actor: Actor, unit_code: str) -> bool:
    return actor.manages_all or "leader" in actor.roles or unit_code in actor.unit_codes


def overview(session: Session, plan: Plan, *, actor: Actor) -> dict[str, Any]:
    """Every responsible unit with its summary's state (those the caller may read)."""
    units = responsible_units(session, plan)
    names = work.unit_names(session)
    summaries = _summaries(session, plan)
    phase = phase_of(session, plan)
    items = []
    counts = dict.fromkeys(STATUSES, 0)
    for code, tasks in units.items():
        s = summaries.get(code)
        status = s.status if s else "missing"
        counts[status] += 1
        if not _may_read(actor, code):
            continue
        items.append(
            {
                "unit_code": code,
                "unit_name": names.get(code, code),
                "status": status,
                "status_name": STATUSES[status],
                "submitted_at": s.submitted_at if s else None,
                "reviewed_at": s.reviewed_at if s else None,
                "tasks": len(tasks),
                "mine": code in actor.unit_codes,
            }
        )
    return {
        "plan_id": plan.id,
        "plan_title": plan.title,
        "phase_name": phase.name if phase else "",
        "due_date": phase.end_date if phase else None,
        "items": items,
        "counts": counts,
        "all_accepted": bool(units) and counts["accepted"] == len(units),
    }


def _unit_tasks(session: Session, plan: Plan, unit_code: str) -> list[tuple[Task, str]]:
    tasks = responsible_units(session, plan).get(unit_code)
    if tasks is None:
        name = work.unit_names(session).get(unit_code, unit_code)
        raise NotFound(f"{name}不是工作方案“{plan.title}”的责任单位", error="SummaryNotFound")
    return tasks


def read_model(session: Session, plan: Plan, unit_code: str, *, actor: Actor, today: date) -> dict[str, Any]:
    if not _may_read(actor, unit_code):
        raise NotFound(f"单位 {unit_code} 的年度总结不存在", error="SummaryNotFound")
    tasks = _unit_tasks(session, plan, unit_code)
    s = _summaries(session, plan).get(unit_code)
    ratings = {int(a["task_id"]): a for a in (s.assessments if s else [])}
    phase = phase_of(session, plan)
    due = phase.end_date if phase else None
    status = s.status if s else "missing"
    files = (
        list(session.scalars(select(OversightFile).where(OversightFile.summary_id == s.id).order_by(OversightFile.id)))
        if s
        else []
    )
    return {
        "plan_id": plan.id,
        "unit_code": unit_code,
        "unit_name": work.unit_names(session).get(unit_code, unit_code),
        "id": s.id if s else None,
        "status": status,
        "status_name": STATUSES[status],
        "text": s.text if s else "",
        "tasks": [
            {
                "task_id": t.id,
                "number": t.number,
                "title": t.title,
                "role": role,
                "role_name": ROLES.get(role, role),
                "status_name": TASK_STATUSES.get(t.status, t.status),
                "progress": t.progress,
                "rating": ratings.get(t.id, {}).get("rating"),
                "rating_name": RATINGS.get(ratings.get(t.id, {}).get("rating", ""), "未自评"),
                "note": ratings.get(t.id, {}).get("note", ""),
            }
            for t, role in tasks
        ],
        "comment": s.comment if s else "",
        "submitted_by": s.submitted_by if s else None,
        "submitted_at": s.submitted_at if s else None,
        "reviewed_by": s.reviewed_by if s else None,
        "reviewed_at": s.reviewed_at if s else None,
        "attachments": files,
        "due_date": due,
        "overdue": bool(due and today > due and status in ("missing", "draft", "returned")),
        "mine": unit_code in actor.unit_codes,
        "version": s.version if s else 0,
    }


def _require_writer(session: Session, unit_code: str, actor: Actor) -> None:
    if unit_code not in actor.unit_codes or not actor.roles & {"department", "street", "bureau"}:
        name = work.unit_names(session).get(unit_code, unit_code)
        raise Forbidden(f"只有{name}可以填写和提交本单位的年度总结")


def _state(s: UnitSummary | None, allowed: tuple[str, ...], action: str, name: str) -> None:
    status = s.status if s else "missing"
    if status not in allowed:
        raise Conflict(f"{name}的年度总结当前为“{STATUSES[status]}”，不能{action}", error="SummaryStateConflict")


def save(session: Session, plan: Plan, unit_code: str, *, data: SummaryWrite, actor: Actor) -> UnitSummary:
    """Write or rewrite the unit's draft (a new one, a draft, or one returned for changes)."""
    _require_writer(session, unit_code, actor)
    tasks = {t.id: t for t, _ in _unit_tasks(session, plan, unit_code)}
    name = work.unit_names(session).get(unit_code, unit_code)
    s = _summaries(session, plan).get(unit_code)
    _state(s, ("missing", *EDITABLE), "修改", name)
    seen: set[int] = set()
    for index, a in enumerate(data.assessments):
        if a.task_id not in tasks:
            message = f"第{index + 1}条自评的任务 {a.task_id} 不是{name}负责的任务"
            raise Invalid(message, fields=[{"field": f"assessments.{index}.task_id", "message": message}])
        if a.task_id in seen:
            message = f"任务“{tasks[a.task_id].title}”重复自评"
            raise Invalid(message, fields=[{"field": f"assessments.{index}.task_id", "message": message}])
        seen.add(a.task_id)
    if s is None:
        s = UnitSummary(plan_id=plan.id, unit_code=unit_code, status="draft")
        session.add(s)
    s.text = data.text.strip()
    s.assessments = [a.model_dump() for a in data.assessments]
    s.updated_by = actor.username
    session.flush()
    return s


def submit(session: Session, plan: Plan, unit_code: str, *, actor: Actor) -> UnitSummary:
    """Submit the draft for review: the text is required and every task needs a self-assessment."""
    _require_writer(session, unit_code, actor)
    tasks = _unit_tasks(session, plan, unit_code)
    name = work.unit_names(session).get(unit_code, unit_code)
    s = _summaries(session, plan).get(unit_code)
    _state(s, EDITABLE, "提交", name)
    assert s is not None
    if len(s.text) < 10:
        raise Invalid("年度总结正文过短，请写明全年工作情况后再提交", fields=[{"field": "text", "message": "正文过短"}])
    rated = {int(a["task_id"]) for a in s.assessments}
    missing = [t.title for t, _ in tasks if t.id not in rated]
    if missing:
        message = f"尚有 {len(missing)} 项任务未自评（如“{missing[0]}”）"
        raise Invalid(message, fields=[{"field": "assessments", "message": message}])
    s.status = "submitted"
    s.submitted_by = actor.username
    s.submitted_at = utcnow()
    session.flush()
    return s


def review(session: Session, plan: Plan, unit_code: str, *, accept: bool, comment: str, actor: Actor) -> UnitSummary:
    """The 领导小组办公室 accepts the summary or returns it with comments."""
    actor.require_bureau("验收或退回年度总结")
    name = work.unit_names(session).get(unit_code, unit_code)
    s = _summaries(session, plan).get(unit_code)
    _state(s, ("submitted",), "验收" if accept else "退回", name)
    assert s is not None
    if not accept and len(comment.strip()) < 2:
        raise Invalid("退回时请写明修改意见", fields=[{"field": "comment", "message": "请填写修改意见"}])
    s.status = "accepted" if accept else "returned"
    s.comment = comment.strip()
    s.reviewed_by = actor.username
    s.reviewed_at = utcnow()
    session.flush()
    return s


def get_summary(session: Session, plan: Plan, unit_code: str, *, actor: Actor) -> UnitSummary:
    s = _summaries(session, plan).get(unit_code)
    if s is None or not _may_read(actor, unit_code):
        raise NotFound(f"单位 {unit_code} 的年度总结不存在", error="SummaryNotFound")
    return s
