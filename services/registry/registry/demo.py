"""演示数据 (synthetic demo data) for `make run`: the real building names of the 2025 Wuchang plan
placed in plausible streets, with made-up spaces, tenants and occupancy.

Every figure is invented: the buildings carry ``is_demo`` and a note saying so, enterprise
names start with （演示）, and chief phone numbers are 139 0000 xxxx. Never loaded when
``LOUYU_ENV=production``. Deterministic (fixed seed), so two runs give the same data.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.db import Database
from louyu_kit.errors import LouyuError
from registry.access import Access
from registry.buildings import service as buildings
from registry.buildings.models import Building
from registry.buildings.schemas import BuildingCreate, BuildingUpdate
from registry.enterprises import service as enterprises
from registry.enterprises.schemas import EnterpriseCreate
from registry.enterprises.uscc import make as make_credit_code
from registry.occupancy import service as occupancy
from registry.occupancy.schemas import OccupancyCreate, SpacePart
from registry.reference.service import seed
from registry.spaces import service as spaces
from registry.spaces.schemas import SpaceCreate

ACTOR = "demo-loader"
DEMO_NOTE = "演示数据：楼宇名称取自《武昌区2025年一号议案工作方案》，面积、房源、企业和入驻情况均为虚构。"

# name, street code, zone, themes, stage, aliases
BUILDINGS: list[tuple[str, str, str, list[str], str, list[str]]] = [
    ("阿里中心", "420106003", "滨江商务区", ["digital"], "new", ["阿里巴巴华中总部"]),
    ("国铁城投中心", "420106003", "滨江商务区", ["rail_tech"], "new", ["国铁城投大厦"]),
    ("中交大厦", "420106001", "滨江商务区", ["green_shipping"], "new", ["武汉·中交大厦"]),
    ("长江人才大厦", "420106011", "", ["agriculture"], "under_construction", []),
    ("积玉万象", "420106001", "滨江商务区", [], "under_construction", []),
    ("保利滨江中心", "420106001", "滨江商务区", [], "under_construction", []),
    ("国铁印江澜", "420106002", "滨江商务区", [], "under_construction", []),
    ("保利广场", "420106011", "", ["hq"], "operating", []),
    ("长城汇", "420106012", "华中金融城", ["hq"], "operating", []),
    ("进出口银行大厦", "420106012", "华中金融城", ["finance"], "operating", []),
    ("兴业银行大厦", "420106011", "华中金融城", ["finance"], "operating", []),
    ("长江产业大厦", "420106012", "华中金融城", ["finance"], "operating", []),
    ("平安财富中心", "420106012", "华中金融城", ["finance"], "operating", []),
    ("铁四院大楼", "420106002", "", ["engineering_design"], "operating", ["铁四院"]),
    ("中南电力设计院大楼", "420106011", "", ["engineering_design"], "operating", ["中南电力设计院"]),
    ("中南建筑设计院大楼", "420106011", "", ["engineering_design"], "operating", ["中南建筑设计院"]),
    ("武汉文创大厦", "420106008", "", ["culture"], "operating", []),
    ("泛悦中心", "420106005", "", ["culture"], "operating", []),
    ("汇通新长江", "420106002", "滨江商务区", ["commerce_logistics"], "operating", []),
    ("悦江中心", "420106001", "滨江商务区", ["commerce_logistics"], "operating", []),
    ("数创大厦", "420106010", "", ["digital"], "operating", ["数创大厦二期"]),
    ("联发国际大厦", "420106011", "", ["digital", "low_altitude"], "operating", []),
    ("匠心城", "420106009", "", ["digital", "low_altitude"], "operating", []),
    ("小洪山科学城", "420106013", "环大学创新经济带", ["beidou"], "under_construction", []),
    ("珞珈北斗创新港", "420106013", "环大学创新经济带", ["beidou"], "new", []),
    ("珞珈创新港", "420106013", "环大学创新经济带", ["digital"], "operating", []),
    ("湖北船舶大厦", "420106006", "", ["green_shipping"], "operating", []),
    ("长江沿岸铁路集团总部大楼", "420106003", "滨江商务区", ["rail_tech"], "new", []),
    ("碳汇大厦", "420106012", "环沙湖双碳经济带", ["carbon"], "operating", []),
    ("襄阳大厦", "420106012", "环沙湖双碳经济带", ["carbon"], "operating", []),
    ("东信资本大厦", "420106012", "环沙湖双碳经济带", ["carbon", "finance"], "operating", []),
]

CENTRES = {
    "420106001": (114.305, 30.566),
    "420106002": (114.336, 30.590),
    "420106003": (114.322, 30.586),
    "420106005": (114.306, 30.548),
    "420106006": (114.293, 30.553),
    "420106008": (114.305, 30.532),
    "420106009": (114.306, 30.502),
    "420106010": (114.311, 30.538),
    "420106011": (114.331, 30.541),
    "420106012": (114.346, 30.556),
    "420106013": (114.360, 30.540),
}

# Industry codes per theme for synthetic tenants (GB/T 4754-2017 小类 within the theme's prefixes).
THEME_INDUSTRIES = {
    "finance": ["6621", "6712", "6812", "6930"],
    "engineering_design": ["7481", "7482", "7484"],
    "culture": ["8610", "8770", "8890", "7251"],
    "commerce_logistics": ["5191", "5212", "5810", "5990"],
    "digital": ["6513", "6520", "6531", "6421"],
    "low_altitude": ["5631", "3963", "6513"],
    "beidou": ["7441", "6339", "6531"],
    "health": ["8411", "2710", "5151"],
    "green_shipping": ["3731", "5521", "7484"],
    "carbon": ["7722", "4416", "7515"],
    "agriculture": ["0190", "7511", "5110"],
    "rail_tech": ["3711", "5320", "4811"],
    "hq": ["7211", "7212", "6621"],
}
OTHER_INDUSTRIES = ["7224", "7231", "7121", "5179", "6190", "7040", "7294", "8321", "7519"]
WORDS = [
    "华创",
    "楚天",
    "江城",
    "珞珈",
    "汉韵",
    "长江",
    "黄鹤",
    "东湖",
    "沙湖",
    "昙华",
    "首义",
    "积玉",
    "中北",
    "南湖",
    "楚才",
    "江汉",
]
SUFFIX = {
    "66": "金融服务",
    "67": "资本管理",
    "68": "保险代理",
    "69": "金融信息服务",
    "74": "工程设计咨询",
    "86": "文化传媒",
    "87": "影视文化",
    "88": "文化艺术",
    "72": "商务咨询",
    "51": "供应链管理",
    "52": "商贸",
    "58": "国际货运代理",
    "59": "仓储服务",
    "65": "信息技术",
    "64": "网络科技",
    "63": "卫星通信",
    "56": "通用航空",
    "39": "智能装备",
    "84": "健康管理",
    "27": "生物医药",
    "37": "船舶科技",
    "55": "航运",
    "77": "环境科技",
    "44": "新能源",
    "75": "科技服务",
    "01": "农业发展",
    "53": "轨道交通科技",
    "48": "工程建设",
    "71": "租赁",
    "61": "酒店管理",
    "70": "置业",
    "83": "教育科技",
}


def is_loaded(session: Session) -> bool:
    return bool(session.scalar(select(exists().where(Building.id.is_not(None)))))


def load_if_empty(database_url: str) -> dict[str, int] | None:
    """Load the demo into an empty registry database; None when it already holds buildings."""
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
        f"已加载演示数据（虚构）：楼宇 {counts['buildings']} 栋、房源 {counts['spaces']} 个、"
        f"企业 {counts['enterprises']} 家、入驻 {counts['occupancies']} 条。"
    )


def _match_areas_to_spaces(session: Session, building: Building, units: list, *, index: int, access: Access) -> None:
    """Make the building's leasable area the area of the spaces recorded in it (plus a little
    unrecorded space), and its GFA follow: otherwise the demo's occupancy and 坪效 are measured
    against floors that hold no space at all. Its own generator, so the rest of the demo stays
    as it was."""
    rng = random.Random(f"louyu-demo-areas:{index}")
    leasable = round(sum(u.area for u in units) / rng.uniform(0.9, 0.97), -1)
    buildings.update(
        session,
        building,
        data=BuildingUpdate(leasable_area=leasable, gfa=round(leasable / rng.uniform(0.7, 0.8), -2)),
        access=access,
        actor=ACTOR,
    )


def load(session: Session, *, today: date | None = None) -> dict[str, int]:
    """Create the demo buildings, spaces, enterprises and occupancy (through the services,
    so the history and the change feed carry them like any other entry)."""
    today = today or today_in_china()
    rng = random.Random(2025)
    access = Access(username=ACTOR, roles=frozenset({"bureau"}), streets=())
    counts = {"buildings": 0, "spaces": 0, "enterprises": 0, "occupancies": 0}
    serial = 0
    earlier: list[str] = []  # operating buildings already filled, for tenants who moved within the district
    for index, (name, street, zone, themes, stage, aliases) in enumerate(BUILDINGS, start=1):
        lng0, lat0 = CENTRES[street]
        floors = rng.randint(18, 45)
        gfa = round(rng.uniform(30_000, 160_000), -2)
        building = buildings.create(
            session,
            data=BuildingCreate(
                name=name,
                aliases=aliases,
                street_code=street,
                address=f"武汉市武昌区（演示地址）{index}号",
                lng=round(lng0 + rng.uniform(-0.006, 0.006), 6),
                lat=round(lat0 + rng.uniform(-0.005, 0.005), 6),
                gfa=gfa,
                leasable_area=round(gfa * rng.uniform(0.62, 0.8), -1),
                floors_above=floors,
                floors_below=rng.randint(2, 4),
                stage=stage,  # type: ignore[arg-type]
                ownership=rng.choice(["single", "single", "strata", "mixed"]),  # type: ignore[arg-type]
                owner=f"（演示）{name}置业有限公司",
                operator=f"（演示）{rng.choice(WORDS)}商业运营管理有限公司",
                property_manager=f"（演示）{rng.choice(WORDS)}物业服务有限公司",
                property_star=rng.randint(3, 5),
                zone=zone,
                themes=themes,
                completion_year=today.year if stage != "operating" else rng.randint(2005, today.year - 2),
                chief_username=f"demo_chief{index:02d}",
                chief_name=f"演示楼长{index:02d}",
                chief_phone=f"1390000{index:04d}",
                liaison_username=f"demo_liaison{index:02d}",
                liaison_name=f"演示联络员{index:02d}",
                liaison_phone=f"1390001{index:04d}",
                note=DEMO_NOTE,
            ),
            access=access,
            actor=ACTOR,
            is_demo=True,
        )
        counts["buildings"] += 1
        if stage == "under_construction":
            # 在建: floors offered ahead of completion (the plan's 按时间顺序梳理可用空间).
            for floor in range(5, min(floors, 25), 4):
                spaces.create(
                    session,
                    building,
                    data=SpaceCreate(
                        floor=floor,
                        unit="整层",
                        area=round(gfa / floors * 0.75, 0),
                        status="reserved",
                        available_from=today + timedelta(days=rng.randint(60, 400)),
                        asking_rent=round(rng.uniform(70, 130), 0),
                    ),
                    access=access,
                    actor=ACTOR,
                )
                counts["spaces"] += 1
            continue
        units: list = []
        for floor in range(3, min(floors, 3 + rng.randint(8, 14))):
            for unit_no in range(1, rng.randint(2, 4) + 1):
                units.append(
                    spaces.create(
                        session,
                        building,
                        data=SpaceCreate(
                            floor=floor,
                            unit=f"{floor}{unit_no:02d}",
                            area=round(rng.uniform(150, 900), 0),
                            asking_rent=round(rng.uniform(55, 120), 0),
                        ),
                        access=access,
                        actor=ACTOR,
                    )
                )
                counts["spaces"] += 1
        _match_areas_to_spaces(session, building, units, index=index, access=access)
        pool = THEME_INDUSTRIES.get(themes[0] if themes else "", []) if themes else []
        for space in units:
            if rng.random() < 0.2:
                continue  # stays vacant
            serial += 1
            industry = rng.choice(pool) if pool and rng.random() < 0.65 else rng.choice(OTHER_INDUSTRIES)
            word = rng.choice(WORDS) + rng.choice(WORDS)
            enterprise = enterprises.create(
                session,
                data=EnterpriseCreate(
                    credit_code=make_credit_code(f"91420106MA4K{serial:05d}"),
                    name=f"（演示）武汉{word}{SUFFIX.get(industry[:2], '科技')}有限公司",
                    industry_code=industry,
                    registered_in_district=rng.random() < 0.8,
                    taxed_in_district=rng.random() < 0.75,
                    in_statistics=rng.random() < 0.6,
                    above_scale=rng.random() < 0.25,
                    listed=rng.random() < 0.04,
                    hq_level=rng.choice([None] * 12 + ["regional", "regional", "china500", "global500"]),  # type: ignore[arg-type]
                    is_key=rng.random() < 0.15,
                    # Most tenants are small offices, a few are large (one draw, as before).
                    employees=min(1500, int(8 * rng.paretovariate(1.1))),
                    founded_date=date(rng.randint(1998, today.year - 1), rng.randint(1, 12), rng.randint(1, 28)),
                ),
                access=access,
                actor=ACTOR,
                is_demo=True,
            )
            counts["enterprises"] += 1
            start = today - timedelta(days=rng.randint(90, 2400))
            if earlier and rng.random() < 0.1:
                # 迁入 from another building of the district: its earlier stay ends the day before.
                occupancy.create(
                    session,
                    data=OccupancyCreate(
                        credit_code=enterprise.credit_code,
                        building_code=rng.choice(earlier),
                        area=round(rng.uniform(100, 600), 0),
                        start_date=start - timedelta(days=rng.randint(300, 1500)),
                        end_date=start - timedelta(days=1),
                        note="演示：迁往区内其他楼宇",
                    ),
                    access=access,
                    actor=ACTOR,
                )
                counts["occupancies"] += 1
            moved_out = rng.random() < 0.12
            occupancy.create(
                session,
                data=OccupancyCreate(
                    credit_code=enterprise.credit_code,
                    building_code=building.code,
                    spaces=[SpacePart(id=space.id)],
                    start_date=start,
                    end_date=today - timedelta(days=rng.randint(5, 60)) if moved_out else None,
                ),
                access=access,
                actor=ACTOR,
            )
            counts["occupancies"] += 1
        earlier.append(building.code)
    counts["party"] = _load_party(session, access=access)
    graduates = _load_centre_graduates(session, today=today, access=access)
    counts["enterprises"] += graduates
    counts["occupancies"] += graduates
    propose_move_in(session, today=today)
    return counts


# 党建 (synthetic): most operating buildings have a 楼宇联合党委 or a 党支部, the 一楼四员 partly
# filled, so the cockpit's 党建 panel has something to show. Names are invented (演示).
PARTY_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def _load_party(session: Session, *, access: Access) -> int:
    from registry.party import service as party
    from registry.party.schemas import CouncilMember, PartyWrite

    count = 0
    stmt = select(Building).where(Building.stage != "under_construction").order_by(Building.code)
    for index, building in enumerate(session.scalars(stmt)):
        name = lambda role, k=index: f"{PARTY_SURNAMES[(k * 3 + len(role)) % len(PARTY_SURNAMES)]}{role}（演示）"  # noqa: E731
        organisation = "none" if index % 6 == 5 else "branch" if index % 3 == 2 else "joint_committee"
        data = PartyWrite(
            organisation=organisation,  # type: ignore[arg-type]
            instructor=name("指导员") if organisation != "none" else "",
            council=[CouncilMember(name=name("理事长"), role="理事长"), CouncilMember(name=name("理事"), role="理事")]
            if organisation == "joint_committee"
            else [],
            chamber="武昌区楼宇经济商会（演示）" if index % 2 == 0 else "",
            alliance="滨江商务区楼宇党建联盟（演示）" if building.zone == "滨江商务区" else "",
            liaison=name("联络员") if index % 4 != 3 else "",
            safety=name("安全员") if index % 3 != 1 else "",
            service=name("服务专员") if index % 5 < 2 else "",
        )
        party.write(session, building, data=data, access=access)
        count += 1
    return count


# Enterprises that spent their transition period in a 招商共享中心 (tasks' demo stays name these
# credit codes) and then moved into 数创大厦: the centres' 转化率 has conversions to count.
CENTRE_GRADUATES = (
    ("91420106MA4KGX0010", "（演示）武汉星桥数字科技有限公司", 60),
    ("91420106MA4KGX0023", "（演示）武汉云帆信息技术有限公司", 120),
    ("91420106MA4KGX0036", "（演示）武汉知行设计咨询有限公司", 200),
)


def _load_centre_graduates(session: Session, *, today: date, access: Access) -> int:
    building = session.scalar(select(Building).where(Building.name == "数创大厦"))
    if building is None:
        return 0
    for credit_code, name, days_ago in CENTRE_GRADUATES:
        enterprises.create(
            session,
            data=EnterpriseCreate(credit_code=credit_code, name=name, industry_code="6513"),
            access=access,
            actor=ACTOR,
            is_demo=True,
        )
        occupancy.create(
            session,
            data=OccupancyCreate(
                credit_code=credit_code,
                building_code=building.code,
                area=180,
                start_date=today - timedelta(days=days_ago),
                note="演示：从招商共享中心迁入",
            ),
            access=access,
            actor=ACTOR,
        )
    return len(CENTRE_GRADUATES)


# ----- a street's move-in waiting for the bureau (待确认迁入) ------------------------------------

PROPOSING_STREET = "420106001"  # 积玉桥街道, the demo street account's


def propose_move_in(session: Session, *, today: date) -> int:
    """积玉桥街道 asks the bureau to confirm a move-in: an enterprise housed in another street's
    building moving into a vacant unit of one of its own (the street cannot change an
    enterprise outside its streets, so the bureau confirms). Returns how many were filed."""
    from registry.occupancy.models import Occupancy
    from registry.proposals import service as proposals
    from registry.proposals.schemas import ProposalCreate
    from registry.spaces.models import Space

    street = Access(username="demo_street", roles=frozenset({"street"}), streets=(PROPOSING_STREET,))
    vacant = session.execute(
        select(Space, Building.code)
        .join(Building, Building.id == Space.building_id)
        .where(Building.street_code == PROPOSING_STREET, Space.status == "vacant", Space.unit != "整层")
        .order_by(Space.id)
    ).all()
    movers = session.execute(
        select(Occupancy.enterprise_id, Building.code)
        .join(Building, Building.id == Occupancy.building_id)
        .where(Building.street_code != PROPOSING_STREET, Occupancy.end_date.is_(None))
        .order_by(Occupancy.id)
    ).all()
    from registry.enterprises.models import Enterprise

    filed = 0
    for (space, building_code), (enterprise_id, _) in zip(vacant[:2], movers[::7], strict=False):
        enterprise = session.get(Enterprise, enterprise_id)
        if enterprise is None:
            continue
        try:
            with session.begin_nested():
                proposals.propose(
                    session,
                    data=ProposalCreate(
                        credit_code=enterprise.credit_code,
                        building_code=building_code,
                        spaces=[SpacePart(id=space.id)],
                        start_date=today - timedelta(days=3 + filed),
                        note="演示：街道扫楼发现的新入驻，请区商务局确认",
                    ),
                    access=street,
                    actor="demo_street",
                )
            filed += 1
        except LouyuError:
            continue
    return filed
