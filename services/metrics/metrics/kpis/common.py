"""Small helpers shared by the KPI answers (``kpis.views``) and the cockpit (``dashboard``)."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from metrics.rollups.periods import PeriodRange


def sum_of(rows: list[dict[str, Any]], key: str) -> float | None:
    """Σ ``key`` over the rows that have it (None when none has), to the fen."""
    values = [r[key] for r in rows if r.get(key) is not None]
    return round(sum(values), 2) if values else None


def add(a: float | None, b: float | None) -> float | None:
    """a + b where a missing figure is no figure (None + None = None)."""
    if a is None and b is None:
        return None
    return round((a or 0.0) + (b or 0.0), 2)


def yoy_rate(current: float | None, previous: float | None) -> float | None:
    """同比 as a fraction (None without a previous figure)."""
    if current is None or not previous:
        return None
    return round((current - previous) / previous, 4)


def as_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def efficiency_note(rng: PeriodRange) -> str:
    """How 坪效 was annualised for ``rng`` (in words)."""
    if rng.months == 12:
        return "坪效 = 全年税收 ÷ 面积（元/㎡/年）"
    return f"坪效按年折算：{rng.label}税收 × 12 ÷ {rng.months} ÷ 面积（元/㎡/年）"


def jsonable(value: Any) -> Any:
    """Dataclasses, Pydantic models, Decimals and dates as JSON-ready values."""
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(asdict(value))
    if hasattr(value, "model_dump"):
        return jsonable(value.model_dump())
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
