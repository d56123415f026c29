"""Numbers written the way the bureau reads them (areas in ㎡ with thousands separators, money
in 万元 / 亿元, shares in %), shared by the 特色 verdicts, the goals and the warnings."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

_YI = Decimal(100_000_000)
_WAN = Decimal(10_000)


def _trim(value: Decimal, places: int) -> str:
    text = f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def area(value: float | Decimal | None) -> str:
    """``8000`` → ``8,000㎡``; ``1234.5`` → ``1,234.5㎡``."""
    if value is None:
        return "未登记"
    return f"{_trim(Decimal(str(value)), 2)}㎡"


def money(value: Decimal | float | int | None) -> str:
    """``123456789`` → ``1.23亿元``; ``45600000`` → ``4,560万元``; ``8000`` → ``8,000元``."""
    if value is None:
        return "无数据"
    v = Decimal(str(value))
    if abs(v) >= _YI:
        return f"{_trim(v / _YI, 2)}亿元"
    if abs(v) >= _WAN:
        return f"{_trim(v / _WAN, 1)}万元"
    return f"{_trim(v, 2)}元"


def percent(share: Decimal | None) -> str:
    """A share in percent, cut (not rounded) to one decimal, so a share below a threshold never
    reads as reaching it: ``49.96`` → ``49.9%``, ``63`` → ``63%``."""
    if share is None:
        return "—"
    cut = share.quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    text = f"{cut:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def plain(value: Decimal | float | int) -> str:
    """``Decimal("50.00")`` → ``50``; ``Decimal("12.50")`` → ``12.5``."""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def threshold(value: Decimal) -> str:
    """``Decimal("50.00")`` → ``50%``."""
    return plain(value) + "%"


def share_of(part: Decimal | float | int, whole: Decimal | float | int) -> Decimal | None:
    """``part`` as a percentage of ``whole`` (None when ``whole`` is zero)."""
    w = Decimal(str(whole))
    if w == 0:
        return None
    return Decimal(str(part)) * 100 / w
