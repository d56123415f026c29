"""Theme prefixes as industry code prefixes: a theme may name a whole GB/T 4754-2017 门类
("J") as well as code prefixes ("66", "748"); sections come from the rollups' copy of the
standard (``metrics.rollups.sections``)."""

from __future__ import annotations

from metrics.rollups.sections import sections


def code_prefixes(prefix: str) -> list[str]:
    """The numeric code prefixes a theme prefix stands for: ``"J"`` → ``["66", "67", "68", "69"]``,
    ``"748"`` → ``["748"]``; anything else → ``[]``."""
    value = prefix.strip().upper()
    for section in sections():
        if section.code == value:
            first, last = int(section.first_division), int(section.last_division)
            return [f"{n:02d}" for n in range(first, last + 1)]
    if value.isdigit() and 1 <= len(value) <= 4:
        return [value]
    return []


def matches(industry_code: str | None, prefixes: list[str] | tuple[str, ...]) -> bool:
    if not industry_code:
        return False
    return any(industry_code.startswith(p) for raw in prefixes for p in code_prefixes(raw))
