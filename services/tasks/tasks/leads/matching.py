"""线索匹配房源: how well an available space fits a lead's needs, with the reasons.

A pure function on plain dataclasses (no database, no HTTP): the routes fetch the lead and the
candidate spaces and call :func:`rank`. Points out of 100:

- 面积契合 40: inside the wanted range full marks; up to 20% under the lower bound or 50% over
  the upper bound partly; smaller than 80% of the lower bound the space is **excluded** (too
  small); far larger scores 0.
- 可用日期 25: available on or before the date the company needs the space full marks; a space
  available only **after** that date is excluded (too late). No date wanted: 25 when it is
  available now, 15 when later.
- 楼宇主题契合 20: the lead's GB/T 4754 code falls under one of the building's 特色 theme
  prefixes (a 门类 letter matches the themes whose 大类 lie in it) 20; related codes 12; the
  building has no theme 8; a different theme 0.
- 租金 15: asking rent within the budget (元/㎡·月, or the monthly total) 15; up to 20% over 7;
  more 0; unknown 8.
- 楼层: outside the wanted floors takes 10 points off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

AREA_POINTS, DATE_POINTS, THEME_POINTS, RENT_POINTS, FLOOR_PENALTY = 40, 25, 20, 15, 10
# The 楼长's 待办 shows a match from this score on.
INBOX_THRESHOLD = 70

# GB/T 4754-2017: 大类 (two digits) → 门类 letter, by the first 大类 of each 门类.
_SECTION_STARTS = [
    (1, "A"), (6, "B"), (13, "C"), (44, "D"), (47, "E"), (51, "F"), (53, "G"), (61, "H"), (63, "I"),
    (66, "J"), (70, "K"), (71, "L"), (73, "M"), (76, "N"), (80, "O"), (83, "P"), (84, "Q"), (86, "R"),
    (91, "S"), (97, "T"),
]  # fmt: skip


def section_of(code: str) -> str | None:
    """The 门类 letter of a GB/T 4754 code (a letter is its own section)."""
    code = code.strip().upper()
    if code[:1].isalpha():
        return code if len(code) == 1 and "A" <= code <= "T" else None
    if len(code) < 2 or not code[:2].isdigit():
        return None
    division = int(code[:2])
    found = None
    for start, letter in _SECTION_STARTS:
        if division >= start:
            found = letter
    return found


@dataclass(frozen=True)
class Needs:
    """What a lead is looking for (every part optional)."""

    area_min: float | None = None
    area_max: float | None = None
    industry_code: str | None = None
    needed_by: date | None = None
    budget_rent: float | None = None
    budget_total: float | None = None
    floor_min: int | None = None
    floor_max: int | None = None


@dataclass(frozen=True)
class Candidate:
    """An available space with what matching needs of its building."""

    space_id: int
    building_code: str
    building_name: str
    floor: int
    unit: str
    area: float
    available_from: date | None
    asking_rent: float | None = None
    theme_names: tuple[str, ...] = ()
    industry_prefixes: tuple[str, ...] = ()
    street_code: str = ""
    chief_username: str | None = None
    # A whole vacant floor offered as one (its spaces' ids; ``space_id`` is the first of them).
    whole_floor: bool = False
    space_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Reason:
    """One part of the score: ``kind`` area / date / theme / rent / floor."""

    kind: str
    label: str
    points: int
    max_points: int
    fits: bool
    text: str


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    score: int
    reasons: list[Reason] = field(default_factory=list)
    excluded: bool = False


def _num(x: float) -> str:
    return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}"


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _area(needs: Needs, area: float) -> tuple[Reason, bool]:
    low, high = needs.area_min, needs.area_max
    if low is None and high is None:
        return Reason(
            "area", "面积契合", AREA_POINTS // 2, AREA_POINTS, True, f"面积 {_num(area)}㎡（线索未填面积需求）"
        ), False
    low = low if low is not None else 0.0
    high = high if high is not None else float("inf")
    wanted = f"{_num(low)}–{_num(high)}㎡" if high != float("inf") else f"{_num(low)}㎡以上"
    if low <= area <= high:
        return Reason(
            "area", "面积契合", AREA_POINTS, AREA_POINTS, True, f"面积 {_num(area)}㎡，在需求 {wanted} 之内"
        ), False
    if area < low:
        if area < low * 0.8:
            return Reason("area", "面积契合", 0, AREA_POINTS, False, f"面积 {_num(area)}㎡，小于需求 {wanted}"), True
        points = round(AREA_POINTS * 0.6 * (area - low * 0.8) / (low * 0.2))
        return Reason(
            "area", "面积契合", points, AREA_POINTS, False, f"面积 {_num(area)}㎡，略小于需求 {wanted}"
        ), False
    if area <= high * 1.5:
        points = round(AREA_POINTS * 0.6 * (high * 1.5 - area) / (high * 0.5))
        return Reason(
            "area", "面积契合", points, AREA_POINTS, False, f"面积 {_num(area)}㎡，略大于需求 {wanted}"
        ), False
    return Reason("area", "面积契合", 0, AREA_POINTS, False, f"面积 {_num(area)}㎡，远大于需求 {wanted}"), False


def _date(needs: Needs, available_from: date | None, today: date) -> tuple[Reason, bool]:
    ready = available_from if available_from and available_from > today else today
    when = "现在即可使用" if ready == today else f"{_day(ready)}起可用"
    if needs.needed_by is None:
        points = DATE_POINTS if ready == today else 15
        return Reason("date", "可用日期", points, DATE_POINTS, True, f"{when}（线索未填需要日期）"), False
    if ready <= needs.needed_by:
        return Reason(
            "date", "可用日期", DATE_POINTS, DATE_POINTS, True, f"{when}，不晚于需要的{_day(needs.needed_by)}"
        ), False
    return Reason("date", "可用日期", 0, DATE_POINTS, False, f"{when}，晚于需要的{_day(needs.needed_by)}"), True


def _theme(needs: Needs, c: Candidate) -> Reason:
    names = "、".join(c.theme_names)
    if not c.industry_prefixes:
        return Reason("theme", "楼宇主题契合", 8, THEME_POINTS, True, "楼宇未认定特色主题")
    code = (needs.industry_code or "").strip().upper()
    if not code:
        return Reason("theme", "楼宇主题契合", 8, THEME_POINTS, True, f"楼宇主题：{names}（线索未填行业代码）")
    if code.isalpha():
        hit = any(section_of(p) == code for p in c.industry_prefixes)
        related = False
    else:
        hit = any(code.startswith(p) for p in c.industry_prefixes)
        related = not hit and any(p.startswith(code) or p[:2] == code[:2] for p in c.industry_prefixes)
    if hit:
        return Reason("theme", "楼宇主题契合", THEME_POINTS, THEME_POINTS, True, f"行业 {code} 属于楼宇主题：{names}")
    if related:
        return Reason("theme", "楼宇主题契合", 12, THEME_POINTS, True, f"行业 {code} 与楼宇主题“{names}”相近")
    return Reason("theme", "楼宇主题契合", 0, THEME_POINTS, False, f"行业 {code} 不属于楼宇主题：{names}")


def _rent(needs: Needs, c: Candidate) -> Reason:
    if c.asking_rent is None or (needs.budget_rent is None and needs.budget_total is None):
        known = f"报价 {_num(c.asking_rent)} 元/㎡·月" if c.asking_rent is not None else "未登记报价"
        return Reason("rent", "租金", 8, RENT_POINTS, True, f"{known}（无法与预算比较）")
    monthly = c.asking_rent * c.area
    over = 0.0
    if needs.budget_rent is not None:
        over = max(over, c.asking_rent / needs.budget_rent - 1)
    if needs.budget_total is not None:
        over = max(over, monthly / needs.budget_total - 1)
    text = f"报价 {_num(c.asking_rent)} 元/㎡·月（月租约 {_num(round(monthly))} 元）"
    if over <= 0:
        return Reason("rent", "租金", RENT_POINTS, RENT_POINTS, True, f"{text}，在预算之内")
    if over <= 0.2:
        return Reason("rent", "租金", 7, RENT_POINTS, False, f"{text}，超出预算 {over:.0%}")
    return Reason("rent", "租金", 0, RENT_POINTS, False, f"{text}，超出预算 {over:.0%}")


def _floor(needs: Needs, floor: int) -> Reason | None:
    if needs.floor_min is None and needs.floor_max is None:
        return None
    low = needs.floor_min if needs.floor_min is not None else -10
    high = needs.floor_max if needs.floor_max is not None else 200
    if low <= floor <= high:
        return Reason("floor", "楼层", 0, 0, True, f"{floor}层，符合楼层偏好")
    return Reason("floor", "楼层", -FLOOR_PENALTY, 0, False, f"{floor}层，不在偏好的楼层范围内")


def score(needs: Needs, candidate: Candidate, *, today: date) -> Match:
    """The match of one space to one lead, with a reason per part."""
    area, too_small = _area(needs, candidate.area)
    when, too_late = _date(needs, candidate.available_from, today)
    reasons = [area, when, _theme(needs, candidate), _rent(needs, candidate)]
    floor = _floor(needs, candidate.floor)
    if floor is not None:
        reasons.append(floor)
    total = max(0, min(100, sum(r.points for r in reasons)))
    return Match(candidate=candidate, score=total, reasons=reasons, excluded=too_small or too_late)


def rank(needs: Needs, candidates: list[Candidate], *, today: date, limit: int | None = None) -> list[Match]:
    """The spaces that can serve the lead, best first (excluded ones left out); ties go to the
    space available sooner, then the smaller building code and floor."""
    matches = [m for m in (score(needs, c, today=today) for c in candidates) if not m.excluded]
    matches.sort(
        key=lambda m: (
            -m.score,
            m.candidate.available_from or date.min,
            m.candidate.building_code,
            m.candidate.floor,
            m.candidate.unit,
        )
    )
    return matches[:limit] if limit is not None else matches
