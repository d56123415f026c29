"""演示数据 for 视察座谈, 整改意见 and 总结验收 (synthetic: every text starts with （演示）, the
deputies' names are invented). Two inspections of the demo plan with opinions in every state
(closed, answered awaiting confirmation, sent back, overdue and urged, not yet due) and unit
summaries in every state (accepted, submitted, returned, draft, missing). Deterministic."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.access import Actor
from tasks.inspections import service
from tasks.inspections.models import Opinion, OpinionAssignment
from tasks.inspections.schemas import InspectionCreate, OpinionCreate
from tasks.summaries import service as summaries
from tasks.summaries.models import UnitSummary
from tasks.summaries.schemas import Assessment, SummaryWrite
from tasks.work.lights import today_in_china

BUREAU = Actor(username="demo-loader", roles=frozenset({"bureau"}), unit_codes=frozenset({"swj"}))


def _unit(code: str) -> Actor:
    return Actor(username=f"demo-{code}", roles=frozenset({"department"}), unit_codes=frozenset({code}))


def load(session: Session, plan_id: int, *, today: date | None = None) -> dict[str, int]:
    """Record the demo inspections and summaries on the demo plan."""
    today = today or today_in_china()
    soon = today + timedelta(days=20)
    first = service.create(
        session,
        data=InspectionCreate(
            kind="inspection",
            held_on=date(2025, 6, 18),
            title="（演示）区人大代表视察特色楼宇建设和楼长制落实情况",
            plan_id=plan_id,
            deputies=["张明华", "刘晓燕", "陈志远", "黄丽娟"],
            attendees="（演示）区人大财经委、区商务局、区发改局、区税务局、积玉桥街道相关负责同志",
            places=["（演示）区招商共享中心（筹）"],
            reporting_units=["swj", "fgj", "420106001"],
            minutes="（演示）代表们实地察看了滨江商务区楼宇，听取了区商务局关于一号议案办理情况的汇报，"
            "肯定了楼长制取得的成效，提出了加快楼宇信息平台建设、改善楼宇周边停车等意见。",
            opinions=[
                OpinionCreate(
                    text="（演示）加快楼宇经济信息管理平台建设，年内实现楼宇数据统一归集。",
                    deadline=date(2025, 9, 30),
                    unit_codes=["fgj"],
                ),
                OpinionCreate(
                    text="（演示）协调解决滨江商务区楼宇周边停车难问题。",
                    deadline=date(2025, 8, 31),
                    unit_codes=["cgj", "420106001"],
                ),
                OpinionCreate(
                    text="（演示）落实楼宇企业税收服务专员制度，定期走访重点企业。",
                    deadline=date(2025, 9, 15),
                    unit_codes=["swuj"],
                ),
            ],
        ),  # fmt: skip
        buildings=[],
        actor=BUREAU,
        is_demo=True,
    )
    second = service.create(
        session,
        data=InspectionCreate(
            kind="forum",
            held_on=date(2025, 11, 6),
            title="（演示）一号议案办理工作代表座谈会",
            plan_id=plan_id,
            deputies=["张明华", "赵雅琴", "孙建军"],
            attendees="（演示）区人大常委会预算工委、区政府督查室、各责任单位分管负责同志",
            reporting_units=["swj", "jkj", "tjj"],
            minutes="（演示）座谈会通报了议案办理进展，代表们建议加大特色楼宇培育力度、提高企业注册纳统率。",
            opinions=[
                OpinionCreate(
                    text="（演示）加大特色楼宇培育力度，明确每栋楼宇的主导产业。", deadline=soon, unit_codes=["jkj"]
                ),
                OpinionCreate(
                    text="（演示）提高在楼企业注册率、纳统率，推动属地纳统纳税。",
                    deadline=date(2025, 12, 31),
                    unit_codes=["tjj", "scjgj"],
                ),
            ],
        ),  # fmt: skip
        buildings=[],
        actor=BUREAU,
        is_demo=True,
    )
    shares = {
        (o.inspection_id, o.number, a.unit_code): (o, a)
        for a, o in session.execute(
            select(OpinionAssignment, Opinion)
            .join(Opinion, Opinion.id == OpinionAssignment.opinion_id)
            .where(Opinion.inspection_id.in_((first.id, second.id)))
        )
    }

    def answer(key: tuple[int, int, str], text: str) -> tuple[Opinion, OpinionAssignment]:
        o, a = shares[key]
        service.answer(session, o, a, text=f"（演示）{text}", actor=_unit(a.unit_code))
        return o, a

    # Closed after a send-back; answered awaiting confirmation; sent back; overdue and urged; not yet due.
    o, a = answer((first.id, 1, "fgj"), "平台一期已上线试运行。")
    service.send_back(session, o, a, reason="（演示）请补充数据归集的楼宇数量和佐证材料。", actor=BUREAU)
    answer((first.id, 1, "fgj"), "平台已正式运行，归集楼宇数据 186 栋，附运行截图。")
    service.confirm(session, o, a, actor=BUREAU)
    o, a = answer((first.id, 2, "cgj"), "已在周边道路新增夜间停车泊位 120 个。")
    service.confirm(session, o, a, actor=BUREAU)
    o, a = answer((first.id, 3, "swuj"), "已明确税收服务专员。")
    service.send_back(session, o, a, reason="（演示）请说明走访重点企业的频次和问题解决情况。", actor=BUREAU)
    answer((second.id, 2, "tjj"), "已开展在楼企业纳统情况比对，新增纳统企业 36 家。")
    # 积玉桥街道 (停车) and 区市场监管局 (纳统) have not answered after the deadline: urged.
    for key in ((first.id, 2, "420106001"), (second.id, 2, "scjgj")):
        o, a = shares[key]
        service.urge(session, o, a, note="（演示）整改期限已过，请尽快反馈。", actor=None, today=today)

    # Summaries: accepted, submitted, returned, draft; the rest not yet started.
    units = summaries.responsible_units(session, summaries.get_plan(session, plan_id))
    states = {"swj": "accepted", "fgj": "accepted", "swuj": "submitted", "jkj": "returned", "tjj": "draft"}
    plan = summaries.get_plan(session, plan_id)
    for code, state in states.items():
        if code not in units:
            continue
        actor = BUREAU if code == "swj" else _unit(code)
        data = SummaryWrite(
            text=f"（演示）本单位全年围绕一号议案，牵头或配合推进 {len(units[code])} 项任务，"
            "建立工作台账，按月报送进展，重点任务均已按期完成。",
            assessments=[
                Assessment(task_id=t.id, rating="done" if t.progress >= 100 else "partly", note="（演示）")
                for t, _ in units[code]
            ],
        )
        summaries.save(session, plan, code, data=data, actor=actor)
        if state == "draft":
            continue
        summaries.submit(session, plan, code, actor=actor)
        if state in ("accepted", "returned"):
            comment = "（演示）同意验收。" if state == "accepted" else "（演示）请补充量化成效和下一步打算。"
            summaries.review(session, plan, code, accept=state == "accepted", comment=comment, actor=BUREAU)
    for s in session.scalars(select(UnitSummary).where(UnitSummary.plan_id == plan_id)):
        s.is_demo = True
    session.flush()
    return {"inspections": 2, "opinions": 5, "summaries": len(states)}
