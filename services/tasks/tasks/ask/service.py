"""Reading a task question (unit names and aliases from the unit directory, lights, states,
督办) and answering it with ``tasks.work.service.list_page`` / ``tasks.supervision.service.
list_page`` — the functions of ``GET /tasks`` and ``GET /supervision/notices`` — for the caller."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from sqlalchemy.orm import Session

from louyu_kit.paging import PageParams
from tasks.access import Actor
from tasks.ask.schemas import TaskAskAnswer, TaskColumn, TaskFigure, TaskReading, TaskReadingPart, TaskRow, TaskTable
from tasks.supervision import service as supervision
from tasks.units.names import normalise as unit_key
from tasks.units.service import directory
from tasks.work import service as work
from tasks.work.lights import LightRules

LIGHTS = {
    "红灯": "red",
    "亮红灯": "red",
    "逾期": "red",
    "超期": "red",
    "黄灯": "yellow",
    "亮黄灯": "yellow",
    "绿灯": "green",
}
LIGHT_NAMES = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}
TASK_STATES = {
    "已完成": "done",
    "完成了": "done",
    "进行中": "in_progress",
    "未开始": "not_started",
    "暂停": "suspended",
}
NOTICE_STATES = {"待回复": "open", "未回复": "open", "已回复": "responded", "已办结": "closed", "办结": "closed"}
STATE_NAMES = {
    "done": "已完成",
    "in_progress": "进行中",
    "not_started": "未开始",
    "suspended": "暂停",
    "open": "待回复",
    "responded": "已回复",
    "closed": "已办结",
}
NOTICE_WORDS = ("督办单", "督办")
LIST_WORDS = ("哪些", "哪几", "列出", "名单", "清单", "有哪")
FILLER = re.compile(
    r"请问|查一下|本月|今年|目前|现在|有几项|有几个|有多少|几项|几个|多少|多少项|任务|项|个|条|的|了|吗|呢|是|有|在|亮|"
    r"哪些|哪几|列出|名单|清单|单位|各|份|张|[?？，,。!！\s]"
)
SHOWN = 20


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def ask(session: Session, *, question: str, actor: Actor, today: date, rules: LightRules) -> TaskAskAnswer:
    """Read and answer a task question for ``actor`` (whose scope ``list_page`` applies)."""
    text = _norm(question)
    rest = text
    subject = "notices" if any(w in text for w in NOTICE_WORDS) else "tasks"
    for w in NOTICE_WORDS:
        rest = rest.replace(w, "|")
    light = status = None
    for word, code in sorted(LIGHTS.items(), key=lambda kv: -len(kv[0])):
        if word in rest:
            light = light or code
            rest = rest.replace(word, "|")
    states = NOTICE_STATES if subject == "notices" else TASK_STATES
    for word, code in sorted(states.items(), key=lambda kv: -len(kv[0])):
        if word in rest:
            status = status or code
            rest = rest.replace(word, "|")
    unit_code, unit_name, rest = _unit(session, rest)
    unknown = [piece for piece in FILLER.sub("|", rest).split("|") if len(piece) >= 2]
    intent = "list" if any(w in text for w in LIST_WORDS) else "count"
    base = {"question": question, "figures": [], "table": None, "link": None, "link_label": None, "suggestions": []}
    if unknown:
        names = directory(session).units
        near = [u.name for u in names.values() if any(ch in u.name for ch in unknown[0])][:3]
        suggestions = [question.replace(unknown[0], n) for n in near]
        text_out = "没有读懂：" + "、".join(f"“{w}”" for w in unknown) + "。"
        if suggestions:
            text_out += "您是不是想问：" + "；".join(suggestions)
        return TaskAskAnswer(
            **base | {"suggestions": suggestions},
            status="unknown",
            reading=None,
            parts=[],
            reading_text="",
            text=text_out,
            unknown=unknown,
        )
    reading = TaskReading(
        subject=subject, unit=unit_code, unit_name=unit_name, light=light, status=status, intent=intent
    )  # type: ignore[arg-type]
    parts = [TaskReadingPart(key="metric", label="对象", value="督办单" if subject == "notices" else "任务")]
    parts.append(TaskReadingPart(key="entity", label="单位", value=unit_name or "全部单位", code=unit_code or ""))
    if light:
        parts.append(TaskReadingPart(key="filter", label="灯色", value=LIGHT_NAMES[light], code=light))
    if status:
        parts.append(TaskReadingPart(key="filter", label="状态", value=STATE_NAMES[status], code=status))
    parts.append(TaskReadingPart(key="intent", label="方式", value="列表" if intent == "list" else "计数", code=intent))
    page = PageParams(page=1, page_size=SHOWN)
    if subject == "notices":
        notices, total = supervision.list_page(
            session, actor=actor, unit=unit_code, status=status, task_id=None, level=None, mine=False, page=page
        )
        rows = [
            TaskRow(
                code=str(n["id"]),
                name=n["task_title"],
                link=f"/tasks/{n['task_id']}",
                cells=[n["task_title"]],
                values=[None],
            )
            for n in supervision.read_many(session, notices, today=today)
        ]
        what, link = "督办单", "/supervision"
    else:
        filters = work.TaskFilters(unit=unit_code, light=light, status=status)
        items, total = work.list_page(
            session, actor=actor, filters=filters, sort="position", page=page, today=today, rules=rules
        )
        rows = [
            TaskRow(code=str(t["id"]), name=t["title"], link=f"/tasks/{t['id']}", cells=[t["title"]], values=[None])
            for t in items
        ]
        what = "任务"
        query = "&".join(f"{k}={v}" for k, v in (("unit", unit_code), ("light", light), ("status", status)) if v)
        link = "/tasks" + (f"?{query}" if query else "")
    cond = "".join(p.value for p in parts if p.key == "filter")
    text_out = f"{unit_name or '您可查看的'}{'亮' + cond if light else cond}的{what}共{total}项"
    text_out += "：" + "、".join(r.name for r in rows[:5]) + ("等。" if total > 5 else "。") if rows else "。"
    figure = TaskFigure(label=f"{what}数", metric="count", value=float(total), unit="项", display=f"{total}项")
    return TaskAskAnswer(
        **base
        | {
            "link": link,
            "link_label": f"打开{what}列表",
            "figures": [figure],
            "table": TaskTable(columns=[TaskColumn(key="title", label=what)], rows=rows, total=total),
        },
        status="answered",
        reading=reading,
        parts=parts,
        reading_text="；".join(f"{p.label}：{p.value}" for p in parts),
        text=text_out,
        unknown=[],
    )


def _unit(session: Session, text: str) -> tuple[str | None, str | None, str]:
    """The unit whose name or alias (the unit directory's keys) is the longest found in
    ``text``, and the text without it."""
    d = directory(session)
    key_text = unit_key(text)
    best: tuple[int, str] | None = None
    for alias, code in d.keys.items():
        if len(alias) >= 2 and alias in key_text and (best is None or len(alias) > best[0]):
            best = (len(alias), code)
    if best is None:
        return None, None, text
    code = best[1]
    rest = text
    for alias in sorted((a for a, c in d.keys.items() if c == code), key=len, reverse=True):
        if alias in rest:
            rest = rest.replace(alias, "|")
    return code, d.units[code].name, rest
