"""督办: notices on yellow/red tasks (by a person or the daily rule), responses, escalation.

Words: the 督办单位 issues a notice (the plan's 主办单位, 区商务局, as 领导小组办公室); the 承办单位
(``unit_code``) is the unit supervised, which answers.

Daily rule (``run_rule``; in the service every LOUYU_TASKS_SUPERVISION_INTERVAL_SECONDS, and on
demand by the bureau), per part (责任分解, tasks.parts):
- for every unfinished part of an unfinished task, sub-task or milestone whose own light is yellow
  or red and whose unit has no light notice still open or answered on that task, issue one to the
  part's unit (level 1 for yellow, 2 for red): a lagging co-unit is supervised, a lead on track is
  not. At most one per part per source per day (a unique key on task, unit, source, rule date).
- for every part whose report is due (tasks.parts.service, the reporting cycle) and that has no
  open report notice, a 提醒 (level 1, ``source`` report) due by the report date plus the grace
  days; a report on the part answers it; left unanswered past the grace days it is escalated to
  a 督办 by the next rule.
A notice not answered by its deadline is escalated one level (up to 3, 通报) once, and gets a new
deadline. Running the rule twice on one day changes nothing the second time.
A new notice and an overdue one are recorded in the notification outbox (tasks.notifications).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from louyu_kit.changes import savepoint
from louyu_kit.db import utcnow
from louyu_kit.errors import Conflict, Forbidden, Invalid, NotFound
from louyu_kit.files import chinese_date
from louyu_kit.paging import PageParams, paginate
from tasks.access import Actor
from tasks.db import feed
from tasks.notifications import service as notifications
from tasks.parts import service as parts
from tasks.parts.derive import part_light
from tasks.parts.models import TaskPart
from tasks.plans.models import Plan
from tasks.supervision.models import LEVELS, SupervisionNotice
from tasks.supervision.schemas import NoticeCreate
from tasks.units.models import Unit
from tasks.work import service as work
from tasks.work.lights import LightRules, reason_for
from tasks.work.models import Task

RULE_ACTOR = "督办规则"


def snapshot(notice: SupervisionNotice) -> dict[str, Any]:
    return {
        "id": notice.id,
        "task_id": notice.task_id,
        "unit_code": notice.unit_code,
        "level": notice.level,
        "status": notice.status,
        "respond_by": notice.respond_by,
        "source": notice.source,
    }


def read_model(
    notice: SupervisionNotice,
    *,
    names: dict[str, str],
    titles: dict[int, str],
    today: date,
    issuers: dict[int, str] | None = None,
) -> dict:
    return {
        "issuer_name": (issuers or {}).get(notice.task_id) or "区商务局",
        "id": notice.id,
        "task_id": notice.task_id,
        "task_title": titles.get(notice.task_id, ""),
        "unit_code": notice.unit_code,
        "unit_name": names.get(notice.unit_code, notice.unit_code),
        "level": notice.level,
        "level_name": LEVELS.get(notice.level, str(notice.level)),
        "light": notice.light,
        "reason": notice.reason,
        "source": notice.source,
        "status": notice.status,
        "respond_by": notice.respond_by,
        "overdue": notice.status == "open" and notice.respond_by < today,
        "issued_by": notice.issued_by,
        "issued_at": notice.issued_at,
        "escalated_at": notice.escalated_at,
        "response": notice.response,
        "responded_by": notice.responded_by,
        "responded_at": notice.responded_at,
        "closed_by": notice.closed_by,
        "closed_at": notice.closed_at,
        "version": notice.version,
    }


def read_many(session: Session, notices: list[SupervisionNotice], *, today: date) -> list[dict]:
    names = work.unit_names(session)
    ids = {n.task_id for n in notices}
    titles: dict[int, str] = {}
    issuers: dict[int, str] = {}
    if ids:
        rows = session.execute(
            select(Task.id, Task.title, Plan.lead_unit_code).join(Plan, Plan.id == Task.plan_id).where(Task.id.in_(ids))
        )
        for task_id, title, lead in rows:
            titles[task_id] = title
            if lead:
                issuers[task_id] = names.get(lead, lead)
    return [read_model(n, names=names, titles=titles, today=today, issuers=issuers) for n in notices]


def get(session: Session, notice_id: int, *, actor: Actor) -> SupervisionNotice:
    notice = session.get(SupervisionNotice, notice_id)
    if notice is None or not _may_read(session, notice, actor):
        raise NotFound(f"督办单 {notice_id} 不存在", error="NoticeNotFound")
    return notice


def _sees_all(actor: Actor) -> bool:
    """Leaders and the bureau see every notice; a unit sees the notices addressed to it."""
    return actor.manages_all or "leader" in actor.roles


def _may_read(session: Session, notice: SupervisionNotice, actor: Actor) -> bool:
    return _sees_all(actor) or notice.unit_code in actor.unit_codes


def _visible(actor: Actor) -> Any:
    if _sees_all(actor):
        return true()
    return SupervisionNotice.unit_code.in_(actor.unit_codes or ["-"])


def list_page(
    session: Session,
    *,
    actor: Actor,
    unit: str | None,
    status: str | None,
    task_id: int | None,
    level: int | None,
    mine: bool,
    page: PageParams,
) -> tuple[list[SupervisionNotice], int]:
    stmt = select(SupervisionNotice).where(_visible(actor))
    if mine:
        stmt = stmt.where(SupervisionNotice.unit_code.in_(actor.unit_codes or ["-"]))
    if unit:
        stmt = stmt.where(SupervisionNotice.unit_code == unit)
    if status:
        stmt = stmt.where(SupervisionNotice.status == status)
    if task_id is not None:
        stmt = stmt.where(SupervisionNotice.task_id == task_id)
    if level is not None:
        stmt = stmt.where(SupervisionNotice.level == level)
    return paginate(session, stmt.order_by(SupervisionNotice.id.desc()), page)


def open_by_unit(session: Session, *, actor: Actor, today: date) -> list[dict[str, Any]]:
    """Per unit: notices waiting for its answer, answered but not closed, overdue, highest level."""
    rows = session.execute(
        select(
            SupervisionNotice.unit_code,
            Unit.name,
            func.sum(case((SupervisionNotice.status == "open", 1), else_=0)),
            func.sum(case((SupervisionNotice.status == "responded", 1), else_=0)),
            func.sum(case(((SupervisionNotice.status == "open") & (SupervisionNotice.respond_by < today), 1), else_=0)),
            func.max(SupervisionNotice.level),
        )
        .join(Unit, Unit.code == SupervisionNotice.unit_code)
        .where(SupervisionNotice.status != "closed", _visible(actor))
        .group_by(SupervisionNotice.unit_code, Unit.name, Unit.sort_order)
        .order_by(Unit.sort_order, SupervisionNotice.unit_code)
    ).all()
    return [
        {
            "unit_code": code,
            "unit_name": name,
            "open": int(open_ or 0),
            "responded": int(responded or 0),
            "overdue": int(overdue or 0),
            "max_level": int(level or 0),
        }
        for code, name, open_, responded, overdue, level in rows
    ]


def issue(
    session: Session,
    *,
    data: NoticeCreate,
    actor: Actor,
    today: date,
    rules: LightRules,
    respond_days: int,
) -> SupervisionNotice:
    """A notice issued by a person (the bureau) on a yellow or red task."""
    actor.require_bureau("发出督办单")
    task = session.get(Task, data.task_id)
    if task is None:
        raise NotFound(f"任务 {data.task_id} 不存在", error="TaskNotFound")
    if task.kind == "section":
        raise Invalid("请对具体任务督办，而非任务分组", fields=[{"field": "task_id", "message": "不能督办任务分组"}])
    light = work.light_of(task, today=today, rules=rules)
    if light == "green":
        raise Conflict(f"任务“{task.title}”当前为绿灯（正常推进），无需督办", error="TaskOnTrack")
    codes = work.unit_codes_of(session, task)
    task_parts = parts.parts_of(session, task.id)
    weakest = min(task_parts, key=lambda p: (p.progress, p.role != "lead"), default=None)
    unit_code = data.unit_code or (weakest.unit_code if weakest else task.lead_unit_code)
    if unit_code is None or unit_code not in codes:
        message = f"单位 {unit_code} 不是该任务的责任单位" if unit_code else "任务没有牵头单位，请指定承办单位"
        raise Invalid(message, fields=[{"field": "unit_code", "message": message}])
    part = next((p for p in task_parts if p.unit_code == unit_code), None)
    reason = ""
    if part is not None and task.status != "done":
        light = part_light(parts.state_of(part), start_date=task.start_date, due_date=task.due_date, today=today,
                           rules=rules)  # fmt: skip
        if light == "green":
            name = work.unit_names(session).get(unit_code, unit_code)
            raise Conflict(f"{name}在任务“{task.title}”中的分项为绿灯（正常推进），无需督办", error="PartOnTrack")
        reason = parts.part_reason(part, task, today=today, rules=rules)
    clash = session.scalar(
        select(SupervisionNotice.id).where(
            SupervisionNotice.task_id == task.id,
            SupervisionNotice.unit_code == unit_code,
            SupervisionNotice.status == "open",
        )
    )
    if clash is not None:
        raise Conflict(f"该单位已有未回复的督办单（编号 {clash}），可升级等级", error="NoticeAlreadyOpen")
    respond_by = data.respond_by or today + timedelta(days=respond_days)
    if respond_by < today:
        raise Invalid("回复期限不能早于今天", fields=[{"field": "respond_by", "message": "不能早于今天"}])
    return _create(
        session,
        task,
        unit_code=unit_code,
        level=data.level or (2 if light == "red" else 1),
        light=light,
        reason=data.reason.strip() or reason or _reason(task, today=today, rules=rules),
        source="manual",
        rule_date=None,
        respond_by=respond_by,
        actor=actor.username,
    )


def _reason(task: Task, *, today: date, rules: LightRules) -> str:
    return reason_for(
        due_date=task.due_date,
        progress=task.progress,
        status=task.status,
        today=today,
        start_date=task.start_date,
        rules=rules,
    )


def _create(
    session: Session,
    task: Task,
    *,
    unit_code: str,
    level: int,
    light: str,
    reason: str,
    source: str,
    rule_date: date | None,
    respond_by: date,
    actor: str,
) -> SupervisionNotice:
    notice = SupervisionNotice(
        task_id=task.id,
        unit_code=unit_code,
        level=level,
        light=light,
        reason=reason,
        source=source,
        rule_date=rule_date,
        respond_by=respond_by,
        issued_by=actor,
    )
    session.add(notice)
    session.flush()
    work.note_supervision(
        session,
        task,
        text=f"发出{LEVELS[level]}督办单（编号 {notice.id}），请于 {chinese_date(respond_by)} 前回复：{reason}",
        actor=actor,
        unit_code=unit_code,
    )
    feed.record(session, entity="supervision", entity_id=notice.id, op="create", data=snapshot(notice), actor=actor)
    unit = session.get(Unit, unit_code)
    notifications.record(
        session,
        event="supervision.issued",
        event_key=f"supervision.issued:{notice.id}",
        subject=f"【{LEVELS[level]}】{unit.name if unit else unit_code}：{task.title}",
        body=f"督办单编号 {notice.id}，请于 {chinese_date(respond_by)} 前回复。\n督办事由：{reason}",
        link="/supervision?status=open",
        unit_code=unit_code,
        actor=actor,
    )
    return notice


def _record_overdue(session: Session, notice: SupervisionNotice) -> None:
    """A notice past its deadline unanswered: one event per deadline (an escalated notice that
    runs late again is a new event)."""
    task = session.get(Task, notice.task_id)
    unit = session.get(Unit, notice.unit_code)
    notifications.record(
        session,
        event="supervision.overdue",
        event_key=f"supervision.overdue:{notice.id}:{notice.respond_by.isoformat()}",
        subject=f"【督办超期】{unit.name if unit else notice.unit_code}：{task.title if task else notice.task_id}",
        body=f"督办单编号 {notice.id} 的回复期限 {chinese_date(notice.respond_by)} 已过，尚未回复。",
        link="/supervision?status=open",
        unit_code=notice.unit_code,
        actor=RULE_ACTOR,
    )


def respond(session: Session, notice: SupervisionNotice, *, text: str, actor: Actor) -> SupervisionNotice:
    """The addressed unit answers (what it did, what it will do)."""
    if notice.unit_code not in actor.unit_codes:
        raise Forbidden("只有被督办的单位可以回复督办单")
    if notice.status == "closed":
        raise Conflict("督办单已办结，不能再回复", error="NoticeClosed")
    notice.response = text.strip()
    notice.responded_by = actor.username
    notice.responded_at = utcnow()
    notice.status = "responded"
    session.flush()
    task = session.get(Task, notice.task_id)
    if task is not None:
        work.note_supervision(
            session, task, text=f"回复督办单（编号 {notice.id}）：{notice.response}", actor=actor.username,
            unit_code=notice.unit_code,
        )  # fmt: skip
    feed.record(
        session, entity="supervision", entity_id=notice.id, op="update", data=snapshot(notice), actor=actor.username
    )
    return notice


def close(session: Session, notice: SupervisionNotice, *, note: str, actor: Actor) -> SupervisionNotice:
    actor.require_bureau("办结督办单")
    if notice.status == "closed":
        raise Conflict("督办单已办结", error="NoticeClosed")
    notice.status = "closed"
    notice.closed_by = actor.username
    notice.closed_at = utcnow()
    session.flush()
    task = session.get(Task, notice.task_id)
    if task is not None:
        text = f"督办单（编号 {notice.id}）办结" + (f"：{note.strip()}" if note.strip() else "")
        work.note_supervision(session, task, text=text, actor=actor.username, unit_code=notice.unit_code)
    feed.record(
        session, entity="supervision", entity_id=notice.id, op="update", data=snapshot(notice), actor=actor.username
    )
    return notice


def escalate(
    session: Session, notice: SupervisionNotice, *, actor: str, today: date, respond_days: int
) -> SupervisionNotice:
    """One level up (提醒 → 督办 → 通报), a new deadline, the answer required again."""
    if notice.status == "closed":
        raise Conflict("督办单已办结，不能升级", error="NoticeClosed")
    if notice.level >= 3:
        raise Conflict("督办单已是最高等级（通报）", error="NoticeAtTopLevel")
    notice.level += 1
    notice.status = "open"
    notice.escalated_at = utcnow()
    notice.respond_by = today + timedelta(days=respond_days)
    session.flush()
    task = session.get(Task, notice.task_id)
    if task is not None:
        text = f"督办单（编号 {notice.id}）升级为{LEVELS[notice.level]}，请于 {chinese_date(notice.respond_by)} 前回复"
        work.note_supervision(session, task, text=text, actor=actor, unit_code=notice.unit_code)
    feed.record(session, entity="supervision", entity_id=notice.id, op="update", data=snapshot(notice), actor=actor)
    return notice


def run_rule(
    session: Session,
    *,
    today: date,
    rules: LightRules,
    respond_days: int,
    report_day: int = parts.DEFAULT_DAY,
    grace_days: int = parts.DEFAULT_GRACE_DAYS,
) -> dict[str, Any]:
    """The daily rule (see the module docstring). Idempotent for one ``today``."""
    issued = escalated = reminded = 0
    names = work.unit_names(session)
    active = {
        (task_id, unit)
        for task_id, unit in session.execute(
            select(SupervisionNotice.task_id, SupervisionNotice.unit_code).where(
                SupervisionNotice.status != "closed", SupervisionNotice.source.in_(("rule", "manual"))
            )
        )
    }
    today_rule = {
        (task_id, unit)
        for task_id, unit in session.execute(
            select(SupervisionNotice.task_id, SupervisionNotice.unit_code).where(
                SupervisionNotice.rule_date == today, SupervisionNotice.source == "rule"
            )
        )
    }
    candidates = session.execute(
        select(TaskPart, Task)
        .join(Task, Task.id == TaskPart.task_id)
        .where(
            Task.kind.in_(work.WORK_KINDS),
            Task.status.not_in(("done", "suspended")),
            Task.due_date.is_not(None),
            TaskPart.status != "done",
            TaskPart.progress < 100,
        )
        .order_by(Task.id, TaskPart.id)
    ).all()
    for part, task in candidates:
        key = (task.id, part.unit_code)
        if key in active or key in today_rule:
            continue
        light = part_light(
            parts.state_of(part), start_date=task.start_date, due_date=task.due_date, today=today, rules=rules
        )
        if light == "green":
            continue
        reason = parts.part_reason(part, task, today=today, rules=rules)
        if part.role != "lead":
            reason = f"{names.get(part.unit_code, part.unit_code)}（配合单位）分项：{reason}"
        if _issue_by_rule(
            session,
            task,
            unit_code=part.unit_code,
            level=2 if light == "red" else 1,
            light=light,
            reason=reason,
            source="rule",
            today=today,
            respond_by=today + timedelta(days=respond_days),
        ):
            issued += 1
    # Reports due on the cycle: a 提醒 on the due day, answered by the report itself.
    open_report = {
        (task_id, unit)
        for task_id, unit in session.execute(
            select(SupervisionNotice.task_id, SupervisionNotice.unit_code).where(
                SupervisionNotice.status == "open", SupervisionNotice.source == "report"
            )
        )
    }
    report_today = {
        (task_id, unit)
        for task_id, unit in session.execute(
            select(SupervisionNotice.task_id, SupervisionNotice.unit_code).where(
                SupervisionNotice.rule_date == today, SupervisionNotice.source == "report"
            )
        )
    }
    for due in parts.due_parts(session, unit_codes=None, today=today, grace_days=grace_days, default_day=report_day):
        key = (due.task_id, due.unit_code)
        if key in open_report or key in report_today or due.due_date > today:
            continue
        task = session.get(Task, due.task_id)
        if task is None:
            continue
        reason = f"未按期报送分项进展：应于{chinese_date(due.due_date)}报送，请尽快报送（宽限{grace_days}天）"
        if _issue_by_rule(
            session,
            task,
            unit_code=due.unit_code,
            level=1,
            light=work.light_of(task, today=today, rules=rules),
            reason=reason,
            source="report",
            today=today,
            respond_by=due.due_date + timedelta(days=grace_days),
        ):
            reminded += 1
    overdue = session.scalars(
        select(SupervisionNotice).where(SupervisionNotice.status == "open", SupervisionNotice.respond_by < today)
    ).all()
    for notice in overdue:
        _record_overdue(session, notice)  # in this transaction, before escalation sets a new deadline
        if notice.level < 3:
            escalate(session, notice, actor=RULE_ACTOR, today=today, respond_days=respond_days)
            escalated += 1
    return {"run_date": today, "issued": issued, "escalated": escalated, "reminded": reminded}


def _issue_by_rule(
    session: Session,
    task: Task,
    *,
    unit_code: str,
    level: int,
    light: str,
    reason: str,
    source: str,
    today: date,
    respond_by: date,
) -> bool:
    try:
        with savepoint(session):
            _create(
                session,
                task,
                unit_code=unit_code,
                level=level,
                light=light,
                reason=reason,
                source=source,
                rule_date=today,
                respond_by=respond_by,
                actor=RULE_ACTOR,
            )
    except IntegrityError:
        return False  # a concurrent run (another worker) issued it a moment ago
    return True
