"""The vocabulary of 问数, built from the product's own data and rebuilt when it changes.

Sources: the 指标口径 catalogue (names) with ``words.METRIC_WORDS``; tiers; the streets of the
reference file (``积玉桥街道``, ``积玉桥街``, ``积玉桥``); buildings of the read model (name, and the
name without 大厦/中心/广场/大楼 when that stem is unique, else it is ambiguous); zones; themes
(name and code); enterprises (name, name without （演示）, credit code); and the bureau's
synonyms (``ask_synonym``), applied on the next question — no restart.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from metrics.ask import words
from metrics.ask.models import AskSynonym
from metrics.ask.parser import Term, Vocabulary
from metrics.catalogue.definitions import DEFINITIONS
from metrics.kpis.streets import street_names
from metrics.readmodel.models import RmBuilding, RmEnterprise, RmTheme, SyncState
from metrics.rollups.queries import TIERS

SUFFIXES = ("大厦", "中心", "广场", "大楼", "大樓")
CATALOGUE_NAMES = {d.code: d.name for d in DEFINITIONS}
TIER_NAMES = {key: name for key, name, _t in TIERS} | {"yueyi": "月亿楼"}


@dataclass
class VocabularyCache:
    """The built vocabulary of one app (``app.state.ask_vocabulary``)."""

    vocabulary: Vocabulary | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def version(session: Session) -> str:
    """Changes when registry's change feed moved the read model on, or a synonym changed."""
    parts = [
        session.scalar(select(func.max(SyncState.cursor))),
        session.scalar(select(func.count()).select_from(RmBuilding)),
        session.scalar(select(func.max(AskSynonym.id))),
        session.scalar(select(func.count()).select_from(AskSynonym)),
    ]
    return ":".join(str(p or 0) for p in parts)


def current(session: Session, cache: VocabularyCache) -> Vocabulary:
    """The vocabulary for this data (built again only when ``version`` changed)."""
    v = version(session)
    cached = cache.vocabulary
    if cached is not None and cached.version == v:
        return cached
    with cache.lock:
        built = build(session)
        built.version = v
        cache.vocabulary = built
        return built


def build(session: Session) -> Vocabulary:
    vocab = Vocabulary()
    for code, synonyms in words.METRIC_WORDS.items():
        term = Term("metric", code, CATALOGUE_NAMES.get(code, code))
        for w in (CATALOGUE_NAMES.get(code, ""), *synonyms):
            if w:
                vocab.add(w, term)
    for key, synonyms in words.TIER_WORDS.items():
        term = Term("tier", key, TIER_NAMES[key])
        for w in (TIER_NAMES[key], *synonyms):
            vocab.add(w, term)
    district = Term("district", "", "全区")
    for w in words.DISTRICT_WORDS:
        vocab.add(w, district)
    for code, name in street_names().items():
        term = Term("street", code, name)
        short = name.removesuffix("街道")
        for w in (name, short + "街", short):
            vocab.add(w, term)
    themes = {
        code: name
        for code, name in session.execute(select(RmTheme.code, RmTheme.name).where(RmTheme.deleted.is_(False)))
    }
    for code, name in themes.items():
        term = Term("theme", code, name)
        for w in (name, name + "主题", name + "楼宇", name + "特色楼宇", name + "类楼宇"):
            vocab.add(w, term)
    rows = session.execute(
        select(RmBuilding.code, RmBuilding.name, RmBuilding.zone, RmBuilding.aliases).where(
            RmBuilding.deleted.is_(False)
        )
    ).all()
    buildings = [(code, name, zone) for code, name, zone, _aliases in rows]
    named = [(code, name) for code, name, _zone in buildings if name]
    for code, name, zone in buildings:
        if name:
            vocab.add(name, Term("building", code, name))
        if zone:
            vocab.add(zone, Term("zone", zone, zone))
    for code, name, _zone, aliases in rows:
        for alias in aliases or []:
            vocab.add(alias, Term("building", code, name or code))
    # Short forms: the name without 大厦/中心/广场/大楼 (中交 → 中交大厦) and two-character
    # prefixes shared by several buildings. A short form is every building whose name starts
    # with it, so 保利 is ambiguous (保利广场, 保利滨江中心) and 中交 is not.
    stems = {
        name[: -len(suffix)]
        for _code, name in named
        for suffix in SUFFIXES
        if name.endswith(suffix) and len(name) - len(suffix) >= 2
    }
    prefixes = {name[:2] for _code, name in named if len(name) >= 4}
    for short in sorted(stems | prefixes):
        if short in vocab.entries:
            continue
        matches = [Term("building", code, name) for code, name in named if name.startswith(short)]
        if short in stems or len(matches) > 1:
            for t in matches:
                vocab.add(short, t)
    for row in session.scalars(select(AskSynonym).order_by(AskSynonym.id)):
        term = resolve_synonym(row.kind, row.code, themes=themes, buildings={c: n for c, n, _z in buildings})
        if term is not None:
            vocab.entries.pop(row.word, None)
            vocab.add(row.word, term)
    return vocab


def enterprise_lookup(session: Session):  # type: ignore[no-untyped-def]
    """Enterprises by exact name or credit code (an index each), for the names a question may
    contain: enterprises are looked up per question, not held in the vocabulary (a city has
    hundreds of thousands)."""

    def lookup(candidates: list[str]) -> dict[str, Term]:
        variants: dict[str, str] = {}
        for c in candidates:
            full = c.replace("(", "（").replace(")", "）")
            for v in (c, full, "（演示）" + full):
                variants.setdefault(v, c)
        found: dict[str, Term] = {}
        codes = [c for c in candidates if len(c) == 18]
        rows = session.execute(
            select(RmEnterprise.credit_code, RmEnterprise.name).where(
                RmEnterprise.deleted.is_(False),
                RmEnterprise.name.in_(list(variants)) | RmEnterprise.credit_code.in_(codes),
            )
        ).all()
        for code, name in rows:
            term = Term("enterprise", code, name or code)
            if code in codes:
                found[code] = term
            if name in variants:
                found.setdefault(variants[name], term)
        return found

    return lookup


def resolve_synonym(kind: str, code: str, *, themes: dict[str, str], buildings: dict[str, str]) -> Term | None:
    """The term a synonym points to, or None when it points to nothing known."""
    if kind == "metric" and code in words.METRIC_WORDS:
        return Term("metric", code, CATALOGUE_NAMES.get(code, code))
    if kind == "tier" and code in TIER_NAMES:
        return Term("tier", code, TIER_NAMES[code])
    if kind == "street" and code in street_names():
        return Term("street", code, street_names()[code])
    if kind == "theme" and code in themes:
        return Term("theme", code, themes[code])
    if kind == "building" and code in buildings:
        return Term("building", code, buildings[code])
    if kind == "zone" and code:
        return Term("zone", code, code)
    return None
