"""演示线索: made-up 招商线索 with needs, so 匹配房源 has something to show against the registry's
demo spaces. Company names start with 演示 and every note says the lead is invented."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from tasks.access import Actor
from tasks.leads import service
from tasks.leads.schemas import LeadFields

NOTE = "（演示）虚构线索，企业与需求均为演示数据，不代表真实企业。"

# (company, industry, GB/T 4754 code, area range m², days until needed, budget 元/㎡·月, floors)
LEADS = [
    ("演示金融科技有限公司", "货币金融服务", "6621", (300, 700), 180, 110, (5, 30)),
    ("演示数字软件有限公司", "软件开发", "6513", (200, 600), 120, 90, None),
    ("演示文创传媒有限公司", "文化艺术业", "8810", (150, 400), 240, 80, None),
    ("演示工程设计研究院有限公司", "工程设计活动", "7484", (500, 900), 300, 100, (3, 20)),
    ("演示北斗遥感科技有限公司", "测绘地理信息服务", "7441", (250, 800), 200, None, None),
]


def load(session: Session, *, today: date) -> int:
    """Add the demo leads (stage 新线索) and return how many."""
    actor = Actor(username="demo-loader", roles=frozenset({"bureau"}), unit_codes=frozenset({"swj"}))
    for company, industry, code, (low, high), days, rent, floors in LEADS:
        data = LeadFields(
            company_name=company,
            industry=industry,
            industry_code=code,
            area_min=low,
            area_max=high,
            needed_by=today + timedelta(days=days),
            budget_rent=rent,
            floor_min=floors[0] if floors else None,
            floor_max=floors[1] if floors else None,
            note=NOTE,
        )
        service.create(session, data=data, actor=actor, owner_unit_code="swj")
    return len(LEADS)
