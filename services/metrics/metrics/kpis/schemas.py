"""Response models of the KPI routes (``/kpis``, ``/streets``, ``/rankings/buildings``,
``/buildings/{code}``, ``/buildings/{code}/enterprises``, ``/tiers``) and their shared parts.

Money in 元 as JSON numbers, areas in ㎡, rates as fractions 0–1, ``null`` when not
computable. Every figure field is described from the 指标口径 catalogue and tagged
``x-metric`` with its code (``metrics.catalogue.definitions.figure``). A new figure: add its
definition to the catalogue, then its field here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from metrics.catalogue.definitions import figure
from metrics.featured.schemas import VerdictRead


class PeriodInfo(BaseModel):
    """The statistics period of an answer."""

    key: str = Field(description="统计期代码：2025-06、2025-Q2、2025、2025-06-YTD、2025-YTD")
    label: str = Field(description="统计期名称（中文），如“2025年1—6月”")
    kind: Literal["month", "quarter", "year", "ytd"] = Field(
        description="month 月 / quarter 季度 / year 全年 / ytd 年初至今"
    )
    year: int = Field(description="年度")
    months: int = Field(description="统计期包含的月数")
    start: str = Field(description="统计期第一天（YYYY-MM-DD）")
    end: str = Field(description="统计期最后一天（YYYY-MM-DD）")
    previous: str = Field(description="上年同期的统计期代码（同比所用）")
    annualisation: float = Field(description="年化系数 = 12 ÷ 月数（坪效按年折算所乘）")


class Change(BaseModel):
    """同比 of one figure."""

    previous: float | None = figure("yoy_previous")
    change: float | None = figure("yoy_change")
    rate: float | None = figure("yoy_rate")


class YoyBlock(BaseModel):
    tax_total: Change = Field(description="全口径税收同比")
    tax_district: Change = Field(description="区级税收同比")
    revenue: Change = Field(description="营业收入同比")


class Efficiency(BaseModel):
    """坪效 (元/㎡/年), annualised for a part of a year."""

    annualised: bool = Field(description="true：统计期不足一年，已按年折算")
    factor: float = Field(description="年化系数（12 ÷ 月数）")
    tax_total_per_m2_gfa: float | None = figure("tax_per_m2_gfa")
    tax_total_per_m2_occupied: float | None = figure("tax_per_m2_occupied")
    tax_district_per_m2_gfa: float | None = figure("tax_district_per_m2_gfa")
    tax_district_per_m2_occupied: float | None = figure("tax_district_per_m2_occupied")
    note: str = Field(description="坪效的计算说明（中文）")


class RankPosition(BaseModel):
    position: int = figure("tax_rank")
    of: int = Field(description="参与排名的个数")


class Rank(BaseModel):
    district: RankPosition | None = Field(default=None, description="全区排名（无税收数据时为 null）")
    street: RankPosition | None = Field(default=None, description="街道内排名（楼宇才有）")


class Unattributed(BaseModel):
    """Figures of enterprises in no building (the district only)."""

    tax_total: float | None = figure("unattributed_tax_total")
    tax_district: float | None = figure("unattributed_tax_district")
    revenue: float | None = figure("unattributed_revenue")


class KpiRead(BaseModel):
    """Every KPI of a building, street, theme, zone or the district for a period."""

    level: Literal["district", "street", "theme", "zone", "building"] = Field(description="统计层级")
    code: str = Field(description="街道代码、主题代码、功能区名称或楼宇编码（全区为空）")
    name: str = Field(description="范围名称")
    period: PeriodInfo
    buildings: int = figure("buildings")
    tax_total: float | None = figure("tax_total")
    tax_district: float | None = figure("tax_district")
    revenue: float | None = figure("revenue")
    employees: float | None = figure("employees")
    enterprises_with_figures: int = figure("enterprises_with_figures")
    yoy: YoyBlock = Field(description="同比（全口径税收、区级税收、营业收入）")
    gfa: float = figure("gfa")
    leasable_area: float = figure("leasable_area")
    stock_month: str | None = Field(description="入驻率等存量指标的统计月份（该月末）；未统计时为 null")
    occupied_area: float | None = figure("occupied_area")
    vacant_area: float | None = figure("vacant_area")
    occupancy_rate: float | None = figure("occupancy_rate")
    tenants: int | None = figure("tenants")
    registered_tenants: int | None = figure("registered_tenants")
    statistics_tenants: int | None = figure("statistics_tenants")
    registration_rate: float | None = figure("registration_rate")
    statistics_rate: float | None = figure("statistics_rate")
    efficiency: Efficiency
    figures_on: str | None = Field(default=None, description="存量指标（入驻率、空置、在楼企业）的日期（YYYY-MM-DD）")
    reported_buildings: int | None = figure("reported_buildings", default=None)
    not_reported_buildings: int | None = figure("not_reported_buildings", default=None)
    under_construction_buildings: int | None = figure("under_construction_buildings", default=None)
    under_construction_area: float | None = figure("under_construction_area", default=None)
    figures_status: Literal["reported", "not_reported", "under_construction"] | None = Field(
        default=None,
        description="存量指标的状态：reported 已填报 / not_reported 未填报（不计入比率）/ under_construction 在建",
    )
    figures_status_label: str | None = Field(default=None, description="状态名称（中文）")
    unattributed: Unattributed | None = Field(default=None, description="未入楼企业的数字（仅全区层级）")
    rank: Rank | None = Field(default=None, description="按全口径税收的排名（楼宇、街道层级）")


class StreetRow(BaseModel):
    """One street with buildings the caller may read (drill-down level 1)."""

    code: str = Field(description="街道代码（统计用区划代码）")
    name: str = Field(description="街道名称")
    buildings: int = figure("buildings")
    tax_total: float | None = figure("tax_total")
    tax_district: float | None = figure("tax_district")
    revenue: float | None = figure("revenue")
    previous_tax_total: float | None = figure("previous_tax_total")
    yoy: float | None = figure("tax_total_yoy")
    occupied_area: float = figure("occupied_area")
    leasable_area: float = figure("leasable_area")
    occupancy_rate: float | None = figure("occupancy_rate")
    tenants: int | None = figure("tenants")
    vacant_area: float | None = figure("vacant_area", default=None)
    figures_on: str | None = Field(default=None, description="存量指标（入驻率、空置、在楼企业）的日期（YYYY-MM-DD）")
    reported_buildings: int | None = figure("reported_buildings", default=None)
    not_reported_buildings: int | None = figure("not_reported_buildings", default=None)
    under_construction_buildings: int | None = figure("under_construction_buildings", default=None)
    under_construction_area: float | None = figure("under_construction_area", default=None)
    rank: int | None = figure("tax_rank")


class StreetList(BaseModel):
    period: PeriodInfo
    figures_on: str | None = Field(
        default=None, description="入驻率、入驻面积、空置面积、在楼企业数的统计日期（YYYY-MM-DD）"
    )
    items: list[StreetRow] = Field(description="各街道（按全口径税收从高到低）")
    total: int = Field(description="街道数")
    unattributed: Unattributed | None = Field(default=None, description="未入楼企业的数字（仅全区可见的用户）")


class BuildingRow(BaseModel):
    """One building's KPIs in a ranking (level 2) or the cockpit's 重点楼宇."""

    rank: int = Field(description="在本次排序中的名次（按所选排序字段）")
    code: str = Field(description="楼宇编码")
    name: str = Field(description="楼宇名称")
    street_code: str = Field(description="街道代码")
    street_name: str = Field(description="街道名称")
    zone: str | None = Field(description="功能区")
    themes: list[str] = Field(description="申报的特色主题代码")
    is_demo: bool = Field(description="演示数据")
    gfa: float | None = figure("gfa")
    leasable_area: float | None = figure("leasable_area")
    tax_total: float | None = figure("tax_total")
    tax_district: float | None = figure("tax_district")
    revenue: float | None = figure("revenue")
    previous_tax_total: float | None = figure("previous_tax_total")
    previous_tax_district: float | None = figure("previous_tax_district")
    yoy: float | None = figure("tax_total_yoy")
    tax_per_m2_gfa: float | None = figure("tax_per_m2_gfa")
    tax_per_m2_occupied: float | None = figure("tax_per_m2_occupied")
    occupied_area: float | None = figure("occupied_area")
    vacant_area: float | None = figure("vacant_area", default=None)
    occupancy_rate: float | None = figure("occupancy_rate")
    tenants: int | None = figure("tenants")
    registered_tenants: int | None = figure("registered_tenants")
    statistics_tenants: int | None = figure("statistics_tenants")
    tier: str = figure("tier", "档位名称；月、季度为空（档位按全年或年初至今）")
    figures_status: Literal["reported", "not_reported", "under_construction"] | None = Field(
        default=None,
        description="存量指标的状态：reported 已填报 / not_reported 未填报（不计入比率）/ under_construction 在建",
    )
    figures_status_label: str | None = Field(default=None, description="状态名称（中文）")


class RankingSum(BaseModel):
    """A row that makes a ranking add up: the buildings of the filter that are not on this page
    (其余楼宇), or the 合计 of every building of the filter."""

    code: Literal["_rest", "_total"] = Field(description="_rest 不在本页的楼宇之和 / _total 合计")
    name: str = Field(description="行名称：其余楼宇、合计")
    kind: Literal["other", "total"] = Field(description="other 其余楼宇（_rest）/ total 合计（_total）")
    buildings: int = figure("buildings")
    tax_total: float | None = figure("tax_total")
    tax_district: float | None = figure("tax_district")
    revenue: float | None = figure("revenue")
    previous_tax_total: float | None = figure("previous_tax_total")
    previous_tax_district: float | None = figure("previous_tax_district")
    yoy: float | None = figure("tax_total_yoy")


class Ranking(BaseModel):
    period: PeriodInfo
    figures_on: str | None = Field(
        default=None, description="入驻率、入驻面积、空置面积、在楼企业数的统计日期（YYYY-MM-DD）"
    )
    sort: str = Field(description="排序字段")
    items: list[BuildingRow]
    total: int = Field(description="符合筛选的楼宇数")
    limit: int = Field(description="条数")
    offset: int = Field(description="跳过条数")
    rest_row: RankingSum | None = Field(
        description="不在本页（limit、offset 之外）的楼宇之和；全部在本页时为 null。"
        "items 与 rest_row 之和等于 total_row"
    )
    total_row: RankingSum = Field(
        description="符合筛选的全部楼宇之和（合计）：按街道、主题或功能区筛选时等于该街道、主题或功能区的指标"
        "（GET /kpis 同一统计期）；不含未入楼企业"
    )


class MonthRow(BaseModel):
    """One month of the period's year, on both bases, with last year's same month."""

    period: str = Field(description="月份（YYYY-MM）")
    tax_total: float | None = figure("tax_total")
    tax_district: float | None = figure("tax_district")
    revenue: float | None = figure("revenue")
    previous_tax_total: float | None = figure("previous_tax_total")
    previous_tax_district: float | None = figure("previous_tax_district")


class BuildingInfo(BaseModel):
    code: str = Field(description="楼宇编码")
    name: str = Field(description="楼宇名称")
    street_code: str = Field(description="街道代码")
    street_name: str = Field(description="街道名称")
    zone: str | None = Field(description="功能区")
    themes: list[str] = Field(description="申报的特色主题代码")
    stage: str | None = Field(description="阶段：在建 / 新建成 / 存量")
    gfa: float | None = figure("gfa")
    leasable_area: float | None = figure("leasable_area")
    is_demo: bool = Field(description="演示数据")


class BuildingTier(BaseModel):
    period: str = Field(description="判断档位的统计期（全年或年初至今）")
    label: str = figure("tier", "未达千万元为空")
    tax_total: float | None = figure("tax_total")


class Taxpayer(BaseModel):
    """One tenant's tax attributed to the building."""

    rank: int = Field(description="按归属本楼的全口径税收的名次")
    credit_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="企业名称（不在登记库时为空）")
    industry_code: str | None = Field(description="行业代码（GB/T 4754-2017）")
    in_registry: bool = Field(description="在企业登记库中")
    registered_in_district: bool = Field(description="注册在本区（在册）")
    in_statistics: bool = Field(description="纳入本区统计名录（纳统）")
    tax_total: float | None = figure("tax_total", "归属本楼的部分")
    tax_district: float | None = figure("tax_district", "归属本楼的部分")
    revenue: float | None = figure("revenue", "归属本楼的部分")
    share: float = figure("attribution_share")


class BuildingPage(BaseModel):
    """One building's tax tab."""

    building: BuildingInfo
    period: PeriodInfo
    kpis: KpiRead
    monthly: list[MonthRow] = Field(description="统计期所在年度的 12 个月")
    tier: BuildingTier
    top_taxpayers: list[Taxpayer] | None = Field(description="纳税大户（前 10；无权查看企业时为 null）")
    featured: VerdictRead | None = Field(description="特色楼宇认定结果及理由")


class BuildingEnterprises(BaseModel):
    period: PeriodInfo
    building_code: str = Field(description="楼宇编码")
    building_name: str = Field(description="楼宇名称")
    items: list[Taxpayer]
    total: int = Field(description="有数据的企业数")
    limit: int = Field(description="条数")
    offset: int = Field(description="跳过条数")


class NamedBuilding(BaseModel):
    code: str = Field(description="楼宇编码")
    name: str = Field(description="楼宇名称")


class TierRow(BaseModel):
    key: Literal["qianwan", "wuqianwan", "yiyuan", "shiyi"] = Field(description="档位")
    metric: str = Field(description="该档计数的指标代码（如 yiyuan_buildings）")
    label: str = Field(description="档位名称")
    threshold: float = Field(description="门槛（元，全口径税收达到即计入）")
    count: int = Field(
        description="达到该档的楼宇栋数（达到即计入：含更高档），指标代码见 metric",
        json_schema_extra={"x-metric-field": "metric"},
    )
    buildings: list[NamedBuilding] = Field(description="达到该档的楼宇")
    new: list[NamedBuilding] = Field(description="比上年同期新增的楼宇（指标 tier_new_buildings）")


class MonthlyYi(BaseModel):
    key: Literal["yueyi"] = Field(description="月亿楼")
    metric: str = Field(description="指标代码 yueyi_buildings")
    label: str = Field(description="名称")
    threshold: float = Field(description="门槛（元，单月全口径税收达到即计入）")
    count: int = figure("yueyi_buildings")
    buildings: list[NamedBuilding] = Field(description="月亿楼")


class TiersRead(BaseModel):
    period: PeriodInfo
    items: list[TierRow] = Field(description="千万元、5000万元、亿元、十亿元楼宇（由低到高）")
    monthly_yi: MonthlyYi
    rule: str = Field(description="计入规则（中文）")
