"""GB/T 4754-2017 门类 (section letters A–T) and the 大类 (2-digit divisions) in each.

Copied from the registry's reference file ``industries_gbt4754_2017.csv`` (only the
division → section ranges metrics needs), shipped in ``data/gbt4754_2017_sections.csv``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "gbt4754_2017_sections.csv"
UNKNOWN = ""
UNKNOWN_NAME = "行业未知"


@dataclass(frozen=True)
class Section:
    code: str
    name: str
    first_division: str
    last_division: str


@lru_cache
def sections() -> tuple[Section, ...]:
    with DATA.open(encoding="utf-8") as fh:
        return tuple(
            Section(r["section"], r["name"], r["first_division"], r["last_division"]) for r in csv.DictReader(fh)
        )


def section_name(code: str) -> str:
    return next((s.name for s in sections() if s.code == code), UNKNOWN_NAME)


def section_of(industry_code: str | None) -> str:
    """The 门类 letter of a GB/T 4754 code (``6513`` → ``I``; a letter is its own section)."""
    code = (industry_code or "").strip().upper()
    if len(code) == 1 and any(s.code == code for s in sections()):
        return code
    division = code[:2]
    if len(division) == 2 and division.isdigit():
        for s in sections():
            if s.first_division <= division <= s.last_division:
                return s.code
    return UNKNOWN


def section_case_sql(column: str) -> str:
    """A SQL CASE giving the section letter of ``column`` (an industry code), '' when unknown."""
    division = f"SUBSTR({column}, 1, 2)"
    whens = " ".join(
        f"WHEN {division} BETWEEN '{s.first_division}' AND '{s.last_division}' THEN '{s.code}'" for s in sections()
    )
    return f"(CASE WHEN {column} IS NULL OR LENGTH({column}) < 2 THEN '' {whens} ELSE '' END)"
