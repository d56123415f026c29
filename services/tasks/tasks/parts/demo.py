"""演示数据 of 责任分解 (synthetic, like every demo progress): after the demo plan's lead unit has
reported (tasks.demo), each co-unit reports on its own part; most finish and the lead confirms,
a few co-units lag behind. Every report is dated between March and November 2025 (the plan's
year), never today. Deterministic for one ``rng``."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.access import Actor
from tasks.parts import service as parts
from tasks.parts.models import PartReport, TaskPart
from tasks.parts.schemas import PartReportCreate
from tasks.work.models import Task, TaskUpdate

NOTES = [
    "已明确专人负责，完成本单位任务分解。",
    "按月参加扫楼行动，提交走访台账。",
    "配合梳理辖区楼宇空间资源，已报送清单。",
    "组织政策宣讲一场，收集企业诉求并转办。",
    "阶段性工作完成，下一步加快推进。",
]


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 30, tzinfo=UTC)  # 10:30 in Wuhan


def load(session: Session, *, plan_id: int, rng: random.Random) -> int:
    """Co-units' reports on their parts, the lead's confirmation, and every timeline entry of the
    plan spread over 2025. Returns the number of reports made."""
    tasks = list(
        session.scalars(select(Task).where(Task.plan_id == plan_id, Task.kind == "task").order_by(Task.position))
    )
    bureau = Actor(username="demo-loader", roles=frozenset({"bureau"}), unit_codes=frozenset({"swj"}))
    made = 0
    lagging_slots = 0
    for index, task in enumerate(tasks):
        rows = parts.parts_of(session, task.id)
        lead = parts.lead_part(rows)
        lead_final = lead.progress if lead else 100
        for j, part in enumerate(p for p in rows if p.role != "lead"):
            if lead_final >= 100 and (index * 3 + j) % 11 == 5 and lagging_slots < 4:
                final = rng.choice([30, 45, 60])  # a co-unit lagging behind a lead that finished
                lagging_slots += 1
            elif lead_final >= 100:
                final = 100
            else:
                final = max(10, lead_final - rng.choice([0, 10, 20, 35]))
            steps = sorted({rng.randint(20, 70), final}) if final > 40 else [final]
            actor = Actor(username=f"demo-{part.unit_code}", roles=frozenset({"department"}),
                          unit_codes=frozenset({part.unit_code}))  # fmt: skip
            for progress in steps:
                note = NOTES[(index + j + progress) % len(NOTES)]
                parts.report(session, part, task, data=PartReportCreate(progress=progress, text=f"（演示）{note}"),
                             actor=actor, check=False)  # fmt: skip
                made += 1
        if rows and all(parts.part_done(parts.state_of(p)) for p in rows):
            parts.confirm(session, task, actor=bureau, text="（演示）各责任单位分项均已完成，牵头单位确认任务完成。")
    _spread_dates(session, plan_id=plan_id, rng=rng)
    return made


def _spread_dates(session: Session, *, plan_id: int, rng: random.Random) -> None:
    """Date each task's timeline from its start to (before) its due date, in order; the parts'
    report, completion and task completion times follow their timeline entries."""
    for task in session.scalars(select(Task).where(Task.plan_id == plan_id)):
        start = task.start_date or date(2025, 3, 1)
        end = min(task.due_date or date(2025, 11, 30), date(2025, 11, 30))
        if end <= start:
            end = start + timedelta(days=30)
        entries = list(session.scalars(select(TaskUpdate).where(TaskUpdate.task_id == task.id).order_by(TaskUpdate.id)))
        span = (end - start).days
        for i, entry in enumerate(entries):
            offset = 0 if entry.kind == "created" else round(span * (i / max(len(entries), 1))) + rng.randint(0, 3)
            entry.created_at = _at(min(start + timedelta(days=offset), end))
        by_update = {e.id: e.created_at for e in entries}
        for report in session.scalars(select(PartReport).where(PartReport.task_id == task.id)):
            report.created_at = by_update.get(report.update_id or 0, report.created_at)
            report.is_demo = True
        for part in session.scalars(select(TaskPart).where(TaskPart.task_id == task.id)):
            times = list(session.scalars(
                select(PartReport.created_at).where(PartReport.part_id == part.id).order_by(PartReport.id)
            ))  # fmt: skip
            part.is_demo = True
            part.last_report_at = times[-1] if times else None
            part.completed_at = times[-1] if part.completed_at and times else None
        if task.completed_at is not None and entries:
            task.completed_at = entries[-1].created_at
        task.created_at = _at(start)
    session.flush()
