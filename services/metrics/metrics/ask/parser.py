"""Reading a question: a longest match over the product's own vocabularies, no model.

``read(text, vocabulary=, today=)`` returns a ``Parse``: the structured query (intent, metric,
entity, period, comparison, filter, ranking) and what could not be read. It is deterministic:
the same words and the same vocabulary give the same reading. Periods are read by the one
period parser of the product (``metrics.rollups.periods``)."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from metrics.ask import words
from metrics.rollups import periods

ENTITY_KINDS = ("district", "street", "zone", "theme", "building", "enterprise")
# Which entity wins when a question names several (the narrowest).
SPECIFICITY = {"enterprise": 5, "building": 4, "street": 3, "zone": 2, "theme": 2, "district": 1}
ENTERPRISE_NAME = re.compile(r"[^\s,?!;:|]{2,60}?(?:有限责任公司|股份有限公司|有限公司|集团公司|集团|公司)")
CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")
NUMBER = r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>%|万元|亿元|万|亿|平方米|平米|㎡|元|家|栋)?"
THRESHOLD = re.compile(
    r"(?P<op1>超过|高于|大于|多于|不低于|不少于|达到|低于|小于|少于|不足|不到|>=|<=|>|<|≥|≤)?\s*"
    + NUMBER
    + r"(?P<op2>以上|以下)?"
)
TOP_N = re.compile(r"(?:前|top|TOP|Top)\s*(?P<n>\d{1,3}|[一二三四五六七八九十]|十[一二]|二十)\s*(?:名|位|个|栋|家)?")
BOTTOM_N = re.compile(r"(?:后|倒数)\s*(?P<n>\d{1,3}|[一二三四五六七八九十]|十[一二]|二十)\s*(?:名|位|个|栋|家)?")
OVER = {"超过", "高于", "大于", "多于", "不低于", "不少于", "达到", ">=", ">", "≥", "以上"}
UNIT_FACTOR = {"万元": 1e4, "万": 1e4, "亿元": 1e8, "亿": 1e8, "%": 0.01}
MONTH_WORDS = ("本月", "这个月", "当月", "上个月", "上月")


@dataclass(frozen=True)
class Term:
    """One thing the vocabulary knows: a metric, a tier or an entity."""

    kind: str  # metric / tier / district / street / zone / theme / building / enterprise
    code: str
    name: str


@dataclass
class Vocabulary:
    """Surface word → the terms it may mean (several: ambiguous)."""

    entries: dict[str, list[Term]] = field(default_factory=dict)
    version: str = ""
    _index: dict[str, set[str]] | None = field(default=None, repr=False)

    def add(self, word: str, term: Term) -> None:
        word = normalise(word)
        if len(word) < 2 and not word.isdigit():
            return
        bucket = self.entries.setdefault(word, [])
        if term not in bucket:
            bucket.append(term)

    @property
    def longest(self) -> int:
        return max((len(w) for w in self.entries), default=1)

    def closest(self, text: str, *, n: int = 3) -> list[Term]:
        """The terms whose words look most like ``text`` (for "您是不是想问"): metrics, tiers,
        places and buildings — not enterprises (too many; they are asked by name or code).
        Only words sharing a character with ``text`` are compared (an index by character)."""
        index = self._char_index()
        candidates: set[str] = set()
        for ch in set(text):
            candidates |= index.get(ch, set())
        scored = []
        for w in candidates:
            shared = len(set(text) & set(w))
            scored.append((difflib.SequenceMatcher(None, text, w).ratio() + shared * 0.05, w))
        scored.sort(key=lambda x: (-x[0], x[1]))
        out: list[Term] = []
        for _score, w in scored:
            for t in self.entries[w]:
                if t not in out and t.kind != "enterprise":
                    out.append(t)
            if len(out) >= n:
                break
        return out[:n]

    def _char_index(self) -> dict[str, set[str]]:
        if self._index is None:
            index: dict[str, set[str]] = {}
            for w, terms in self.entries.items():
                if all(t.kind == "enterprise" for t in terms):
                    continue
                for ch in set(w):
                    index.setdefault(ch, set()).add(w)
            self._index = index
        return self._index


@dataclass
class Filter:
    metric: str
    op: str  # gt / lt
    value: float
    text: str


@dataclass
class Parse:
    """The structured reading of one question (before it is run)."""

    intent: str = "value"  # value / count / list / rank / trend
    metric: str | None = None
    tier: str | None = None
    entity: Term | None = None
    scope_entities: list[Term] = field(default_factory=list)
    ambiguous: list[Term] = field(default_factory=list)
    ambiguous_word: str = ""
    period: str | None = None
    period_text: str = ""
    compare: str | None = None
    filter: Filter | None = None
    order: str = "desc"
    limit: int | None = None
    level_of_rows: str = "building"  # rank / list rows: building or street
    unknown: list[str] = field(default_factory=list)
    # An unknown piece with the word matched just before it (中交 + 大夏), for suggestions.
    contexts: dict[str, str] = field(default_factory=dict)
    task_words: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    """Full-width to half-width, no spaces, unified dashes and question marks."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"\s+", "", text)
    return text.replace("？", "?").replace("，", ",").replace("。", "")


def _cn(n: str) -> int:
    return periods._cn_number(n) if not n.isdigit() else int(n)


def _cut(text: str, start: int, end: int) -> str:
    return text[:start] + "|" * (end - start) + text[end:]


TASK_WORDS = ("任务", "督办", "红灯", "黄灯", "绿灯", "亮灯", "逾期", "督办单", "进度滞后")


def read(
    question: str,
    *,
    vocabulary: Vocabulary,
    today: date,
    enterprises: Callable[[list[str]], dict[str, Term]] | None = None,
) -> Parse:
    """The structured reading of ``question`` (see ``Parse``); unknown parts are listed, never
    guessed. ``enterprises`` finds enterprises by exact name or credit code (the read model)."""
    text = normalise(question)
    out = Parse()
    out.task_words = [w for w in TASK_WORDS if w in text]
    find = enterprises or (lambda _c: {})

    # 1. Credit codes, then names ending in 公司 / 集团 (the longest known tail of the span).
    codes = [m.group(0) for m in CREDIT_CODE.finditer(text)]
    found = find(codes) if codes else {}
    for m in CREDIT_CODE.finditer(text):
        if m.group(0) in found:
            out.scope_entities.append(found[m.group(0)])
        else:
            out.unknown.append(m.group(0))
        text = _cut(text, m.start(), m.end())
    for m in list(ENTERPRISE_NAME.finditer(text)):
        span = m.group(0)
        tails = [span[i:] for i in range(0, max(1, len(span) - 3))]
        known = find(tails)
        best = next((t for t in tails if t in known), None)
        if best is None:
            continue  # left to the vocabulary; what stays unread is named below
        out.scope_entities.append(known[best])
        start = m.start() + len(span) - len(best)
        text = _cut(text, start, m.end())

    # 2. Comparison words (before periods: 比去年 is a comparison, not the period 去年).
    for w in sorted(words.COMPARE_WORDS, key=len, reverse=True):
        if w in text:
            out.compare = "yoy"
            text = text.replace(w, "|" * len(w))

    # 3. Periods, by the product's period parser.
    text = _read_period(text, out, today)

    # 4. Thresholds (超过30%) and top N.
    for m in TOP_N.finditer(text):
        out.limit = _cn(m["n"])
        text = _cut(text, m.start(), m.end())
    for m in BOTTOM_N.finditer(text):
        out.limit, out.order = _cn(m["n"]), "asc"
        text = _cut(text, m.start(), m.end())
    thresholds = []
    for m in THRESHOLD.finditer(text):
        op = m["op1"] or m["op2"]
        if not op:
            continue
        value = float(m["num"]) * UNIT_FACTOR.get(m["unit"] or "", 1.0)
        thresholds.append(("gt" if op in OVER else "lt", value, m.group(0), m["unit"] or ""))
        text = _cut(text, m.start(), m.end())

    # 5. Longest match over the vocabularies.
    terms, rest = _longest_match(text, vocabulary)
    metrics_found = [t for t in terms if t.kind == "metric"]
    tiers = [t for t in terms if t.kind == "tier"]
    for t in terms:
        if t.kind == "ambiguous":
            continue
    entity_terms = [t for t in terms if t.kind in ENTITY_KINDS]
    ambiguous = [t for t in terms if t.kind == "ambiguous"]
    if ambiguous:
        word = ambiguous[0].code
        out.ambiguous_word = word
        out.ambiguous = [t for t in vocabulary.entries[word] if t.kind in ENTITY_KINDS]
    out.scope_entities += entity_terms

    # 6. What is left: fillers and intent words are fine, anything else is not understood.
    plain = normalise(question)
    intent_words = words.COUNT_WORDS + words.LIST_WORDS + words.RANK_WORDS + words.RANK_LOW_WORDS + words.TREND_WORDS
    intent_words += words.OVER_WORDS + words.UNDER_WORDS + TASK_WORDS + words.FILLER
    for before, span in rest:
        leftover = span
        for w in sorted(set(intent_words), key=len, reverse=True):
            leftover = leftover.replace(w, " ")
        for piece in re.split(r"[\s|?,!.、:;：；]+", leftover):
            if len(piece) >= 2 and not piece.isdigit():
                out.unknown.append(piece)
                if before and span.startswith(piece):
                    out.contexts[piece] = before + piece

    # 7. Intent.
    has = lambda group: any(w in plain for w in group)  # noqa: E731
    if tiers:
        out.tier = tiers[0].code
        out.metric = words.TIER_METRIC[out.tier]
    if metrics_found:
        # The longest metric word wins; a yoy metric is its base metric compared with last year.
        metric = metrics_found[0].code
        if any(t.code == "tax_rank" for t in metrics_found):
            metric = "tax_rank"  # 税收……排第几: the rank of the tax
        if metric.endswith("_yoy"):
            metric, out.compare = metric[: -len("_yoy")], "yoy"
        if out.tier and metric == "buildings":
            metric = out.metric or metric
        if not out.tier:
            out.metric = metric
        elif metric not in ("buildings", "tax_total"):
            out.metric = metric
    streets_named = any(t.kind == "street" for t in out.scope_entities)
    ranked = has(words.RANK_WORDS) or has(words.RANK_LOW_WORDS) or out.limit is not None
    if has(("各街道", "哪个街道", "哪些街道", "街道排名", "各个街道")) or (
        ranked and "街道" in plain and not streets_named
    ):
        out.level_of_rows = "street"
        out.scope_entities = [t for t in out.scope_entities if t.kind != "street"]
    if thresholds:
        kind, value, raw, unit = thresholds[0]
        base = out.metric if out.metric and not out.tier else None
        if base:
            if base.endswith("_rate") and unit != "%" and value > 1:
                value = value / 100
            out.filter = Filter(metric=base, op=kind, value=value, text=raw)
            out.metric = base
    if has(words.TREND_WORDS) and out.metric:
        out.intent = "trend"
    elif out.tier and not has(words.LIST_WORDS) and not has(("排名", "最高", "最多")):
        out.intent = "count"
    elif out.tier:
        out.intent = "list"
    elif out.filter is not None:
        out.intent = "count" if has(words.COUNT_WORDS) else "list"
    elif out.metric == "tax_rank" and any(t.kind in ("building", "street") for t in out.scope_entities):
        out.intent = "value"
    elif out.metric == "tax_rank":
        out.metric, out.intent = "tax_total", "rank"
    elif has(words.RANK_LOW_WORDS) or has(words.RANK_WORDS) or out.limit or out.level_of_rows == "street":
        if has(words.RANK_LOW_WORDS):
            out.order = "asc"
        single = [t for t in out.scope_entities if t.kind in ("building", "enterprise")]
        if single and not has(("哪个", "哪栋", "哪些", "前", "最")):
            out.metric = out.metric
        else:
            out.intent = "rank"
    elif has(words.LIST_WORDS) and out.metric:
        out.intent = "rank"

    # 8. The entity: the narrowest named; a street with a building of it is the building.
    if out.scope_entities:
        out.scope_entities.sort(key=lambda t: -SPECIFICITY[t.kind])
        out.entity = out.scope_entities[0]
    if out.intent in ("rank", "list", "count") and out.entity and out.entity.kind in ("building", "enterprise"):
        out.intent = "value"
    return out


def _read_period(text: str, out: Parse, today: date) -> str:
    m = periods.ROLLING_PATTERN.search(text)
    if m:
        out.period = f"R{periods.rolling_months(m)}"
        out.period_text = m.group(0)
        return _cut(text, m.start(), m.end())
    for w in MONTH_WORDS:
        if w in text:
            out.period = periods.spoken_month(w, today)
            out.period_text = w
            return text.replace(w, "|" * len(w))
    if "今年以来" in text or "年初至今" in text or "今年累计" in text:
        for w in ("今年以来", "年初至今", "今年累计"):
            if w in text:
                out.period, out.period_text = f"{today.year}-YTD", w
                return text.replace(w, "|" * len(w))
    for m in periods.SPOKEN_PATTERN.finditer(text):
        if not m.group(0):
            continue
        key = periods.spoken_range(m, today)
        if key is None:
            continue
        out.period, out.period_text = key, m.group(0)
        return _cut(text, m.start(), m.end())
    return text


def _longest_match(text: str, vocabulary: Vocabulary) -> tuple[list[Term], list[tuple[str, str]]]:
    """Terms found left to right (longest word first at each position) and the unmatched spans
    (each with the word matched just before it)."""
    longest = vocabulary.longest
    terms: list[Term] = []
    rest: list[tuple[str, str]] = []
    span = ""
    before = ""
    i = 0
    while i < len(text):
        hit = None
        for n in range(min(longest, len(text) - i), 1, -1):
            word = text[i : i + n]
            if word in vocabulary.entries:
                hit = word
                break
        if hit is None:
            span += text[i]
            i += 1
            continue
        if span:
            rest.append((before, span))
            span = ""
        before = hit
        found = vocabulary.entries[hit]
        entities = [t for t in found if t.kind in ENTITY_KINDS]
        if len({(t.kind, t.code) for t in entities}) > 1:
            terms.append(Term("ambiguous", hit, hit))
        else:
            terms.extend(found[:1] if entities else found[:1])
        i += len(hit)
    if span:
        rest.append((before, span))
    return terms, rest
