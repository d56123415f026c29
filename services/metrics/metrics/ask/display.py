"""Figures as the answer sentence writes them — the same rules as the SPA's utils/format.js
(元 / 万元 / 亿元 chosen by size, 2 decimals; ratios as % with 1 decimal; ㎡ whole)."""

from __future__ import annotations

WAN, YI = 10_000, 100_000_000
EMPTY = "—"


def money(yuan: float | None) -> str:
    if yuan is None:
        return EMPTY
    a = abs(yuan)
    if a >= YI or round(a / WAN, 2) >= WAN:
        return f"{yuan / YI:,.2f}亿元"
    if a >= WAN:
        return f"{yuan / WAN:,.2f}万元"
    return f"{yuan:,.0f}元"


def percent(ratio: float | None) -> str:
    return EMPTY if ratio is None else f"{ratio * 100:,.1f}%"


def change(ratio: float | None) -> str:
    if ratio is None:
        return EMPTY
    text = f"{abs(ratio) * 100:,.1f}%"
    if text == "0.0%":
        return text
    return ("+" if ratio > 0 else "-") + text


def area(m2: float | None) -> str:
    return EMPTY if m2 is None else f"{m2:,.0f}㎡"


def per_m2(value: float | None) -> str:
    return EMPTY if value is None else f"{value:,.0f}元/㎡"


def count(value: float | None, unit: str) -> str:
    return EMPTY if value is None else f"{value:,.0f}{unit}"


def of_unit(value: float | None, unit: str) -> str:
    """By the catalogue unit of the figure."""
    if unit == "元":
        return money(value)
    if unit == "比率":
        return percent(value)
    if unit == "㎡":
        return area(value)
    if unit.startswith("元/㎡"):
        return per_m2(value)
    if unit in ("家", "栋", "人", "个", "名"):
        return count(value, unit)
    return EMPTY if value is None else f"{value:,.2f}{unit}"
