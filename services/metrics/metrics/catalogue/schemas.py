"""Shape of one catalogue entry (``GET /api/metrics/definitions``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PeriodKind = Literal["flow", "annualised", "stock", "annual_count", "ratio_of_flows", "static"]


class MetricDefinition(BaseModel):
    """One figure: what it counts, over what, for which period, from which tables."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="指标代码：接口各答复中的指标字段名 / 指标卡 key 即此代码")
    name: str = Field(description="指标名称（中文，界面与导出所用名称）")
    category: str = Field(description="分类：税收、坪效、载体、企业、楼宇分档、特色楼宇、数据范围")
    formula: str = Field(description="计算公式（文字）")
    numerator: str = Field(description="分子（比率类）或所计之数（总量、计数类）")
    denominator: str | None = Field(default=None, description="分母；非比率指标为 null")
    inclusions: list[str] = Field(
        description="包含与排除：楼宇阶段（在建不计入入驻率等分母）、未填报、档位达到即计入、哪些企业、数据来源与口径"
    )
    unit: str = Field(description="单位：元、元/㎡/年、㎡、家、栋、比率（0–1 的小数，界面显示为 %）")
    period_kind: PeriodKind = Field(
        description="统计期类型：flow 期内各月之和（不折算）；annualised 按年折算（× 12 ÷ 月数）；"
        "stock 期末时点值；annual_count 按全年或年初至今计数；ratio_of_flows 两期之比；static 档案值"
    )
    period: str = Field(description="统计期口径：月、季度、年初至今、全年分别如何取值，是否年化")
    sources: list[str] = Field(description="来源数据表（metrics 服务的表；读模型表同步自 registry）")
    note: str = Field(default="", description="补充说明（与其他界面同名数字的区别等）")
