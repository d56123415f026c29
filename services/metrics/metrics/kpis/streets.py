"""Street names for labels (统计用区划代码 → 名称), copied from the registry's reference file.

The read model carries buildings' street codes only; a code missing here is shown as is."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "streets.csv"


@lru_cache
def street_names() -> dict[str, str]:
    with DATA.open(encoding="utf-8") as fh:
        return {row["code"]: row["name"] for row in csv.DictReader(fh)}


def street_name(code: str | None) -> str:
    return street_names().get(code or "", code or "")
