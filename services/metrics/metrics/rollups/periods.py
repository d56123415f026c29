"""Periods: the keys figures are stored under, and the ranges the KPIs are asked for.

Stored figures carry a period of one of three kinds: a month ``2025-06``, a quarter
``2025-Q2`` or a year ``2025`` (the bureaus may send quarter or year totals).

A KPI is asked for a *range*: a month ``2025-06``, a quarter ``2025-Q2``, a year ``2025``,
or year-to-date ``2025-06-YTD`` (January to June) / ``2025-YTD`` (January to the latest
month of that year that has figures). A range adds up the monthly figures inside it, plus
quarter totals of quarters wholly inside it, plus the year total when it covers the whole
year. (A quarter or year total of an enterprise that also has finer figures inside it is
not counted: see ``metrics.rollups.attribution``.)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from louyu_kit.errors import Invalid

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
YTD = "ytd"

_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR_RE = re.compile(r"^(\d{4})$")
_YTD_RE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]))?-YTD$")

MIN_YEAR, MAX_YEAR = 2000, 2100

QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def stored_period_bounds(period: str) -> tuple[str, date, date, int]:
    """(kind, first day, last day, months) of a stored figure's period key."""
    if m := _MONTH_RE.match(period):
        year, month = int(m[1]), int(m[2])
        return MONTH, date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), 1
    if m := _QUARTER_RE.match(period):
        year, q = int(m[1]), int(m[2])
        last = q * 3
        return QUARTER, date(year, last - 2, 1), date(year, last, calendar.monthrange(year, last)[1]), 3
    if m := _YEAR_RE.match(period):
        year = int(m[1])
        return YEAR, date(year, 1, 1), date(year, 12, 31), 12
    raise ValueError(f"not a stored period: {period}")


def enclosing_periods(period: str) -> list[str]:
    """The stored period itself and the quarter and year that contain it."""
    kind, start, _end, _n = stored_period_bounds(period)
    if kind == MONTH:
        return [period, f"{start.year}-Q{quarter_of(start.month)}", str(start.year)]
    if kind == QUARTER:
        return [period, str(start.year)]
    return [period]


def stored_periods_of_year(year: int) -> list[tuple[str, str, date, date, int]]:
    """Every stored period key of a year with its kind, bounds and length in months."""
    out = []
    for key in [month_key(year, m) for m in range(1, 13)] + [f"{year}-Q{q}" for q in range(1, 5)] + [str(year)]:
        kind, start, end, months = stored_period_bounds(key)
        out.append((key, kind, start, end, months))
    return out


@dataclass(frozen=True)
class PeriodRange:
    """A range of months of one year that a KPI is computed for."""

    kind: str
    year: int
    first_month: int
    last_month: int

    @property
    def key(self) -> str:
        if self.kind == MONTH:
            return month_key(self.year, self.last_month)
        if self.kind == QUARTER:
            return f"{self.year}-Q{quarter_of(self.last_month)}"
        if self.kind == YEAR:
            return str(self.year)
        return f"{month_key(self.year, self.last_month)}-YTD"

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return f"{self.year}年{self.last_month}月"
        if self.kind == QUARTER:
            return f"{self.year}年第{QUARTER_NAMES[quarter_of(self.last_month)]}季度"
        if self.kind == YEAR:
            return f"{self.year}年"
        if self.last_month == 1:
            return f"{self.year}年1月"
        return f"{self.year}年1-{self.last_month}月"

    @property
    def months(self) -> int:
        return self.last_month - self.first_month + 1

    @property
    def start_date(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end_date(self) -> date:
        return date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    @property
    def end_month(self) -> str:
        """The month whose last day is the range's end (occupancy is read at that day)."""
        return month_key(self.year, self.last_month)

    @property
    def annualisation(self) -> float:
        """Factor that turns this range's tax into a yearly figure (坪效 is per year)."""
        return 12 / self.months

    def month_keys(self) -> list[str]:
        return [month_key(self.year, m) for m in range(self.first_month, self.last_month + 1)]

    def stored_periods(self) -> list[str]:
        """Every stored period key whose figures add up to this range."""
        keys = self.month_keys()
        keys += [f"{self.year}-Q{q}" for q in range(1, 5) if q * 3 - 2 >= self.first_month and q * 3 <= self.last_month]
        if self.first_month == 1 and self.last_month == 12:
            keys.append(str(self.year))
        return keys

    def previous_year(self) -> PeriodRange:
        return PeriodRange(self.kind, self.year - 1, self.first_month, self.last_month)

    def monthly(self) -> list[PeriodRange]:
        return [PeriodRange(MONTH, self.year, m, m) for m in range(self.first_month, self.last_month + 1)]


def parse_range(text: str, *, latest_month: int | None = None) -> PeriodRange:
    """Parse ``2025-06`` / ``2025-Q2`` / ``2025`` / ``2025-06-YTD`` / ``2025-YTD``.

    ``latest_month`` resolves ``YYYY-YTD``: the latest month of that year with figures
    (12 when not given)."""
    value = (text or "").strip().upper()
    year = value[:4]
    if year.isdigit() and not MIN_YEAR <= int(year) <= MAX_YEAR:
        message = f"统计期“{text}”超出范围（{MIN_YEAR}–{MAX_YEAR} 年）"
        raise Invalid(message, error="InvalidPeriod", fields=[{"field": "period", "message": message}])
    if m := _MONTH_RE.match(value):
        return PeriodRange(MONTH, int(m[1]), int(m[2]), int(m[2]))
    if m := _QUARTER_RE.match(value):
        q = int(m[2])
        return PeriodRange(QUARTER, int(m[1]), q * 3 - 2, q * 3)
    if m := _YEAR_RE.match(value):
        return PeriodRange(YEAR, int(m[1]), 1, 12)
    if m := _YTD_RE.match(value):
        last = int(m[2]) if m[2] else (latest_month or 12)
        return PeriodRange(YTD, int(m[1]), 1, last)
    message = f"统计期“{text}”格式不正确（应为 2025-06、2025-Q2、2025、2025-06-YTD 或 2025-YTD）"
    raise Invalid(message, error="InvalidPeriod", fields=[{"field": "period", "message": message}])


def ytd_year(text: str) -> int | None:
    """The year of a ``YYYY-YTD`` range whose last month must be looked up, else None."""
    m = _YTD_RE.match((text or "").strip().upper())
    return int(m[1]) if m and not m[2] else None


# ----- periods as people say them (问数) ------------------------------------------------------
# The one period parser of the product also reads the spoken forms of a question: 今年, 去年,
# 前年, 本月, 上个月, 2025年3月, 3月, 一季度 / 2025年第一季度 / Q1, 上半年, 年初至今, 1—11月,
# 2025年, and 近12个月 (a rolling window that crosses a year: ``RollingRange``). Relative words
# are read against ``today`` (the China day); nothing here guesses a year the words do not give.

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_DASHES = "-－—–~～至到"
SPOKEN_PATTERN = re.compile(
    r"(?:(?P<year>\d{4}|今|去|前|本|上|明)年(?:度)?)?"
    r"(?:"
    r"(?P<ytd>年初至今|以来|至今|累计)"
    r"|(?P<half>上半年)"
    r"|第?(?P<q>[一二三四1-4])季度|(?P<qq>[Qq][1-4])"
    r"|(?P<m1>\d{1,2})[" + _DASHES + r"](?P<m2>\d{1,2})月(?:份)?"
    r"|(?P<m>\d{1,2}|[一二三四五六七八九十]|十[一二])月(?:份)?"
    r")?"
)
ROLLING_PATTERN = re.compile(r"(?:近|最近|过去)(?P<n>\d{1,2}|[一二三四五六七八九十]|十[一二]|一年)(?:个)?(?:月|年)?")


@dataclass(frozen=True)
class RollingRange:
    """近N个月: the ``months`` months ending with ``last`` (a month key), possibly across two years."""

    months: int
    year: int
    last_month: int

    @property
    def key(self) -> str:
        return f"{month_key(self.year, self.last_month)}-R{self.months}"

    @property
    def first(self) -> tuple[int, int]:
        """(year, month) of the window's first month."""
        index = self.year * 12 + self.last_month - self.months
        return index // 12, index % 12 + 1

    def segments(self) -> list[tuple[int, PeriodRange]]:
        """The window as a signed sum of canonical ranges (year-to-date, whole years), so a flow
        figure of the window is Σ sign × the figure of each range: 2025-07 … 2025-12 =
        2025-12-YTD − 2025-06-YTD; 2024-12 … 2025-11 = 2024 − 2024-11-YTD + 2025-11-YTD."""
        start_year, start_month = self.first
        out: list[tuple[int, PeriodRange]] = []
        if start_year < self.year:
            out.append((1, PeriodRange(YEAR, start_year, 1, 12)))
            if start_month > 1:
                out.append((-1, PeriodRange(YTD, start_year, 1, start_month - 1)))
            out.append((1, PeriodRange(YTD, self.year, 1, self.last_month)))
            return out
        out.append((1, PeriodRange(YTD, self.year, 1, self.last_month)))
        if start_month > 1:
            out.append((-1, PeriodRange(YTD, self.year, 1, start_month - 1)))
        return out

    @property
    def end(self) -> PeriodRange:
        """The window's last month (for the checks that a period has data)."""
        return PeriodRange(MONTH, self.year, self.last_month, self.last_month)

    @property
    def label(self) -> str:
        year, month = self.first
        return f"近{self.months}个月（{year}年{month}月—{self.year}年{self.last_month}月）"


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十") and len(text) == 2:
        return 10 + _CN_DIGITS[text[1]]
    return _CN_DIGITS[text]


def spoken_year(word: str | None, today: date) -> int | None:
    """今 / 本 → this year, 明 → next, 去 / 上 → last, 前 → the one before, digits as written."""
    if not word:
        return None
    if word.isdigit():
        return int(word)
    years = {"今": 0, "本": 0, "明": 1, "去": -1, "上": -1, "前": -2}
    return today.year + years[word]


def spoken_range(match: re.Match[str], today: date) -> str | None:
    """The range key (``2025-06``, ``2025-Q1``, ``2025``, ``2025-06-YTD``, ``2025-YTD``) of one
    ``SPOKEN_PATTERN`` match, or None when the match carries no period at all."""
    year = spoken_year(match["year"], today)
    this_or_given = year or today.year
    if match["ytd"]:
        return f"{this_or_given}-YTD"
    if match["half"]:
        return f"{this_or_given}-06-YTD"
    if match["q"] or match["qq"]:
        q = _cn_number(match["q"]) if match["q"] else int(match["qq"][1])
        return f"{this_or_given}-Q{q}"
    if match["m1"]:
        first, last = int(match["m1"]), int(match["m2"])
        if first != 1 or not 1 <= last <= 12:
            return None
        return f"{this_or_given}-{last:02d}-YTD"
    if match["m"]:
        month = _cn_number(match["m"])
        if not 1 <= month <= 12:
            return None
        return month_key(this_or_given, month)
    if year is None:
        return None
    # 今年 = this year to date; 去年 / 2024年 = the whole year (to date when it is this year).
    return f"{year}-YTD" if year >= today.year else str(year)


def spoken_month(word: str, today: date) -> str | None:
    """本月 / 这个月 → this month; 上个月 / 上月 → the month before."""
    if word in ("本月", "这个月", "当月"):
        return month_key(today.year, today.month)
    if word in ("上个月", "上月"):
        index = today.year * 12 + today.month - 2
        return month_key(index // 12, index % 12 + 1)
    return None


def rolling_months(match: re.Match[str]) -> int:
    n = match["n"]
    if n == "一年":
        return 12
    return _cn_number(n) * (12 if match.group(0).endswith("年") else 1)
