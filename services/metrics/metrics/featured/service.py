"""特色楼宇 evaluation: the theme's share of a building's tenants (by count, occupied area or
tax) against the theme's rule, and the building's GFA against the floor, with the reasons in
Chinese.

Which themes are evaluated: **every theme** for every building, not only the themes a
building declares (``rm_building.themes``). A label alone does not make a 特色楼宇, and a
building whose tenants concentrate in a theme it has not declared is exactly the one the
bureau wants to find. Declared themes are always shown (with their numbers, even when the
share is nil) and flagged ``declared``; a building qualifies when at least one theme passes.

Tenants are the enterprises in force on the reference date: 31 December of the year for a
past year, today for the current year (``as_of``). Tax shares use the year's tax attributed
to the building (the rollups' attribution, area split), on the rule's basis. The 总部 theme
(code ``hq``) also counts enterprises with an HQ level (世界500强 / 中国500强 / 区域总部),
as the shipped theme list says.

The themes are registry's: the 13 it ships (registry seeds them without change events; the
read model's copy of its ``themes.csv``, ``metrics.readmodel.apply.shipped_themes``) overlaid by
every theme in the read model (brought by the feed: created, edited or deleted in registry).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, text
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.errors import Invalid, NotFound
from metrics.featured import numbers
from metrics.featured.industries import matches
from metrics.featured.models import (
    DEFAULT_MEASURE,
    DEFAULT_MIN_GFA,
    DEFAULT_TAX_BASIS,
    DEFAULT_THRESHOLD,
    MEASURES,
    TAX_BASES,
    ThemeRule,
)
from metrics.readmodel.apply import shipped_themes
from metrics.readmodel.models import RmBuilding, RmEnterprise, RmOccupancy, RmTheme, SyncState
from metrics.rollups.models import RollupEnterprise, RollupState
from metrics.rollups.periods import parse_range

HQ_THEME = "hq"
CACHE_SECONDS = 600.0
_cache: dict[tuple[Any, ...], tuple[float, list[Verdict]]] = {}
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class ThemeDef:
    code: str
    name: str
    industry_prefixes: tuple[str, ...]


def themes(session: Session) -> dict[str, ThemeDef]:
    """The themes in force: the shipped ones overlaid by those the change feed brought."""
    shipped = shipped_themes().values()
    out = {t["code"]: ThemeDef(t["code"], t["name"], tuple(t["industry_prefixes"])) for t in shipped}
    for row in session.scalars(select(RmTheme).order_by(RmTheme.code)):
        if row.deleted:
            out.pop(row.code, None)
        else:
            out[row.code] = ThemeDef(row.code, row.name or row.code, tuple(row.industry_prefixes or ()))
    return out


@dataclass(frozen=True)
class Rule:
    """One theme's rule as evaluated (stored or default)."""

    theme_code: str
    theme_name: str
    industry_prefixes: tuple[str, ...]
    measure: str = DEFAULT_MEASURE
    threshold: Decimal = DEFAULT_THRESHOLD
    min_gfa: Decimal = DEFAULT_MIN_GFA
    tax_basis: str = DEFAULT_TAX_BASIS
    is_default: bool = True
    updated_at: Any = None
    updated_by: str = ""

    def describe(self) -> str:
        """``入驻面积占比 ≥ 50%，建筑面积 ≥ 10,000㎡``"""
        what = MEASURES[self.measure] + ("（" + TAX_BASES[self.tax_basis] + "）" if self.measure == "tax" else "")
        share = numbers.threshold(self.threshold)
        return f"{self.theme_name}企业占{what} ≥ {share}，建筑面积 ≥ {numbers.area(self.min_gfa)}"


@dataclass
class ThemeCheck:
    """One building against one theme's rule."""

    theme: str
    theme_name: str
    declared: bool
    measure: str
    threshold: Decimal
    min_gfa: Decimal
    value: Decimal
    total: Decimal
    share: Decimal | None
    share_ok: bool
    gfa_ok: bool
    qualifies: bool
    reasons: list[str]


@dataclass
class Verdict:
    """特色楼宇 verdict of one building for one year."""

    building_code: str
    building_name: str
    street_code: str
    gfa: float | None
    year: int
    as_of: date
    qualifies: bool
    themes: list[str]
    theme_names: list[str]
    declared_themes: list[str]
    tenants: int
    occupied_area: float
    summary: str
    checks: list[ThemeCheck] = field(default_factory=list)


# ----- rules ------------------------------------------------------------------------------


def list_rules(session: Session) -> list[Rule]:
    """The rule of every theme (a theme the bureau never configured has the defaults)."""
    stored = {r.theme_code: r for r in session.scalars(select(ThemeRule))}
    return [_rule(theme, stored.get(theme.code)) for theme in themes(session).values()]


def _theme(session: Session, theme_code: str) -> ThemeDef:
    theme = themes(session).get(theme_code)
    if theme is None:
        raise NotFound(f"特色主题 {theme_code} 不存在", error="ThemeNotFound")
    return theme


def get_rule(session: Session, theme_code: str) -> Rule:
    return _rule(_theme(session, theme_code), session.get(ThemeRule, theme_code))


def set_rule(
    session: Session,
    theme_code: str,
    *,
    measure: str,
    threshold: Decimal,
    min_gfa: Decimal,
    tax_basis: str = DEFAULT_TAX_BASIS,
    actor: str,
) -> Rule:
    """Store the bureau's rule of one theme."""
    theme = _theme(session, theme_code)
    if measure not in MEASURES:
        raise Invalid(f"认定口径 {measure} 无效（应为 count / area / tax）")
    if tax_basis not in TAX_BASES:
        raise Invalid(f"税收口径 {tax_basis} 无效（应为 tax_total / tax_district）")
    row = session.get(ThemeRule, theme_code)
    if row is None:
        row = ThemeRule(theme_code=theme_code)
        session.add(row)
    row.measure, row.threshold, row.min_gfa, row.tax_basis = measure, threshold, min_gfa, tax_basis
    row.updated_by = actor
    session.flush()
    from metrics.featured import store

    store.invalidate(session)
    return _rule(theme, row)


def _rule(theme: ThemeDef, row: ThemeRule | None) -> Rule:
    base = {"theme_code": theme.code, "theme_name": theme.name, "industry_prefixes": theme.industry_prefixes}
    if row is None:
        return Rule(**base)
    return Rule(
        **base,
        measure=row.measure,
        threshold=Decimal(row.threshold),
        min_gfa=Decimal(row.min_gfa),
        tax_basis=row.tax_basis,
        is_default=False,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


# ----- evaluation -------------------------------------------------------------------------


def reference_date(year: int, *, today: date | None = None) -> date:
    """Tenants are counted on 31 December of a past year, today for the current year."""
    today = today or today_in_china()
    return date(year, 12, 31) if year < today.year else today


def _is_member(rule: Rule, industry_code: str | None, hq: bool) -> bool:
    """Whether an enterprise of ``industry_code`` (with an HQ level or not) counts for the theme."""
    return matches(industry_code, rule.industry_prefixes) or (rule.theme_code == HQ_THEME and hq)


def in_force(as_of: date) -> ColumnElement[bool]:
    """Occupancies (of the read model) in force on ``as_of`` (``end_date`` is the last day)."""
    return and_(
        RmOccupancy.deleted.is_(False),
        RmOccupancy.start_date <= as_of,
        or_(RmOccupancy.end_date.is_(None), RmOccupancy.end_date >= as_of),
    )


def _tenant_figures(
    session: Session, *, as_of: date, rules: list[Rule], building_codes: list[str] | None
) -> dict[str, dict[str, Any]]:
    """Per building: tenants and occupied area in total and per theme.

    SQL groups the tenants in force by building, industry and HQ flag (each enterprise once
    per building); the themes of each distinct industry are worked out once, here."""
    hq = case((and_(RmEnterprise.hq_level.is_not(None), RmEnterprise.hq_level != ""), 1), else_=0)
    tenant = (
        select(
            RmOccupancy.building_code.label("building_code"),
            RmOccupancy.credit_code.label("credit_code"),
            func.sum(RmOccupancy.area).label("area"),
            func.max(RmEnterprise.industry_code).label("industry"),
            func.max(hq).label("hq"),
        )
        .join(RmEnterprise, RmEnterprise.credit_code == RmOccupancy.credit_code, isouter=True)
        .where(in_force(as_of), or_(RmEnterprise.deleted.is_(None), RmEnterprise.deleted.is_(False)))
        .group_by(RmOccupancy.building_code, RmOccupancy.credit_code)
    )
    if building_codes is not None:
        tenant = tenant.where(RmOccupancy.building_code.in_(building_codes))
    elif session.get_bind().dialect.name == "postgresql":
        # The whole district's tenants are sorted once; keep that sort in memory.
        session.execute(text("SET LOCAL work_mem = '64MB'"))
    t = tenant.subquery()
    stmt = select(t.c.building_code, t.c.industry, t.c.hq, func.count(), func.coalesce(func.sum(t.c.area), 0)).group_by(
        t.c.building_code, t.c.industry, t.c.hq
    )
    members: dict[tuple[str | None, bool], list[str]] = {}
    out: dict[str, dict[str, Any]] = {}
    for building_code, industry, is_hq, count, area in session.execute(stmt):
        key = (industry, bool(is_hq))
        if key not in members:
            members[key] = [r.theme_code for r in rules if _is_member(r, industry, bool(is_hq))]
        entry = out.setdefault(building_code, {"tenants": 0, "area": Decimal(0), "themes": {}})
        count, area = int(count), Decimal(str(area or 0))
        entry["tenants"] += count
        entry["area"] += area
        for theme in members[key]:
            figures = entry["themes"].setdefault(theme, {"count": Decimal(0), "area": Decimal(0)})
            figures["count"] += count
            figures["area"] += area
    return out


def _tax_figures(
    session: Session, *, year: int, rules: list[Rule], building_codes: list[str] | None
) -> dict[str, dict[str, Any]]:
    """Per building and tax basis: the year's attributed tax in total and per theme."""
    bases = {rule.tax_basis for rule in rules if rule.measure == "tax"}
    out: dict[str, dict[str, Any]] = {}
    if not bases:
        return out
    attributed = {
        basis: _attributed_tax(session, year=year, basis=basis, building_codes=building_codes) for basis in bases
    }
    enterprises = select(RmEnterprise.credit_code, RmEnterprise.industry_code, RmEnterprise.hq_level).where(
        RmEnterprise.deleted.is_(False)
    )
    if building_codes is None:
        rows = list(session.execute(enterprises))
    else:
        # A few buildings (the rollups' refresh): only their enterprises, not the district's.
        wanted = sorted({c for found in attributed.values() for _, c, _ in found})
        rows = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows += session.execute(enterprises.where(RmEnterprise.credit_code.in_(chunk))).all()
    industries = {code: industry for code, industry, _ in rows}
    hq = {code for code, _, level in rows if level}
    tax_rules = [r for r in rules if r.measure == "tax"]
    for basis in bases:
        for building_code, credit_code, value in attributed[basis]:
            entry = out.setdefault(building_code, {}).setdefault(basis, {"total": Decimal(0), "themes": {}})
            entry["total"] += value
            industry = industries.get(credit_code)
            for rule in tax_rules:
                if rule.tax_basis != basis:
                    continue
                if _is_member(rule, industry, credit_code in hq):
                    entry["themes"][rule.theme_code] = entry["themes"].get(rule.theme_code, Decimal(0)) + value
    return out


def _attributed_tax(
    session: Session, *, year: int, basis: str, building_codes: list[str] | None
) -> list[tuple[str, str, Decimal]]:
    """(building, enterprise, tax) of ``year`` as the rollups attributed it (area × days split)."""
    column = getattr(RollupEnterprise, basis)
    stmt = (
        select(RollupEnterprise.building_code, RollupEnterprise.credit_code, func.sum(column))
        .where(
            RollupEnterprise.period.in_(parse_range(str(year)).stored_periods()),
            RollupEnterprise.building_code != "",
            column.is_not(None),
        )
        .group_by(RollupEnterprise.building_code, RollupEnterprise.credit_code)
    )
    if building_codes is not None:
        stmt = stmt.where(RollupEnterprise.building_code.in_(building_codes))
    return [(b, c, Decimal(v)) for b, c, v in session.execute(stmt)]


def _figures(rule: Rule, tenants: dict[str, Any] | None, taxes: dict[str, Any] | None) -> tuple[Decimal, Decimal]:
    """(the theme's value, the building's total) under the rule's measure."""
    if rule.measure == "tax":
        basis = (taxes or {}).get(rule.tax_basis) or {"total": Decimal(0), "themes": {}}
        return basis["themes"].get(rule.theme_code, Decimal(0)), basis["total"]
    figures = (tenants or {}).get("themes", {}).get(rule.theme_code)
    value = figures[rule.measure] if figures else Decimal(0)
    if rule.measure == "count":
        return value, Decimal((tenants or {}).get("tenants", 0))
    return value, (tenants or {}).get("area", Decimal(0))


def _check(
    rule: Rule,
    *,
    building: RmBuilding,
    declared: bool,
    tenants: dict[str, Any] | None,
    taxes: dict[str, Any] | None,
    explain: bool = True,
) -> ThemeCheck:
    value, total = _figures(rule, tenants, taxes)
    share = numbers.share_of(value, total)
    share_ok = share is not None and share >= rule.threshold
    gfa_ok = building.gfa is not None and Decimal(str(building.gfa)) >= rule.min_gfa
    return ThemeCheck(
        theme=rule.theme_code,
        theme_name=rule.theme_name,
        declared=declared,
        measure=rule.measure,
        threshold=rule.threshold,
        min_gfa=rule.min_gfa,
        value=value,
        total=total,
        share=share,
        share_ok=share_ok,
        gfa_ok=gfa_ok,
        qualifies=share_ok and gfa_ok,
        reasons=_reasons(rule, building=building, value=value, total=total, share=share) if explain else [],
    )


def _reasons(rule: Rule, *, building: RmBuilding, value: Decimal, total: Decimal, share: Decimal | None) -> list[str]:
    """The numbers behind a check, in Chinese."""
    if rule.measure == "tax":
        basis = TAX_BASES[rule.tax_basis]
        label, empty = f"楼宇{basis}税收", f"楼宇本年度无{basis}税收数据，无法按税收认定"
        detail = f"{numbers.money(value)} / {numbers.money(total)}"
    elif rule.measure == "count":
        label, empty, detail = "入驻企业数", "楼内暂无在驻企业", f"{value:,.0f} / {total:,.0f} 家"
    else:
        label, empty = "入驻面积", "楼内暂无在驻企业"
        detail = f"{numbers.area(value)} / {numbers.area(total)}"
    share_text = f"{numbers.percent(share)}（阈值 {numbers.threshold(rule.threshold)}；{detail}）"
    reasons = [empty if share is None else f"{rule.theme_name}企业占{label} {share_text}"]
    if building.gfa is None:
        reasons.append("建筑面积未登记，无法认定")
    elif Decimal(str(building.gfa)) >= rule.min_gfa:
        reasons.append(f"建筑面积 {numbers.area(building.gfa)} 不低于 {numbers.area(rule.min_gfa)}")
    else:
        reasons.append(f"建筑面积 {numbers.area(building.gfa)} 低于 {numbers.area(rule.min_gfa)}")
    return reasons


def _summary(checks: list[ThemeCheck], tenants: int) -> str:
    passing = [c for c in checks if c.qualifies]
    if passing:
        names = "、".join(c.theme_name for c in passing)
        return f"符合特色楼宇（{names}）：" + "；".join(r for c in passing for r in c.reasons)
    if not checks:
        if tenants == 0:
            return "不符合特色楼宇：楼内暂无在驻企业"
        return "不符合特色楼宇：在驻企业均不属于任何特色主题"
    # The nearest miss: a declared theme first, then the largest share.
    best = checks[0]
    return "不符合特色楼宇：" + "；".join(best.reasons)


def _sort_key(check: ThemeCheck) -> tuple[int, int, Decimal, str]:
    return (not check.qualifies, not check.declared, -(check.share or Decimal(0)), check.theme)


def evaluate(
    session: Session,
    *,
    year: int,
    building_codes: Iterable[str] | None = None,
    street_codes: Iterable[str] | None = None,
    today: date | None = None,
    explain: bool = True,
) -> list[Verdict]:
    """The 特色楼宇 verdict of each building (all, or ``building_codes`` / ``street_codes``) for ``year``
    (``explain=False``: verdicts and numbers without the Chinese reasons, for counting; those of
    the whole district are kept in the process until the read model, the rules or the rollups
    change, at most CACHE_SECONDS)."""
    as_of = reference_date(year, today=today)
    if not explain:
        # The verdicts kept with the rollups (metrics.featured.store), when the year is stored.
        from metrics.featured import store

        kept = store.read(session, year=year, as_of=as_of, building_codes=building_codes, street_codes=street_codes)
        if kept is not None:
            return kept
    whole = building_codes is None and street_codes is None and not explain
    key = _cache_key(session, year=year, as_of=as_of) if whole else None
    if key is not None:
        with _cache_lock:
            hit = _cache.get(key)
        if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS:
            return hit[1]
    verdicts = _evaluate(
        session, year=year, as_of=as_of, building_codes=building_codes, street_codes=street_codes, explain=explain
    )
    if key is not None:
        with _cache_lock:
            if len(_cache) >= 32:
                _cache.clear()
            _cache[key] = (time.monotonic(), verdicts)
    return verdicts


def _cache_key(session: Session, *, year: int, as_of: date) -> tuple[Any, ...] | None:
    """What the whole district's verdicts depend on: the read model's feed cursors, the rules,
    the rollups (tax rules). None (no caching) for a read model the feed does not keep (loaded
    straight into the tables, as tests do), where nothing tells a change."""
    cursors = tuple(
        session.execute(
            select(SyncState.source, SyncState.cursor, SyncState.last_event_at).order_by(SyncState.source)
        ).all()
    )
    if not any(cursor for _, cursor, _ in cursors):
        return None
    rules = session.execute(select(func.count(), func.max(ThemeRule.updated_at)).select_from(ThemeRule)).one()
    state = session.get(RollupState, 1)
    rollups = (state.refreshed_at, state.rebuilt_at) if state is not None else None
    return (str(session.get_bind().url), year, as_of, cursors, tuple(rules), rollups)


def _evaluate(
    session: Session,
    *,
    year: int,
    as_of: date,
    building_codes: Iterable[str] | None,
    street_codes: Iterable[str] | None,
    explain: bool,
) -> list[Verdict]:
    rules = list_rules(session)
    stmt = select(RmBuilding).where(RmBuilding.deleted.is_(False)).order_by(RmBuilding.code)
    codes = sorted(set(building_codes)) if building_codes is not None else None
    if codes is not None:
        stmt = stmt.where(RmBuilding.code.in_(codes))
    if street_codes is not None:
        stmt = stmt.where(RmBuilding.street_code.in_(list(street_codes)))
    buildings = list(session.scalars(stmt))
    if not buildings:
        return []
    scope = [b.code for b in buildings] if (codes is not None or street_codes is not None) else None
    tenants = _tenant_figures(session, as_of=as_of, rules=rules, building_codes=scope)
    taxes = _tax_figures(session, year=year, rules=rules, building_codes=scope)
    verdicts = []
    for building in buildings:
        declared = [t for t in (building.themes or []) if isinstance(t, str)]
        figures = tenants.get(building.code)
        checks = []
        building_taxes = taxes.get(building.code)
        for rule in rules:
            is_declared = rule.theme_code in declared
            # Only declared themes and themes with tenants (or tax) here are shown and can pass.
            if not is_declared and _figures(rule, figures, building_taxes)[0] <= 0:
                continue
            checks.append(
                _check(
                    rule,
                    building=building,
                    declared=is_declared,
                    tenants=figures,
                    taxes=building_taxes,
                    explain=explain,
                )
            )
        checks.sort(key=_sort_key)
        passing = [c for c in checks if c.qualifies]
        verdicts.append(
            Verdict(
                building_code=building.code,
                building_name=building.name,
                street_code=building.street_code,
                gfa=building.gfa,
                year=year,
                as_of=as_of,
                qualifies=bool(passing),
                themes=[c.theme for c in passing],
                theme_names=[c.theme_name for c in passing],
                declared_themes=declared,
                tenants=figures["tenants"] if figures else 0,
                occupied_area=float(figures["area"]) if figures else 0.0,
                summary=_summary(checks, figures["tenants"] if figures else 0) if explain else "",
                checks=checks,
            )
        )
    return verdicts


def evaluate_one(session: Session, *, code: str, year: int, today: date | None = None) -> Verdict:
    verdicts = evaluate(session, year=year, building_codes=[code], today=today)
    if not verdicts:
        raise NotFound(f"楼宇 {code} 不存在", error="BuildingNotFound")
    return verdicts[0]


def qualifying_codes(session: Session, *, year: int, today: date | None = None) -> set[str]:
    """Codes of the buildings that qualify as 特色楼宇 for ``year``."""
    return {v.building_code for v in evaluate(session, year=year, today=today, explain=False) if v.qualifies}
