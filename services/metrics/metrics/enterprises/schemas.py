"""一企一档's figures: an enterprise's tax and revenue by month, with the same month last year."""

from __future__ import annotations

from pydantic import BaseModel, Field

from metrics.catalogue.definitions import figure


class MonthFigures(BaseModel):
    month: str = Field(description="月份（YYYY-MM）")
    tax_total: float | None = figure("tax_total", "本企业当月")
    tax_district: float | None = figure("tax_district", "本企业当月")
    revenue: float | None = figure("revenue", "本企业当月")
    previous_tax_total: float | None = figure("previous_tax_total", "上年同月")
    previous_tax_district: float | None = figure("previous_tax_district", "上年同月")
    previous_revenue: float | None = figure("yoy_previous", "营业收入上年同月")
    tax_total_yoy: float | None = figure("tax_total_yoy", "当月；上年同月无数据时为空")
    revenue_yoy: float | None = figure("yoy_rate", "营业收入当月同比；上年同月无数据时为空")


class YearToDate(BaseModel):
    through: str | None = Field(description="截至月份（本年有数据的最后一个月，YYYY-MM；无数据为空）")
    tax_total: float | None = figure("tax_total", "本年年初至今")
    previous_tax_total: float | None = figure("previous_tax_total", "上年同期（相同月份）")
    tax_total_yoy: float | None = figure("tax_total_yoy", "年初至今")
    tax_district: float | None = figure("tax_district", "本年年初至今")
    revenue: float | None = figure("revenue", "本年年初至今")


class EnterpriseFigures(BaseModel):
    credit_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="企业名称")
    year: int = Field(description="年份")
    synthetic: bool = Field(description="含演示用虚构数据")
    months: list[MonthFigures] = Field(description="1–12 月（无数据的月份各项为空）")
    ytd: YearToDate = Field(description="年初至今合计与上年同期")


class EnterpriseTax(BaseModel):
    credit_code: str = Field(description="统一社会信用代码")
    tax_total: float | None = figure("tax_total", "本年年初至今（截至全区最新数据月份）")
    previous_tax_total: float | None = figure("previous_tax_total", "上年同期")


class EnterpriseTaxList(BaseModel):
    year: int = Field(description="年份")
    through: str | None = Field(description="截至月份（全区最新数据月份，YYYY-MM）")
    items: list[EnterpriseTax] = Field(description="本人可查看税收的企业（看不到的企业不列出）")
