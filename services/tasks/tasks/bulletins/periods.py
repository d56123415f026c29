"""Periods a bulletin or an assessment covers: a year (2025), a quarter (2025-Q2) or a month (2025-06)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from louyu_kit.errors import Invalid

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


@dataclass(frozen=True)
class Period:
    key: str
    year: int
    start: date
    end: date
    label: str

    def clipped_end(self, today: date) -> date:
        """The last day figures can exist for (today for the current period)."""
        return min(self.end, today)


def _month_end(year: int, month: int) -> date:
    first_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first_next - timedelta(days=1)


def parse(text: str, *, field: str = "period") -> Period:
    """``2025`` / ``2025-Q2`` / ``2025-06`` → the period's dates and Chinese label."""
    value = text.strip().upper()
    if m := re.fullmatch(r"(\d{4})", value):
        year = int(m[1])
        period = Period(value, year, date(year, 1, 1), date(year, 12, 31), f"{year}年")
    elif m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        year, quarter = int(m[1]), int(m[2])
        period = Period(
            value,
            year,
            date(year, quarter * 3 - 2, 1),
            _month_end(year, quarter * 3),
            f"{year}年{QUARTER_NAMES[quarter]}",
        )
    elif m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise Invalid(f"{field}：月份应为 01–12", fields=[{"field": field, "message": "月份应为 01–12"}])
        period = Period(value, year, date(year, month, 1), _month_end(year, month), f"{year}年{month}月")
    else:
        message = "格式应为 2025（全年）、2025-Q2（季度）或 2025-06（月份）"
        raise Invalid(f"{field}：{message}", fields=[{"field": field, "message": message}])
    if not 2000 <= period.year <= 2100:
        raise Invalid(f"{field}：年份超出范围", fields=[{"field": field, "message": "年份应在 2000–2100 之间"}])
    return period
