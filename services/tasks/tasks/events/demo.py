"""演示数据: 楼宇活动 spread over this year (synthetic; every title and name says 演示)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from tasks.access import Actor
from tasks.events.models import BuildingEvent, EventInvitee, EventOutcome, EventUnit
from tasks.leads import service as leads
from tasks.leads.schemas import LeadFields

ACTOR = "demo-loader"

# Registry's demo buildings (registry/demo.py: codes follow the order of its list).
BUILDINGS = {
    "中交大厦": ("420106-0003", "420106001"),
    "悦江中心": ("420106-0020", "420106001"),
    "数创大厦": ("420106-0021", "420106010"),
    "长城汇": ("420106-0009", "420106012"),
    "长江产业大厦": ("420106-0012", "420106012"),
    "碳汇大厦": ("420106-0029", "420106012"),
    "保利广场": ("420106-0008", "420106011"),
    "联发国际大厦": ("420106-0022", "420106011"),
    "武汉文创大厦": ("420106-0017", "420106008"),
    "铁四院大楼": ("420106-0014", "420106002"),
    "阿里中心": ("420106-0001", "420106003"),
}

# (month, day, kind, building or None, place, organisers beyond the building's street, attendance, lead)
EVENTS = [
    (1, 16, "gov_enterprise_forum", "长江产业大厦", "", ["swj"], 42, "（演示）武汉汇金财富管理有限公司"),
    (2, 27, "policy_briefing", None, "区政务服务中心三楼会议室", ["swj", "swuj"], 120, None),
    (3, 12, "innovation_roundtable", "数创大厦", "", ["jkj", "kcrc"], 28, "（演示）武汉数联智能科技有限公司"),
    (3, 26, "yangtze_council", "中交大厦", "", ["bjswq"], 35, None),
    (4, 18, "bank_enterprise", "长城汇", "", ["hzjrc", "swj"], 56, None),
    (5, 15, "promotion", "阿里中心", "", ["swj", "bjswq"], 80, "（演示）武汉云启网络技术有限公司"),
    (5, 29, "gov_enterprise_forum", "武汉文创大厦", "", ["wlj"], 30, None),
    (6, 19, "policy_briefing", "保利广场", "", ["swuj", "scjgj"], 64, None),
    (7, 10, "yangtze_council", "悦江中心", "", ["swj"], 26, "（演示）武汉江城供应链管理有限公司"),
    (8, 21, "innovation_roundtable", "碳汇大厦", "", ["fgj"], 33, None),
    (9, 12, "bank_enterprise", "联发国际大厦", "", ["hzjrc"], 47, None),
    (9, 26, "gov_enterprise_forum", "铁四院大楼", "", ["swj", "zrzyj"], 38, "（演示）武汉轨道设计咨询有限公司"),
    (10, 17, "promotion", None, "楚河汉街会展中心", ["swj", "syktj"], 150, None),
    (11, 6, "policy_briefing", "长江产业大厦", "", ["swj", "kcrc"], 70, None),
    (11, 20, "yangtze_council", "中交大厦", "", ["bjswq", "swj"], 31, None),
    (12, 4, "gov_enterprise_forum", "数创大厦", "", ["swj"], 40, None),
    (12, 18, "bank_enterprise", "长城汇", "", ["hzjrc", "swj"], 0, None),
]

TITLES = {
    "gov_enterprise_forum": "政企座谈会",
    "innovation_roundtable": "楼宇创新圆桌会",
    "yangtze_council": "长江楼宇议事厅",
    "promotion": "专场推介会",
    "bank_enterprise": "银企对接会",
    "policy_briefing": "政策宣讲会",
}
POLICIES = "《武昌区促进楼宇经济高质量发展若干措施》（演示）；企业所得税优惠政策解读（演示）"


def load(session: Session, *, today: date | None = None) -> int:
    """The events of this year (those still ahead of today have no attendance or outcome yet)."""
    today = today or today_in_china()
    bureau = Actor(username=ACTOR, roles=frozenset({"bureau"}), unit_codes=frozenset({"swj"}))
    count = 0
    for month, day, kind, building, place, units, attendance, lead_name in EVENTS:
        when = date(today.year, month, day)
        code, street = BUILDINGS[building] if building else (None, None)
        held = when <= today
        event = BuildingEvent(
            kind=kind,
            title=f"（演示）{building or place}{TITLES[kind]}",
            event_date=when,
            building_code=code,
            building_name=building or "",
            place=place,
            street_code=street,
            attendance=attendance if held and attendance else None,
            policies=POLICIES if kind in ("policy_briefing", "gov_enterprise_forum") else "",
            summary="（演示）会上收集企业诉求，现场解读扶持政策。" if held else "",
            created_by=ACTOR,
        )
        session.add(event)
        session.flush()
        organisers = ([street] if street else []) + [u for u in units if u != street]
        for position, unit in enumerate(organisers):
            session.add(EventUnit(event_id=event.id, unit_code=unit, position=position))
        invitees = [
            ("enterprise", f"（演示）{building or '辖区'}入驻企业代表"),
            ("deputy", "（演示）区人大代表 张某"),
            ("member", "（演示）区政协委员 李某"),
        ]
        if kind == "bank_enterprise":
            invitees += [("bank", "（演示）某商业银行武昌支行"), ("bank", "（演示）某农商银行武昌支行")]
        for category, name in invitees:
            session.add(EventInvitee(event_id=event.id, category=category, name=name))
        if lead_name and held:
            lead = leads.create(
                session,
                data=LeadFields(company_name=lead_name, industry="", note="（演示）活动中对接的意向企业"),
                actor=bureau,
                building_code=code,
                street_code=street,
                owner_unit_code="swj",
                found_date=min(when + timedelta(days=1), today),
            )
            session.add(EventOutcome(event_id=event.id, kind="lead", ref_id=lead.id))
        count += 1
    session.flush()
    return count
