"""GB/T 4754-2017: which 门类 (section letter) each 大类 (two-digit division) belongs to, so a
theme may name a whole section ("J") as well as code prefixes ("66", "748")."""

from __future__ import annotations

# Section → (first division, last division), inclusive, as in GB/T 4754-2017.
SECTION_RANGES = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}


def code_prefixes(prefix: str) -> list[str]:
    """The numeric code prefixes a theme prefix stands for: ``"J"`` → ``["66", "67", "68", "69"]``,
    ``"748"`` → ``["748"]``; anything else → ``[]``."""
    value = prefix.strip().upper()
    if value in SECTION_RANGES:
        first, last = SECTION_RANGES[value]
        return [f"{n:02d}" for n in range(first, last + 1)]
    if value.isdigit() and 1 <= len(value) <= 4:
        return [value]
    return []


def matches(industry_code: str | None, prefixes: list[str]) -> bool:
    if not industry_code:
        return False
    return any(industry_code.startswith(p) for raw in prefixes for p in code_prefixes(raw))
