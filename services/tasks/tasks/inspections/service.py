"""人大代表视察、座谈 and their 整改意见: record, assign, answer, confirm or send back, 督办.

Each opinion is assigned to one or more 承办单位; each unit's share (an assignment) moves
open → answered (the unit's 整改 and evidence) → closed (the bureau confirms), or answered →
returned (sent back with a reason) → answered again. Any other move is a Conflict. An opinion
is closed when every share is closed. Lights (the tasks' rules, ``work/lights.py``): a share not
answered after its deadline is red (逾期), within the near days yellow, answered or closed green.
督办: the bureau urges an overdue share (提醒 → 督办 → 通报, one level per day at most); the rule
``urge_overdue`` does it for every overdue share once a day.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from louyu_kit.db import utcnow
from louyu_kit.errors import Conflict, Forbidden, Invalid, NotFound
from louyu_kit.files import chinese_date
from tasks.access import Actor
from tasks.inspections.models import KINDS, STATUSES, URGE_LEVELS, Inspection, Opinion, OpinionAssignment, OversightFile
from tasks.inspections.schemas import InspectionCreate, OpinionCreate
from tasks.plans.models import Plan
from tasks.units.models import Unit
from tasks.work import service as work
from tasks.work.lights import LightRules, light_for

OPEN = ("open", "answered", "returned")
AWAITING_UNIT = ("open", "returned")


# ----- personal data -----------------------------------------------------------------------


def mask_name(name: str) -> str:
    """``王建国`` → ``王**``: the surname stays, the rest is hidden (个人信息保护法)."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def may_reveal(actor: Actor) -> bool:
    """The bureau (who organises the inspections) and leaders may see the deputies' names."""
    return bool(actor.roles & {"bureau", "leader"})


# ----- lights and state ----------------------------------------------------------------------


def assignment_light(a: OpinionAssignment, deadline: date, *, today: date, rules: LightRules) -> tuple[str, str]:
    if a.status == "closed":
        return "green", "已办结"
    if a.status == "answered":
        return "green", "已反馈，待区商务局确认"
    light = light_for(due_date=deadline, progress=0, status=a.status, today=today, rules=rules)
    if light == "red":
        return light, f"已逾期 {(today - deadline).days} 天（整改期限 {chinese_date(deadline)}），尚未反馈"
    if light == "yellow":
        return light, f"距整改期限 {chinese_date(deadline)} 还有 {(deadline - today).days} 天"
    return light, f"整改期限 {chinese_date(deadline)}"


def is_overdue(a: OpinionAssignment, deadline: date, *, today: date) -> bool:
    return a.status in AWAITING_UNIT and deadline < today


def opinion_status(assignments: list[OpinionAssignment]) -> str:
    """closed when all shares are; returned if any is sent back; open if any waits; else answered."""
    statuses = {a.status for a in assignments}
    if not statuses or statuses == {"closed"}:
        return "closed"
    for status in ("returned", "open", "answered"):
        if status in statuses:
            return status
    return "open"


# ----- reading -------------------------------------------------------------------------------


def _files(session: Session, **where: int) -> list[OversightFile]:
    stmt = select(OversightFile).order_by(OversightFile.id)
    for column, value in where.items():
        stmt = stmt.where(getattr(OversightFile, column) == value)
    return list(session.scalars(stmt))


def _assignments(session: Session, opinion_ids: list[int]) -> dict[int, list[OpinionAssignment]]:
    out: dict[int, list[OpinionAssignment]] = defaultdict(list)
    if opinion_ids:
        rows = session.scalars(
            select(OpinionAssignment)
            .where(OpinionAssignment.opinion_id.in_(opinion_ids))
            .order_by(OpinionAssignment.opinion_id, OpinionAssignment.id)
        )
        for a in rows:
            out[a.opinion_id].append(a)
    return out


def _evidence(session: Session, assignment_ids: list[int]) -> dict[int, list[OversightFile]]:
    out: dict[int, list[OversightFile]] = defaultdict(list)
    if assignment_ids:
        for f in session.scalars(
            select(OversightFile).where(OversightFile.assignment_id.in_(assignment_ids)).order_by(OversightFile.id)
        ):
            out[f.assignment_id or 0].append(f)
    return out


def assignment_model(
    a: OpinionAssignment,
    deadline: date,
    *,
    names: dict[str, str],
    evidence: list[OversightFile],
    actor: Actor,
    today: date,
    rules: LightRules,
) -> dict[str, Any]:
    light, reason = assignment_light(a, deadline, today=today, rules=rules)
    return {
        "id": a.id,
        "opinion_id": a.opinion_id,
        "unit_code": a.unit_code,
        "unit_name": names.get(a.unit_code, a.unit_code),
        "status": a.status,
        "status_name": STATUSES[a.status],
        "answer": a.answer,
        "answered_by": a.answered_by,
        "answered_at": a.answered_at,
        "return_reason": a.return_reason,
        "returned_count": a.returned_count,
        "closed_by": a.closed_by,
        "closed_at": a.closed_at,
        "overdue": is_overdue(a, deadline, today=today),
        "light": light,
        "light_reason": reason,
        "urge_level": a.urge_level,
        "urge_level_name": URGE_LEVELS.get(a.urge_level, "未督办"),
        "urged_on": a.urged_on,
        "urge_note": a.urge_note,
        "mine": a.unit_code in actor.unit_codes,
        "evidence": evidence,
        "version": a.version,
    }


def opinion_models(
    session: Session, opinions: list[Opinion], *, actor: Actor, today: date, rules: LightRules
) -> list[dict[str, Any]]:
    names = work.unit_names(session)
    shares = _assignments(session, [o.id for o in opinions])
    evidence = _evidence(session, [a.id for group in shares.values() for a in group])
    inspections = {
        i.id: i
        for i in session.scalars(select(Inspection).where(Inspection.id.in_({o.inspection_id for o in opinions})))
    }
    out = []
    for o in opinions:
        group = shares.get(o.id, [])
        items = [
            assignment_model(
                a, o.deadline, names=names, evidence=evidence.get(a.id, []), actor=actor, today=today, rules=rules
            )
            for a in group
        ]
        status = opinion_status(group)
        lights = {i["light"] for i in items}
        inspection = inspections[o.inspection_id]
        out.append(
            {
                "id": o.id,
                "inspection_id": o.inspection_id,
                "inspection_title": inspection.title,
                "inspection_kind_name": KINDS[inspection.kind],
                "held_on": inspection.held_on,
                "number": o.number,
                "text": o.text,
                "deadline": o.deadline,
                "status": status,
                "status_name": STATUSES[status],
                "overdue": any(i["overdue"] for i in items),
                "light": "red" if "red" in lights else "yellow" if "yellow" in lights else "green",
                "assignments": items,
            }
        )
    return out


def _counts(session: Session, inspection_ids: list[int], today: date) -> dict[int, tuple[int, int, int]]:
    """Per inspection: opinions, opinions closed, opinions with an overdue share."""
    opinions = list(session.scalars(select(Opinion).where(Opinion.inspection_id.in_(inspection_ids))))
    shares = _assignments(session, [o.id for o in opinions])
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for o in opinions:
        group = shares.get(o.id, [])
        row = out[o.inspection_id]
        row[0] += 1
        row[1] += opinion_status(group) == "closed"
        row[2] += any(is_overdue(a, o.deadline, today=today) for a in group)
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


def summary_model(inspection: Inspection, counts: tuple[int, int, int]) -> dict[str, Any]:
    return {
        "id": inspection.id,
        "plan_id": inspection.plan_id,
        "kind": inspection.kind,
        "kind_name": KINDS[inspection.kind],
        "held_on": inspection.held_on,
        "title": inspection.title,
        "deputies": [mask_name(n) for n in inspection.deputies],
        "deputy_count": len(inspection.deputies),
        "opinions": counts[0],
        "opinions_closed": counts[1],
        "opinions_overdue": counts[2],
        "is_demo": inspection.is_demo,
    }


def list_inspections(session: Session, *, plan_id: int | None, today: date) -> list[dict[str, Any]]:
    stmt = select(Inspection).order_by(Inspection.held_on.desc(), Inspection.id.desc())
    if plan_id is not None:
        stmt = stmt.where(Inspection.plan_id == plan_id)
    items = list(session.scalars(stmt))
    counts = _counts(session, [i.id for i in items], today)
    return [summary_model(i, counts.get(i.id, (0, 0, 0))) for i in items]


def read_model(
    session: Session, inspection: Inspection, *, actor: Actor, today: date, rules: LightRules
) -> dict[str, Any]:
    names = work.unit_names(session)
    opinions = list(
        session.scalars(select(Opinion).where(Opinion.inspection_id == inspection.id).order_by(Opinion.number))
    )
    counts = _counts(session, [inspection.id], today).get(inspection.id, (0, 0, 0))
    return {
        **summary_model(inspection, counts),
        "attendees": inspection.attendees,
        "places": inspection.places,
        "buildings": inspection.buildings,
        "reporting_units": [{"code": c, "name": names.get(c, c)} for c in inspection.reporting_units],
        "minutes": inspection.minutes,
        "photos": _files(session, inspection_id=inspection.id),
        "opinion_items": opinion_models(session, opinions, actor=actor, today=today, rules=rules),
        "created_by": inspection.created_by,
        "created_at": inspection.created_at,
        "version": inspection.version,
    }


def get(session: Session, inspection_id: int) -> Inspection:
    inspection = session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound(f"视察座谈记录 {inspection_id} 不存在", error="InspectionNotFound")
    return inspection


def get_opinion(session: Session, opinion_id: int) -> Opinion:
    opinion = session.get(Opinion, opinion_id)
    if opinion is None:
        raise NotFound(f"整改意见 {opinion_id} 不存在", error="OpinionNotFound")
    return opinion


def get_assignment(session: Session, opinion: Opinion, assignment_id: int) -> OpinionAssignment:
    a = session.get(OpinionAssignment, assignment_id)
    if a is None or a.opinion_id != opinion.id:
        raise NotFound(f"整改意见 {opinion.id} 没有承办事项 {assignment_id}", error="AssignmentNotFound")
    return a


def list_opinions(
    session: Session,
    *,
    actor: Actor,
    today: date,
    rules: LightRules,
    status: str | None,
    mine: bool,
    unit: str | None,
    overdue: bool | None,
) -> list[dict[str, Any]]:
    stmt = select(Opinion).order_by(Opinion.deadline, Opinion.id)
    if mine or unit:
        codes = list(actor.unit_codes) if mine else []
        if unit:
            codes = [unit] if not mine else [c for c in codes if c == unit]
        stmt = stmt.where(
            Opinion.id.in_(select(OpinionAssignment.opinion_id).where(OpinionAssignment.unit_code.in_(codes or ["-"])))
        )
    items = opinion_models(session, list(session.scalars(stmt)), actor=actor, today=today, rules=rules)
    if status:
        items = [i for i in items if i["status"] == status]
    if overdue is not None:
        items = [i for i in items if i["overdue"] == overdue]
    return items


def figures(session: Session, *, today: date) -> dict[str, int]:
    """Open / overdue / answered / closed shares, and opinions closed, over every inspection."""
    rows = session.execute(
        select(OpinionAssignment, Opinion.deadline).join(Opinion, Opinion.id == OpinionAssignment.opinion_id)
    ).all()
    by_opinion: dict[int, list[OpinionAssignment]] = defaultdict(list)
    out = {"total": 0, "open": 0, "overdue": 0, "answered": 0, "closed": 0}
    for a, deadline in rows:
        by_opinion[a.opinion_id].append(a)
        out["total"] += 1
        out["closed" if a.status == "closed" else "open"] += 1
        out["answered"] += a.status == "answered"
        out["overdue"] += is_overdue(a, deadline, today=today)
    out["opinions"] = len(by_opinion)
    out["opinions_closed"] = sum(opinion_status(g) == "closed" for g in by_opinion.values())
    return out


# ----- writing -------------------------------------------------------------------------------


def _check_units(session: Session, codes: list[str], field: str) -> list[str]:
    seen: list[str] = []
    for code in codes:
        code = code.strip()
        if session.get(Unit, code) is None:
            raise Invalid(f"单位 {code} 不存在", fields=[{"field": field, "message": f"单位 {code} 不存在"}])
        if code not in seen:
            seen.append(code)
    return seen


def _add_opinion(session: Session, inspection: Inspection, data: OpinionCreate, *, number: int, actor: str) -> Opinion:
    codes = _check_units(session, data.unit_codes, "unit_codes")
    if data.deadline < inspection.held_on:
        raise Invalid(
            f"整改意见“{data.text[:20]}”的整改期限不能早于视察日期",
            fields=[{"field": "deadline", "message": "不能早于视察日期"}],
        )
    opinion = Opinion(
        inspection_id=inspection.id, number=number, text=data.text.strip(), deadline=data.deadline, created_by=actor
    )
    session.add(opinion)
    session.flush()
    for code in codes:
        session.add(OpinionAssignment(opinion_id=opinion.id, unit_code=code))
    session.flush()
    return opinion


def create(
    session: Session, *, data: InspectionCreate, buildings: list[dict[str, str]], actor: Actor, is_demo: bool = False
) -> Inspection:
    """An inspection or forum with its opinions (the bureau records them)."""
    actor.require_bureau("登记人大代表视察、座谈")
    if data.plan_id is not None and session.get(Plan, data.plan_id) is None:
        raise Invalid(f"工作方案 {data.plan_id} 不存在", fields=[{"field": "plan_id", "message": "方案不存在"}])
    deputies = [n.strip() for n in data.deputies if n.strip()]
    inspection = Inspection(
        plan_id=data.plan_id,
        kind=data.kind,
        held_on=data.held_on,
        title=data.title.strip(),
        deputies=deputies,
        attendees=data.attendees.strip(),
        places=[p.strip() for p in data.places if p.strip()],
        buildings=buildings,
        reporting_units=_check_units(session, data.reporting_units, "reporting_units"),
        minutes=data.minutes.strip(),
        is_demo=is_demo,
        created_by=actor.username,
    )
    session.add(inspection)
    session.flush()
    for number, item in enumerate(data.opinions, start=1):
        _add_opinion(session, inspection, item, number=number, actor=actor.username)
    return inspection


def add_opinion(session: Session, inspection: Inspection, *, data: OpinionCreate, actor: Actor) -> Opinion:
    """A further opinion of an inspection (numbered after the last)."""
    actor.require_bureau("登记整改意见")
    last = session.scalar(
        select(Opinion.number).where(Opinion.inspection_id == inspection.id).order_by(Opinion.number.desc())
    )
    return _add_opinion(session, inspection, data, number=(last or 0) + 1, actor=actor.username)


def _unit_name(session: Session, code: str) -> str:
    unit = session.get(Unit, code)
    return unit.name if unit else code


def _require_state(a: OpinionAssignment, allowed: tuple[str, ...], action: str, unit_name: str) -> None:
    if a.status not in allowed:
        raise Conflict(
            f"{unit_name}承办的整改意见当前为“{STATUSES[a.status]}”，不能{action}", error="OpinionStateConflict"
        )


def answer(session: Session, opinion: Opinion, a: OpinionAssignment, *, text: str, actor: Actor) -> OpinionAssignment:
    """The unit's 整改 taken (its own share only; again after a send-back)."""
    name = _unit_name(session, a.unit_code)
    if a.unit_code not in actor.unit_codes or not actor.roles & {"department", "street", "bureau"}:
        raise Forbidden(f"只有承办单位{name}可以反馈该整改意见的整改情况")
    _require_state(a, AWAITING_UNIT, "反馈整改情况", name)
    a.status = "answered"
    a.answer = text.strip()
    a.answered_by = actor.username
    a.answered_at = utcnow()
    session.flush()
    return a


def confirm(session: Session, opinion: Opinion, a: OpinionAssignment, *, actor: Actor) -> OpinionAssignment:
    """The bureau confirms the share closed (办结)."""
    actor.require_bureau("确认整改意见办结")
    _require_state(a, ("answered",), "确认办结", _unit_name(session, a.unit_code))
    a.status = "closed"
    a.closed_by = actor.username
    a.closed_at = utcnow()
    session.flush()
    return a


def send_back(
    session: Session, opinion: Opinion, a: OpinionAssignment, *, reason: str, actor: Actor
) -> OpinionAssignment:
    """The bureau sends the answer back with a reason; the unit answers again."""
    actor.require_bureau("退回整改情况")
    _require_state(a, ("answered",), "退回", _unit_name(session, a.unit_code))
    a.status = "returned"
    a.return_reason = reason.strip()
    a.returned_count += 1
    a.returned_by = actor.username
    a.returned_at = utcnow()
    session.flush()
    return a


def urge(
    session: Session, opinion: Opinion, a: OpinionAssignment, *, note: str, actor: Actor | None, today: date
) -> bool:
    """督办 an overdue share: one level up (提醒 → 督办 → 通报), at most once a day. False: nothing to do."""
    if actor is not None:
        actor.require_bureau("督办整改意见")
    name = _unit_name(session, a.unit_code)
    if not is_overdue(a, opinion.deadline, today=today):
        if actor is None:
            return False
        raise Conflict(f"{name}承办的整改意见未逾期或已反馈，无需督办", error="OpinionNotOverdue")
    if a.urge_level >= 3 or a.urged_on == today:
        if actor is None:
            return False
        raise Conflict(f"{name}承办的整改意见今天已督办或已通报", error="OpinionAlreadyUrged")
    a.urge_level += 1
    a.urged_on = today
    a.urge_note = note.strip() or f"整改期限 {chinese_date(opinion.deadline)} 已过，请尽快反馈整改情况"
    session.flush()
    return True


def urge_overdue(session: Session, *, today: date) -> int:
    """The daily rule: every overdue, unanswered share gets its next 督办 level (once a day)."""
    rows = session.execute(
        select(OpinionAssignment, Opinion)
        .join(Opinion, Opinion.id == OpinionAssignment.opinion_id)
        .where(OpinionAssignment.status.in_(AWAITING_UNIT), Opinion.deadline < today)
    ).all()
    return sum(urge(session, o, a, note="", actor=None, today=today) for a, o in rows)


def add_file(
    session: Session,
    *,
    filename: str,
    data: bytes,
    actor: Actor,
    inspection_id: int | None = None,
    assignment_id: int | None = None,
    summary_id: int | None = None,
) -> OversightFile:
    """A photo or PDF, its type read from the content (the rules of task attachments)."""
    if not data:
        raise Invalid("上传的文件是空的", fields=[{"field": "file", "message": "文件为空"}])
    content_type = work.sniff(data)
    if content_type is None:
        message = f"文件“{filename or '附件'}”不是图片（JPEG/PNG/WebP/GIF）或 PDF"
        raise Invalid(message, fields=[{"field": "file", "message": message}])
    f = OversightFile(
        inspection_id=inspection_id,
        assignment_id=assignment_id,
        summary_id=summary_id,
        filename=work._safe_name(filename, content_type),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_by=actor.username,
    )
    session.add(f)
    session.flush()
    return f


def add_evidence(
    session: Session, opinion: Opinion, a: OpinionAssignment, *, filename: str, data: bytes, actor: Actor
) -> OversightFile:
    """Evidence of the 整改 (the unit's own share, while it is still to answer or answered)."""
    name = _unit_name(session, a.unit_code)
    if a.unit_code not in actor.unit_codes or not actor.roles & {"department", "street", "bureau"}:
        raise Forbidden(f"只有承办单位{name}可以上传整改佐证材料")
    _require_state(a, ("open", "returned", "answered"), "上传佐证材料", name)
    return add_file(session, filename=filename, data=data, actor=actor, assignment_id=a.id)


def get_file(session: Session, file_id: int, **owner: int) -> OversightFile:
    f = session.get(OversightFile, file_id)
    if f is None or any(getattr(f, k) != v for k, v in owner.items()):
        raise NotFound(f"附件 {file_id} 不存在", error="FileNotFound")
    return f
