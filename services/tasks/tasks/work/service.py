"""Tasks: lists (all, a unit's own), detail, the plan tree with lights, edits by the bureau,
progress reports and attachments from the responsible units, the append-only timeline."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, delete, func, or_, select
from sqlalchemy.orm import Session

from louyu_kit.db import utcnow
from louyu_kit.errors import Forbidden, Invalid, NotFound
from louyu_kit.paging import PageParams
from tasks.access import Actor
from tasks.db import feed
from tasks.plans.models import Plan, PlanPhase
from tasks.supervision.models import SupervisionNotice
from tasks.units.models import Unit
from tasks.work.lights import LightRules, light_for, reason_for
from tasks.work.models import Task, TaskAttachment, TaskUnit, TaskUpdate
from tasks.work.schemas import ProgressReport, TaskCreate, TaskUpdateFields

WORK_KINDS = ("task", "subtask", "milestone")
LIGHT_ORDER = {"green": 0, "yellow": 1, "red": 2}


@dataclass(frozen=True)
class TaskFilters:
    plan_id: int | None = None
    unit: str | None = None
    role: str | None = None
    phase_id: int | None = None
    status: str | None = None
    light: str | None = None
    kind: list[str] | None = None
    parent_id: int | None = None
    q: str | None = None


# ----- reading -----------------------------------------------------------------------------


def unit_names(session: Session) -> dict[str, str]:
    return {code: name for code, name in session.execute(select(Unit.code, Unit.name))}


def units_of(session: Session, task_ids: list[int]) -> dict[int, list[TaskUnit]]:
    out: dict[int, list[TaskUnit]] = defaultdict(list)
    if not task_ids:
        return out
    for i in range(0, len(task_ids), 500):
        chunk = task_ids[i : i + 500]
        for row in session.scalars(
            select(TaskUnit).where(TaskUnit.task_id.in_(chunk)).order_by(TaskUnit.task_id, TaskUnit.position)
        ):
            out[row.task_id].append(row)
    return out


def unit_codes_of(session: Session, task: Task) -> set[str]:
    return set(session.scalars(select(TaskUnit.unit_code).where(TaskUnit.task_id == task.id)))


def get(session: Session, task_id: int, *, actor: Actor) -> Task:
    """The task if the caller may read it (404 otherwise, as if it did not exist)."""
    task = session.get(Task, task_id)
    if task is None or not actor.can_read_task(unit_codes_of(session, task)):
        raise NotFound(f"任务 {task_id} 不存在", error="TaskNotFound")
    return task


def light_progress(progress: int, weakest_progress: int | None) -> int:
    """The progress a task's light is judged by: its weakest part's (tasks.parts.derive, rule 3)."""
    return progress if weakest_progress is None else min(progress, weakest_progress)


def light_of(task: Task, *, today: date, rules: LightRules) -> str:
    """The task's light: the worst of its parts' lights (the weakest part sets it)."""
    return light_for(
        due_date=task.due_date,
        progress=light_progress(task.progress, task.weakest_progress),
        status=task.status,
        today=today,
        start_date=task.start_date,
        rules=rules,
    )


def _summary(
    task: Task, *, names: dict[str, str], my_role: str | None, today: date, rules: LightRules
) -> dict[str, Any]:
    return {
        "id": task.id,
        "plan_id": task.plan_id,
        "parent_id": task.parent_id,
        "phase_id": task.phase_id,
        "kind": task.kind,
        "number": task.number,
        "title": task.title,
        "lead_unit_code": task.lead_unit_code,
        "lead_unit_name": names.get(task.lead_unit_code or ""),
        "due_date": task.due_date,
        "status": task.status,
        "progress": task.progress,
        "light": light_of(task, today=today, rules=rules),
        "my_role": my_role,
        "is_demo": task.is_demo,
        "updated_at": task.updated_at,
    }


def _my_roles(session: Session, task_ids: list[int], actor: Actor) -> dict[int, str]:
    if not actor.unit_codes or not task_ids:
        return {}
    out: dict[int, str] = {}
    rows = session.execute(
        select(TaskUnit.task_id, TaskUnit.role).where(
            TaskUnit.task_id.in_(task_ids), TaskUnit.unit_code.in_(actor.unit_codes)
        )
    ).all()
    for task_id, role in rows:
        if out.get(task_id) != "lead":
            out[task_id] = role
    return out


def _filtered(stmt: Select, f: TaskFilters) -> Select:
    if f.plan_id is not None:
        stmt = stmt.where(Task.plan_id == f.plan_id)
    if f.phase_id is not None:
        stmt = stmt.where(Task.phase_id == f.phase_id)
    if f.status:
        stmt = stmt.where(Task.status == f.status)
    if f.parent_id is not None:
        stmt = stmt.where(Task.parent_id == f.parent_id)
    stmt = stmt.where(Task.kind.in_(f.kind or WORK_KINDS))
    if f.q and f.q.strip():
        # A title search for "100%" means those characters (autoescape), and "gdp" finds "GDP".
        stmt = stmt.where(Task.title.icontains(f.q.strip(), autoescape=True))
    if f.unit:
        held = select(TaskUnit.task_id).where(TaskUnit.unit_code == f.unit)
        if f.role:
            held = held.where(TaskUnit.role == f.role)
        stmt = stmt.where(Task.id.in_(held))
    elif f.role:
        raise Invalid("按角色筛选时须同时指定单位", fields=[{"field": "role", "message": "须同时指定 unit"}])
    return stmt


_SORTS = {
    "due_date": (Task.due_date.is_(None), Task.due_date, Task.id),
    "-due_date": (Task.due_date.is_(None), Task.due_date.desc(), Task.id),
    "position": (Task.plan_id, Task.position, Task.id),
    "-updated_at": (Task.updated_at.desc(), Task.id),
    "progress": (Task.progress, Task.id),
    "-progress": (Task.progress.desc(), Task.id),
}


def list_page(
    session: Session,
    *,
    actor: Actor,
    filters: TaskFilters,
    sort: str,
    page: PageParams,
    today: date,
    rules: LightRules,
    mine: bool = False,
) -> tuple[list[dict[str, Any]], int]:
    """One page of tasks the caller may read (``mine``: only those of the caller's units)."""
    stmt = _filtered(select(Task).where(actor.task_filter()), filters)
    if mine:
        if not actor.unit_codes:
            return [], 0
        stmt = stmt.where(Task.id.in_(select(TaskUnit.task_id).where(TaskUnit.unit_code.in_(actor.unit_codes))))
    order = _SORTS[sort]
    if filters.light == "red":
        # Red needs no clock arithmetic beyond "due before today": filtered in SQL (rule 3).
        stmt = stmt.where(Task.status != "done", Task.progress < 100, Task.due_date < today)
    elif filters.light:
        # Not red, by the same rule; the rest (near, lagging) is decided per row below.
        not_red = or_(Task.status == "done", Task.progress >= 100, Task.due_date.is_(None), Task.due_date >= today)
        stmt = stmt.where(not_red)
    if filters.light and filters.light != "red":
        # Lights depend on today's date: computed over the matching rows' few columns, then paged.
        light_cols = select(
            Task.id, Task.due_date, Task.progress, Task.weakest_progress, Task.status, Task.start_date
        ).where(Task.id.in_(stmt.with_only_columns(Task.id).scalar_subquery()))
        ids = [
            row.id
            for row in session.execute(light_cols.order_by(*order))
            if light_for(
                due_date=row.due_date,
                progress=light_progress(row.progress, row.weakest_progress),
                status=row.status,
                today=today,
                start_date=row.start_date,
                rules=rules,
            )
            == filters.light
        ]
        total = len(ids)
        page_ids = ids[page.offset : page.offset + page.page_size]
        by_id = {t.id: t for t in session.scalars(select(Task).where(Task.id.in_(page_ids)))} if page_ids else {}
        tasks = [by_id[i] for i in page_ids]
    else:
        total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        tasks = list(session.scalars(stmt.order_by(*order).limit(page.page_size).offset(page.offset)))
    names = unit_names(session)
    roles = _my_roles(session, [t.id for t in tasks], actor)
    items = [_summary(t, names=names, my_role=roles.get(t.id), today=today, rules=rules) for t in tasks]
    return items, total


def read_model(session: Session, task: Task, *, actor: Actor, today: date, rules: LightRules) -> dict[str, Any]:
    names = unit_names(session)
    units = units_of(session, [task.id])[task.id]
    codes = {u.unit_code for u in units}
    children = list(session.scalars(select(Task).where(Task.parent_id == task.id).order_by(Task.position, Task.id)))
    child_roles = _my_roles(session, [c.id for c in children], actor)
    phase = session.get(PlanPhase, task.phase_id) if task.phase_id else None
    plan_title = session.scalar(select(Plan.title).where(Plan.id == task.plan_id)) or ""
    open_notices = session.scalar(
        select(func.count())
        .select_from(SupervisionNotice)
        .where(SupervisionNotice.task_id == task.id, SupervisionNotice.status != "closed")
    )
    my_role = _my_roles(session, [task.id], actor).get(task.id)
    return {
        **_summary(task, names=names, my_role=my_role, today=today, rules=rules),
        "body": task.body,
        "start_date": task.start_date,
        "plan_title": plan_title,
        "phase": (
            {"id": phase.id, "name": phase.name, "start_date": phase.start_date, "end_date": phase.end_date}
            if phase
            else None
        ),
        "units": [
            {
                "code": u.unit_code,
                "name": names.get(u.unit_code, u.unit_code),
                "role": u.role,
                "written_as": u.written_as,
            }
            for u in units
        ],
        "children": [
            _summary(c, names=names, my_role=child_roles.get(c.id), today=today, rules=rules)
            for c in children
            if actor.reads_all or child_roles.get(c.id)
        ],
        "light_reason": light_reason(session, task, today=today, rules=rules),
        "open_notices": open_notices or 0,
        "can_update": task.kind != "section" and actor.can_update_task(codes),
        "completed_at": task.completed_at,
        "version": task.version,
    }


def light_reason(session: Session, task: Task, *, today: date, rules: LightRules) -> str:
    """Why the task's light is what it is; a lagging part names its unit."""
    from tasks.parts import service as parts

    own = reason_for(
        due_date=task.due_date,
        progress=task.progress,
        status=task.status,
        today=today,
        start_date=task.start_date,
        rules=rules,
    )
    if task.status == "done" or task.weakest_progress is None or task.weakest_progress >= task.progress:
        return own
    weakest = min(
        (p for p in parts.parts_of(session, task.id) if p.progress < 100 and p.status != "done"),
        key=lambda p: p.progress,
        default=None,
    )
    if weakest is None:
        return own
    name = unit_names(session).get(weakest.unit_code, weakest.unit_code)
    return f"{name}：" + parts.part_reason(weakest, task, today=today, rules=rules)


def tree(session: Session, plan: Plan, *, actor: Actor, today: date, rules: LightRules) -> list[dict[str, Any]]:
    """The plan's task tree; a group shows the worst light and the mean progress of its tasks.
    Callers who do not read everything see only the branches holding their units' tasks."""
    tasks = list(session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.position, Task.id)))
    names = unit_names(session)
    units = units_of(session, [t.id for t in tasks])
    nodes: dict[int, dict[str, Any]] = {}
    for t in tasks:
        nodes[t.id] = {
            "id": t.id,
            "kind": t.kind,
            "number": t.number,
            "title": t.title,
            "lead_unit_code": t.lead_unit_code,
            "lead_unit_name": names.get(t.lead_unit_code or ""),
            "unit_codes": [u.unit_code for u in units.get(t.id, [])],
            "due_date": t.due_date,
            "status": t.status,
            "progress": t.progress,
            "light": light_of(t, today=today, rules=rules),
            "children": [],
            "_visible": actor.reads_all or bool(actor.own_units_of({u.unit_code for u in units.get(t.id, [])})),
        }
    roots = []
    for t in tasks:
        node = nodes[t.id]
        parent = nodes.get(t.parent_id) if t.parent_id else None
        (parent["children"] if parent else roots).append(node)

    def finish(node: dict[str, Any]) -> bool:
        visible_children = [c for c in node["children"] if finish(c)]
        node["children"] = visible_children
        if node["kind"] == "section" and visible_children:
            node["progress"] = round(sum(c["progress"] for c in visible_children) / len(visible_children))
            node["light"] = max((c["light"] for c in visible_children), key=LIGHT_ORDER.__getitem__)
            node["status"] = (
                "done"
                if all(c["status"] == "done" for c in visible_children)
                else "in_progress"
                if any(c["status"] != "not_started" for c in visible_children)
                else "not_started"
            )
        visible = node.pop("_visible") or bool(visible_children)
        return visible

    return [r for r in roots if finish(r)]


# ----- writing -----------------------------------------------------------------------------


def snapshot(task: Task, unit_codes: list[str]) -> dict[str, Any]:
    return {
        "id": task.id,
        "plan_id": task.plan_id,
        "parent_id": task.parent_id,
        "kind": task.kind,
        "title": task.title,
        "lead_unit_code": task.lead_unit_code,
        "unit_codes": unit_codes,
        "start_date": task.start_date,
        "due_date": task.due_date,
        "status": task.status,
        "progress": task.progress,
        "is_demo": task.is_demo,
    }


def _codes(session: Session, task: Task) -> list[str]:
    return list(
        session.scalars(select(TaskUnit.unit_code).where(TaskUnit.task_id == task.id).order_by(TaskUnit.position))
    )


def record_created(session: Session, task: Task, *, actor: str, unit_codes: list[str] | None = None) -> None:
    """The "created" timeline entry and change event of a new task (``unit_codes`` when known)."""
    session.add(TaskUpdate(task_id=task.id, kind="created", author=actor, text="创建任务", is_demo=task.is_demo))
    codes = unit_codes if unit_codes is not None else _codes(session, task)
    feed.record(session, entity="task", entity_id=task.id, op="create", data=snapshot(task, codes), actor=actor)


def record_update(session: Session, task: Task, *, actor: str) -> None:
    """The change event of a task that changed."""
    _record_update(session, task, actor=actor)


def _record_update(session: Session, task: Task, *, actor: str) -> None:
    feed.record(
        session, entity="task", entity_id=task.id, op="update", data=snapshot(task, _codes(session, task)), actor=actor
    )


def _check_units(session: Session, codes: list[str], field: str) -> None:
    if not codes:
        return
    found = {
        code: (kind, active)
        for code, kind, active in session.execute(
            select(Unit.code, Unit.kind, Unit.is_active).where(Unit.code.in_(codes))
        )
    }
    for i, code in enumerate(codes):
        path = field if field == "lead_unit_code" else f"{field}[{i}]"
        if code not in found:
            raise Invalid(f"单位编码 {code} 不存在", fields=[{"field": path, "message": f"单位编码 {code} 不存在"}])
        kind, active = found[code]
        if kind == "collective":
            message = f"{code} 是统称，请选择具体单位"
            raise Invalid(message, fields=[{"field": path, "message": message}])
        if not active:
            raise Invalid(f"单位 {code} 已停用", fields=[{"field": path, "message": "单位已停用"}])


def _set_units(session: Session, task: Task, *, lead: str | None, co: list[str]) -> None:
    written = {
        code: text
        for code, text in session.execute(
            select(TaskUnit.unit_code, TaskUnit.written_as).where(TaskUnit.task_id == task.id)
        )
    }
    session.execute(delete(TaskUnit).where(TaskUnit.task_id == task.id))
    codes = ([lead] if lead else []) + [c for c in co if c != lead]
    for position, code in enumerate(codes):
        session.add(
            TaskUnit(
                task_id=task.id,
                unit_code=code,
                role="lead" if code == lead else "co",
                written_as=written.get(code, ""),
                position=position,
            )
        )
    task.lead_unit_code = lead
    session.flush()
    from tasks.parts import service as parts

    parts.sync_tasks(session, [task.id])  # a part per responsible unit (责任分解)


def create(session: Session, *, data: TaskCreate, actor: Actor) -> Task:
    """A task, sub-task or milestone added by the bureau (or, under its task, by the lead unit)."""
    plan = session.get(Plan, data.plan_id)
    if plan is None:
        raise NotFound(f"方案 {data.plan_id} 不存在", error="PlanNotFound")
    parent = None
    if data.parent_id is not None:
        parent = session.get(Task, data.parent_id)
        if parent is None or parent.plan_id != plan.id:
            message = f"上级任务 {data.parent_id} 不属于方案 {plan.id}"
            raise Invalid(message, fields=[{"field": "parent_id", "message": message}])
    if not actor.manages_all:
        lead_of_parent = parent is not None and parent.lead_unit_code in actor.unit_codes
        if not lead_of_parent or data.kind == "task":
            raise Forbidden("只有区商务局或上级任务的牵头单位可以新增任务")
    lead = data.lead_unit_code or (parent.lead_unit_code if parent else None)
    _check_units(session, [lead] if lead else [], "lead_unit_code")
    _check_units(session, data.co_unit_codes, "co_unit_codes")
    due = data.due_date or (parent.due_date if parent else None)
    start = data.start_date or (parent.start_date if parent else None)
    if start and due and due < start:
        raise Invalid("完成时限不能早于开始日期", fields=[{"field": "due_date", "message": "不能早于开始日期"}])
    position = (session.scalar(select(func.max(Task.position)).where(Task.plan_id == plan.id)) or 0) + 1
    task = Task(
        plan_id=plan.id,
        parent_id=parent.id if parent else None,
        phase_id=parent.phase_id if parent else None,
        kind=data.kind,
        title=data.title.strip(),
        body=data.body,
        start_date=start,
        due_date=due,
        position=position,
        created_by=actor.username,
    )
    session.add(task)
    session.flush()
    _set_units(session, task, lead=lead, co=data.co_unit_codes)
    record_created(session, task, actor=actor.username)
    return task


def update_fields(session: Session, task: Task, *, data: TaskUpdateFields, actor: Actor) -> Task:
    """Bureau edit of title, text, dates or units (the caller has checked If-Match)."""
    actor.require_bureau("修改任务")
    if task.kind == "section" and ("lead_unit_code" in data.model_fields_set or data.co_unit_codes):
        raise Invalid("任务分组没有责任单位", fields=[{"field": "lead_unit_code", "message": "分组不设责任单位"}])
    values = data.model_dump(exclude_unset=True)
    changes = []
    if "lead_unit_code" in values or "co_unit_codes" in values:
        current = units_of(session, [task.id])[task.id]
        lead = values.get("lead_unit_code", task.lead_unit_code)
        co = values.get("co_unit_codes")
        if co is None:
            co = [u.unit_code for u in current if u.role == "co"]
        _check_units(session, [lead] if lead else [], "lead_unit_code")
        _check_units(session, co, "co_unit_codes")
        _set_units(session, task, lead=lead, co=co)
        changes.append("责任单位")
    for name in ("title", "body", "start_date", "due_date"):
        if name in values and values[name] != getattr(task, name):
            if name == "title" and not values[name]:
                continue
            setattr(task, name, values[name])
            changes.append({"title": "标题", "body": "内容", "start_date": "开始日期", "due_date": "完成时限"}[name])
    if task.start_date and task.due_date and task.due_date < task.start_date:
        raise Invalid("完成时限不能早于开始日期", fields=[{"field": "due_date", "message": "不能早于开始日期"}])
    if changes:
        session.add(
            TaskUpdate(
                task_id=task.id,
                kind="edit",
                author=actor.username,
                unit_code=actor.primary_unit,
                text="修改了" + "、".join(changes),
            )  # fmt: skip
        )
        task.updated_at = utcnow()
        session.flush()
        _record_update(session, task, actor=actor.username)
    return task


def _acting_unit(session: Session, task: Task, actor: Actor) -> str | None:
    codes = _codes(session, task)
    own = [c for c in codes if c in actor.unit_codes]
    return own[0] if own else actor.primary_unit


def report(session: Session, task: Task, *, data: ProgressReport, actor: Actor) -> TaskUpdate:
    """A responsible unit's progress report (or a bureau note), appended to the timeline."""
    if task.kind == "section":
        raise Invalid("任务分组的进度由下级任务汇总，不能直接报送")
    actor.require_update_task(set(_codes(session, task)), task.title)
    from tasks.parts import service as parts

    own_parts = parts.parts_of(session, task.id)
    if own_parts:
        return _report_through_parts(session, task, own_parts, data=data, actor=actor)
    before_progress, before_status = task.progress, task.status
    progress = data.progress if data.progress is not None else task.progress
    status = data.status or task.status
    if data.status is None and data.progress is not None:
        # Progress alone moves the status: 100 completes, less reopens a completed task.
        if progress == 100:
            status = "done"
        elif status == "done" or (status == "not_started" and progress > 0):
            status = "in_progress"
    if data.status == "done" and data.progress is None:
        progress = 100
    if status == "done" and progress < 100:
        message = "状态为已完成时进度应为 100%"
        raise Invalid(message, fields=[{"field": "progress", "message": message}])
    task.progress, task.status = progress, status
    task.completed_at = (task.completed_at or utcnow()) if status == "done" else None
    changed = (progress, status) != (before_progress, before_status)
    entry = TaskUpdate(
        task_id=task.id,
        kind="progress" if changed else "comment",
        author=actor.username,
        unit_code=_acting_unit(session, task, actor),
        text=data.text,
        progress_before=before_progress if changed else None,
        progress_after=progress if changed else None,
        status_before=before_status if changed else None,
        status_after=status if changed else None,
    )
    session.add(entry)
    task.updated_at = utcnow()
    session.flush()
    _record_update(session, task, actor=actor.username)
    return entry


def _report_through_parts(
    session: Session, task: Task, own_parts: list[Any], *, data: ProgressReport, actor: Actor
) -> TaskUpdate:
    """A task with parts has no shared progress: progress goes to the caller's own part, 已完成
    is the lead's confirmation, 暂停 is the bureau's, a note alone stays a note on the task."""
    from tasks.parts import service as parts
    from tasks.parts.schemas import PartReportCreate

    if data.status == "suspended" or (task.status == "suspended" and data.status is not None):
        parts.set_suspended(session, task, suspended=data.status == "suspended", actor=actor, text=data.text)
        return session.scalars(
            select(TaskUpdate).where(TaskUpdate.task_id == task.id).order_by(TaskUpdate.id.desc())
        ).first()  # type: ignore[return-value]
    mine = [p for p in own_parts if p.unit_code in parts.reportable_units(actor)]
    lead_confirms = data.status == "done" and any(p.role == "lead" for p in mine) and data.progress in (None, 100)
    if data.progress is None and data.status is None:
        entry = TaskUpdate(
            task_id=task.id,
            kind="comment",
            author=actor.username,
            unit_code=_acting_unit(session, task, actor),
            text=data.text,
        )
        session.add(entry)
        task.updated_at = utcnow()
        session.flush()
        return entry
    if not mine:
        if data.status == "done" and actor.manages_all:
            parts.confirm(session, task, actor=actor, text=data.text)
            return session.scalars(
                select(TaskUpdate).where(TaskUpdate.task_id == task.id).order_by(TaskUpdate.id.desc())
            ).first()  # type: ignore[return-value]
        raise Forbidden(f"任务“{task.title}”的进度由各责任单位分项汇总，只能报送本单位的分项")
    if len(mine) > 1:
        message = "您代表多个责任单位，请在“责任分解”中选择要报送的单位分项"
        raise Invalid(message, fields=[{"field": "progress", "message": message}])
    part = mine[0]
    _, entry = parts.report(
        session,
        part,
        task,
        data=PartReportCreate(
            progress=data.progress, status=None if data.status in (None, "suspended") else data.status, text=data.text
        ),
        actor=actor,
    )
    if lead_confirms and all(parts.part_done(parts.state_of(p)) for p in own_parts):
        parts.confirm(session, task, actor=actor, text="牵头单位确认任务完成")
    return entry


# ----- attachments -------------------------------------------------------------------------

ATTACHMENT_TYPES: list[tuple[str, str]] = [
    ("image/jpeg", "jpg"),
    ("image/png", "png"),
    ("image/webp", "webp"),
    ("image/gif", "gif"),
    ("application/pdf", "pdf"),
]


def sniff(data: bytes) -> str | None:
    """The content type by the file's first bytes (never by its name): JPEG, PNG, WebP, GIF or PDF."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data.lstrip(b"\r\n\t ")[:5] == b"%PDF-":
        return "application/pdf"
    return None


def _safe_name(filename: str, content_type: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", (filename or "").strip()).strip(". ") or "附件"
    ext = dict(ATTACHMENT_TYPES)[content_type]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem[:150]}.{ext}"


def add_attachment(
    session: Session, task: Task, *, filename: str, data: bytes, text: str, actor: Actor, unit_code: str | None = None
) -> TaskAttachment:
    """An image or PDF on the task's timeline; the type is read from the content (``unit_code``:
    the part it reports on)."""
    actor.require_update_task(set(_codes(session, task)), task.title)
    if not data:
        raise Invalid("上传的文件是空的", fields=[{"field": "file", "message": "文件为空"}])
    content_type = sniff(data)
    if content_type is None:
        message = f"文件“{filename or '附件'}”不是图片（JPEG/PNG/WebP/GIF）或 PDF"
        raise Invalid(message, fields=[{"field": "file", "message": message}])
    entry = TaskUpdate(
        task_id=task.id,
        kind="attachment",
        author=actor.username,
        unit_code=unit_code or _acting_unit(session, task, actor),
        text=text.strip()[:5000],
    )
    session.add(entry)
    session.flush()
    attachment = TaskAttachment(
        task_id=task.id,
        update_id=entry.id,
        filename=_safe_name(filename, content_type),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_by=actor.username,
    )
    session.add(attachment)
    task.updated_at = utcnow()
    session.flush()
    _record_update(session, task, actor=actor.username)
    return attachment


def get_attachment(session: Session, task: Task, attachment_id: int) -> TaskAttachment:
    attachment = session.get(TaskAttachment, attachment_id)
    if attachment is None or attachment.task_id != task.id:
        raise NotFound(f"任务 {task.id} 没有编号为 {attachment_id} 的附件", error="AttachmentNotFound")
    return attachment


def timeline(session: Session, task: Task, *, page: PageParams) -> tuple[list[dict[str, Any]], int]:
    """The task's timeline, oldest first (append-only)."""
    total = session.scalar(select(func.count()).select_from(TaskUpdate).where(TaskUpdate.task_id == task.id)) or 0
    entries = list(
        session.scalars(
            select(TaskUpdate)
            .where(TaskUpdate.task_id == task.id)
            .order_by(TaskUpdate.id)
            .limit(page.page_size)
            .offset(page.offset)
        )
    )
    files: dict[int, list[TaskAttachment]] = defaultdict(list)
    if entries:
        for a in session.scalars(
            select(TaskAttachment).where(
                and_(TaskAttachment.task_id == task.id, TaskAttachment.update_id.in_([e.id for e in entries]))
            )
        ):
            files[a.update_id].append(a)
    names = unit_names(session)
    items = [
        {
            "id": e.id,
            "kind": e.kind,
            "author": e.author,
            "unit_code": e.unit_code,
            "unit_name": names.get(e.unit_code or ""),
            "text": e.text,
            "progress_before": e.progress_before,
            "progress_after": e.progress_after,
            "status_before": e.status_before,
            "status_after": e.status_after,
            "is_demo": e.is_demo,
            "created_at": e.created_at,
            "attachments": files.get(e.id, []),
        }
        for e in entries
    ]
    return items, total


def note_supervision(session: Session, task: Task, *, text: str, actor: str, unit_code: str | None) -> None:
    """A 督办 event on the task's timeline."""
    session.add(TaskUpdate(task_id=task.id, kind="supervision", author=actor, unit_code=unit_code, text=text))


def delete_tasks(session: Session, task_ids: list[int]) -> None:
    """Remove tasks with their timeline, attachments and notices (a plan deleted by the bureau)."""
    if not task_ids:
        return
    from tasks.parts.models import PartReport, ReportCycle, TaskPart

    session.execute(delete(PartReport).where(PartReport.task_id.in_(task_ids)))
    session.execute(delete(TaskPart).where(TaskPart.task_id.in_(task_ids)))
    session.execute(delete(ReportCycle).where(ReportCycle.task_id.in_(task_ids)))
    session.execute(delete(TaskAttachment).where(TaskAttachment.task_id.in_(task_ids)))
    session.execute(delete(TaskUpdate).where(TaskUpdate.task_id.in_(task_ids)))
    session.execute(delete(SupervisionNotice).where(SupervisionNotice.task_id.in_(task_ids)))
    session.execute(delete(TaskUnit).where(TaskUnit.task_id.in_(task_ids)))
    for task_id in sorted(task_ids, reverse=True):
        session.execute(delete(Task).where(Task.id == task_id))
