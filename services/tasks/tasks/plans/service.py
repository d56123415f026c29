"""Plans: import (preview or save), read, list, delete; the goals the metrics service tracks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from louyu_kit.errors import Conflict, Invalid, NotFound
from louyu_kit.paging import PageParams, paginate
from tasks.db import feed
from tasks.parts import service as parts
from tasks.parts.models import ReportCycle
from tasks.plans.models import Plan, PlanGoal, PlanPhase, PlanSection, PlanUnit
from tasks.plans.parser import parse
from tasks.plans.schemas import (
    GoalNode,
    ImportRequest,
    ParsedPlan,
    ParseWarning,
    PhaseNode,
    PlanUnitNode,
    SectionNode,
    TaskNode,
    UnitAssignment,
)
from tasks.units.models import Unit
from tasks.units.names import Directory
from tasks.units.service import directory as load_directory
from tasks.work import service as work
from tasks.work.models import Task, TaskUnit

# ----- import ------------------------------------------------------------------------------


def import_plan(session: Session, *, request: ImportRequest, actor: str) -> dict[str, Any]:
    """Parse the text (or check the corrected structure sent back) and, when asked, save it."""
    directory = load_directory(session)
    if request.plan is not None:
        parsed = check_corrected(session, request.plan, directory)
    else:
        parsed = parse(request.text, directory)
    result = parsed.model_dump(mode="json")
    if not request.save:
        return {**result, "plan_id": None, "saved": False}
    plan = save(session, parsed=parsed, text=request.text, actor=actor, is_demo=request.is_demo)
    return {**result, "plan_id": plan.id, "saved": True}


def _field_error(path: str, message: str) -> Invalid:
    return Invalid(f"{path}：{message}", fields=[{"field": path, "message": message}])


def _walk(nodes: list[TaskNode], path: str) -> Iterator[tuple[str, TaskNode]]:
    for i, node in enumerate(nodes):
        here = f"{path}[{i}]"
        yield here, node
        yield from _walk(node.children, f"{here}.children")


def check_corrected(session: Session, plan: ParsedPlan, directory: Directory) -> ParsedPlan:
    """A structure corrected in the preview: every unit code must exist (422 names the field);
    names left without a code stay as warnings; the warnings are computed again."""
    units = {u.code: u for u in session.scalars(select(Unit))}
    warnings: list[ParseWarning] = []

    def unit_ok(code: str | None, path: str) -> Unit | None:
        if code is None:
            return None
        unit = units.get(code)
        if unit is None:
            raise _field_error(path, f"单位编码 {code} 不存在")
        if unit.kind == "collective":
            raise _field_error(path, f"“{unit.name}”是统称，请改为具体单位（或保留原文由系统展开）")
        if not unit.is_active:
            raise _field_error(path, f"单位“{unit.name}”已停用")
        return unit

    phase_keys = {p.key for p in plan.phases}
    if len(phase_keys) != len(plan.phases):
        raise _field_error("plan.phases", "阶段编号（key）重复")
    if plan.lead_unit is not None:
        lead = unit_ok(plan.lead_unit.code, "plan.lead_unit.code")
        if lead is not None:
            plan.lead_unit.name = lead.name
    for i, pu in enumerate(plan.units):
        unit = unit_ok(pu.code, f"plan.units[{i}].code")
        if unit is None:
            warnings.append(ParseWarning(level="warning", code="unknown_unit", message=f"未识别的单位“{pu.written}”"))
        else:
            pu.name = unit.name
    keys: set[str] = set()
    for path, node in _walk(plan.tasks, "plan.tasks"):
        if node.key in keys:
            raise _field_error(f"{path}.key", f"任务编号 {node.key} 重复")
        keys.add(node.key)
        if node.phase_key is not None and node.phase_key not in phase_keys:
            raise _field_error(f"{path}.phase_key", f"阶段 {node.phase_key} 不存在")
        node.units = _resolve_written(node.units, directory)
        seen: set[str] = set()
        for j, assignment in enumerate(node.units):
            unit = unit_ok(assignment.code, f"{path}.units[{j}].code")
            if unit is None:
                warnings.append(
                    ParseWarning(
                        level="warning",
                        code="unknown_unit",
                        message=f"未识别的责任单位“{assignment.written}”（保存时不计入）",
                        where=node.title[:30],
                    )
                )
                continue
            if unit.code in seen:
                raise _field_error(f"{path}.units[{j}].code", f"单位“{unit.name}”重复")
            seen.add(unit.code)
            assignment.name = unit.name
        if node.kind != "section" and not seen:
            warnings.append(
                ParseWarning(level="warning", code="no_units", message="任务没有责任单位", where=node.title[:30])
            )
    if plan.lead_unit is None or plan.lead_unit.code is None:
        warnings.append(ParseWarning(level="warning", code="no_lead_unit", message="未指定主办单位"))
    # Sentences of the text that looked like goals but were not read as one stay in view.
    warnings += [w for w in plan.warnings if w.code == "goal_unclassified"]
    plan.warnings = warnings
    return plan


def _resolve_written(units: list[UnitAssignment], directory: Directory) -> list[UnitAssignment]:
    """A name without a code that the user retyped in the preview is looked up again (a collective
    such as 各街道办事处 expands to its members); what still matches nothing keeps no code."""
    out: list[UnitAssignment] = []
    for assignment in units:
        if assignment.code is not None or not assignment.written.strip():
            out.append(assignment)
            continue
        found = directory.resolve(assignment.written)
        if not found.units or found.matched_by not in ("exact", "variant"):
            out.append(assignment)
            continue
        taken = {a.code for a in out} | {a.code for a in units}
        for i, unit in enumerate(u for u in found.units if u.code not in taken):
            role = assignment.role if i == 0 else "co"
            out.append(
                UnitAssignment(written=assignment.written, code=unit.code, name=unit.name, role=role,
                               matched_by=found.matched_by)
            )  # fmt: skip
    return out


def save(session: Session, *, parsed: ParsedPlan, text: str, actor: str, is_demo: bool = False) -> Plan:
    """Store the plan, its outline, phases, goals, duties and the task tree (one transaction,
    built in memory and flushed in a few statements)."""
    if parsed.doc_number:
        clash = session.scalar(select(Plan.id).where(Plan.doc_number == parsed.doc_number))
        if clash is not None:
            raise Conflict(f"文号为 {parsed.doc_number} 的方案已导入（方案编号 {clash}）", error="DuplicatePlan")
    lead_code = parsed.lead_unit.code if parsed.lead_unit else None
    plan = Plan(
        title=parsed.title,
        issuer=parsed.issuer,
        doc_number=parsed.doc_number,
        issued_date=parsed.issued_date,
        lead_unit_code=lead_code,
        source_text=text,
        warnings=[w.model_dump(mode="json") for w in parsed.warnings],
        is_demo=is_demo,
        created_by=actor,
    )
    session.add(plan)
    session.flush()
    _add_sections(session, plan, parsed.sections, parent=None)
    phases: dict[str, PlanPhase] = {}
    for position, node in enumerate(parsed.phases):
        phase = PlanPhase(
            plan_id=plan.id,
            name=node.name,
            start_date=node.start_date,
            end_date=node.end_date,
            period_text=node.period_text,
            steps=list(node.steps),
            position=position,
        )
        session.add(phase)
        phases[node.key] = phase
    for position, goal in enumerate(parsed.goals):
        session.add(
            PlanGoal(
                plan_id=plan.id,
                metric=goal.metric,
                metric_name=goal.metric_name,
                comparison=goal.comparison,
                target=goal.target,
                unit=goal.unit,
                baseline=goal.baseline,
                measured_by=goal.measured_by,
                text=goal.text,
                position=position,
            )
        )
    seen_units: set[str] = set()
    duties = ([parsed.lead_unit] if parsed.lead_unit else []) + list(parsed.units)
    for position, pu in enumerate(duties):
        if pu.code is None or pu.code in seen_units:
            continue
        seen_units.add(pu.code)
        session.add(
            PlanUnit(
                plan_id=plan.id,
                unit_code=pu.code,
                role=pu.role,
                duty=pu.duty,
                written_as=pu.written[:100],
                position=position,
            )
        )
    session.flush()  # phase ids for the tasks
    counter = iter(range(1, 100_000))
    created: list[tuple[Task, list[dict[str, Any]]]] = []
    for node in parsed.tasks:
        _add_task(session, plan, node, parent=None, phases=phases, counter=counter, created=created,
                  actor=actor, is_demo=is_demo)  # fmt: skip
    _add_milestones(session, plan, phases, lead_code=lead_code, counter=counter, created=created,
                    actor=actor, is_demo=is_demo)  # fmt: skip
    session.flush()  # task ids, parents first
    rows = [{**link, "task_id": task.id} for task, links in created for link in links]
    if rows:
        session.execute(insert(TaskUnit).values(rows))  # one statement for every task's units
    for task, links in created:
        work.record_created(session, task, actor=actor, unit_codes=[link["unit_code"] for link in links])
    session.flush()
    parts.sync_plan(session, plan.id)  # 责任分解: a part per responsible unit, duty from section 四
    feed.record(session, entity="plan", entity_id=plan.id, op="create", data=plan_snapshot(plan), actor=actor)
    return plan


def _add_sections(session: Session, plan: Plan, nodes: list[SectionNode], *, parent: PlanSection | None) -> None:
    for position, node in enumerate(nodes):
        section = PlanSection(
            plan_id=plan.id,
            parent=parent,
            number=node.number[:20],
            title=node.title[:200],
            role=node.role,
            body=node.body,
            position=position,
        )
        session.add(section)
        _add_sections(session, plan, node.children, parent=section)


def _add_task(
    session: Session,
    plan: Plan,
    node: TaskNode,
    *,
    parent: Task | None,
    phases: dict[str, PlanPhase],
    counter: Iterator[int],
    created: list[tuple[Task, list[dict[str, Any]]]],
    actor: str,
    is_demo: bool,
) -> Task:
    phase = phases.get(node.phase_key) if node.phase_key else None
    assigned = [a for a in node.units if a.code]
    lead = next((a.code for a in assigned if a.role == "lead"), assigned[0].code if assigned else None)
    task = Task(
        plan_id=plan.id,
        parent=parent,
        phase_id=phase.id if phase else None,
        kind=node.kind,
        number=node.number[:30],
        title=node.title[:300],
        body=node.body,
        lead_unit_code=lead if node.kind != "section" else None,
        start_date=phase.start_date if phase else None,
        due_date=node.due_date or (phase.end_date if phase else None),
        position=next(counter),
        is_demo=is_demo,
        created_by=actor,
    )
    session.add(task)
    if node.kind != "section":
        created.append((task, _unit_links(assigned, lead=lead)))
    for child in node.children:
        _add_task(session, plan, child, parent=task, phases=phases, counter=counter, created=created,
                  actor=actor, is_demo=is_demo)  # fmt: skip
    return task


def _unit_links(assigned: list[UnitAssignment], *, lead: str | None) -> list[dict[str, Any]]:
    links: list[dict[str, Any]] = []
    seen: set[str] = set()
    for position, a in enumerate(assigned):
        if a.code is None or a.code in seen:
            continue
        seen.add(a.code)
        role = "lead" if a.code == lead or a.role == "lead" else "co"
        links.append({"unit_code": a.code, "role": role, "written_as": a.written[:100], "position": position})
    return links


def _add_milestones(
    session: Session,
    plan: Plan,
    phases: dict[str, PlanPhase],
    *,
    lead_code: str | None,
    counter: Iterator[int],
    created: list[tuple[Task, list[dict[str, Any]]]],
    actor: str,
    is_demo: bool,
) -> None:
    """The steps of each phase (成立领导小组, 召开动员会 …) become milestones due at the phase end,
    owned by the plan's lead unit, under one group per phase."""
    for phase in phases.values():
        if not phase.steps:
            continue
        group = Task(
            plan_id=plan.id,
            phase_id=phase.id,
            kind="section",
            number="",
            title=f"工作步骤：{phase.name}",
            start_date=phase.start_date,
            due_date=phase.end_date,
            position=next(counter),
            is_demo=is_demo,
            created_by=actor,
        )
        session.add(group)
        for i, step in enumerate(phase.steps, start=1):
            title, _, body = step.partition("。")
            milestone = Task(
                plan_id=plan.id,
                parent=group,
                phase_id=phase.id,
                kind="milestone",
                number=f"{i}.",
                title=title[:300],
                body=body.strip(),
                lead_unit_code=lead_code,
                start_date=phase.start_date,
                due_date=phase.end_date,
                position=next(counter),
                is_demo=is_demo,
                created_by=actor,
            )
            session.add(milestone)
            links = [{"unit_code": lead_code, "role": "lead", "written_as": "", "position": 0}] if lead_code else []
            created.append((milestone, links))


# ----- read --------------------------------------------------------------------------------


def get(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"方案 {plan_id} 不存在", error="PlanNotFound")
    return plan


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "title": plan.title,
        "doc_number": plan.doc_number,
        "issued_date": plan.issued_date,
        "lead_unit_code": plan.lead_unit_code,
        "is_demo": plan.is_demo,
    }


def list_page(session: Session, *, page: PageParams) -> tuple[list[Plan], int]:
    return paginate(session, select(Plan).order_by(Plan.id.desc()), page)


def task_counts(session: Session, plan_ids: list[int]) -> dict[int, int]:
    """Tasks each plan brought in (subtasks and nodes included, the section groups not)."""
    if not plan_ids:
        return {}
    stmt = (
        select(Task.plan_id, func.count())
        .where(Task.plan_id.in_(plan_ids), Task.kind != "section")
        .group_by(Task.plan_id)
    )
    return {plan_id: n for plan_id, n in session.execute(stmt)}


def _section_tree(rows: list[PlanSection], parent_id: int | None, prefix: str) -> list[dict[str, Any]]:
    out = []
    children = [r for r in rows if r.parent_id == parent_id]
    for i, row in enumerate(children, start=1):
        key = f"{prefix}{i}" if prefix == "s" else f"{prefix}.{i}"
        out.append(
            {
                "key": key,
                "number": row.number,
                "title": row.title,
                "role": row.role,
                "body": row.body,
                "line": None,
                "children": _section_tree(rows, row.id, key),
            }
        )
    return out


def phases_of(session: Session, plan_id: int) -> list[PlanPhase]:
    return list(session.scalars(select(PlanPhase).where(PlanPhase.plan_id == plan_id).order_by(PlanPhase.position)))


def read_model(session: Session, plan: Plan) -> dict[str, Any]:
    sections = list(
        session.scalars(select(PlanSection).where(PlanSection.plan_id == plan.id).order_by(PlanSection.position))
    )
    units = session.execute(
        select(PlanUnit, Unit.name)
        .join(Unit, Unit.code == PlanUnit.unit_code)
        .where(PlanUnit.plan_id == plan.id)
        .order_by(PlanUnit.position)
    ).all()
    goals = session.scalars(select(PlanGoal).where(PlanGoal.plan_id == plan.id).order_by(PlanGoal.position))
    lead_name = (
        session.scalar(select(Unit.name).where(Unit.code == plan.lead_unit_code)) if plan.lead_unit_code else None
    )
    return {
        "id": plan.id,
        "title": plan.title,
        "issuer": plan.issuer,
        "doc_number": plan.doc_number,
        "issued_date": plan.issued_date,
        "lead_unit_code": plan.lead_unit_code,
        "lead_unit_name": lead_name,
        "is_demo": plan.is_demo,
        "created_by": plan.created_by,
        "created_at": plan.created_at,
        "version": plan.version,
        "units": [
            PlanUnitNode(written=pu.written_as, code=pu.unit_code, name=name, role=pu.role, duty=pu.duty)  # type: ignore[arg-type]
            for pu, name in units
        ],
        "sections": _section_tree(sections, None, "s"),
        "phases": [
            PhaseNode(
                key=f"p{p.position + 1}",
                name=p.name,
                start_date=p.start_date,
                end_date=p.end_date,
                period_text=p.period_text,
                steps=list(p.steps or []),
            )
            for p in phases_of(session, plan.id)
        ],
        "goals": [_goal_node(g) for g in goals],
        "warnings": plan.warnings or [],
    }


def _goal_node(goal: PlanGoal) -> GoalNode:
    return GoalNode(
        metric=goal.metric,
        metric_name=goal.metric_name,
        comparison=goal.comparison,  # type: ignore[arg-type]
        target=goal.target,
        unit=goal.unit,
        text=goal.text,
    )


def delete_plan(session: Session, plan: Plan, *, actor: str) -> None:
    """Remove an import made by mistake, with its tasks, timeline and notices."""
    snapshot = plan_snapshot(plan)
    task_ids = list(session.scalars(select(Task.id).where(Task.plan_id == plan.id)))
    for task_id in task_ids:
        feed.record(session, entity="task", entity_id=task_id, op="delete", data={"id": task_id}, actor=actor)
    # Children first: SQLite does not order a self-referencing cascade for us.
    session.execute(delete(TaskUnit).where(TaskUnit.task_id.in_(task_ids)))
    work.delete_tasks(session, task_ids)
    session.execute(delete(ReportCycle).where(ReportCycle.plan_id == plan.id))
    session.execute(delete(PlanUnit).where(PlanUnit.plan_id == plan.id))
    session.execute(delete(PlanGoal).where(PlanGoal.plan_id == plan.id))
    session.execute(delete(PlanSection).where(PlanSection.plan_id == plan.id, PlanSection.parent_id.is_not(None)))
    session.execute(delete(PlanSection).where(PlanSection.plan_id == plan.id))
    session.execute(delete(PlanPhase).where(PlanPhase.plan_id == plan.id))
    session.delete(plan)
    session.flush()
    feed.record(session, entity="plan", entity_id=snapshot["id"], op="delete", data=snapshot, actor=actor)


# ----- goals -------------------------------------------------------------------------------


def goals(session: Session) -> list[dict[str, Any]]:
    """Every plan's quantitative goals with the end of the plan's last phase."""
    last_end = (
        select(PlanPhase.plan_id, func.max(PlanPhase.end_date).label("end_date")).group_by(PlanPhase.plan_id).subquery()
    )
    rows = session.execute(
        select(PlanGoal, Plan.title, Plan.is_demo, last_end.c.end_date)
        .join(Plan, Plan.id == PlanGoal.plan_id)
        .outerjoin(last_end, last_end.c.plan_id == PlanGoal.plan_id)
        .order_by(PlanGoal.plan_id, PlanGoal.position)
    ).all()
    out = []
    for goal, title, is_demo, end in rows:
        out.append(
            {
                "id": goal.id,
                "plan_id": goal.plan_id,
                "plan_title": title,
                **_goal_node(goal).model_dump(exclude={"target"}),
                "target": goal.target,
                "phase_end_date": end if isinstance(end, date) or end is None else date.fromisoformat(str(end)),
                "is_demo": is_demo,
            }
        )
    return out
