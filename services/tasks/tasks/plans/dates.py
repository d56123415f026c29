"""Dates as plan documents write them, including text that lost characters in conversion:
"2025年3月", "20253月" (年 lost), "2025.3", "2025年3月至9月", "3—5月", "2025年10月底", "202541"."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from louyu_kit.files import chinese_date

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int | None:
    """'12', '十二', '二十', '两' → int (up to 99); None when it is not a number."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    value = (CN_DIGITS.get(tens, 0) if tens else 1) * 10
    return value + (CN_DIGITS.get(ones, 0) if ones else 0)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Span:
    """A date range as written; ``text`` is the matched text, ``note`` a repair made on the way."""

    start: date | None
    end: date | None
    text: str
    note: str | None = None


# One point in time: [year] month [day | 上旬/中旬/下旬/底/初/末].
_YEAR = r"(?P<y{n}>20\d\d)\s*(?:年|\.|-|/)?\s*"
# A month without a year must not follow a digit: "13月" is no month, "2025年13月" no date.
_POINT = (
    r"(?:{year}(?P<m{n}>1[0-2]|0?[1-9])|(?<![\d.])(?P<n{n}>1[0-2]|0?[1-9]))\s*(?:月份?|(?=[-—–~至到]|$))"
    r"\s*(?:(?P<d{n}>[1-3]?\d)\s*日|(?P<q{n}>上旬|中旬|下旬|底|末|初|中))?"
)


def _point(n: int) -> str:
    return _POINT.format(year=_YEAR.format(n=n), n=n)


_RANGE = re.compile(_point(1) + r"(?:\s*(?:至|到|—|–|-|~|－|～)\s*" + _point(2) + ")?")


def _start_of(year: int, month: int, day: str | None, part: str | None) -> date | None:
    try:
        if day:
            return date(year, month, int(day))
        if part == "中旬":
            return date(year, month, 11)
        if part == "下旬":
            return date(year, month, 21)
        if part in ("底", "末"):
            return date(year, month, 21)
        return date(year, month, 1)
    except ValueError:
        return None


def _end_of(year: int, month: int, day: str | None, part: str | None) -> date | None:
    try:
        if day:
            return date(year, month, int(day))
        if part in ("上旬", "初"):
            return date(year, month, 10)
        if part in ("中旬", "中"):
            return date(year, month, 20)
        return month_end(year, month)
    except ValueError:
        return None


def find_span(text: str, *, default_year: int | None) -> Span | None:
    """The first date or date range in ``text`` (months without a year take ``default_year``)."""
    cleaned = text.replace("　", " ")
    for match in _RANGE.finditer(cleaned):
        g = match.groupdict()
        g["m1"] = g["m1"] or g["n1"]
        g["m2"] = g["m2"] or g["n2"]
        # A bare number must look like a month: followed by 月 or part of a range with a year.
        if not g["y1"] and "月" not in match.group(0):
            continue
        year1 = int(g["y1"]) if g["y1"] else default_year
        if year1 is None:
            continue
        start = _start_of(year1, int(g["m1"]), g["d1"], g["q1"])
        if g["m2"]:
            year2 = int(g["y2"]) if g["y2"] else year1
            end = _end_of(year2, int(g["m2"]), g["d2"], g["q2"])
        else:
            end = _end_of(year1, int(g["m1"]), g["d1"], g["q1"])
        if start is None or end is None:
            continue
        note = None
        raw = match.group(0)
        if re.search(r"20\d\d\d", raw.replace(" ", "")) and "年" not in raw:
            note = f"“{raw.strip()}”缺少“年”字，按 {start:%Y年%-m月} 理解"
        if end < start:
            continue
        return Span(start=start, end=end, text=raw.strip(), note=note)
    return None


_CN_DATE = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_DATE = re.compile(r"(20\d\d)[-./](\d{1,2})[-./](\d{1,2})")
_CN_NUMERAL_DATE = re.compile(
    r"二[〇零]([一二三四五六七八九〇零]{2})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日"
)


def parse_day(text: str) -> tuple[date | None, str | None]:
    """A full date: 2025年4月1日, 2025-04-01, 二〇二五年四月一日, or digits that lost 年月日
    (202541 → 2025-04-01, refused when ambiguous like 2025111). Returns (date, note)."""
    text = text.strip()
    for pattern in (_CN_DATE, _ISO_DATE):
        m = pattern.search(text)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), None
            except ValueError:
                return None, f"日期“{m.group(0)}”不存在"
    m = _CN_NUMERAL_DATE.search(text)
    if m:
        year = 2000 + int("".join(str(CN_DIGITS[c]) for c in m.group(1)))
        month, day = cn_number(m.group(2)), cn_number(m.group(3))
        try:
            return date(year, month or 0, day or 0), None
        except ValueError:
            return None, f"日期“{m.group(0)}”不存在"
    m = re.fullmatch(r"(20\d\d)(\d{2,4})", text.replace(" ", ""))
    if m:
        year, rest = int(m.group(1)), m.group(2)
        found = set()
        for cut in range(1, len(rest)):
            month, day = rest[:cut], rest[cut:]
            if len(month) > 2 or len(day) > 2 or month.startswith("0") and len(month) == 1:
                continue
            try:
                found.add(date(year, int(month), int(day)))
            except ValueError:
                continue
        if len(found) == 1:
            day_found = found.pop()
            return day_found, f"日期“{text}”缺少年月日，按 {chinese_date(day_found)} 理解"
        if found:
            return None, f"日期“{text}”缺少年月日且有多种理解，未采用"
    return None, None


def year_in(text: str) -> int | None:
    m = re.search(r"(20\d\d)", text)
    return int(m.group(1)) if m else None
