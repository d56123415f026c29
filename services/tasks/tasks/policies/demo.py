"""演示数据 for 政策库 / 精准推送 / 申报与兑现: example policies (real-looking Wuhan / Hubei
titles, every one marked （示例）, 文号 invented), pushes to demo buildings, deliveries and
applications spread over the year. Everything carries ``is_demo`` and is synthetic: the
enterprises are named （演示）, their credit codes are registry's demo serials (91420106MA4K…),
whose names and buildings registry's demo loader draws at random, so the two need not agree."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from louyu_kit import uscc
from tasks.policies.models import Policy, PolicyApplication, PolicyDelivery, PolicyPush

ACTOR = "demo-loader"

# (title, issuer, 文号, level, published, themes, industries, tags, min, max, benefit)
POLICIES = [
    (
        "（示例）武昌区促进楼宇经济高质量发展若干措施",
        "武昌区人民政府",
        "武昌政规〔2025〕1号（示例）",
        "district",
        date(2025, 2, 20),
        [],
        [],
        ["above_scale"],
        None,
        None,
        "新入驻规上企业按上年度区级贡献给予最高100万元奖励（示例）",
    ),
    (
        "（示例）武昌区支持金融业集聚发展实施办法",
        "武昌区人民政府办公室",
        "武昌政办〔2025〕8号（示例）",
        "district",
        date(2025, 3, 15),
        ["finance"],
        [],
        [],
        None,
        None,
        "金融机构区域总部落户奖励、办公用房补贴（示例）",
    ),
    (
        "（示例）武汉市支持软件和信息技术服务业发展若干政策",
        "武汉市人民政府",
        "武政规〔2025〕5号（示例）",
        "city",
        date(2025, 4, 10),
        [],
        ["65"],
        [],
        20,
        None,
        "软件企业研发投入补贴、人才奖励（示例）",
    ),
    (
        "（示例）湖北省总部经济发展奖励办法",
        "湖北省商务厅",
        "鄂商务发〔2025〕12号（示例）",
        "province",
        date(2025, 5, 28),
        ["hq"],
        [],
        ["global500", "china500", "regional_hq"],
        None,
        None,
        "总部企业认定奖励（示例）",
    ),
    (
        "（示例）武昌区中小微企业房租补贴办法",
        "武昌区商务局",
        "武昌商务〔2025〕21号（示例）",
        "district",
        date(2025, 7, 1),
        [],
        [],
        [],
        None,
        100,
        "从业人数100人以下企业按租金30%给予一年补贴（示例）",
    ),
    (
        "（示例）武昌区工程设计产业提升行动支持政策",
        "武昌区科技创新与人才服务中心",
        "武昌科创〔2025〕4号（示例）",
        "district",
        date(2025, 9, 5),
        ["engineering_design"],
        ["748"],
        [],
        None,
        None,
        "设计企业首次认定高新技术企业奖励（示例）",
    ),
]
# Demo buildings (registry's demo codes 420106-NNNN, their 楼长 demo_chiefNN) and street.
BUILDINGS = [
    (8, "保利广场", "420106011"),
    (9, "长城汇", "420106012"),
    (10, "进出口银行大厦", "420106012"),
    (14, "铁四院大楼", "420106002"),
    (21, "数创大厦", "420106010"),
    (3, "中交大厦", "420106001"),
]
STREET_NAMES = {
    "420106001": "积玉桥街道",
    "420106002": "杨园街道",
    "420106010": "中南路街道",
    "420106011": "中南路街道",
    "420106012": "水果湖街道",
}
STATUSES = ["planned", "applied", "accepted", "paid", "paid", "paid", "rejected"]


def credit_code(serial: int) -> str:
    """Registry's demo credit code of ``serial`` (GB 32100 check character appended)."""
    return uscc.make(f"91420106MA4K{serial:05d}")


def load(session: Session, *, year: int | None = None) -> dict[str, int]:
    rng = random.Random(4754)
    year = year or date.today().year
    shift = year - 2025  # the example calendar follows the demo year
    counts = {"policies": 0, "pushes": 0, "deliveries": 0, "applications": 0}
    policies = []
    for title, issuer, number, level, published, themes, industries, tags, lo, hi, benefit in POLICIES:
        published = published.replace(year=published.year + shift)
        p = Policy(
            title=title,
            issuer=issuer,
            doc_number=number,
            level=level,
            published_on=published,
            valid_from=published,
            valid_until=published.replace(year=published.year + 2),
            themes=themes,
            industry_codes=industries,
            tags=tags,
            min_employees=lo,
            max_employees=hi,
            benefit=benefit,
            apply_from=published + timedelta(days=30),
            apply_until=published + timedelta(days=120),
            link="",
            is_demo=True,
            created_by=ACTOR,
        )
        session.add(p)
        policies.append(p)
    session.flush()
    counts["policies"] = len(policies)
    serial = 0
    for p in policies:
        for index, name, street in rng.sample(BUILDINGS, 3):
            firms = []
            for _ in range(rng.randint(2, 4)):
                serial += 1
                firms.append(
                    {
                        "credit_code": credit_code(serial),
                        "name": f"（演示）政策对象企业{serial:03d}",
                        "reasons": ["演示数据"],
                    }
                )
            pushed = p.published_on + timedelta(days=rng.randint(5, 25))
            delivered_all = rng.random() < 0.6
            push = PolicyPush(
                policy_id=p.id,
                building_code=f"420106-{index:04d}",
                building_name=name,
                street_code=street,
                street_name=STREET_NAMES.get(street, ""),
                chief_username=f"demo_chief{index:02d}",
                enterprises=firms,
                due_date=pushed + timedelta(days=14),
                is_demo=True,
                created_by=ACTOR,
                created_at=datetime.combine(pushed, time(9), tzinfo=UTC),
                delivered_at=datetime.combine(pushed + timedelta(days=10), time(9), tzinfo=UTC)
                if delivered_all
                else None,
            )
            session.add(push)
            session.flush()
            counts["pushes"] += 1
            for firm in firms if delivered_all else firms[:1]:
                session.add(
                    PolicyDelivery(
                        policy_id=p.id,
                        push_id=push.id,
                        method=rng.choice(["visit", "other"]),
                        credit_code=firm["credit_code"],
                        enterprise_name=firm["name"],
                        building_code=push.building_code,
                        street_code=street,
                        delivered_on=pushed + timedelta(days=rng.randint(1, 10)),
                        delivered_by=push.chief_username,
                        note="（演示）已当面讲解政策要点",
                        is_demo=True,
                    )
                )
                counts["deliveries"] += 1
            for firm in firms:
                if rng.random() < 0.35:
                    continue
                status = rng.choice(STATUSES)
                applied = p.apply_from + timedelta(days=rng.randint(0, 80))
                amount = Decimal(rng.randint(5, 120) * 10000) if status in ("accepted", "paid") else None
                paid = applied + timedelta(days=rng.randint(30, 90)) if status == "paid" else None
                session.add(
                    PolicyApplication(
                        policy_id=p.id,
                        credit_code=firm["credit_code"],
                        enterprise_name=firm["name"],
                        building_code=push.building_code,
                        building_name=name,
                        street_code=street,
                        street_name=STREET_NAMES.get(street, ""),
                        applied_on=applied,
                        status=status,
                        amount_granted=amount,
                        paid_on=paid,
                        source="import",
                        note="（演示）",
                        is_demo=True,
                        created_by=ACTOR,
                    )
                )
                counts["applications"] += 1
    session.flush()
    return counts
