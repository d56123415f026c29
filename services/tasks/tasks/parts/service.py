"""责任分解: parts kept in step with a task's units, reports by the part's own unit (with
attachments on the task's timeline), the task's figures derived from its parts
(tasks.parts.derive), the reporting cycle and the parts due for a report.

Reporting cycle: the bureau sets, per plan or per task (the task's own wins), every ``months``
months on ``day`` of the month (default: monthly on LOUYU_TASKS_REPORT_DAY, 25). The due dates
of a task run from its start date (or creation) to its due date. A report made in the window
(previous due date, due date] covers that date; a report made after a missed due date and
before the next one covers the missed one (late). The part's *next due date* is the current
period's date when it is not covered, else the first uncovered date after it. On that date a
missing report is ``due`` (the daily rule sends a 提醒 to the unit, answered by reporting); past
LOUYU_TASKS_REPORT_GRACE_DAYS it is ``overdue`` and the 提醒 is escalated to a 督办.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from louyu_kit.db import utcnow
from louyu_kit.errors import Conflict, Forbidden, Invalid, NotFound
from louyu_kit.files import chinese_date
from louyu_kit.paging import PageParams
from tasks.access import Actor
from tasks.parts.derive import Derived, PartState, derive, part_done, part_light
from tasks.parts.models import PartReport, ReportCycle, TaskPart
from tasks.parts.schemas import CycleSet, PartReportCreate, PartUpdate
from tasks.plans.models import PlanUnit
from tasks.work.lights import CHINA, LightRules, reason_for
from tasks.work.models import Task, TaskAttachment, TaskUnit, TaskUpdate

WORK_KINDS = ("task", "subtask", "milestone")
DEFAULT_DAY = 25
DEFAULT_GRACE_DAYS = 5


# ----- parts follow the task's units -------------------------------------------------------


def state_of(part: TaskPart) -> PartState:
    return PartState(
        unit_code=part.unit_code, role=part.role, progress=part.progress, status=part.status, weight=part.weight
    )


def parts_of(session: Session, task_id: int) -> list[TaskPart]:
    """The task's parts, lead first, then in the order the plan names the units."""
    order = {
        code: pos
        for code, pos in session.execute(
            select(TaskUnit.unit_code, TaskUnit.position).where(TaskUnit.task_id == task_id)
        )
    }
    parts = list(session.scalars(select(TaskPart).where(TaskPart.task_id == task_id)))
    return sorted(parts, key=lambda p: (p.role != "lead", order.get(p.unit_code, 999), p.id))


def _duties(session: Session, plan_id: int) -> dict[str, str]:
    return {
        code: duty
        for code, duty in session.execute(
            select(PlanUnit.unit_code, PlanUnit.duty).where(PlanUnit.plan_id == plan_id, PlanUnit.duty != "")
        )
    }


def sync_tasks(session: Session, task_ids: Iterable[int]) -> int:
    """Make the parts match each task's units: a part per unit (duty from the plan's 责任分解),
    roles refreshed, parts of units no longer responsible removed. Returns parts created."""
    ids = list(task_ids)
    if not ids:
        return 0
    created = 0
    tasks = {t.id: t for t in session.scalars(select(Task).where(Task.id.in_(ids), Task.kind.in_(WORK_KINDS)))}
    if not tasks:
        return 0
    units: dict[int, dict[str, str]] = defaultdict(dict)
    for row in session.scalars(select(TaskUnit).where(TaskUnit.task_id.in_(list(tasks)))):
        units[row.task_id][row.unit_code] = row.role
    existing: dict[int, dict[str, TaskPart]] = defaultdict(dict)
    for part in session.scalars(select(TaskPart).where(TaskPart.task_id.in_(list(tasks)))):
        existing[part.task_id][part.unit_code] = part
    duties_by_plan: dict[int, dict[str, str]] = {}
    for task_id, task in tasks.items():
        duties = duties_by_plan.setdefault(task.plan_id, _duties(session, task.plan_id))
        have = existing.get(task_id, {})
        for code, role in units.get(task_id, {}).items():
            part = have.get(code)
            if part is None:
                duty = duties.get(code, "")
                session.add(
                    TaskPart(
                        task_id=task_id,
                        unit_code=code,
                        role=role,
                        duty=duty,
                        duty_source="plan" if duty else "",
                        progress=task.progress if task.status == "done" else 0,
                        status="done" if task.status == "done" else "not_started",
                        is_demo=task.is_demo,
                    )
                )
                created += 1
            elif part.role != role:
                part.role = role
        gone = [p.id for code, p in have.items() if code not in units.get(task_id, {})]
        if gone:
            session.execute(delete(TaskPart).where(TaskPart.id.in_(gone)))
    session.flush()
    for task in tasks.values():
        recompute(session, task)
    return created


def sync_plan(session: Session, plan_id: int) -> int:
    """Parts for every task of a plan just imported."""
    return sync_tasks(session, session.scalars(select(Task.id).where(Task.plan_id == plan_id)))


def backfill(session: Session) -> int:
    """Parts for tasks that have units but no parts yet (data from before 责任分解)."""
    missing = select(TaskUnit.task_id).where(
        ~select(TaskPart.id)
        .where(TaskPart.task_id == TaskUnit.task_id, TaskPart.unit_code == TaskUnit.unit_code)
        .exists()
    )
    return sync_tasks(session, set(session.scalars(missing)))


def recompute(session: Session, task: Task, parts: list[TaskPart] | None = None) -> Derived | None:
    """Write the task's progress, status and weakest progress from its parts (derive's rule)."""
    parts = parts if parts is not None else list(session.scalars(select(TaskPart).where(TaskPart.task_id == task.id)))
    if not parts:
        task.weakest_progress = None
        return None
    d = derive([state_of(p) for p in parts], confirmed=task.status == "done", suspended=task.status == "suspended")
    if (task.progress, task.status, task.weakest_progress) != (d.progress, d.status, d.weakest_progress):
        task.progress, task.status, task.weakest_progress = d.progress, d.status, d.weakest_progress
        if d.status != "done":
            task.completed_at = None
    return d


# ----- who reports on which part -----------------------------------------------------------


def reportable_units(actor: Actor) -> frozenset[str]:
    """Units whose parts the caller reports on: their own units; a 楼长 (without another unit
    role) only the street units they belong to."""
    if not actor.roles & {"department", "street", "chief", "bureau"}:
        return frozenset()
    if "chief" in actor.roles and not actor.roles & {"department", "street", "bureau"}:
        return frozenset(set(actor.street_codes) & set(actor.unit_codes))
    return actor.unit_codes


def _unit_name(session: Session, code: str) -> str:
    from tasks.units.models import Unit

    return session.scalar(select(Unit.name).where(Unit.code == code)) or code


def require_report(session: Session, part: TaskPart, task: Task, actor: Actor) -> None:
    if part.unit_code in reportable_units(actor):
        return
    name = _unit_name(session, part.unit_code)
    if "chief" in actor.roles and not actor.roles & {"department", "street", "bureau"}:
        raise Forbidden(f"楼长只能报送所属街道的分项；“{task.title}”中{name}的分项由该单位报送")
    raise Forbidden(f"只能报送本单位的分项；“{task.title}”中{name}的分项由该单位报送")


def get_part(session: Session, part_id: int, *, actor: Actor) -> tuple[TaskPart, Task]:
    from tasks.work import service as work

    part = session.get(TaskPart, part_id)
    if part is None:
        raise NotFound(f"分项 {part_id} 不存在", error="PartNotFound")
    try:
        task = work.get(session, part.task_id, actor=actor)
    except NotFound:
        raise NotFound(f"分项 {part_id} 不存在", error="PartNotFound") from None
    return part, task


# ----- writing -----------------------------------------------------------------------------


def _answer_report_notices(session: Session, part: TaskPart, *, actor: str, when: date) -> None:
    """A report answers the open 提醒/督办 the daily rule sent for a missing report."""
    from tasks.supervision.models import SupervisionNotice

    for notice in session.scalars(
        select(SupervisionNotice).where(
            SupervisionNotice.task_id == part.task_id,
            SupervisionNotice.unit_code == part.unit_code,
            SupervisionNotice.source == "report",
            SupervisionNotice.status == "open",
        )
    ):
        notice.status = "responded"
        notice.response = f"已于{chinese_date(when)}报送进展"
        notice.responded_by = actor
        notice.responded_at = utcnow()


def report(
    session: Session, part: TaskPart, task: Task, *, data: PartReportCreate, actor: Actor, check: bool = True
) -> tuple[PartReport, TaskUpdate]:
    """The part's unit reports its progress, status and/or a note; the task is derived again."""
    from tasks.work import service as work

    if check:
        require_report(session, part, task, actor)
    if task.status == "suspended":
        raise Conflict(f"任务“{task.title}”已暂停，暂不报送", error="TaskSuspended")
    before_progress, before_status = part.progress, part.status
    progress = data.progress if data.progress is not None else part.progress
    status = data.status or part.status
    if data.status is None and data.progress is not None:
        if progress == 100:
            status = "done"
        elif status == "done" or (status == "not_started" and progress > 0):
            status = "in_progress"
    if data.status == "done" and data.progress is None:
        progress = 100
    if status == "done" and progress < 100:
        message = "状态为已完成时进度应为 100%"
        raise Invalid(message, fields=[{"field": "progress", "message": message}])
    part.progress, part.status = progress, status
    part.completed_at = (part.completed_at or utcnow()) if status == "done" else None
    part.last_report_at = utcnow()
    changed = (progress, status) != (before_progress, before_status)
    task_before = (task.progress, task.status)
    siblings = list(session.scalars(select(TaskPart).where(TaskPart.task_id == task.id)))
    if part.role == "lead" and status == "done" and all(part_done(state_of(p)) for p in siblings):
        # The lead reporting its own part complete when every other part is: its confirmation.
        task.status = "done"
        task.completed_at = task.completed_at or utcnow()
    recompute(session, task, siblings)
    entry = TaskUpdate(
        task_id=task.id,
        kind="progress" if changed else "comment",
        author=actor.username,
        unit_code=part.unit_code,
        text=data.text,
        progress_before=before_progress if changed else None,
        progress_after=progress if changed else None,
        status_before=before_status if changed else None,
        status_after=status if changed else None,
        is_demo=task.is_demo and data.text.startswith("（演示）"),
    )
    session.add(entry)
    session.flush()
    row = PartReport(
        part_id=part.id,
        task_id=task.id,
        update_id=entry.id,
        author=actor.username,
        text=data.text,
        progress_before=before_progress,
        progress_after=progress,
        status_after=status,
        is_demo=entry.is_demo,
    )
    session.add(row)
    _answer_report_notices(session, part, actor=actor.username, when=utcnow().astimezone(CHINA).date())
    task.updated_at = utcnow()
    session.flush()
    if (task.progress, task.status) != task_before or changed:
        work.record_update(session, task, actor=actor.username)
    return row, entry


def add_attachment(
    session: Session, part: TaskPart, task: Task, *, filename: str, data: bytes, text: str, actor: Actor
) -> TaskAttachment:
    """A photo or PDF with the part's report (the task's attachment rules: type by content)."""
    from tasks.work import service as work

    require_report(session, part, task, actor)
    attachment = work.add_attachment(
        session, task, filename=filename, data=data, text=text, actor=actor, unit_code=part.unit_code
    )
    part.last_report_at = utcnow()
    session.add(
        PartReport(
            part_id=part.id,
            task_id=task.id,
            update_id=attachment.update_id,
            author=actor.username,
            text=text.strip()[:5000] or f"上传附件：{attachment.filename}",
            progress_before=part.progress,
            progress_after=part.progress,
            status_after=part.status,
        )
    )
    _answer_report_notices(session, part, actor=actor.username, when=utcnow().astimezone(CHINA).date())
    session.flush()
    return attachment


def update_part(session: Session, part: TaskPart, *, data: PartUpdate, actor: Actor) -> TaskPart:
    """Bureau edit of a part's duty or weight."""
    actor.require_bureau("修改责任分解")
    values = data.model_dump(exclude_unset=True)
    if values.get("duty") is not None and values["duty"].strip() != part.duty:
        part.duty = values["duty"].strip()
        part.duty_source = "edited"
    if values.get("weight") is not None:
        part.weight = values["weight"]
    session.flush()
    task = session.get(Task, part.task_id)
    if task is not None:
        recompute(session, task)
        session.flush()
    return part


def lead_part(parts: list[TaskPart]) -> TaskPart | None:
    return next((p for p in parts if p.role == "lead"), None)


def can_confirm(parts: list[TaskPart], actor: Actor) -> bool:
    lead = lead_part(parts)
    mine = lead is not None and lead.unit_code in reportable_units(actor)
    return (mine or actor.manages_all) and bool(parts) and all(part_done(state_of(p)) for p in parts)


def confirm(session: Session, task: Task, *, actor: Actor, text: str = "") -> Task:
    """The lead unit (or the bureau) confirms the task complete; every part must be at 100."""
    from tasks.work import service as work

    parts = parts_of(session, task.id)
    lead = lead_part(parts)
    if not parts:
        raise Conflict(f"任务“{task.title}”没有责任单位分项", error="TaskHasNoParts")
    if not actor.manages_all and (lead is None or lead.unit_code not in reportable_units(actor)):
        raise Forbidden(f"只有牵头单位可以确认任务“{task.title}”完成")
    lagging = [p for p in parts if not part_done(state_of(p))]
    if lagging:
        names = "、".join(f"{_unit_name(session, p.unit_code)}（{p.progress}%）" for p in lagging)
        raise Conflict(f"以下单位的分项尚未完成，不能确认任务完成：{names}", error="PartsNotDone")
    before = (task.progress, task.status)
    task.status = "done"
    task.completed_at = task.completed_at or utcnow()
    recompute(session, task, parts)
    session.add(
        TaskUpdate(
            task_id=task.id,
            kind="progress",
            author=actor.username,
            unit_code=lead.unit_code if lead else actor.primary_unit,
            text=text.strip() or "牵头单位确认任务完成",
            progress_before=before[0],
            progress_after=task.progress,
            status_before=before[1],
            status_after=task.status,
        )
    )
    task.updated_at = utcnow()
    session.flush()
    work.record_update(session, task, actor=actor.username)
    return task


def set_suspended(session: Session, task: Task, *, suspended: bool, actor: Actor, text: str = "") -> None:
    """The bureau suspends a task or resumes it (its status then follows the parts again)."""
    actor.require_bureau("暂停或恢复任务")
    before = (task.progress, task.status)
    task.status = "suspended" if suspended else "in_progress"
    if not suspended:
        task.status = "not_started"  # recompute decides from the parts
    recompute(session, task)
    session.add(
        TaskUpdate(
            task_id=task.id,
            kind="progress",
            author=actor.username,
            unit_code=actor.primary_unit,
            text=text or ("暂停任务" if suspended else "恢复任务"),
            progress_before=before[0],
            progress_after=task.progress,
            status_before=before[1],
            status_after=task.status,
        )
    )
    task.updated_at = utcnow()
    session.flush()


# ----- reporting cycle ---------------------------------------------------------------------


@dataclass(frozen=True)
class Cycle:
    months: int = 1
    day: int = DEFAULT_DAY
    scope: str = "default"


def cycle_for(session: Session, task: Task, *, default_day: int = DEFAULT_DAY) -> Cycle:
    own = session.scalar(select(ReportCycle).where(ReportCycle.task_id == task.id))
    if own is not None:
        return Cycle(own.months, own.day, "task")
    plan = session.scalar(select(ReportCycle).where(ReportCycle.plan_id == task.plan_id))
    if plan is not None:
        return Cycle(plan.months, plan.day, "plan")
    return Cycle(1, default_day, "default")


def set_cycle(
    session: Session, *, plan_id: int | None = None, task_id: int | None = None, data: CycleSet, actor: Actor
) -> ReportCycle:
    actor.require_bureau("设置报送周期")
    where = ReportCycle.task_id == task_id if task_id is not None else ReportCycle.plan_id == plan_id
    row = session.scalar(select(ReportCycle).where(where))
    if row is None:
        row = ReportCycle(plan_id=plan_id, task_id=task_id)
        session.add(row)
    row.months, row.day, row.updated_by = data.months, data.day, actor.username
    session.flush()
    return row


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def due_dates(task: Task, cycle: Cycle, *, today: date) -> list[date]:
    """The report dates of a task: every ``months`` months on ``day``, after its start and up to
    its due date (a task without a due date: up to a year ahead of today)."""
    start = task.start_date or (task.created_at.astimezone(CHINA).date() if task.created_at else today)
    end = task.due_date or today + timedelta(days=366)
    out: list[date] = []
    year, month = start.year, start.month
    while len(out) < 240:
        d = date(year, month, min(cycle.day, 28))
        if d > end:
            break
        if d > start:
            out.append(d)
        year, month = _add_months(year, month, cycle.months)
    return out


@dataclass(frozen=True)
class DueState:
    next_due_date: date | None
    state: str  # none / upcoming / due / overdue
    covered: dict[date, bool]


def due_state(dates: list[date], reports: list[date], *, today: date, grace_days: int, done: bool) -> DueState:
    """Where a part stands in its cycle (the rule in this module's docstring)."""
    covered: dict[date, bool] = {}
    pending = sorted(reports)
    for i, d in enumerate(dates):
        prev = dates[i - 1] if i else date.min
        nxt = dates[i + 1] if i + 1 < len(dates) else date.max
        on_time = next((r for r in pending if prev < r <= d), None)
        late = None if on_time else next((r for r in pending if d < r < nxt), None)
        use = on_time or late
        covered[d] = use is not None
        if use is not None:
            pending.remove(use)
    if done or not dates:
        return DueState(None, "none", covered)
    past = [d for d in dates if d <= today]
    current = past[-1] if past else None
    upcoming = [d for d in dates if (current is None or d >= current) and not covered[d]]
    if not upcoming:
        return DueState(None, "none", covered)
    nxt = upcoming[0]
    if nxt > today:
        state = "upcoming"
    elif (today - nxt).days <= grace_days:
        state = "due"
    else:
        state = "overdue"
    return DueState(nxt, state, covered)


def report_dates(session: Session, part_ids: list[int]) -> dict[int, list[date]]:
    out: dict[int, list[date]] = defaultdict(list)
    if not part_ids:
        return out
    for part_id, at in session.execute(
        select(PartReport.part_id, PartReport.created_at).where(PartReport.part_id.in_(part_ids))
    ):
        out[part_id].append(at.astimezone(CHINA).date())
    return out


@dataclass(frozen=True)
class DuePart:
    """A part whose report is due (or will be within the asked days)."""

    part_id: int
    task_id: int
    task_title: str
    unit_code: str
    due_date: date
    state: str
    overdue: bool


def due_parts(
    session: Session,
    *,
    unit_codes: Iterable[str] | None,
    today: date,
    within_days: int = 0,
    grace_days: int = DEFAULT_GRACE_DAYS,
    default_day: int = DEFAULT_DAY,
) -> list[DuePart]:
    """Unfinished parts of the given units (None: every unit) whose next report is due by
    ``today + within_days``: ``due`` on or after the date, ``overdue`` past the grace days;
    oldest first. Tasks done or suspended ask nothing."""
    stmt = (
        select(TaskPart, Task)
        .join(Task, Task.id == TaskPart.task_id)
        .where(
            Task.kind.in_(WORK_KINDS),
            Task.status.not_in(("done", "suspended")),
            TaskPart.status.not_in(("done", "suspended")),
            TaskPart.progress < 100,
        )
    )
    if unit_codes is not None:
        codes = list(unit_codes)
        if not codes:
            return []
        stmt = stmt.where(TaskPart.unit_code.in_(codes))
    rows = session.execute(stmt).all()
    reports = report_dates(session, [p.id for p, _ in rows])
    cycles: dict[int, Cycle] = {}
    out: list[DuePart] = []
    for part, task in rows:
        cycle = cycles.get(task.id) or cycle_for(session, task, default_day=default_day)
        cycles[task.id] = cycle
        st = due_state(
            due_dates(task, cycle, today=today),
            reports.get(part.id, []),
            today=today,
            grace_days=grace_days,
            done=False,
        )
        if st.next_due_date is None or st.next_due_date > today + timedelta(days=within_days):
            continue
        out.append(
            DuePart(
                part_id=part.id,
                task_id=task.id,
                task_title=task.title,
                unit_code=part.unit_code,
                due_date=st.next_due_date,
                state=st.state,
                overdue=st.state == "overdue",
            )
        )
    return sorted(out, key=lambda d: (d.due_date, d.task_id, d.unit_code))


# ----- reading -----------------------------------------------------------------------------


def part_reason(part: TaskPart, task: Task, *, today: date, rules: LightRules) -> str:
    s = state_of(part)
    return reason_for(
        due_date=task.due_date,
        progress=s.progress,
        status="done" if part_done(s) else s.status,
        today=today,
        start_date=task.start_date,
        rules=rules,
    )


def read_parts(
    session: Session,
    task: Task,
    *,
    actor: Actor,
    today: date,
    rules: LightRules,
    grace_days: int,
    default_day: int,
) -> dict[str, Any]:
    from tasks.work import service as work

    parts = parts_of(session, task.id)
    names = work.unit_names(session)
    cycle = cycle_for(session, task, default_day=default_day)
    dates = due_dates(task, cycle, today=today)
    reports = report_dates(session, [p.id for p in parts])
    last_text: dict[int, str] = {}
    if parts:
        latest = (
            select(PartReport.part_id, func.max(PartReport.id).label("id"))
            .where(PartReport.part_id.in_([p.id for p in parts]))
            .group_by(PartReport.part_id)
            .subquery()
        )
        for part_id, text in session.execute(
            select(PartReport.part_id, PartReport.text).join(latest, latest.c.id == PartReport.id)
        ):
            last_text[part_id] = text
    mine = reportable_units(actor)
    items = []
    covered_by_unit: dict[str, dict[date, bool]] = {}
    for p in parts:
        st = due_state(
            dates,
            reports.get(p.id, []),
            today=today,
            grace_days=grace_days,
            done=part_done(state_of(p)) or task.status in ("done", "suspended"),
        )
        covered_by_unit[p.unit_code] = st.covered
        items.append(
            {
                "id": p.id,
                "task_id": p.task_id,
                "unit_code": p.unit_code,
                "unit_name": names.get(p.unit_code, p.unit_code),
                "role": p.role,
                "duty": p.duty,
                "duty_source": p.duty_source,
                "weight": p.weight,
                "progress": p.progress,
                "status": p.status,
                "light": part_light(
                    state_of(p), start_date=task.start_date, due_date=task.due_date, today=today, rules=rules
                )
                if task.status != "done"
                else "green",
                "light_reason": part_reason(p, task, today=today, rules=rules),
                "last_report_at": p.last_report_at,
                "last_report_text": last_text.get(p.id, ""),
                "next_due_date": st.next_due_date,
                "due_state": st.state,
                "can_report": p.unit_code in mine and task.status != "suspended",
                "completed_at": p.completed_at,
                "is_demo": p.is_demo,
                "version": p.version,
            }
        )
    return {
        "task_id": task.id,
        "items": items,
        "total": len(items),
        "rule": RULE_TEXT,
        "cycle": {"months": cycle.months, "day": cycle.day, "scope": cycle.scope, "grace_days": grace_days},
        "due_dates": [
            {"due_date": d, "reported": {code: cov.get(d, False) for code, cov in covered_by_unit.items()}}
            for d in dates
        ],
        "can_confirm": task.status != "done" and can_confirm(parts, actor),
        "confirmed": task.status == "done",
    }


RULE_TEXT = (
    "任务进度为各责任单位分项进度的加权平均（默认各分项权重相同），牵头单位确认完成前最高为 99%；"
    "各分项均完成后由牵头单位确认任务完成。任务灯色取各分项中最差的一个（进度最落后的单位决定灯色）。"
    "自动督办发给进度落后的责任单位（承办单位），考核按各单位自己的分项计分。"
)


def report_page(session: Session, part: TaskPart, *, page: PageParams) -> tuple[list[dict[str, Any]], int]:
    """The part's reports, newest first, with their attachments."""
    total = session.scalar(select(func.count()).select_from(PartReport).where(PartReport.part_id == part.id)) or 0
    rows = list(
        session.scalars(
            select(PartReport)
            .where(PartReport.part_id == part.id)
            .order_by(PartReport.id.desc())
            .limit(page.page_size)
            .offset(page.offset)
        )
    )
    files: dict[int, list[TaskAttachment]] = defaultdict(list)
    update_ids = [r.update_id for r in rows if r.update_id]
    if update_ids:
        for a in session.scalars(select(TaskAttachment).where(TaskAttachment.update_id.in_(update_ids))):
            files[a.update_id].append(a)
    items = [
        {
            "id": r.id,
            "part_id": r.part_id,
            "unit_code": part.unit_code,
            "author": r.author,
            "text": r.text,
            "progress_before": r.progress_before,
            "progress_after": r.progress_after,
            "status_after": r.status_after,
            "is_demo": r.is_demo,
            "created_at": r.created_at,
            "attachments": files.get(r.update_id or 0, []),
        }
        for r in rows
    ]
    return items, total
