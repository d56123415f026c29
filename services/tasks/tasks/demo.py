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
from tasks.centres import demo as centres_demo
from tasks.events import demo as events_demo
from tasks.inspections import demo as inspections_demo
from tasks.leads import demo as leads_demo
from tasks.parts import demo as parts_demo
from tasks.plans import service as plans
from tasks.plans.models import Plan
from tasks.plans.schemas import ImportRequest
from tasks.policies import demo as policies_demo
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
    policies_demo.load(session, year=2025)  # 政策库、推送、送达、申报兑现 (示例)
    leads_demo.load(session, today=today_in_china())  # 招商线索 with needs, so 匹配房源 shows matches
    events_demo.load(session)  # 楼宇活动 of this year (synthetic)
    centres_demo.load(session)  # 招商共享中心 and their stays (synthetic)
    issue_bulletins_and_scores(session)
    fill_leads_and_demands(session)
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


# ----- 招商线索 at every stage and 企业诉求 in every state (synthetic, marked （演示）) -------------

DEMO_STREET = "420106001"  # 积玉桥街道 (the demo street account's)
LEAD_STORY = [
    # (company, industry, area wanted, stages after 新线索, days ago found)
    ("（演示）武汉云帆数据科技有限公司", "软件和信息技术服务业", 600, [], 12),
    ("（演示）湖北汇江供应链管理有限公司", "商务服务业", 900, ["contacted"], 60),
    ("（演示）武汉长盈融资租赁有限公司", "其他金融业", 1200, ["contacted", "negotiating"], 120),
    ("（演示）中南设计咨询集团武汉分公司", "专业技术服务业", 1500, ["contacted", "negotiating", "signed"], 200),
    ("（演示）武汉星河直播电商有限公司", "互联网和相关服务", 400, ["contacted", "lost"], 150),
]
DEMAND_STORY = [
    # (enterprise, category, text, how far it went, days ago submitted)
    ("（演示）武汉楚天检测技术有限公司", "parking", "员工车位不足，希望协调周边公共停车场错时开放。", "submitted", 2),
    ("（演示）武汉江滩文化传媒有限公司", "permits", "办理出版物经营许可证，咨询所需材料和办理时限。", "assigned", 6),
    (
        "（演示）武汉黄鹤财税服务有限公司",
        "policy",
        "希望了解楼宇经济扶持政策中对新入驻企业的租金补贴条件。",
        "in_progress",
        9,
    ),
    ("（演示）武汉中北人力资源有限公司", "talent", "新引进的两名博士申请人才公寓，请协助对接。", "answered", 20),
    ("（演示）武汉积玉物联科技有限公司", "property", "楼宇空调夜间不供冷，加班影响办公，请协调物业。", "closed", 45),
    ("（演示）武汉滨江商贸有限公司", "finance", "申请中小企业贷款贴息，材料已报送，希望加快审核。", "reopened", 70),
]


def fill_leads_and_demands(session: Session) -> None:
    """Leads at every stage (新线索 … 已签约、已流失) and demands in every state (已提交 …
    已重办), as the street, the bureau and 区发改局 would have moved them, dated over the
    last months. Every one is synthetic: the names start with （演示）."""
    from tasks.config import Settings
    from tasks.demands import service as demands
    from tasks.demands.schemas import DemandAnswer, DemandAssign, DemandClose, DemandCreate, DemandNote, DemandReopen
    from tasks.demands.service import parse_deadlines
    from tasks.leads import service as leads
    from tasks.leads.schemas import LeadCreate, LeadMove

    today = today_in_china()
    street = Actor(
        username="demo_street",
        roles=frozenset({"street"}),
        unit_codes=frozenset({DEMO_STREET}),
        street_codes=(DEMO_STREET,),
    )
    bureau = Actor(username=ACTOR, roles=frozenset({"bureau"}), unit_codes=frozenset({"swj"}))
    dept = Actor(username="demo_dept", roles=frozenset({"department"}), unit_codes=frozenset({"fgj"}))
    notes = {
        "contacted": "（演示）已电话联系，企业有意向实地看房。",
        "negotiating": "（演示）已带看两处房源，洽谈租金与装修期。",
    }
    notes |= {"signed": "（演示）已签订租赁意向书。", "lost": "（演示）企业选择了外区园区，租金差距较大。"}
    for company, industry, area, stages, ago in LEAD_STORY:
        found = today - timedelta(days=ago)
        lead = leads.create_standalone(
            session,
            data=LeadCreate(
                company_name=company, industry=industry, area_wanted=area, found_date=found, note="（演示）扫楼中发现"
            ),
            actor=street,
            street_code=DEMO_STREET,
        )
        for step, stage in enumerate(stages, start=1):
            when = found + timedelta(days=ago * step // (len(stages) + 1))
            leads.move(session, lead, data=LeadMove(stage=stage, step_date=when, note=notes[stage]), actor=street)

    deadlines = parse_deadlines(Settings.model_fields["tasks_demand_deadlines"].default)
    order = ["submitted", "assigned", "in_progress", "answered", "closed", "reopened"]
    for enterprise, category, text, reached, ago in DEMAND_STORY:
        demand = demands.create(
            session,
            data=DemandCreate(enterprise_name=enterprise, category=category, text=f"（演示）{text}"),
            actor=street,
            deadlines=deadlines,
            street_code=DEMO_STREET,
        )
        goal = order.index(reached)
        if goal >= 1:
            demands.assign(
                session, demand, data=DemandAssign(unit="fgj", note="（演示）请区发改局办理。"), actor=bureau
            )
        if goal >= 2:
            demands.start(session, demand, data=DemandNote(note="（演示）已联系企业，正在核实。"), actor=dept)
        if goal >= 3:
            answer = DemandAnswer(answer="（演示）已与相关部门协调，答复企业办理意见。")
            demands.answer(session, demand, data=answer, actor=dept)
        if goal == 4:
            demands.close(
                session, demand, data=DemandClose(satisfaction=5, note="（演示）回访企业，表示满意。"), actor=street
            )
        if goal == 5:
            reason = DemandReopen(reason="（演示）企业反映贴息审核仍未完成，请继续督办。")
            demands.reopen(session, demand, data=reason, actor=street, deadlines=deadlines)
        submitted = today - timedelta(days=ago)
        demand.created_at = _at(submitted)
        if reached != "reopened":
            demand.due_date = submitted + timedelta(days=deadlines[category])
    session.flush()
