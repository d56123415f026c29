"""演示数据 for `make run`: the real 2025 plan (武昌政办〔2025〕3号) imported into tasks, with made-up
progress so the lights, the timeline and 督办 have something to show.

The plan text is real; every progress report is invented: the plan and its tasks carry
``is_demo``, each report starts with （演示）. Never loaded in production. Deterministic.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from louyu_kit.clock import CHINA, today_in_china
from louyu_kit.db import Database
from louyu_kit.errors import LouyuError
from tasks.access import Actor
from tasks.assessment import service as assessment
from tasks.bulletins import service as bulletins
from tasks.bulletins.periods import parse as parse_period
from tasks.inspections import demo as inspections_demo
from tasks.parts import demo as parts_demo
from tasks.plans import service as plans
from tasks.plans.models import Plan
from tasks.plans.schemas import ImportRequest
from tasks.units.service import seed
from tasks.work import service as work
from tasks.work.lights import LightRules
from tasks.work.models import Task, TaskUpdate
from tasks.work.schemas import ProgressReport

ACTOR = "demo-loader"
PLAN_FILE = Path(__file__).resolve().parent / "plans" / "data" / "wuchang-plan-2025.txt"

# (progress, note) per task in plan order; the rest of the notes are generic.
NOTES = [
    "已完成各街道楼长、联络员配备，建立楼宇理事会。",
    "链长制与楼长制联动机制已印发，驻点招商小分队按月对接。",
    "完成第二季度扫楼，更新楼宇入驻企业信息。",
    "梳理存量楼宇改造需求，已申报设备更新项目。",
    "与咨询机构联合走访新建成楼宇，形成产业定位建议。",
    "组织楼宇企业政策宣讲，办理新招引企业证照。",
    "总部型楼宇企业集聚度提升，金融楼宇注册纳统率提高。",
    "数创大厦二期招商推进中，部分载体尚未交付。",
    "碳汇大厦招商推进，低碳场景参观基地筹建中。",
    "区级、街道招商共享中心选址确定，建设推进中。",
    "楼宇经济扶持政策征求意见稿已形成。",
    "举办楼宇经济政企座谈会两场。",
]


def is_loaded(session: Session) -> bool:
    return bool(session.scalar(select(exists().where(Plan.id.is_not(None)))))


def load_if_empty(database_url: str) -> dict[str, int] | None:
    """Import the demo plan into an empty tasks database; None when it already holds a plan."""
    db = Database.from_url(database_url)
    try:
        with db.write_sessions.begin() as session:
            seed(session)
            if is_loaded(session):
                return None
            return load(session)
    finally:
        db.dispose()


def summary(counts: dict[str, int]) -> str:
    return (
        f"已导入工作方案《区十六届人大四次会议一号议案办理工作方案》（真实文本）：任务 {counts['tasks']} 项、"
        f"工作节点 {counts['milestones']} 个、量化目标 {counts['goals']} 项；进展 {counts['reports']} 条为演示数据。"
    )


def load(session: Session) -> dict[str, int]:
    """Import the plan through the import service, then report made-up progress as the units would."""
    rng = random.Random(2025)
    bureau = Actor(username=ACTOR, roles=frozenset({"bureau"}), unit_codes=frozenset({"swj"}))
    request = ImportRequest(text=PLAN_FILE.read_text(encoding="utf-8"), save=True, is_demo=True)
    result = plans.import_plan(session, request=request, actor=ACTOR)
    plan_id = result["plan_id"]
    tasks = list(
        session.scalars(select(Task).where(Task.plan_id == plan_id, Task.kind == "task").order_by(Task.position))
    )
    milestones = list(
        session.scalars(select(Task).where(Task.plan_id == plan_id, Task.kind == "milestone").order_by(Task.position))
    )
    reports = 0
    for index, task in enumerate(tasks):
        # Most tasks of a 2025 plan are finished; a few lag (red after their due date), one barely began.
        final = 100 if index % 4 != 3 else rng.choice([45, 60, 80])
        if index == 7:
            final = 20
        steps = sorted({rng.randint(15, 50), rng.randint(50, 85), final}) if final > 20 else [final]
        for progress in steps:
            note = NOTES[index] if progress == final else "按计划推进，阶段性工作已完成。"
            work.report(
                session,
                task,
                data=ProgressReport(progress=progress, text=f"（演示）{note}"),
                actor=bureau,
            )
            reports += 1
    for milestone in milestones[:3]:
        work.report(session, milestone, data=ProgressReport(progress=100, text="（演示）已完成。"), actor=bureau)
        reports += 1
    reports += parts_demo.load(session, plan_id=plan_id, rng=rng)  # 责任分解: co-units' parts, dated 2025
    for entry in session.scalars(
        select(TaskUpdate).join(Task, Task.id == TaskUpdate.task_id).where(Task.plan_id == plan_id)
    ):
        entry.is_demo = True
    session.flush()
    date_progress(session, plan_id=plan_id, rng=rng)
    inspections_demo.load(session, plan_id)
    issue_bulletins_and_scores(session)
    return {"tasks": len(tasks), "milestones": len(milestones), "goals": len(result["goals"]), "reports": reports}


# ----- the year's story: progress dated through the plan year; bulletins and scores issued ------


def _at(day: date) -> datetime:
    """10:00 in China on ``day`` (as the services store datetimes: aware)."""
    return datetime.combine(day, time(10), tzinfo=CHINA)


def date_progress(session: Session, *, plan_id: int, rng: random.Random) -> None:
    """Spread each task's demo reports over the plan year instead of the day of loading: a
    finished task finishes before its due date, except about one in five, finished late (as the
    story goes: 碳汇大厦, the 招商共享中心 …); an unfinished task's last report is before today.
    Without this every finished task counts as late and every report is dated today."""
    today = today_in_china()
    tasks = list(session.scalars(select(Task).where(Task.plan_id == plan_id).order_by(Task.position, Task.id)))
    for index, task in enumerate(tasks):
        updates = list(session.scalars(select(TaskUpdate).where(TaskUpdate.task_id == task.id).order_by(TaskUpdate.id)))
        if not updates:
            continue
        due = task.due_date or date(2025, 12, 31)
        start = task.start_date or date(due.year, 1, 15)
        if start >= due:
            start = due - timedelta(days=30)
        done = task.status == "done"
        if done and index % 5 == 4:
            last = due + timedelta(days=rng.randint(5, 25))  # finished, but late
        elif done:
            last = due - timedelta(days=rng.randint(2, 20))
        else:
            last = min(due - timedelta(days=rng.randint(5, 30)), today - timedelta(days=7))
        last = max(min(last, today - timedelta(days=1)), start + timedelta(days=len(updates)))
        span = (last - start).days
        for number, update in enumerate(updates, start=1):
            update.created_at = _at(start + timedelta(days=span * number // len(updates)))
        if done:
            task.completed_at = _at(last)
        task.updated_at = _at(last)
    session.flush()


def issue_bulletins_and_scores(session: Session) -> None:
    """The plan year's four quarterly bulletins (第1–4期) and the year-end assessment run, as the
    bureau would have issued them (from the demo figures above)."""
    rules = LightRules()
    for quarter in range(1, 5):
        period = parse_period(f"2025-Q{quarter}")
        try:
            bulletin = bulletins.create(session, period=period, issue_no=None, headline=None, rules=rules, actor=ACTOR)
        except LouyuError:
            continue
        issued = period.end + timedelta(days=10)
        bulletin.created_at = _at(issued)
        bulletin.content = {**bulletin.content, "issued_on": issued.isoformat()}
    period = parse_period("2025-Q4")
    record, _ = assessment.run(session, period, today=today_in_china(), news=None, actor=ACTOR)
    record.created_at = _at(period.end + timedelta(days=12))
    session.flush()
