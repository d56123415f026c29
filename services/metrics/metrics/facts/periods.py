"""Periods of a figure: a month ``2025-06``, a quarter total ``2025-Q2`` or a year total ``2025``."""

from __future__ import annotations

import re

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-?Q([1-4])")
_YEAR = re.compile(r"(\d{4})")
# A date: what Excel, WPS and LibreOffice store when 2025-11 is typed into a cell not formatted as
# text (the 1st of that month), read back from the .xlsx as 2025-11-01 (or with a midnight time).
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
# Figures older than this or for years after next are typing errors, not data.
MIN_YEAR = 2000
MAX_YEAR_AHEAD = 1


class PeriodError(ValueError):
    """A period that cannot be read; the message is Chinese and names what was expected."""


def parse_period(raw: str, *, current_year: int) -> tuple[str, str]:
    """``(period, period_kind)`` in canonical form from what a bureau sent.

    Accepted: ``2025-06`` (also ``2025-6``, ``2025/06``, ``202506``, ``2025年6月``), ``2025-Q2``
    (also ``2025Q2``, ``2025年第2季度``), ``2025`` (also ``2025年``); a date cell of a spreadsheet
    (``2025-11-01``) is the month it falls in."""
    text = raw.strip().upper().replace("/", "-").replace(".", "-")
    if day := _DAY.fullmatch(text):
        text = f"{day[1]}-{day[2]}"
    text = text.replace("年第", "-Q").replace("季度", "").replace("年", "-").replace("月", "").strip("-")
    if len(text) == 6 and text.isdigit():
        text = f"{text[:4]}-{text[4:]}"
    if "-" in text and "Q" not in text:
        year_part, _, month_part = text.partition("-")
        if year_part.isdigit() and month_part.isdigit() and len(month_part) <= 2:
            text = f"{year_part}-{int(month_part):02d}"
    if m := _MONTH.fullmatch(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"月份“{m[2]}”不存在（应为 01–12）")
        _check_year(year, current_year)
        return f"{year:04d}-{month:02d}", "month"
    if m := _QUARTER.fullmatch(text):
        year = int(m[1])
        _check_year(year, current_year)
        return f"{year:04d}-Q{m[2]}", "quarter"
    if m := _YEAR.fullmatch(text):
        year = int(m[1])
        _check_year(year, current_year)
        return f"{year:04d}", "year"
    raise PeriodError("期间格式不正确：月度填 2025-06，季度合计填 2025-Q2，年度合计填 2025")


def _check_year(year: int, current_year: int) -> None:
    if year < MIN_YEAR or year > current_year + MAX_YEAR_AHEAD:
        raise PeriodError(f"年份 {year} 超出范围（应在 {MIN_YEAR}–{current_year + MAX_YEAR_AHEAD} 之间）")


def period_kind(period: str) -> str:
    """month / quarter / year of a canonical period."""
    if len(period) == 4:
        return "year"
    return "quarter" if "Q" in period else "month"


def months_of(period: str) -> list[str]:
    """The months a canonical period covers (``2025-Q2`` → 2025-04, 2025-05, 2025-06)."""
    kind = period_kind(period)
    if kind == "month":
        return [period]
    year = period[:4]
    if kind == "quarter":
        first = (int(period[-1]) - 1) * 3 + 1
        return [f"{year}-{m:02d}" for m in range(first, first + 3)]
    return [f"{year}-{m:02d}" for m in range(1, 13)]
