"""The figures a plan's goals are stated in: code (the metrics service's 指标口径 code), Chinese
name, measure word, whether metrics computes it or the commerce bureau enters it, and the words
a plan uses for it. Shared by the parser (reading) and the schemas (checking a corrected goal).

Pure data: no database, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["count", "rate"]
MeasuredBy = Literal["metrics", "bureau"]


@dataclass(frozen=True)
class GoalMetric:
    code: str
    name: str
    unit: str
    kind: Kind
    measured_by: MeasuredBy
    pattern: str  # how a plan writes it (regular expression, on half-width text)


_TAX_BUILDING = r"(?:以上)?(?:税收)?(?:楼宇|楼)"

# Order matters: the longer tier names before 亿元楼宇, so 十亿元楼宇 is not read as 亿元楼宇.
GOAL_METRICS: tuple[GoalMetric, ...] = (
    GoalMetric("shiyi_buildings", "十亿元楼宇", "栋", "count", "metrics", r"十亿元" + _TAX_BUILDING),
    GoalMetric("qianwan_buildings", "千万元楼宇", "栋", "count", "metrics", r"千万元" + _TAX_BUILDING),
    GoalMetric(
        "wuqianwan_buildings",
        "5000万元楼宇",
        "栋",
        "count",
        "metrics",
        r"(?:5000|五千)万元" + _TAX_BUILDING,
    ),
    GoalMetric("yiyuan_buildings", "亿元楼宇", "栋", "count", "metrics", r"(?<![十百千])亿元" + _TAX_BUILDING),
    GoalMetric("featured_buildings", "特色楼宇", "栋", "count", "metrics", r"(?:专业)?特色(?:专业)?(?:商务)?楼宇"),
    GoalMetric("tenants", "在楼企业", "家", "count", "metrics", r"(?:入驻|在楼)企业"),
    GoalMetric("occupancy_rate", "入驻率", "%", "rate", "metrics", r"(?:楼宇)?入驻率"),
    GoalMetric("vacancy_rate", "空置率", "%", "rate", "metrics", r"(?:楼宇)?空置率"),
    GoalMetric("registration_rate", "注册率", "%", "rate", "metrics", r"(?<!纳统)注册率"),
    GoalMetric("statistics_rate", "纳统率", "%", "rate", "metrics", r"(?<!注册)纳统率"),
    GoalMetric("sharing_centres", "招商共享中心", "个", "count", "metrics", r"(?:招商)?共享中心"),
)
BY_CODE = {m.code: m for m in GOAL_METRICS}


def name_of(code: str) -> str:
    """The Chinese name of a goal metric (the code itself only for a metric nobody defined)."""
    metric = BY_CODE.get(code)
    return metric.name if metric else code
