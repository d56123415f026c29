"""精准推送: which enterprises (and their buildings) a policy fits, each with the reasons.

A policy names up to four groups of targets; every group it names must be met (AND), any item
within a group is enough (OR). A policy naming none is 普惠 and fits every enterprise.

- 行业 (GB/T 4754-2017 codes, 2–4 digits): the enterprise's code starts with one of them;
- 主题 (registry's building themes): a building the enterprise is in carries the theme, or its
  industry code is one of the theme's industry prefixes (registry's themes.csv);
- 企业标签: one of the tags is true of the enterprise (世界500强, 上市, 规上 ...);
- 规模门槛: 从业人数 at least ``min_employees`` and at most ``max_employees`` (an enterprise
  whose headcount is unknown does not meet a threshold).

Pure functions over the consumer shapes of registry's answers: unit-tested on crafted cases.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from tasks.policies.models import TAGS

HERE = Path(__file__).parent


@lru_cache
def industry_names() -> dict[str, str]:
    with (HERE / "industries.csv").open(encoding="utf-8") as fh:
        return {row["code"]: row["name"] for row in csv.DictReader(fh) if row["level"] != "section"}


@lru_cache
def themes() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Theme code → (Chinese name, industry prefixes)."""
    with (HERE / "themes.csv").open(encoding="utf-8") as fh:
        return {row["code"]: (row["name"], tuple(row["industry_prefixes"].split())) for row in csv.DictReader(fh)}


def theme_name(code: str) -> str:
    return themes().get(code, (code, ()))[0]


def industry_label(code: str) -> str:
    name = industry_names().get(code)
    return f"{code} {name}" if name else code


class BuildingLink(BaseModel):
    model_config = ConfigDict(extra="ignore")
    code: str
    name: str = ""


class EnterpriseFacts(BaseModel):
    """An enterprise as matching reads it (registry's enterprise list; extra fields ignored)."""

    model_config = ConfigDict(extra="ignore")

    credit_code: str
    name: str
    industry_code: str | None = None
    industry_name: str | None = None
    taxed_in_district: bool = False
    in_statistics: bool = False
    above_scale: bool = False
    listed: bool = False
    hq_level: str | None = None
    is_key: bool = False
    employees: int | None = None
    current_buildings: list[BuildingLink] = []


class BuildingFacts(BaseModel):
    """A building as matching reads it (registry's building list)."""

    model_config = ConfigDict(extra="ignore")

    code: str
    name: str
    street_code: str
    street_name: str = ""
    themes: list[str] = []


@dataclass(frozen=True)
class Targets:
    """What a policy targets (the policy row's fields)."""

    industry_codes: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    min_employees: int | None = None
    max_employees: int | None = None

    @classmethod
    def of(cls, policy: Any) -> Targets:
        return cls(
            industry_codes=tuple(policy.industry_codes or ()),
            themes=tuple(policy.themes or ()),
            tags=tuple(policy.tags or ()),
            min_employees=policy.min_employees,
            max_employees=policy.max_employees,
        )

    @property
    def universal(self) -> bool:
        return not (
            self.industry_codes
            or self.themes
            or self.tags
            or self.min_employees is not None
            or self.max_employees is not None
        )


@dataclass
class Match:
    enterprise: EnterpriseFacts
    buildings: list[BuildingFacts]
    reasons: list[str] = field(default_factory=list)


def _tag_true(tag: str, e: EnterpriseFacts) -> bool:
    return {
        "global500": e.hq_level == "global500",
        "china500": e.hq_level == "china500",
        "regional_hq": e.hq_level == "regional",
        "listed": e.listed,
        "above_scale": e.above_scale,
        "key": e.is_key,
        "in_statistics": e.in_statistics,
        "taxed": e.taxed_in_district,
    }.get(tag, False)


def _industry(t: Targets, e: EnterpriseFacts) -> str | None:
    code = e.industry_code or ""
    for prefix in t.industry_codes:
        if code and code.startswith(prefix):
            if code == prefix:
                return f"行业 {industry_label(code)} 为政策支持的行业"
            return f"行业 {code} 属于政策支持的 {industry_label(prefix)}"
    return None


def _theme(t: Targets, e: EnterpriseFacts, buildings: list[BuildingFacts]) -> str | None:
    for b in buildings:
        for theme in t.themes:
            if theme in b.themes:
                return f"所在楼宇“{b.name}”为{theme_name(theme)}主题楼宇"
    code = e.industry_code or ""
    for theme in t.themes:
        for prefix in themes().get(theme, ("", ()))[1]:
            if code and code.startswith(prefix):
                return f"行业 {code} 属于{theme_name(theme)}主题的行业（{prefix}）"
    return None


def _tag(t: Targets, e: EnterpriseFacts) -> str | None:
    met = [TAGS.get(tag, tag) for tag in t.tags if _tag_true(tag, e)]
    return f"企业标签：{'、'.join(met)}" if met else None


def _size(t: Targets, e: EnterpriseFacts) -> str | None:
    if e.employees is None:
        return None
    if t.min_employees is not None and e.employees < t.min_employees:
        return None
    if t.max_employees is not None and e.employees > t.max_employees:
        return None
    bounds = []
    if t.min_employees is not None:
        bounds.append(f"不少于 {t.min_employees} 人")
    if t.max_employees is not None:
        bounds.append(f"不超过 {t.max_employees} 人")
    return f"从业人数 {e.employees} 人，符合{'、'.join(bounds)}的规模要求"


def reasons_for(t: Targets, e: EnterpriseFacts, buildings: list[BuildingFacts]) -> list[str] | None:
    """The reasons ``e`` fits, or None when one of the named groups is not met."""
    if t.universal:
        return ["普惠政策：面向区内全部企业"]
    reasons: list[str] = []
    checks: list[tuple[bool, Any]] = [
        (bool(t.industry_codes), lambda: _industry(t, e)),
        (bool(t.themes), lambda: _theme(t, e, buildings)),
        (bool(t.tags), lambda: _tag(t, e)),
        (t.min_employees is not None or t.max_employees is not None, lambda: _size(t, e)),
    ]
    for named, check in checks:
        if not named:
            continue
        reason = check()
        if reason is None:
            return None
        reasons.append(reason)
    return reasons


def match(targets: Targets, enterprises: list[EnterpriseFacts], buildings: dict[str, BuildingFacts]) -> list[Match]:
    """Every enterprise ``targets`` fits, with its buildings (those known) and the reasons."""
    found = []
    for e in enterprises:
        in_buildings = [buildings[b.code] for b in e.current_buildings if b.code in buildings]
        reasons = reasons_for(targets, e, in_buildings)
        if reasons is not None:
            found.append(Match(enterprise=e, buildings=in_buildings, reasons=reasons))
    found.sort(key=lambda m: (m.buildings[0].code if m.buildings else "~", m.enterprise.name))
    return found
