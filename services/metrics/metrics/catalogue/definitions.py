"""Every figure of the product, defined once (DOMAIN.md → 指标口径 is binding).

A response field that carries a figure names its definition (``figure(code)`` in a Pydantic
model puts ``x-metric: <code>`` and the definition's name, unit and 口径 in the field's
description); a KPI card's ``key`` is its code; an export column names its code in the
口径说明 sheet (xlsx) or header lines (CSV). Add a figure here before any screen shows it:
``tests/contract/test_catalogue.py`` fails on a figure without a definition.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import Field

from louyu_kit import files
from metrics.catalogue.schemas import MetricDefinition

# ----- shared wording -------------------------------------------------------------------------

_FLOW = "月：该月；季度：三个月之和；年初至今：1 月至所选月（或有数据的最近月）之和；全年：12 个月之和。不折算。"
_ANNUAL = "按年折算：统计期税收 × 12 ÷ 统计期月数（月 ×12，季度 ×4，年初至今 6 个月 ×2，全年不折算），面积取统计期末。"
_STOCK = "期末时点值：统计期最后一天（晚于本月时取本月末）在楼入驻记录的状况；不随统计期长短累加。"
_TIER = "全年或年初至今的全口径税收（月、季度按其所在年度的年初至今计）。"
_YOY = "与上年同期（相同月份）比较。"

_ATTRIBUTED = "企业税收按其在楼入驻记录（面积 × 天数）分摊到楼宇；不在任何楼宇的企业（未入楼企业）只计入全区合计。"
_TAX_SOURCES = ["fact（税务局推送、逐企业逐月）", "rollup_building_period", "rollup_enterprise", "rm_occupancy"]
_STOCK_SOURCES = ["rm_occupancy（registry 入驻记录）", "rollup_building_stock", "rm_building"]
_STAGES = "楼宇阶段：在建楼宇不计入（其面积单列为在建载体面积）；新建成、存量楼宇计入。"
_UNREPORTED = "未填报（无可出租面积或无房源记录）的楼宇不计入，显示“未填报”，不是 0% 也不是 100%。"
_DISTRICT_ALL = "全区口径含未入楼企业；街道、主题、功能区、楼宇口径只含其楼宇内企业（按分摊比例）。"
_ONE_TENANT = "同一企业在同一楼宇有多条入驻记录时计为 1 家；在两栋楼各计 1 家。"


def _d(**kw: Any) -> MetricDefinition:
    return MetricDefinition(**kw)


DEFINITIONS: tuple[MetricDefinition, ...] = (
    # ----- 税收与收入 --------------------------------------------------------------------
    _d(
        code="tax_total",
        name="全口径税收",
        category="税收",
        formula="统计期内企业缴纳的全部税收之和（全口径）",
        numerator="全口径税收金额（元，精确到分）",
        inclusions=["税务局推送的全口径税收（口径 basis = 全口径）", _ATTRIBUTED, _DISTRICT_ALL],
        unit="元",
        period_kind="flow",
        period=_FLOW,
        sources=_TAX_SOURCES,
    ),
    _d(
        code="tax_district",
        name="区级税收",
        category="税收",
        formula="统计期内企业税收中归属本区的部分之和（区级口径）",
        numerator="区级税收金额（元）",
        inclusions=["税务局推送的区级税收（口径 basis = 区级）", _ATTRIBUTED, _DISTRICT_ALL],
        unit="元",
        period_kind="flow",
        period=_FLOW,
        sources=_TAX_SOURCES,
    ),
    _d(
        code="revenue",
        name="营业收入",
        category="税收",
        formula="统计期内企业营业收入之和",
        numerator="营业收入金额（元）",
        inclusions=["统计局、扫楼或导入报送的营业收入", _ATTRIBUTED, _DISTRICT_ALL],
        unit="元",
        period_kind="flow",
        period=_FLOW,
        sources=["fact", "rollup_building_period"],
    ),
    _d(
        code="employees",
        name="从业人员",
        category="企业",
        formula="统计期内最近一个有数据月份的从业人员数之和（人数不按月累加）",
        numerator="从业人员（人）",
        inclusions=[_ATTRIBUTED],
        unit="人",
        period_kind="stock",
        period="期末值：统计期内最后一个有从业人员数据的月份。",
        sources=["fact", "rollup_building_period"],
    ),
    _d(
        code="unattributed_tax_total",
        name="未入楼企业全口径税收",
        category="税收",
        formula="统计期内不在任何楼宇（无在期入驻记录）的企业的全口径税收之和",
        numerator="未入楼企业全口径税收（元）",
        inclusions=["只在全区口径出现；各街道合计 + 未入楼企业 = 全区合计"],
        unit="元",
        period_kind="flow",
        period=_FLOW,
        sources=_TAX_SOURCES,
    ),
    _d(
        code="unattributed_tax_district",
        name="未入楼企业区级税收",
        category="税收",
        formula="统计期内不在任何楼宇的企业的区级税收之和",
        numerator="未入楼企业区级税收（元）",
        inclusions=["只在全区口径出现"],
        unit="元",
        period_kind="flow",
        period=_FLOW,
        sources=_TAX_SOURCES,
    ),
    _d(
        code="unattributed_revenue",
        name="未入楼企业营业收入",
        category="税收",
        formula="统计期内不在任何楼宇的企业的营业收入之和",
        numerator="未入楼企业营业收入（元）",
        inclusions=["只在全区口径出现"],
        unit="元",
        period_kind="flow",
        period=_FLOW,
        sources=["fact", "rollup_building_period"],
    ),
    _d(
        code="previous_tax_total",
        name="上年同期全口径税收",
        category="税收",
        formula="上年相同月份的全口径税收之和（与本期同一范围、同一分摊规则）",
        numerator="上年同期全口径税收（元）",
        inclusions=[_ATTRIBUTED],
        unit="元",
        period_kind="flow",
        period=_YOY + _FLOW,
        sources=_TAX_SOURCES,
    ),
    _d(
        code="previous_tax_district",
        name="上年同期区级税收",
        category="税收",
        formula="上年相同月份的区级税收之和",
        numerator="上年同期区级税收（元）",
        inclusions=[_ATTRIBUTED],
        unit="元",
        period_kind="flow",
        period=_YOY + _FLOW,
        sources=_TAX_SOURCES,
    ),
    _d(
        code="tax_total_yoy",
        name="全口径税收同比",
        category="税收",
        formula="（本期全口径税收 − 上年同期）÷ 上年同期",
        numerator="本期全口径税收 − 上年同期全口径税收",
        denominator="上年同期全口径税收（为 0 或无数据时不计算）",
        inclusions=[_ATTRIBUTED],
        unit="比率",
        period_kind="ratio_of_flows",
        period=_YOY,
        sources=_TAX_SOURCES,
        note="导出文件中以百分数（%）表示。",
    ),
    _d(
        code="tax_district_yoy",
        name="区级税收同比",
        category="税收",
        formula="（本期区级税收 − 上年同期）÷ 上年同期",
        numerator="本期区级税收 − 上年同期区级税收",
        denominator="上年同期区级税收",
        inclusions=[_ATTRIBUTED],
        unit="比率",
        period_kind="ratio_of_flows",
        period=_YOY,
        sources=_TAX_SOURCES,
    ),
    _d(
        code="yoy_previous",
        name="上年同期值",
        category="税收",
        formula="所述指标（全口径税收、区级税收或营业收入）上年相同月份之和",
        numerator="上年同期金额（元）",
        inclusions=[_ATTRIBUTED],
        unit="元",
        period_kind="flow",
        period=_YOY,
        sources=_TAX_SOURCES,
    ),
    _d(
        code="yoy_change",
        name="同比增减额",
        category="税收",
        formula="本期值 − 上年同期值",
        numerator="本期值 − 上年同期值（元）",
        inclusions=[_ATTRIBUTED],
        unit="元",
        period_kind="flow",
        period=_YOY,
        sources=_TAX_SOURCES,
    ),
    _d(
        code="yoy_rate",
        name="同比增速",
        category="税收",
        formula="（本期值 − 上年同期值）÷ 上年同期值",
        numerator="本期值 − 上年同期值",
        denominator="上年同期值（≤ 0 或无数据时不计算）",
        inclusions=[_ATTRIBUTED],
        unit="比率",
        period_kind="ratio_of_flows",
        period=_YOY,
        sources=_TAX_SOURCES,
    ),
    _d(
        code="tax_share",
        name="税收占比",
        category="税收",
        formula="该组（主题、企业）全口径税收 ÷ 所在范围的全口径税收合计",
        numerator="该组全口径税收",
        denominator="范围内全口径税收合计（主题构成：全部楼宇；楼内企业：该楼宇）",
        inclusions=["一栋楼宇有多个主题时分别计入各主题，主题占比之和可超过 100%"],
        unit="比率",
        period_kind="ratio_of_flows",
        period=_FLOW,
        sources=_TAX_SOURCES,
    ),
    _d(
        code="attribution_share",
        name="分摊比例",
        category="税收",
        formula="企业在本楼的入驻面积 × 天数 ÷ 企业在各楼的入驻面积 × 天数之和",
        numerator="企业在本楼的面积 × 天数",
        denominator="企业在全部楼宇的面积 × 天数",
        inclusions=["取统计期内最近一个月的比例"],
        unit="比率",
        period_kind="stock",
        period="统计期内最近一个月。",
        sources=["rollup_enterprise", "rm_occupancy"],
    ),
    _d(
        code="tax_rank",
        name="税收排名",
        category="税收",
        formula="按统计期全口径税收从高到低的名次（并列同名次）",
        numerator="名次",
        inclusions=["楼宇在全区及本街道内排名；街道在全区街道中排名"],
        unit="名",
        period_kind="flow",
        period=_FLOW,
        sources=["rollup_building_period"],
    ),
    # ----- 坪效 ------------------------------------------------------------------------
    _d(
        code="tax_per_m2_gfa",
        name="坪效（按建筑面积）",
        category="坪效",
        formula="全口径税收（年化）÷ 建筑面积",
        numerator="楼宇内企业全口径税收（年化，不含未入楼企业）",
        denominator="建筑面积（GFA）之和",
        inclusions=[_STAGES, "只含楼宇内企业税收（未入楼企业无面积）"],
        unit="元/㎡/年",
        period_kind="annualised",
        period=_ANNUAL,
        sources=[*_TAX_SOURCES, "rm_building"],
    ),
    _d(
        code="tax_per_m2_occupied",
        name="坪效（按入驻面积）",
        category="坪效",
        formula="全口径税收（年化）÷ 期末入驻面积",
        numerator="楼宇内企业全口径税收（年化）",
        denominator="统计期末入驻面积之和",
        inclusions=[_STAGES, _UNREPORTED],
        unit="元/㎡/年",
        period_kind="annualised",
        period=_ANNUAL,
        sources=[*_TAX_SOURCES, *_STOCK_SOURCES],
    ),
    _d(
        code="tax_district_per_m2_gfa",
        name="区级坪效（按建筑面积）",
        category="坪效",
        formula="区级税收（年化）÷ 建筑面积",
        numerator="楼宇内企业区级税收（年化）",
        denominator="建筑面积之和",
        inclusions=[_STAGES],
        unit="元/㎡/年",
        period_kind="annualised",
        period=_ANNUAL,
        sources=[*_TAX_SOURCES, "rm_building"],
    ),
    _d(
        code="tax_district_per_m2_occupied",
        name="区级坪效（按入驻面积）",
        category="坪效",
        formula="区级税收（年化）÷ 期末入驻面积",
        numerator="楼宇内企业区级税收（年化）",
        denominator="统计期末入驻面积之和",
        inclusions=[_STAGES, _UNREPORTED],
        unit="元/㎡/年",
        period_kind="annualised",
        period=_ANNUAL,
        sources=[*_TAX_SOURCES, *_STOCK_SOURCES],
    ),
    # ----- 载体 ------------------------------------------------------------------------
    _d(
        code="buildings",
        name="楼宇数",
        category="载体",
        formula="范围内登记的楼宇栋数",
        numerator="楼宇（栋）",
        inclusions=["含在建、新建成、存量各阶段；已删除的不计", "街道用户、楼长只计其可见楼宇"],
        unit="栋",
        period_kind="static",
        period="档案当前值。",
        sources=["rm_building"],
    ),
    _d(
        code="gfa",
        name="建筑面积",
        category="载体",
        formula="楼宇建筑面积（GFA）之和",
        numerator="建筑面积（㎡）",
        inclusions=["楼宇档案填报值"],
        unit="㎡",
        period_kind="static",
        period="档案当前值。",
        sources=["rm_building"],
    ),
    _d(
        code="leasable_area",
        name="可出租面积",
        category="载体",
        formula="楼宇可出租（商务办公）面积之和",
        numerator="可出租面积（㎡）",
        inclusions=[_STAGES, _UNREPORTED],
        unit="㎡",
        period_kind="static",
        period="档案当前值。",
        sources=["rm_building"],
    ),
    _d(
        code="occupied_area",
        name="入驻面积",
        category="载体",
        formula="统计期末有效入驻记录的面积之和",
        numerator="入驻面积（㎡）",
        inclusions=[_STAGES, "以入驻记录为准（不是房源状态）", _ONE_TENANT],
        unit="㎡",
        period_kind="stock",
        period=_STOCK,
        sources=_STOCK_SOURCES,
    ),
    _d(
        code="vacant_area",
        name="空置面积",
        category="载体",
        formula="可出租面积 − 期末入驻面积（不低于 0）",
        numerator="可出租面积 − 入驻面积（㎡）",
        inclusions=[_STAGES, _UNREPORTED],
        unit="㎡",
        period_kind="stock",
        period=_STOCK,
        sources=_STOCK_SOURCES,
    ),
    _d(
        code="occupancy_rate",
        name="入驻率",
        category="载体",
        formula="期末入驻面积 ÷ 可出租面积",
        numerator="统计期末有效入驻记录的面积之和（已租 + 自用）",
        denominator="可出租面积之和",
        inclusions=[_STAGES, _UNREPORTED, "以入驻记录为准（不是房源状态）"],
        unit="比率",
        period_kind="stock",
        period=_STOCK,
        sources=_STOCK_SOURCES,
    ),
    _d(
        code="vacancy_rate",
        name="空置率",
        category="载体",
        formula="1 − 入驻率（不低于 0）",
        numerator="空置面积",
        denominator="可出租面积",
        inclusions=[_STAGES, _UNREPORTED],
        unit="比率",
        period_kind="stock",
        period=_STOCK,
        sources=_STOCK_SOURCES,
    ),
    _d(
        code="under_construction_area",
        name="在建载体面积",
        category="载体",
        formula="阶段为在建的楼宇建筑面积之和",
        numerator="在建楼宇建筑面积（㎡）",
        inclusions=["只含在建楼宇；这部分面积不计入入驻率、空置面积、坪效的分母"],
        unit="㎡",
        period_kind="static",
        period="档案当前值。",
        sources=["rm_building"],
    ),
    _d(
        code="under_construction_buildings",
        name="在建楼宇",
        category="载体",
        formula="阶段为在建的楼宇栋数",
        numerator="在建楼宇（栋）",
        inclusions=["只含在建楼宇"],
        unit="栋",
        period_kind="static",
        period="档案当前值。",
        sources=["rm_building"],
    ),
    _d(
        code="not_reported_buildings",
        name="未填报楼宇",
        category="载体",
        formula="无可出租面积或无房源记录的非在建楼宇栋数",
        numerator="未填报楼宇（栋）",
        inclusions=["不计入入驻率；不触发空置预警，提示所在街道补录"],
        unit="栋",
        period_kind="static",
        period="档案当前值。",
        sources=["rm_building", "rm_space"],
    ),
    _d(
        code="reported_buildings",
        name="已填报楼宇",
        category="载体",
        formula="有可出租面积和房源记录的非在建楼宇栋数（入驻率等存量指标所含的楼宇）",
        numerator="已填报楼宇（栋）",
        inclusions=[_STAGES, _UNREPORTED],
        unit="栋",
        period_kind="static",
        period="档案当前值。",
        sources=["rm_building", "rm_space"],
    ),
    # ----- 企业 ------------------------------------------------------------------------
    _d(
        code="tenants",
        name="在楼企业",
        category="企业",
        formula="统计期末有有效入驻记录的企业数",
        numerator="在楼企业（家）",
        inclusions=[_STAGES, _ONE_TENANT],
        unit="家",
        period_kind="stock",
        period=_STOCK,
        sources=_STOCK_SOURCES,
    ),
    _d(
        code="registered_tenants",
        name="在册企业",
        category="企业",
        formula="在楼企业中注册在本区的企业数",
        numerator="在楼且在册企业（家）",
        inclusions=[_STAGES, _ONE_TENANT],
        unit="家",
        period_kind="stock",
        period=_STOCK,
        sources=[*_STOCK_SOURCES, "rm_enterprise"],
    ),
    _d(
        code="statistics_tenants",
        name="纳统企业",
        category="企业",
        formula="在楼企业中纳入本区统计名录的企业数",
        numerator="在楼且纳统企业（家）",
        inclusions=[_STAGES, _ONE_TENANT],
        unit="家",
        period_kind="stock",
        period=_STOCK,
        sources=[*_STOCK_SOURCES, "rm_enterprise"],
    ),
    _d(
        code="registration_rate",
        name="注册率",
        category="企业",
        formula="在楼企业中注册在本区的企业数 ÷ 在楼企业数",
        numerator="在楼且在册企业数",
        denominator="在楼企业数",
        inclusions=[_STAGES, _ONE_TENANT],
        unit="比率",
        period_kind="stock",
        period=_STOCK,
        sources=[*_STOCK_SOURCES, "rm_enterprise"],
    ),
    _d(
        code="statistics_rate",
        name="纳统率",
        category="企业",
        formula="在楼企业中纳入本区统计名录的企业数 ÷ 在楼企业数",
        numerator="在楼且纳统企业数",
        denominator="在楼企业数",
        inclusions=[_STAGES, _ONE_TENANT],
        unit="比率",
        period_kind="stock",
        period=_STOCK,
        sources=[*_STOCK_SOURCES, "rm_enterprise"],
    ),
    _d(
        code="enterprises_with_figures",
        name="有数据的企业数",
        category="企业",
        formula="统计期内有税收或收入数据的企业数",
        numerator="企业（家）",
        inclusions=["全区口径含未入楼企业", "一家企业在两栋楼时各计 1 次"],
        unit="家",
        period_kind="flow",
        period="统计期内任一月份有数据即计入。",
        sources=["rollup_building_period", "rollup_section_period"],
    ),
    # ----- 楼宇分档 --------------------------------------------------------------------
    _d(
        code="qianwan_buildings",
        name="千万元楼宇",
        category="楼宇分档",
        formula="全口径税收 ≥ 1000 万元的楼宇栋数",
        numerator="楼宇（栋）",
        inclusions=["达到即计入（≥ 门槛；含 5000 万元、亿元、十亿元楼宇）", _ATTRIBUTED],
        unit="栋",
        period_kind="annual_count",
        period=_TIER,
        sources=["rollup_building_period"],
    ),
    _d(
        code="wuqianwan_buildings",
        name="5000万元楼宇",
        category="楼宇分档",
        formula="全口径税收 ≥ 5000 万元的楼宇栋数",
        numerator="楼宇（栋）",
        inclusions=[
            "达到即计入（≥ 5000 万元，含亿元、十亿元楼宇）；5000 万–1 亿元的区间另称“5000万–1亿元（区间）”",
            _ATTRIBUTED,
        ],
        unit="栋",
        period_kind="annual_count",
        period=_TIER,
        sources=["rollup_building_period"],
    ),
    _d(
        code="yiyuan_buildings",
        name="亿元楼宇",
        category="楼宇分档",
        formula="全口径税收 ≥ 1 亿元的楼宇栋数",
        numerator="楼宇（栋）",
        inclusions=["达到即计入（恰好 1 亿元计入；含十亿元楼宇）", _ATTRIBUTED],
        unit="栋",
        period_kind="annual_count",
        period=_TIER,
        sources=["rollup_building_period"],
    ),
    _d(
        code="shiyi_buildings",
        name="十亿元楼宇",
        category="楼宇分档",
        formula="全口径税收 ≥ 10 亿元的楼宇栋数",
        numerator="楼宇（栋）",
        inclusions=["达到即计入", _ATTRIBUTED],
        unit="栋",
        period_kind="annual_count",
        period=_TIER,
        sources=["rollup_building_period"],
    ),
    _d(
        code="yueyi_buildings",
        name="月亿楼",
        category="楼宇分档",
        formula="统计期内任一月份全口径税收 ≥ 1 亿元的楼宇栋数",
        numerator="楼宇（栋）",
        inclusions=["达到即计入", _ATTRIBUTED],
        unit="栋",
        period_kind="annual_count",
        period="统计期内各月分别判断（月、季度按其所在年度的年初至今）。",
        sources=["rollup_building_period"],
    ),
    _d(
        code="tier_new_buildings",
        name="新增（分档）",
        category="楼宇分档",
        formula="本期达到该档、上年同期未达到该档的楼宇栋数",
        numerator="新增楼宇（栋）",
        inclusions=["达到即计入", "与上年同期（相同月份）比较"],
        unit="栋",
        period_kind="annual_count",
        period=_TIER,
        sources=["rollup_building_period"],
    ),
    _d(
        code="tier",
        name="税收档位（区间）",
        category="楼宇分档",
        formula="楼宇所达到的最高一档：千万元（1000万–5000万元区间）、5000万元（5000万–1亿元区间）、"
        "亿元（1亿–10亿元区间）、十亿元（≥10亿元）",
        numerator="档位（区间）",
        inclusions=["这是区间（每栋楼只属一个区间），与“达到即计入”的分档计数不同，界面以区间标示"],
        unit="档",
        period_kind="annual_count",
        period=_TIER,
        sources=["rollup_building_period"],
    ),
    # ----- 特色楼宇 ------------------------------------------------------------------------
    _d(
        code="featured_buildings",
        name="特色楼宇",
        category="特色楼宇",
        formula="按各主题认定规则（主题企业占比、建筑面积下限）认定为特色楼宇的栋数",
        numerator="楼宇（栋）",
        inclusions=["一栋楼宇符合多个主题时计 1 栋", "规则由区商务局按主题设置（口径：户数、面积或税收占比）"],
        unit="栋",
        period_kind="annual_count",
        period="按年度认定。",
        sources=["theme_rule", "rm_building", "rm_occupancy", "rm_enterprise", "rollup_building_period"],
    ),
    _d(
        code="theme_share",
        name="特色主题占比",
        category="特色楼宇",
        formula="楼内属于该主题行业的企业的户数（或入驻面积、税收）÷ 楼内全部在驻企业的户数（或面积、税收）",
        numerator="主题企业的户数、入驻面积或税收（按该主题规则的口径）",
        denominator="全楼在驻企业的户数、入驻面积或税收",
        inclusions=["主题行业按 GB/T 4754-2017 行业代码前缀认定", "取认定日在驻的企业（往年为 12 月 31 日）"],
        unit="%",
        period_kind="annual_count",
        period="按年度认定。",
        sources=["theme_rule", "rm_occupancy", "rm_enterprise", "rollup_enterprise"],
    ),
    # ----- 惠企政策（tasks 计算：services/tasks/tasks/policies/figures.py） ------------------
    _d(
        code="policy_applications",
        name="政策申报数",
        category="惠企政策",
        formula="统计期内申报日期落在期内、状态为已申报、已受理、已兑现或未通过的申报条数",
        numerator="申报（条）",
        inclusions=[
            "拟申报只是意向，不计入",
            "来自科创人才中心导入的申报表或区商务局、科创人才中心录入",
            "街道用户只计本街道企业的申报",
        ],
        unit="条",
        period_kind="flow",
        period="按年度：1 月 1 日至 12 月 31 日的申报日期。",
        sources=["policy_application（tasks 任务督办服务）"],
    ),
    _d(
        code="policy_funds_granted",
        name="惠企资金（核定）",
        category="惠企政策",
        formula="统计期内申报、状态为已受理或已兑现的申报的核定金额之和",
        numerator="核定金额（元）",
        inclusions=["未通过、已申报（未受理）、拟申报不计入", "未填核定金额的不计入", "按申报日期归期"],
        unit="元",
        period_kind="flow",
        period="按年度：申报日期在当年的申报。",
        sources=["policy_application（tasks 任务督办服务）"],
    ),
    _d(
        code="policy_funds_paid",
        name="惠企资金（已兑现）",
        category="惠企政策",
        formula="状态为已兑现、兑现日期在统计期内的申报的核定金额之和",
        numerator="已兑现金额（元）",
        inclusions=["按兑现日期归期（上年申报、当年兑现的计入当年）", "已兑现须有核定金额和兑现日期"],
        unit="元",
        period_kind="flow",
        period="按年度：兑现日期在当年的申报。",
        sources=["policy_application（tasks 任务督办服务）"],
    ),
    _d(
        code="policy_coverage",
        name="申报覆盖率",
        category="惠企政策",
        formula="重点楼宇内已申报的（企业, 政策）数 ÷ 重点楼宇内符合政策的（企业, 政策）数",
        numerator="重点楼宇内符合政策、且统计期内已申报（不含拟申报）的（企业, 政策）数",
        denominator="重点楼宇内符合政策的（企业, 政策）数（政策在统计期内有效，按精准推送的匹配规则）",
        inclusions=[
            "重点楼宇：统计年度的千万元及以上楼宇（楼宇分档 qianwan，全口径税收 ≥ 1000 万元）",
            "企业所在楼宇按楼宇登记的当前入驻记录",
            "指标分析服务不可用时不计算（显示为空，不是 0%）",
        ],
        unit="比率",
        period_kind="ratio_of_flows",
        period="按年度。",
        sources=["policy_application、policy（tasks）", "registry 企业与入驻", "metrics 楼宇分档（qianwan）"],
    ),
    # ----- 目标 ----------------------------------------------------------------------------
    _d(
        code="goal_progress",
        name="目标完成进度",
        category="目标",
        formula="当前值 ÷ 目标值（新增类目标：基期以来的增量 ÷ 目标增量）",
        numerator="目标指标的当前值（或增量）",
        denominator="目标值（或目标增量）",
        inclusions=["目标来自工作方案或区商务局录入", "当前值按目标所指指标的口径计算"],
        unit="%",
        period_kind="annual_count",
        period="按目标年度。",
        sources=["goal", "rollup_building_period", "rm_building"],
    ),
    _d(
        code="sharing_centres",
        name="招商共享中心",
        category="目标",
        formula="目标年度内启用的区级、街道招商共享中心个数",
        numerator="启用日期在目标年度内的共享中心（个）",
        inclusions=[
            "任务服务登记的招商共享中心，按其启用日期所在年度计数；区级和街道中心都计入",
            "由指标服务向任务服务查询（同步目标时），不由人工填报",
        ],
        unit="个",
        period_kind="annual_count",
        period="按目标年度（1月1日至12月31日）的启用日期。",
        sources=["tasks: sharing_centre（启用日期）", "goal（同步时保存的个数）"],
    ),
    _d(
        code="centre_occupancy_rate",
        name="共享中心入驻率",
        category="载体",
        formula="统计日在驻企业占用的工位数 ÷ 共享中心工位容量",
        numerator="统计日在驻（入驻日期 ≤ 统计日，且未离开或离开日期 ≥ 统计日）的入驻记录占用的工位数之和",
        denominator="共享中心的工位容量（合计时为各中心容量之和）",
        inclusions=[
            "按工位计，不按面积；一条入驻记录占用登记的工位数（默认 1 个）",
            "街道账号只看本街道的中心；合计为本人可见中心之和",
        ],
        unit="比率",
        period_kind="stock",
        period="统计日（今天）的时点值。",
        sources=["tasks: sharing_centre", "tasks: centre_stay"],
        note="与楼宇入驻率（按面积计）不同，名称中带“共享中心”。",
    ),
    _d(
        code="centre_conversion_rate",
        name="共享中心转化率",
        category="载体",
        formula="入驻共享中心后 N 个月内入驻本区楼宇的入驻记录数 ÷ 转化期已满或已转化的入驻记录数",
        numerator="入驻记录中，企业（按统一社会信用代码）在 registry 有一条入驻记录，其入驻日期在共享中心入驻日期"
        "与其后 N 个月之间（不晚于统计日）",
        denominator="已转化的入驻记录，加上入驻日期已满 N 个月仍未转化的入驻记录（期限未满且未转化的不计入）",
        inclusions=[
            "N 为设置 LOUYU_TASKS_CENTRE_CONVERSION_MONTHS，默认 12 个月",
            "没有统一社会信用代码的入驻记录无法查询，期满后计为未转化",
            "一家企业多次入驻共享中心时按每条入驻记录分别计",
            "街道账号查询时只能看到本街道楼宇的入驻记录",
        ],
        unit="比率",
        period_kind="stock",
        period="统计日（今天）为止的累计值。",
        sources=["tasks: centre_stay", "registry: occupancy（企业入驻记录）"],
    ),
)


@lru_cache
def by_code() -> dict[str, MetricDefinition]:
    return {d.code: d for d in DEFINITIONS}


def get(code: str) -> MetricDefinition:
    """The definition of ``code`` (KeyError names the missing code: add it above)."""
    try:
        return by_code()[code]
    except KeyError:
        raise KeyError(f"指标“{code}”不在指标口径目录中（metrics/catalogue/definitions.py）") from None


def describe(code: str, extra: str = "") -> str:
    """A field description: name, unit and 口径, from the catalogue."""
    d = get(code)
    parts = [f"{d.name}（{d.unit}，指标代码 {d.code}）：{d.formula}。", d.period]
    if d.inclusions:
        parts.append("口径：" + "；".join(d.inclusions))
    if extra:
        parts.append(extra)
    return " ".join(parts)


def figure(code: str, extra: str = "", **kwargs: Any) -> Any:
    """A Pydantic ``Field`` for a figure: described from the catalogue, tagged ``x-metric``."""
    return Field(description=describe(code, extra), json_schema_extra={"x-metric": code}, **kwargs)


# Export columns (CSV / xlsx) → catalogue code. A column not listed here and not in
# ``LABEL_COLUMNS`` fails the catalogue test.
EXPORT_COLUMNS: dict[str, str] = {
    "楼宇数": "buildings",
    "有数据的企业数": "enterprises_with_figures",
    "全口径税收（元）": "tax_total",
    "区级税收（元）": "tax_district",
    "营业收入（元）": "revenue",
    "上年同期全口径税收（元）": "previous_tax_total",
    "全口径税收同比（%）": "tax_total_yoy",
    "全口径税收（万元）": "tax_total",
    "区级税收（万元）": "tax_district",
    "营业收入（万元）": "revenue",
    "上年同期全口径税收（万元）": "previous_tax_total",
    "入驻率": "occupancy_rate",
    "入驻率（%）": "occupancy_rate",
    "在楼企业": "tenants",
    "在楼企业数": "tenants",
    "入驻面积（㎡）": "occupied_area",
    "空置面积（㎡）": "vacant_area",
    "可出租面积（㎡）": "leasable_area",
    "建筑面积（㎡）": "gfa",
    "在建载体面积（㎡）": "under_construction_area",
}
# Columns that name a row, not a figure.
LABEL_COLUMNS = frozenset({"代码", "名称", "街道", "特色主题", "行业门类", "功能区", "月份", "统计期"})


def explain_columns(headers: list[str]) -> list[tuple[str, MetricDefinition]]:
    """The definition behind each figure column of an export, in column order."""
    out = []
    for header in headers:
        if header in LABEL_COLUMNS:
            continue
        out.append((header, get(EXPORT_COLUMNS[header])))
    return out


def export_notes(headers: list[str], *, period: str, unit_note: str = "金额单位：元") -> files.ExportNotes:
    """The 口径说明 of an export (a sheet in xlsx, ``#`` lines in CSV): one row per figure column."""
    return files.ExportNotes(title="口径说明", headers=NOTES_HEADERS, rows=_notes_rows(headers, period, unit_note))


def _notes_rows(headers: list[str], period: str, unit_note: str) -> list[list[str]]:
    rows = [
        ["统计期", period, "", "", "", "", ""],
        ["单位", unit_note, "", "", "", "", ""],
        ["指标定义", "GET /api/metrics/definitions；系统内“指标口径”页", "", "", "", "", ""],
    ]
    for header, d in explain_columns(headers):
        rows.append(
            [
                header,
                d.code,
                d.name,
                d.formula + (f"（分母：{d.denominator}）" if d.denominator else ""),
                d.unit,
                d.period,
                "；".join(d.inclusions),
            ]
        )
    return rows


NOTES_HEADERS = ["列名", "指标代码", "指标名称", "计算公式", "单位", "统计期口径", "包含范围与来源口径"]
