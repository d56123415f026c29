"""The 问数 question set: Chinese questions over the demo district (``ask_demo``), each with its
expected reading. Expected answers are not written here: the test computes them from the
API routes the screens use. ``today`` is 2025-12-10 (relative periods are read against it).

A reading is a dict of the fields that must match: status, intent, metric, level, code,
period, compare, tier, filter (metric, op, value), rows, order, limit."""

from __future__ import annotations

from datetime import date
from itertools import cycle

from tests.metrics.ask_demo import UNATTRIBUTED, building_codes

TODAY = date(2025, 12, 10)
B = building_codes()
JIYUQIAO, YANGYUAN, XUJIAPENG, SHUIGUOHU, ZHONGNANLU = "420106001", "420106002", "420106003", "420106012", "420106011"

# (words in the question, period key the reading must give)
PERIODS = [
    ("今年", "2025-12-YTD"),
    ("去年", "2024"),
    ("2025年3月", "2025-03"),
    ("一季度", "2025-Q1"),
    ("上半年", "2025-06-YTD"),
    ("年初至今", "2025-12-YTD"),
    ("近12个月", "2025-12-R12"),
    ("上个月", "2025-11"),
    ("2024年", "2024"),
    ("2025年第二季度", "2025-Q2"),
    ("今年1-11月", "2025-11-YTD"),
    ("本月", "2025-12"),
    ("去年四季度", "2024-Q4"),
    ("2024年6月", "2024-06"),
    ("今年以来", "2025-12-YTD"),
    ("三季度", "2025-Q3"),
    ("2025年1—10月", "2025-10-YTD"),
    ("十月", "2025-10"),
    ("去年上半年", "2024-06-YTD"),
    ("近6个月", "2025-12-R6"),
]
FLOW_PERIODS = PERIODS
STOCK_PERIODS = [p for p in PERIODS if "R" not in p[1]]

# (words, level, code)
ENTITIES = [
    ("中交大厦", "building", B["中交大厦"]),
    ("阿里中心", "building", B["阿里中心"]),
    ("数创大厦", "building", B["数创大厦"]),
    ("进出口银行大厦", "building", B["进出口银行大厦"]),
    ("碳汇大厦", "building", B["碳汇大厦"]),
    ("湖北船舶大厦", "building", B["湖北船舶大厦"]),
    ("积玉桥街道", "street", JIYUQIAO),
    ("水果湖街道", "street", SHUIGUOHU),
    ("中南路", "street", ZHONGNANLU),
    ("杨园街", "street", YANGYUAN),
    ("全区", "district", ""),
    ("滨江商务区", "zone", "滨江商务区"),
    ("华中金融城", "zone", "华中金融城"),
    ("金融楼宇", "theme", "finance"),
    ("数字经济", "theme", "digital"),
    ("中交", "building", B["中交大厦"]),
    ("数创大厦二期", "building", B["数创大厦"]),
    ("铁四院大楼", "building", B["铁四院大楼"]),
    ("徐家棚街道", "street", XUJIAPENG),
    ("武昌区", "district", ""),
]

# (metric words, code, levels it can be asked at)
ALL = ("building", "street", "district", "zone", "theme")
METRICS = [
    ("税收", "tax_total", ALL),
    ("纳税", "tax_total", ALL),
    ("全口径税收", "tax_total", ALL),
    ("区级税收", "tax_district", ALL),
    ("营收", "revenue", ALL),
    ("营业收入", "revenue", ALL),
    ("从业人员", "employees", ALL),
    ("坪效", "tax_per_m2_gfa", ALL),
    ("入驻面积坪效", "tax_per_m2_occupied", ALL),
    ("区级坪效", "tax_district_per_m2_gfa", ALL),
    ("建筑面积", "gfa", ALL),
    ("可出租面积", "leasable_area", ALL),
    ("入驻面积", "occupied_area", ALL),
    ("空置面积", "vacant_area", ALL),
    ("闲置面积", "vacant_area", ALL),
    ("入驻率", "occupancy_rate", ALL),
    ("出租率", "occupancy_rate", ALL),
    ("空置率", "vacancy_rate", ALL),
    ("闲置率", "vacancy_rate", ALL),
    ("在楼企业数", "tenants", ALL),
    ("在册企业", "registered_tenants", ALL),
    ("纳统企业数", "statistics_tenants", ALL),
    ("注册率", "registration_rate", ALL),
    ("纳统率", "statistics_rate", ALL),
    ("楼宇数", "buildings", ("street", "district", "zone", "theme")),
    ("在建载体面积", "under_construction_area", ("street", "district", "zone")),
    ("在建楼宇", "under_construction_buildings", ("street", "district", "zone")),
    ("未填报楼宇", "not_reported_buildings", ("street", "district")),
    ("有数据的企业数", "enterprises_with_figures", ALL),
    ("未入楼企业税收", "unattributed_tax_total", ("district",)),
    ("未入楼企业区级税收", "unattributed_tax_district", ("district",)),
    ("未入楼企业营业收入", "unattributed_revenue", ("district",)),
    ("税收排名", "tax_rank", ("building",)),
]
FLOW = {
    "tax_total",
    "tax_district",
    "revenue",
    "unattributed_tax_total",
    "unattributed_tax_district",
    "unattributed_revenue",
}
TEMPLATES = ["{e}{p}{m}是多少", "{p}{e}的{m}", "请问{e}{p}{m}多少？", "{e}{m}{p}", "查一下{p}{e}{m}"]


def _value_questions() -> list[tuple[str, dict]]:
    out = []
    entities = cycle(ENTITIES)
    periods = cycle(PERIODS)
    stock_periods = cycle(STOCK_PERIODS)
    templates = cycle(TEMPLATES)
    for words, code, levels in METRICS:
        made = 0
        while made < 6:
            ew, level, ecode = next(entities)
            if level not in levels:
                continue
            pw, pkey = next(periods) if code in FLOW else next(stock_periods)
            q = next(templates).format(e=ew, p=pw, m=words)
            out.append(
                (
                    q,
                    {
                        "status": "answered",
                        "intent": "value",
                        "metric": code,
                        "level": level,
                        "code": ecode,
                        "period": pkey,
                        "compare": None,
                    },
                )
            )
            made += 1
    return out


def _yoy_questions() -> list[tuple[str, dict]]:
    rows = [
        ("中交大厦今年税收同比多少", "tax_total", "building", B["中交大厦"], "2025-12-YTD"),
        ("积玉桥街道去年区级税收比上年增长多少", "tax_district", "street", JIYUQIAO, "2024"),
        ("全区一季度营收同比", "revenue", "district", "", "2025-Q1"),
        ("阿里中心上半年税收增速", "tax_total", "building", B["阿里中心"], "2025-06-YTD"),
        ("水果湖街道2025年3月纳税同比增长多少", "tax_total", "street", SHUIGUOHU, "2025-03"),
        ("金融楼宇今年税收较去年", "tax_total", "theme", "finance", "2025-12-YTD"),
        ("滨江商务区今年区级税收同比", "tax_district", "zone", "滨江商务区", "2025-12-YTD"),
        ("数创大厦近12个月税收同比", "tax_total", "building", B["数创大厦"], "2025-12-R12"),
        ("进出口银行大厦2025年第二季度营业收入同比", "revenue", "building", B["进出口银行大厦"], "2025-Q2"),
        ("全区上个月税收同比", "tax_total", "district", "", "2025-11"),
        ("中南路街道今年1-11月税收增幅", "tax_total", "street", ZHONGNANLU, "2025-11-YTD"),
        ("碳汇大厦本月税收比去年", "tax_total", "building", B["碳汇大厦"], "2025-12"),
        ("华中金融城今年以来营收同比", "revenue", "zone", "华中金融城", "2025-12-YTD"),
        ("杨园街道三季度税收同比", "tax_total", "street", YANGYUAN, "2025-Q3"),
        ("全区今年区级税收增速", "tax_district", "district", "", "2025-12-YTD"),
        ("数字经济楼宇去年税收同比", "tax_total", "theme", "digital", "2024"),
        ("铁四院大楼近6个月营收同比", "revenue", "building", B["铁四院大楼"], "2025-12-R6"),
        ("湖北船舶大厦十月税收同比", "tax_total", "building", B["湖北船舶大厦"], "2025-10"),
        ("徐家棚街道去年上半年税收同比", "tax_total", "street", XUJIAPENG, "2024-06-YTD"),
        ("全区2025年1—10月税收同比增长多少", "tax_total", "district", "", "2025-10-YTD"),
    ]
    return [
        (
            q,
            {
                "status": "answered",
                "intent": "value",
                "metric": m,
                "level": lv,
                "code": c,
                "period": p,
                "compare": "yoy",
            },
        )
        for q, m, lv, c, p in rows
    ]


TIERS = [
    ("亿元楼宇", "yiyuan"),
    ("亿元楼", "yiyuan"),
    ("千万元楼宇", "qianwan"),
    ("5000万元楼宇", "wuqianwan"),
    ("十亿元楼宇", "shiyi"),
    ("月亿楼", "yueyi"),
]
TIER_SCOPES = [
    ("全区", "district", ""),
    ("积玉桥街道", "street", JIYUQIAO),
    ("水果湖", "street", SHUIGUOHU),
    ("滨江商务区", "zone", "滨江商务区"),
    ("金融楼宇中", "theme", "finance"),
    ("徐家棚街道", "street", XUJIAPENG),
]
TIER_PERIODS = [
    ("今年", "2025-12-YTD"),
    ("去年", "2024"),
    ("2024年", "2024"),
    ("今年1-11月", "2025-11-YTD"),
    ("上半年", "2025-06-YTD"),
]


def _tier_questions() -> list[tuple[str, dict]]:
    out = []
    periods = cycle(TIER_PERIODS)
    for tw, key in TIERS:
        for sw, level, code in TIER_SCOPES:
            pw, pkey = next(periods)
            metric = f"{key}_buildings"
            out.append(
                (
                    f"{pw}{sw}有几栋{tw}？",
                    {
                        "status": "answered",
                        "intent": "count",
                        "metric": metric,
                        "tier": key,
                        "level": level,
                        "code": code,
                        "period": pkey,
                    },
                )
            )
            pw, pkey = next(periods)
            out.append(
                (
                    f"{sw}{pw}{tw}有哪些",
                    {
                        "status": "answered",
                        "intent": "list",
                        "metric": metric,
                        "tier": key,
                        "level": level,
                        "code": code,
                        "period": pkey,
                    },
                )
            )
    return out


DEFAULT = "2025-12-YTD"  # the latest year with figures, to date (no period in the question)


def _list_questions() -> list[tuple[str, dict]]:
    rows = [
        ("哪些楼宇空置率超过30%", "list", "vacancy_rate", "district", "", DEFAULT, ("vacancy_rate", "gt", 0.3)),
        ("空置率超过30%的楼宇有几栋", "count", "vacancy_rate", "district", "", DEFAULT, ("vacancy_rate", "gt", 0.3)),
        ("入驻率低于60%的楼宇有哪些", "list", "occupancy_rate", "district", "", DEFAULT, ("occupancy_rate", "lt", 0.6)),
        ("今年税收超过1亿元的楼宇有哪些", "list", "tax_total", "district", "", "2025-12-YTD", ("tax_total", "gt", 1e8)),
        ("去年纳税超过5000万元的楼宇", "list", "tax_total", "district", "", "2024", ("tax_total", "gt", 5e7)),
        (
            "积玉桥街道入驻率低于70%的楼宇",
            "list",
            "occupancy_rate",
            "street",
            JIYUQIAO,
            DEFAULT,
            ("occupancy_rate", "lt", 0.7),
        ),
        (
            "水果湖街道空置率高于40%的楼宇有几个",
            "count",
            "vacancy_rate",
            "street",
            SHUIGUOHU,
            DEFAULT,
            ("vacancy_rate", "gt", 0.4),
        ),
        (
            "坪效高于5000元的楼宇有哪些",
            "list",
            "tax_per_m2_gfa",
            "district",
            "",
            DEFAULT,
            ("tax_per_m2_gfa", "gt", 5000),
        ),
        ("今年营收超过10亿元的楼宇", "list", "revenue", "district", "", "2025-12-YTD", ("revenue", "gt", 1e9)),
        (
            "滨江商务区空置率超过20%的楼宇",
            "list",
            "vacancy_rate",
            "zone",
            "滨江商务区",
            DEFAULT,
            ("vacancy_rate", "gt", 0.2),
        ),
        ("在楼企业少于5家的楼宇有哪些", "list", "tenants", "district", "", DEFAULT, ("tenants", "lt", 5)),
        (
            "金融楼宇中入驻率高于50%的有哪些",
            "list",
            "occupancy_rate",
            "theme",
            "finance",
            DEFAULT,
            ("occupancy_rate", "gt", 0.5),
        ),
        (
            "一季度区级税收超过3000万的楼宇",
            "list",
            "tax_district",
            "district",
            "",
            "2025-Q1",
            ("tax_district", "gt", 3e7),
        ),
        ("2024年税收低于1000万元的楼宇有几栋", "count", "tax_total", "district", "", "2024", ("tax_total", "lt", 1e7)),
        ("出租率不足80%的楼宇", "list", "occupancy_rate", "district", "", DEFAULT, ("occupancy_rate", "lt", 0.8)),
        ("闲置率在50%以上的楼宇有哪些", "list", "vacancy_rate", "district", "", DEFAULT, ("vacancy_rate", "gt", 0.5)),
    ]
    return [
        (q, {"status": "answered", "intent": it, "metric": m, "level": lv, "code": c, "period": p, "filter": f})
        for q, it, m, lv, c, p, f in rows
    ]


def _rank_questions() -> list[tuple[str, dict]]:
    rows = [
        ("税收最高的前5栋楼宇", "tax_total", "district", "", DEFAULT, "building", "desc", 5),
        ("今年纳税前十的楼宇", "tax_total", "district", "", "2025-12-YTD", "building", "desc", 10),
        ("积玉桥街道入驻率最低的楼宇", "occupancy_rate", "street", JIYUQIAO, DEFAULT, "building", "asc", None),
        ("各街道税收排名", "tax_total", "district", "", DEFAULT, "street", "desc", None),
        ("哪个街道营收最高", "revenue", "district", "", DEFAULT, "street", "desc", None),
        ("金融楼宇税收前3", "tax_total", "theme", "finance", DEFAULT, "building", "desc", 3),
        ("去年区级税收排行前5的楼宇", "tax_district", "district", "", "2024", "building", "desc", 5),
        ("空置率最高的楼宇", "vacancy_rate", "district", "", DEFAULT, "building", "desc", None),
        ("坪效最高的前10栋楼", "tax_per_m2_gfa", "district", "", DEFAULT, "building", "desc", 10),
        ("滨江商务区税收排名前3的楼宇", "tax_total", "zone", "滨江商务区", DEFAULT, "building", "desc", 3),
        ("一季度各街道税收排名", "tax_total", "district", "", "2025-Q1", "street", "desc", None),
        ("在楼企业最多的楼宇", "tenants", "district", "", DEFAULT, "building", "desc", None),
        ("哪个街道入驻率最低", "occupancy_rate", "district", "", DEFAULT, "street", "asc", None),
        ("水果湖街道税收前5的楼宇", "tax_total", "street", SHUIGUOHU, DEFAULT, "building", "desc", 5),
        ("上半年营收排名后五的楼宇", "revenue", "district", "", "2025-06-YTD", "building", "asc", 5),
        ("今年税收同比增速最高的楼宇", "tax_total", "district", "", "2025-12-YTD", "building", "desc", None),
    ]
    out = []
    for q, m, lv, c, p, rows_of, order, limit in rows:
        expected = {
            "status": "answered",
            "intent": "rank",
            "metric": m,
            "level": lv,
            "code": c,
            "period": p,
            "rows": rows_of,
            "order": order,
            "limit": limit,
        }
        if "同比" in q:
            expected["compare"] = "yoy"
        out.append((q, expected))
    return out


def _trend_questions() -> list[tuple[str, dict]]:
    rows = [
        ("中交大厦今年税收逐月走势", "tax_total", "building", B["中交大厦"], "2025-12-YTD"),
        ("全区2024年区级税收每月情况", "tax_district", "district", "", "2024"),
        ("积玉桥街道今年营收趋势", "revenue", "street", JIYUQIAO, "2025-12-YTD"),
        ("金融楼宇上半年税收按月", "tax_total", "theme", "finance", "2025-06-YTD"),
        ("阿里中心去年税收走势", "tax_total", "building", B["阿里中心"], "2024"),
        ("滨江商务区今年税收各月", "tax_total", "zone", "滨江商务区", "2025-12-YTD"),
    ]
    return [
        (q, {"status": "answered", "intent": "trend", "metric": m, "level": lv, "code": c, "period": p})
        for q, m, lv, c, p in rows
    ]


def _enterprise_questions() -> list[tuple[str, dict]]:
    from tests.metrics.conftest import credit_code

    first = credit_code(1001)
    rows = [
        ("（演示）阿里中心甲号有限公司今年税收", "tax_total", "2025-12-YTD", "阿里中心甲号有限公司"),
        ("阿里中心乙号有限公司去年纳税多少", "tax_total", "2024", "阿里中心乙号有限公司"),
        (f"{first}今年区级税收", "tax_district", "2025-12-YTD", None),
        ("中交大厦甲号有限公司一季度营收", "revenue", "2025-Q1", "中交大厦甲号有限公司"),
        (f"信用代码{first}去年营业收入", "revenue", "2024", None),
        ("（演示）楼外贸易有限公司今年税收", "tax_total", "2025-12-YTD", "楼外贸易有限公司"),
    ]
    out = []
    for q, m, p, name in rows:
        out.append(
            (
                q,
                {
                    "status": "answered",
                    "intent": "value",
                    "metric": m,
                    "level": "enterprise",
                    "period": p,
                    "enterprise_name": name,
                },
            )
        )
    out[-1][1]["code"] = UNATTRIBUTED
    out[2][1]["code"] = first
    out[4][1]["code"] = first
    return out


def _no_answer_questions() -> list[tuple[str, dict]]:
    unknown = [
        "中交大夏税收",
        "全区GDP是多少",
        "阿里中心今年怎么样",
        "积玉桥街道绿化率",
        "数创大厦的物业费",
        "全区有多少停车位",
        "中交大厦今年的碳排放",
        "水果湖街道人口",
        "进出口银行大厦电费",
        "积玉桥",
    ]
    ambiguous = ["保利今年税收", "国铁入驻率", "长江税收是多少", "保利空置率", "中南今年营收"]
    out_of_data = ["前年全区税收", "2026年全区税收", "2023年中交大厦税收", "明年全区税收是多少"]
    out = [(q, {"status": "unknown"}) for q in unknown]
    out += [(q, {"status": "ambiguous"}) for q in ambiguous]
    out += [(q, {"status": "out_of_data"}) for q in out_of_data]
    out += [
        (q, {"status": "tasks"})
        for q in ("区发改局有几项任务亮红灯", "有几项任务逾期", "本月督办单有多少", "积玉桥街道的任务亮黄灯了吗")
    ]
    return out


def _held_out() -> list[tuple[str, dict]]:
    """Written after the parser was finished and never tuned for: how a clerk might ask."""
    zj, ali, sc = B["中交大厦"], B["阿里中心"], B["数创大厦"]
    v = {"status": "answered", "intent": "value"}
    return [
        (
            "中交大厦今年交了多少税",
            v | {"metric": "tax_total", "level": "building", "code": zj, "period": "2025-12-YTD"},
        ),
        ("阿里中心的出租率现在是多少", v | {"metric": "occupancy_rate", "level": "building", "code": ali}),
        ("积玉桥街道一共有多少栋楼", v | {"metric": "buildings", "level": "street", "code": JIYUQIAO}),
        ("全区今年的营业收入比去年增长了多少", v | {"metric": "revenue", "level": "district", "compare": "yoy"}),
        ("数创大厦里有多少家企业", v | {"metric": "tenants", "level": "building", "code": sc}),
        (
            "水果湖街道去年区级税收是多少",
            v | {"metric": "tax_district", "level": "street", "code": SHUIGUOHU, "period": "2024"},
        ),
        ("今年全区亿元楼宇有多少栋", {"status": "answered", "intent": "count", "tier": "yiyuan", "level": "district"}),
        ("去年有哪些十亿元楼宇", {"status": "answered", "intent": "list", "tier": "shiyi", "period": "2024"}),
        (
            "税收排名前三的街道",
            {"status": "answered", "intent": "rank", "rows": "street", "limit": 3, "metric": "tax_total"},
        ),
        (
            "入驻率最高的楼宇是哪栋",
            {"status": "answered", "intent": "rank", "metric": "occupancy_rate", "order": "desc"},
        ),
        ("阿里中心空置面积有多大", v | {"metric": "vacant_area", "level": "building", "code": ali}),
        ("滨江商务区今年税收同比增长多少", v | {"metric": "tax_total", "level": "zone", "compare": "yoy"}),
        ("中交大厦的坪效是多少", v | {"metric": "tax_per_m2_gfa", "level": "building", "code": zj}),
        ("2024年12月全区税收", v | {"metric": "tax_total", "level": "district", "period": "2024-12"}),
        ("中交大厦在全区税收排第几", v | {"metric": "tax_rank", "level": "building", "code": zj}),
        ("纳统率最低的街道", {"status": "answered", "intent": "rank", "rows": "street", "order": "asc"}),
        ("全区有几栋在建楼宇", v | {"metric": "under_construction_buildings", "level": "district"}),
        ("中交大厦今年每个月的税收", {"status": "answered", "intent": "trend", "metric": "tax_total", "code": zj}),
        ("阿里中心的纳税大户", {"status": "unknown"}),
        ("长江产业大厦今年税收", v | {"metric": "tax_total", "level": "building", "code": B["长江产业大厦"]}),
    ]


def questions() -> list[tuple[str, dict]]:
    """Every question of the set with its expected reading (asked by the bureau)."""
    return (
        _value_questions()
        + _yoy_questions()
        + _tier_questions()
        + _list_questions()
        + _rank_questions()
        + _trend_questions()
        + _enterprise_questions()
        + _no_answer_questions()
        + _held_out()
    )


# Asked by a 积玉桥 street user: the refusals the API gives (route to compare with, and the reading).
STREET_QUESTIONS = [
    ("水果湖街道今年税收", "/api/metrics/kpis?level=street&code=420106012&period=2025-12-YTD"),
    ("全区今年税收", "/api/metrics/kpis?level=district&period=2025-12-YTD"),
    ("进出口银行大厦入驻率", f"/api/metrics/kpis?level=building&code={B['进出口银行大厦']}"),
    ("数创大厦一季度营收", f"/api/metrics/kpis?level=building&code={B['数创大厦']}&period=2025-Q1"),
    ("水果湖街道有几栋亿元楼宇", "/api/metrics/kpis?level=street&code=420106012&period=2025-12-YTD"),
    ("全区亿元楼宇有几栋", "/api/metrics/kpis?level=district&period=2025-12-YTD"),
    ("水果湖街道税收前5的楼宇", "/api/metrics/rankings/buildings?street=420106012"),
    ("华中金融城今年营收", None),  # a zone: the street user's own buildings in it (none) — answered, not refused
]
# Asked by the same street user, about their own street: answered.
OWN_STREET_QUESTIONS = ["积玉桥街道今年税收", "中交大厦入驻率", "积玉桥街道有几栋亿元楼宇"]
