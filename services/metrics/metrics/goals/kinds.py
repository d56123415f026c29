"""The figures a goal can be measured on, by code (the codes of the 指标口径 catalogue), and how
metrics measures each: a tier of buildings by annual tax, the 特色楼宇 verdicts, or a district
KPI (the KPI part's own computation, never a second one). A goal on any other code is a figure
only the commerce bureau keeps: it enters the current value. 招商共享中心 are counted by the
tasks service (the centres opened in the goal's year), asked when the goals are copied.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from metrics.rollups.queries import TIERS

TIER_THRESHOLDS: dict[str, Decimal] = {key: threshold for key, _, threshold in TIERS}


@dataclass(frozen=True)
class GoalMetric:
    code: str
    name: str
    unit: str
    kind: Literal["count", "rate"]
    computed: bool
    rule: str = ""  # the definition in words, said in the progress sentence
    tier: str | None = None  # a tier of TIERS: buildings whose annual tax reaches it
    kpi: str | None = None  # the field of the district KPI answer


def _tier(code: str, tier: str, name: str) -> GoalMetric:
    amount = {"qianwan": "1000万元", "wuqianwan": "5000万元", "yiyuan": "1亿元", "shiyi": "10亿元"}[tier]
    rule = f"楼内企业归属本楼的全口径税收年度合计 ≥ {amount}（恰好{amount}计入）"
    return GoalMetric(code, name, "栋", "count", True, rule, tier=tier)


GOAL_METRICS: tuple[GoalMetric, ...] = (
    _tier("qianwan_buildings", "qianwan", "千万元楼宇"),
    _tier("wuqianwan_buildings", "wuqianwan", "5000万元楼宇"),
    _tier("yiyuan_buildings", "yiyuan", "亿元楼宇"),
    _tier("shiyi_buildings", "shiyi", "十亿元楼宇"),
    GoalMetric(
        "featured_buildings",
        "特色楼宇",
        "栋",
        "count",
        True,
        "按各主题的特色楼宇认定规则（主题企业占比达到阈值且建筑面积达标）",
    ),  # fmt: skip
    GoalMetric("occupancy_rate", "入驻率", "%", "rate", True, "全区入驻面积 ÷ 可出租面积", kpi="occupancy_rate"),
    GoalMetric("vacancy_rate", "空置率", "%", "rate", True, "1 − 入驻率（空置面积 ÷ 可出租面积）", kpi="vacancy_rate"),
    GoalMetric("registration_rate", "注册率", "%", "rate", True, "在册企业 ÷ 在楼企业", kpi="registration_rate"),
    GoalMetric("statistics_rate", "纳统率", "%", "rate", True, "纳统企业 ÷ 在楼企业", kpi="statistics_rate"),
    GoalMetric("tenants", "在楼企业", "家", "count", True, "全区在楼企业数，一家企业在一栋楼计一次", kpi="tenants"),
    GoalMetric(
        "sharing_centres",
        "招商共享中心",
        "个",
        "count",
        True,
        "目标年度内启用的区级、街道招商共享中心（任务服务登记的启用日期）",
    ),
)
METRICS: dict[str, GoalMetric] = {m.code: m for m in GOAL_METRICS}
