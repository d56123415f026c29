"""工作简报: the figures of a period gathered from tasks' own tables (tasks by unit, 督办,
visits, demands, leads) and the metrics dashboard's headline figures when metrics answers,
written into formal sections once and kept as issued (a snapshot)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from louyu_kit import files
from louyu_kit.errors import Conflict, Invalid, NotFound
from louyu_kit.paging import PageParams, paginate
from tasks.bulletins.models import DEFAULT_RECIPIENTS, SEND_METHODS, Bulletin, BulletinRecipient, BulletinSend
from tasks.bulletins.periods import Period
from tasks.clients.metrics import Headline
from tasks.demands.models import CATEGORIES, OPEN_STATUSES, Demand
from tasks.leads.models import LeadStep
from tasks.notifications import service as notifications
from tasks.notifications.models import NotificationDelivery
from tasks.parts.models import TaskPart
from tasks.supervision.models import LEVELS, SupervisionNotice
from tasks.units.models import Unit
from tasks.visits.models import Visit, VisitRound, VisitRoundBuilding, VisitSpaceChange
from tasks.work.lights import CHINA, LightRules, light_for, today_in_china
from tasks.work.models import Task, TaskUnit
from tasks.work.service import light_progress

ISSUER = "武昌区楼宇经济工作领导小组办公室"
TITLE = "楼宇经济工作简报"
UNAVAILABLE = "数据暂不可用：指标分析服务暂时无法提供本期税收等数据，相关数据待恢复后另行通报。"
WORK_KINDS = ("task", "subtask", "milestone")


def _bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as UTC instants of China's calendar days (inclusive start, exclusive end)."""
    start = datetime.combine(period.start, time.min, tzinfo=CHINA).astimezone(UTC)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=CHINA).astimezone(UTC)
    return start, end


def _pct(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "—"


# ----- the figures ------------------------------------------------------------------------


def task_figures(session: Session, period: Period, *, today: date, rules: LightRules) -> dict[str, Any]:
    """Per unit (lead or co-organiser): tasks, done, done in the period, behind (yellow), overdue (red)."""
    as_of = period.clipped_end(today)
    rows = session.execute(
        select(TaskUnit.unit_code, Task)
        .join(Task, Task.id == TaskUnit.task_id)
        .where(Task.kind.in_(WORK_KINDS), Task.status != "suspended")
    ).all()
    start, end = _bounds(period)
    per_unit: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    seen: set[int] = set()
    own: dict[tuple[int, str], tuple[int, str]] = {
        (task_id, unit): (progress, status)
        for task_id, unit, progress, status in session.execute(
            select(TaskPart.task_id, TaskPart.unit_code, TaskPart.progress, TaskPart.status)
        )
    }

    def judge(task: Task, progress: int, status: str) -> Counter[str]:
        done = status == "done" or progress >= 100
        light = light_for(
            due_date=task.due_date,
            progress=progress,
            status=status,
            today=as_of,
            start_date=task.start_date,
            rules=rules,
        )
        return Counter(
            tasks=1,
            done=int(done),
            done_in_period=int(bool(task.completed_at and start <= task.completed_at < end)),
            behind=int(not done and light == "yellow"),
            overdue=int(not done and light == "red"),
        )

    for unit_code, task in rows:
        # A unit is judged by its own part (责任分解); the totals by the task (its weakest part).
        progress, status = own.get((task.id, unit_code), (task.progress, task.status))
        per_unit[unit_code].update(judge(task, progress, status))
        if task.id not in seen:
            seen.add(task.id)
            totals.update(judge(task, light_progress(task.progress, task.weakest_progress), task.status))
    names = dict(session.execute(select(Unit.code, Unit.short_name.label("n"))).all())
    full = dict(session.execute(select(Unit.code, Unit.name)).all())
    units = [
        {
            "unit_code": code,
            "unit_name": names.get(code) or full.get(code, code),
            **{k: c[k] for k in ("tasks", "done", "done_in_period", "behind", "overdue")},
        }
        for code, c in per_unit.items()
    ]
    units.sort(key=lambda u: (-u["overdue"], -u["behind"], u["unit_code"]))
    return {
        "as_of": as_of.isoformat(),
        "total": totals["tasks"],
        "done": totals["done"],
        "done_in_period": totals["done_in_period"],
        "behind": totals["behind"],
        "overdue": totals["overdue"],
        "by_unit": units,
    }


def supervision_figures(session: Session, period: Period) -> dict[str, Any]:
    start, end = _bounds(period)
    issued = list(
        session.scalars(
            select(SupervisionNotice).where(SupervisionNotice.issued_at >= start, SupervisionNotice.issued_at < end)
        )
    )
    by_level = Counter(n.level for n in issued)
    open_now = session.execute(
        select(SupervisionNotice.unit_code, func.count())
        .where(SupervisionNotice.status == "open")
        .group_by(SupervisionNotice.unit_code)
    ).all()
    return {
        "issued": len(issued),
        "responded": sum(1 for n in issued if n.status in ("responded", "closed")),
        "by_level": [{"level": lv, "label": LEVELS.get(lv, str(lv)), "count": by_level[lv]} for lv in sorted(by_level)],
        "open_by_unit": sorted(({"unit_code": u, "open": n} for u, n in open_now), key=lambda r: -r["open"]),
    }


def visit_figures(session: Session, period: Period) -> dict[str, Any]:
    in_period = and_(Visit.visit_date >= period.start, Visit.visit_date <= period.end)
    visits = session.scalar(select(func.count()).select_from(Visit).where(in_period)) or 0
    buildings = session.scalar(select(func.count(func.distinct(Visit.building_code))).where(in_period)) or 0
    changes = session.execute(
        select(VisitSpaceChange.status_after, func.count())
        .join(Visit, Visit.id == VisitSpaceChange.visit_id)
        .where(in_period)
        .group_by(VisitSpaceChange.status_after)
    ).all()
    by_status = {status: n for status, n in changes}
    rounds = []
    for round_ in session.scalars(
        select(VisitRound)
        .where(VisitRound.start_date <= period.end, VisitRound.end_date >= period.start)
        .order_by(VisitRound.start_date)
    ):
        visited = {
            code
            for (code,) in session.execute(
                select(func.distinct(Visit.building_code)).where(Visit.round_id == round_.id)
            ).all()
        }
        per_street: dict[str, list[Any]] = defaultdict(lambda: ["", 0, 0])
        for b in session.scalars(select(VisitRoundBuilding).where(VisitRoundBuilding.round_id == round_.id)):
            entry = per_street[b.street_code]
            entry[0] = b.street_name or b.street_code
            entry[1] += 1
            entry[2] += b.building_code in visited
        total = sum(e[1] for e in per_street.values())
        done = sum(e[2] for e in per_street.values())
        rounds.append(
            {
                "name": round_.name,
                "buildings": total,
                "visited": done,
                "rate": _pct(done, total),
                "by_street": [
                    {"street_code": code, "street_name": name, "buildings": n, "visited": v, "rate": _pct(v, n)}
                    for code, (name, n, v) in sorted(per_street.items())
                ],
            }
        )
    return {
        "visits": visits,
        "buildings": buildings,
        "spaces_changed": sum(by_status.values()),
        "spaces_vacant": by_status.get("vacant", 0),
        "spaces_let": by_status.get("leased", 0) + by_status.get("self_use", 0),
        "rounds": rounds,
    }


def demand_figures(session: Session, period: Period, *, today: date) -> dict[str, Any]:
    start, end = _bounds(period)
    received = list(session.scalars(select(Demand).where(Demand.created_at >= start, Demand.created_at < end)))
    answered = list(session.scalars(select(Demand).where(Demand.answered_at >= start, Demand.answered_at < end)))
    closed = list(session.scalars(select(Demand).where(Demand.closed_at >= start, Demand.closed_at < end)))
    on_time = sum(1 for d in answered if d.answered_at and d.answered_at.astimezone(CHINA).date() <= d.due_date)
    overdue_open = (
        session.scalar(
            select(func.count())
            .select_from(Demand)
            .where(Demand.status.in_(OPEN_STATUSES), Demand.due_date < period.clipped_end(today))
        )
        or 0
    )
    scores = [d.satisfaction for d in closed if d.satisfaction]
    by_category = Counter(d.category for d in received)
    return {
        "received": len(received),
        "answered": len(answered),
        "answered_on_time": on_time,
        "closed": len(closed),
        "overdue_open": overdue_open,
        "satisfaction_avg": round(sum(scores) / len(scores), 2) if scores else None,
        "by_category": [
            {"category": code, "label": CATEGORIES[code], "count": by_category[code]}
            for code in CATEGORIES
            if by_category[code]
        ],
    }


def lead_figures(session: Session, period: Period) -> dict[str, Any]:
    rows = session.execute(
        select(LeadStep.stage_after, func.count())
        .where(LeadStep.step_date >= period.start, LeadStep.step_date <= period.end)
        .group_by(LeadStep.stage_after)
    ).all()
    counts = {stage: n for stage, n in rows}
    return {"new": counts.get("new", 0), "signed": counts.get("signed", 0), "lost": counts.get("lost", 0)}


def gather(session: Session, period: Period, *, headline: Headline | None, rules: LightRules) -> dict[str, Any]:
    today = today_in_china()
    return {
        "period": {
            "key": period.key,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "metrics": headline.model_dump() if headline else None,
        "tasks": task_figures(session, period, today=today, rules=rules),
        "supervision": supervision_figures(session, period),
        "visits": visit_figures(session, period),
        "demands": demand_figures(session, period, today=today),
        "leads": lead_figures(session, period),
    }


# ----- the text ---------------------------------------------------------------------------


def data_month(as_of: str, period_end: str) -> str:
    """The month the figures are as of, never past the bulletin's period (a third-quarter
    bulletin's figures are 截至2025年9月 even when later months are already in): 2025年9月."""
    month = min(as_of[:7], period_end[:7])
    return files.chinese_month(int(month[:4]), int(month[5:7]))


def sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The bulletin's sections in formal Chinese: heading, paragraphs, an optional table."""
    label = data["period"]["label"]
    out: list[dict[str, Any]] = []

    metrics = data["metrics"]
    if metrics and not metrics["figures"]:
        paragraphs = [f"指标分析服务尚无{label}的税收、入驻等数据。"]
    elif metrics:
        paragraphs = [
            "；".join(
                f"{f['label']}{f['value']}" + (f"（{f['note']}）" if f["note"] else "") for f in metrics["figures"]
            )
            + "。"
        ]
        if metrics.get("as_of"):
            paragraphs.append(
                f"（数据截至{data_month(metrics['as_of'], data['period']['end'])}，来源：指标分析服务。）"
            )
    else:
        paragraphs = [UNAVAILABLE]
    out.append({"heading": "一、主要指标", "paragraphs": paragraphs, "table": None})

    t = data["tasks"]
    text = (
        f"截至{files.chinese_dates_in(t['as_of'])}，方案任务共{t['total']}项，已完成{t['done']}项"
        f"（本期完成{t['done_in_period']}项），完成率{_pct(t['done'], t['total'])}；"
        f"临期或进度滞后（黄灯）{t['behind']}项，逾期未完成（红灯）{t['overdue']}项。"
    )
    behind_units = [u for u in t["by_unit"] if u["behind"] or u["overdue"]]
    if behind_units:
        text += (
            "进度滞后的单位："
            + "、".join(f"{u['unit_name']}（黄灯{u['behind']}项、红灯{u['overdue']}项）" for u in behind_units[:10])
            + "。"
        )
    out.append(
        {
            "heading": "二、重点任务推进情况",
            "paragraphs": [text],
            "table": {
                "columns": ["责任单位", "任务数", "已完成", "本期完成", "黄灯", "红灯"],
                "rows": [
                    [u["unit_name"], u["tasks"], u["done"], u["done_in_period"], u["behind"], u["overdue"]]
                    for u in t["by_unit"]
                ],
            }
            if t["by_unit"]
            else None,
        }
    )

    s = data["supervision"]
    levels = "、".join(f"{lv['label']}{lv['count']}份" for lv in s["by_level"])
    text = f"{label}共发出督办单{s['issued']}份" + (f"（{levels}）" if levels else "") + f"，已回复{s['responded']}份。"
    if s["open_by_unit"]:
        text += f"目前仍有{sum(r['open'] for r in s['open_by_unit'])}份督办单待回复。"
    out.append({"heading": "三、督办情况", "paragraphs": [text], "table": None})

    v = data["visits"]
    text = (
        f"{label}共开展扫楼走访{v['visits']}次，走访楼宇{v['buildings']}栋，更新房源状态{v['spaces_changed']}处"
        f"（新发现空置{v['spaces_vacant']}处、新出租或自用{v['spaces_let']}处）。"
    )
    rows = []
    for r in v["rounds"]:
        text += f"“{r['name']}”应走访楼宇{r['buildings']}栋，已走访{r['visited']}栋，覆盖率{r['rate']}。"
        rows.extend(
            [f"{r['name']}", s_["street_name"], s_["buildings"], s_["visited"], s_["rate"]] for s_ in r["by_street"]
        )
    out.append(
        {
            "heading": "四、扫楼行动",
            "paragraphs": [text],
            "table": {"columns": ["轮次", "街道", "应走访", "已走访", "覆盖率"], "rows": rows} if rows else None,
        }
    )

    d = data["demands"]
    text = (
        f"{label}新收企业诉求{d['received']}件，答复{d['answered']}件（按期答复{d['answered_on_time']}件，"
        f"按期率{_pct(d['answered_on_time'], d['answered'])}），办结{d['closed']}件"
    )
    text += f"，企业平均满意度{d['satisfaction_avg']}分（满分5分）" if d["satisfaction_avg"] is not None else ""
    text += f"；超期未答复{d['overdue_open']}件。"
    if d["by_category"]:
        text += "新收诉求中，" + "、".join(f"{c['label']}类{c['count']}件" for c in d["by_category"]) + "。"
    out.append({"heading": "五、企业诉求办理", "paragraphs": [text], "table": None})

    leads = data["leads"]
    out.append(
        {
            "heading": "六、招商线索",
            "paragraphs": [f"{label}新增招商线索{leads['new']}条，签约{leads['signed']}条，流失{leads['lost']}条。"],
            "table": None,
        }
    )
    return out


# ----- bulletins --------------------------------------------------------------------------


def create(
    session: Session,
    *,
    period: Period,
    issue_no: int | None,
    headline: Headline | None,
    rules: LightRules,
    actor: str,
    recipients: list[tuple[str, str]] | None = None,
) -> Bulletin:
    """Issue the bulletin of ``period`` (第 N 期 of its year; the next number when not given)."""
    if issue_no is None:
        issue_no = (session.scalar(select(func.max(Bulletin.issue_no)).where(Bulletin.year == period.year)) or 0) + 1
    elif session.scalar(select(Bulletin.id).where(Bulletin.year == period.year, Bulletin.issue_no == issue_no)):
        raise Conflict(f"{period.year}年第{issue_no}期简报已经存在", error="DuplicateIssue")
    data = gather(session, period, headline=headline, rules=rules)
    issued_on = today_in_china()
    content = {
        "issuer": ISSUER,
        "issued_on": issued_on.isoformat(),
        "data": data,
        "sections": sections(data),
    }
    bulletin = Bulletin(
        year=period.year,
        issue_no=issue_no,
        period=period.key,
        start_date=period.start,
        end_date=period.end,
        title=f"{TITLE}（{period.label}）",
        content=content,
        metrics_available=headline is not None,
        created_by=actor,
    )
    session.add(bulletin)
    session.flush()
    named = recipients if recipients is not None else [(name, "") for name in DEFAULT_RECIPIENTS]
    seen: set[str] = set()
    for position, (name, email) in enumerate(named):
        if name.strip() in seen:
            raise Invalid(f"报送单位“{name.strip()}”重复", fields=[{"field": "recipients", "message": "报送单位重复"}])
        seen.add(name.strip())
        session.add(
            BulletinRecipient(bulletin_id=bulletin.id, name=name.strip(), email=email.strip(), position=position)
        )
    session.flush()
    return bulletin


def get(session: Session, bulletin_id: int) -> Bulletin:
    bulletin = session.get(Bulletin, bulletin_id)
    if bulletin is None:
        raise NotFound(f"简报 {bulletin_id} 不存在", error="BulletinNotFound")
    return bulletin


def list_page(session: Session, *, year: int | None, page: PageParams) -> tuple[list[Bulletin], int]:
    stmt = select(Bulletin)
    if year is not None:
        stmt = stmt.where(Bulletin.year == year)
    return paginate(session, stmt.order_by(Bulletin.year.desc(), Bulletin.issue_no.desc()), page)


def read_model(bulletin: Bulletin, *, full: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": bulletin.id,
        "year": bulletin.year,
        "issue_no": bulletin.issue_no,
        "period": bulletin.period,
        "start_date": bulletin.start_date,
        "end_date": bulletin.end_date,
        "title": bulletin.title,
        "issuer": bulletin.content["issuer"],
        "issued_on": bulletin.content["issued_on"],
        "metrics_available": bulletin.metrics_available,
        "created_by": bulletin.created_by,
        "created_at": bulletin.created_at,
    }
    if full:
        out["sections"] = bulletin.content["sections"]
        out["data"] = bulletin.content["data"]
    return out


# ----- recipients and the send log ---------------------------------------------------------


def recipients_of(session: Session, bulletin: Bulletin) -> list[dict[str, Any]]:
    """The bodies a bulletin goes to, each with its send log (an outbox send shows its delivery's state)."""
    recipients = session.scalars(
        select(BulletinRecipient)
        .where(BulletinRecipient.bulletin_id == bulletin.id)
        .order_by(BulletinRecipient.position, BulletinRecipient.id)
    ).all()
    sends = session.scalars(
        select(BulletinSend).where(BulletinSend.bulletin_id == bulletin.id).order_by(BulletinSend.id)
    ).all()
    notification_ids = {s.notification_id for s in sends if s.notification_id}
    states: dict[int, set[str]] = defaultdict(set)
    if notification_ids:
        for nid, st in session.execute(
            select(NotificationDelivery.notification_id, NotificationDelivery.status).where(
                NotificationDelivery.notification_id.in_(notification_ids)
            )
        ):
            states[nid].add(st)

    def status(send: BulletinSend) -> str:
        if send.method == "printed":
            return "recorded"
        found = states.get(send.notification_id or 0, set())
        if "sent" in found:
            return "sent"
        if "failed" in found and "pending" not in found:
            return "failed"
        return "queued"

    by_recipient: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for send in sends:
        by_recipient[send.recipient_id].append(
            {
                "id": send.id,
                "method": send.method,
                "method_label": SEND_METHODS[send.method],
                "status": status(send),
                "note": send.note,
                "recorded_by": send.recorded_by,
                "recorded_at": send.recorded_at,
            }
        )
    return [{"id": r.id, "name": r.name, "email": r.email, "sends": by_recipient[r.id]} for r in recipients]


def record_send(
    session: Session, bulletin: Bulletin, *, recipient_id: int, method: str, note: str, actor: str
) -> BulletinSend:
    """Send through the notification outbox (the recipient needs an e-mail address), or record a
    printed copy delivered by hand."""
    recipient = session.get(BulletinRecipient, recipient_id)
    if recipient is None or recipient.bulletin_id != bulletin.id:
        raise NotFound(f"报送单位 {recipient_id} 不在本期简报的报送名单中", error="RecipientNotFound")
    notification_id = None
    if method == "outbox":
        if not recipient.email:
            raise Invalid(
                f"“{recipient.name}”没有电子邮箱，不能由系统发送；可打印送达后登记",
                fields=[{"field": "recipient_id", "message": "没有电子邮箱"}],
            )
        count = session.scalar(
            select(func.count()).where(BulletinSend.recipient_id == recipient.id, BulletinSend.method == "outbox")
        )
        notification = notifications.record(
            session,
            event="bulletin.sent",
            event_key=f"bulletin.sent:{bulletin.id}:{recipient.id}:{(count or 0) + 1}",
            subject=f"{bulletin.title}（{bulletin.year}年第{bulletin.issue_no}期）",
            body=f"{recipient.name}：\n现报送{bulletin.title}，请审阅。",
            link="/bulletins",
            email_to=recipient.email,
            actor=actor,
        )
        notification_id = notification.id
    send = BulletinSend(
        bulletin_id=bulletin.id,
        recipient_id=recipient.id,
        method=method,
        notification_id=notification_id,
        note=note.strip(),
        recorded_by=actor,
    )
    session.add(send)
    session.flush()
    return send
