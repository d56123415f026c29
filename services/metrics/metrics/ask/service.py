"""问数: run a reading through the KPI services (the functions the API routes call, with the
caller's access), and keep the history, the unanswered questions and the bureau's synonyms.

Every figure comes from ``metrics.kpis.service`` / ``metrics.kpis.views`` exactly as the
``/kpis``, ``/streets``, ``/rankings/buildings``, ``/tiers`` and building routes answer it, so
the answer equals the screen; a caller outside the figures' scope gets the refusal (status,
error, detail) those routes give."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from louyu_kit.db import utcnow
from louyu_kit.errors import Conflict, Invalid, LouyuError, NotFound
from metrics.access import MetricsAccess
from metrics.ask import display, parser
from metrics.ask.models import AskQuestion, AskSynonym
from metrics.ask.parser import Parse, Term
from metrics.ask.schemas import (
    AnswerTable,
    AskAnswer,
    Choice,
    Definition,
    Figure,
    Reading,
    ReadingPart,
    Refusal,
    SynonymCreate,
    TableColumn,
    TableRow,
)
from metrics.ask.vocabulary import CATALOGUE_NAMES, VocabularyCache, current, enterprise_lookup, resolve_synonym
from metrics.catalogue.definitions import get as definition
from metrics.clients.llm import LlmAdapter
from metrics.kpis import occupancy, views
from metrics.kpis import service as kpis
from metrics.kpis.cache import AnswerCache, data_version
from metrics.kpis.cache import scope_key as cache_scope
from metrics.kpis.streets import street_name
from metrics.readmodel.models import RmBuilding, RmOccupancy, RmTheme
from metrics.rollups import queries
from metrics.rollups.periods import YTD, PeriodRange, RollingRange, month_key

LEVEL_LABEL = {
    "district": "范围",
    "street": "街道",
    "zone": "功能区",
    "theme": "特色主题",
    "building": "楼宇",
    "enterprise": "企业",
}
# Figures of a KPI answer: catalogue code → path in ``kpis.kpis(...)``.
KPI_PATHS: dict[str, tuple[str, ...]] = {
    "tax_total": ("tax_total",),
    "tax_district": ("tax_district",),
    "revenue": ("revenue",),
    "employees": ("employees",),
    "buildings": ("buildings",),
    "gfa": ("gfa",),
    "leasable_area": ("leasable_area",),
    "occupied_area": ("occupied_area",),
    "vacant_area": ("vacant_area",),
    "occupancy_rate": ("occupancy_rate",),
    "tenants": ("tenants",),
    "registered_tenants": ("registered_tenants",),
    "statistics_tenants": ("statistics_tenants",),
    "registration_rate": ("registration_rate",),
    "statistics_rate": ("statistics_rate",),
    "enterprises_with_figures": ("enterprises_with_figures",),
    "under_construction_area": ("under_construction_area",),
    "under_construction_buildings": ("under_construction_buildings",),
    "not_reported_buildings": ("not_reported_buildings",),
    "tax_per_m2_gfa": ("efficiency", "tax_total_per_m2_gfa"),
    "tax_per_m2_occupied": ("efficiency", "tax_total_per_m2_occupied"),
    "tax_district_per_m2_gfa": ("efficiency", "tax_district_per_m2_gfa"),
    "tax_district_per_m2_occupied": ("efficiency", "tax_district_per_m2_occupied"),
    "unattributed_tax_total": ("unattributed", "tax_total"),
    "unattributed_tax_district": ("unattributed", "tax_district"),
    "unattributed_revenue": ("unattributed", "revenue"),
    "tax_rank": ("rank", "district", "position"),
    "vacancy_rate": ("occupancy_rate",),  # 1 − 入驻率 (the catalogue's formula)
}
FLOW = frozenset(
    {
        "tax_total",
        "tax_district",
        "revenue",
        "unattributed_tax_total",
        "unattributed_tax_district",
        "unattributed_revenue",
    }
)
YOY_METRICS = frozenset({"tax_total", "tax_district", "revenue"})
# Figures of a ranking row (``/rankings/buildings``) and of a street row (``/streets``).
ROW_METRICS = frozenset(
    {"tax_total", "tax_district", "revenue", "tax_per_m2_gfa", "tax_per_m2_occupied", "occupied_area",
     "occupancy_rate", "vacancy_rate", "tenants", "gfa", "leasable_area"}
)  # fmt: skip
STREET_ROW_METRICS = frozenset(
    {"tax_total", "tax_district", "revenue", "occupancy_rate", "vacancy_rate", "tenants", "buildings", "occupied_area",
     "leasable_area", "vacant_area"}
)  # fmt: skip
STOCK_RATES = frozenset({"occupancy_rate", "vacancy_rate", "tax_per_m2_gfa", "tax_per_m2_occupied", "occupied_area"})
ENTERPRISE_METRICS = frozenset({"tax_total", "tax_district", "revenue"})
INTENT_NAMES = {"count": "计数", "list": "列表", "rank": "排名", "trend": "逐月走势", "value": "取数"}
DEFAULT_RANK = 10


class _Outcome(Exception):
    """A finished answer that is not a figure (unknown, out of data)."""

    def __init__(self, status: str, text: str) -> None:
        super().__init__(text)
        self.status, self.text = status, text


# ----- reading -------------------------------------------------------------------------------


def _merge_edits(p: Parse, edits: dict[str, str], read: Callable[[str], Parse]) -> Parse:
    """The reading with each edited part read again from the words the user typed for it."""
    for key, text in edits.items():
        q = read(text)
        if key == "metric":
            p.metric, p.tier = q.metric, q.tier
            if q.compare:
                p.compare = q.compare
            if not q.metric:
                p.unknown.append(text)
        elif key == "entity":
            if q.ambiguous:
                p.ambiguous, p.ambiguous_word = q.ambiguous, q.ambiguous_word
            elif q.entity is None:
                p.unknown.append(text)
            else:
                p.entity = q.entity
                p.scope_entities = [q.entity]
        elif key == "period":
            if q.period is None:
                p.unknown.append(text)
            else:
                p.period, p.period_text = q.period, q.period_text
        elif key == "compare":
            p.compare = "yoy" if q.compare or "同比" in text else None
        elif key == "filter":
            p.filter = q.filter
        elif key == "intent":
            p.intent = next((k for k, v in INTENT_NAMES.items() if v in text or k == text), p.intent)
    return p


def _period(session: Session, p: Parse, today: date) -> tuple[PeriodRange | RollingRange, bool]:
    """The range of the reading (the latest year with figures when the question names none)."""
    if p.period is None:
        return views.period_range(session, None), False
    if p.period.startswith("R"):
        months = int(p.period[1:])
        latest = views.latest_data_month(session)
        last = month_key(today.year, today.month) if latest is None else min(latest, month_key(today.year, today.month))
        if not 1 <= months <= 24:
            raise _Outcome("unknown", f"近{months}个月超出可查范围（最多近24个月）")
        return RollingRange(months, int(last[:4]), int(last[5:7])), True
    try:
        return queries.resolve(session, p.period), True
    except Invalid as exc:
        raise _Outcome("unknown", exc.detail) from exc


def _reading(p: Parse, rng: PeriodRange | RollingRange, given: bool) -> Reading:
    entity = p.entity or Term("district", "", "全区")
    return Reading(
        intent=p.intent,  # type: ignore[arg-type]
        metric=p.metric,
        metric_name=_metric_name(p.metric),
        tier=p.tier,
        level=entity.kind,  # type: ignore[arg-type]
        code=entity.code,
        name=entity.name,
        period=rng.key,
        period_label=rng.label + ("" if given else "（问题未说期间，取有数据的最近一年）"),
        period_given=given,
        compare=p.compare,  # type: ignore[arg-type]
        filter_metric=p.filter.metric if p.filter else None,
        filter_op=p.filter.op if p.filter else None,  # type: ignore[arg-type]
        filter_value=p.filter.value if p.filter else None,
        rows=p.level_of_rows,  # type: ignore[arg-type]
        order=p.order,  # type: ignore[arg-type]
        limit=p.limit,
    )


def _metric_name(code: str | None) -> str | None:
    if code is None:
        return None
    return CATALOGUE_NAMES.get(code, code)


def _parts(r: Reading) -> list[ReadingPart]:
    parts = []
    if r.metric:
        parts.append(ReadingPart(key="metric", label="指标", value=r.metric_name or r.metric, code=r.metric))
    if r.intent in ("rank", "list") and r.level == "district":
        scope = "全区各街道" if r.rows == "street" else "全区楼宇"
        parts.append(ReadingPart(key="entity", label="范围", value=scope, code=""))
    else:
        parts.append(ReadingPart(key="entity", label=LEVEL_LABEL[r.level], value=r.name, code=r.code))
    parts.append(ReadingPart(key="period", label="期间", value=r.period_label, code=r.period))
    if r.compare == "yoy":
        parts.append(ReadingPart(key="compare", label="比较", value="同比", code="yoy"))
    if r.filter_metric:
        parts.append(ReadingPart(key="filter", label="条件", value=_filter_text(r), code=r.filter_metric))
    if r.intent != "value":
        value = INTENT_NAMES[r.intent]
        if r.intent == "rank":
            value += f"（{'从低到高' if r.order == 'asc' else '从高到低'}，前{r.limit or DEFAULT_RANK}名）"
            if r.rows == "street":
                value = "各街道" + value
        parts.append(ReadingPart(key="intent", label="方式", value=value, code=r.intent))
    return parts


def _filter_text(r: Reading) -> str:
    d = definition(r.filter_metric or "")
    word = "达到" if r.filter_op == "gt" else "低于"
    return f"{d.name}{word}{display.of_unit(r.filter_value, d.unit)}"


def reading_text(parts: list[ReadingPart]) -> str:
    return "；".join(f"{p.label}：{p.value}" for p in parts)


# ----- answering -----------------------------------------------------------------------------


def ask(
    session: Session,
    *,
    question: str,
    access: MetricsAccess,
    today: date,
    vocabularies: VocabularyCache,
    cache: AnswerCache | None = None,
    edits: dict[str, str] | None = None,
    record: bool = True,
    llm: LlmAdapter | None = None,
) -> AskAnswer:
    """Read ``question`` and answer it for ``access`` (recorded in the history unless ``record``
    is false). When the parser cannot read it and ``llm`` is configured, the model's proposed
    parts are read by the same parser and, when they make a complete reading, run and shown."""
    answer = answer_question(
        session, question=question, access=access, today=today, vocabularies=vocabularies, cache=cache, edits=edits
    )
    if answer.status == "unknown" and llm is not None and not edits:
        proposal = llm.propose(question)
        if proposal:
            proposed = answer_question(
                session,
                question=question,
                access=access,
                today=today,
                vocabularies=vocabularies,
                cache=cache,
                edits=proposal,
                start_empty=True,
            )
            if proposed.status != "unknown":
                answer = proposed.model_copy(update={"proposed_by": "llm"})
    if record:
        session.add(
            AskQuestion(
                username=access.username,
                question=question[:200],
                status=answer.status,
                reading=answer.reading_text,
                answer=answer.text,
                asked_at=utcnow(),
            )
        )
        session.flush()
    return answer


def answer_question(
    session: Session,
    *,
    question: str,
    access: MetricsAccess,
    today: date,
    vocabularies: VocabularyCache,
    cache: AnswerCache | None = None,
    edits: dict[str, str] | None = None,
    start_empty: bool = False,
) -> AskAnswer:
    """How ``question`` reads (with ``edits`` read over its parts; ``start_empty``: only the
    edits, for a proposed reading) and its answer."""
    vocabulary = current(session, vocabularies)

    lookup = enterprise_lookup(session)

    def read(text: str) -> Parse:
        return parser.read(text, vocabulary=vocabulary, today=today, enterprises=lookup)

    p = _merge_edits(Parse() if start_empty else read(question), edits or {}, read)
    base = {
        "question": question,
        "reading": None,
        "parts": [],
        "reading_text": "",
        "figures": [],
        "table": None,
        "definitions": [],
        "link": None,
        "link_label": None,
        "unknown": p.unknown,
        "suggestions": [],
        "choices": [],
        "refusal": None,
    }
    if p.task_words and not p.metric:
        return AskAnswer(
            **base | {"status": "tasks", "text": "这是任务、督办方面的问题，请到“任务”中查询（接口 /api/tasks/ask）。"}
        )
    if p.ambiguous:
        choices = [
            Choice(label=_choice_label(session, t), question=question.replace(p.ambiguous_word, t.name))
            for t in p.ambiguous
        ]
        text = f"“{p.ambiguous_word}”可能指{len(choices)}个对象，请选择：" + "、".join(c.label for c in choices)
        return AskAnswer(**base | {"status": "ambiguous", "text": text, "choices": choices})
    if p.unknown or p.metric is None:
        return _unknown(question, p, vocabulary, base)
    try:
        rng, given = _period(session, p, today)
        reading = _reading(p, rng, given)
        parts = _parts(reading)
        base |= {"reading": reading, "parts": parts, "reading_text": reading_text(parts)}
        _check_data(session, reading, rng, today)
        result = _run(session, p=p, reading=reading, rng=rng, access=access, cache=cache)
    except _Outcome as out:
        return AskAnswer(**base | {"status": out.status, "text": out.text})
    except (NotFound, LouyuError) as exc:
        if isinstance(exc, Invalid):
            return AskAnswer(**base | {"status": "unknown", "text": exc.detail})
        refusal = Refusal(status=exc.status_code, error=exc.error, detail=exc.detail)
        return AskAnswer(**base | {"status": "refused", "text": exc.detail, "refusal": refusal})
    return AskAnswer(**base | {"status": "answered"} | result)


def _choice_label(session: Session, t: Term) -> str:
    if t.kind == "building":
        b = session.get(RmBuilding, t.code)
        if b is not None and b.street_code:
            return f"{t.name}（{street_name(b.street_code)}）"
    return t.name


def _unknown(question: str, p: Parse, vocabulary: parser.Vocabulary, base: dict[str, Any]) -> AskAnswer:
    suggestions: list[str] = []
    for word in p.unknown:
        context = p.contexts.get(word, "")
        wide = context and context in question
        for t in vocabulary.closest(context if wide else word, n=3):
            s = question.replace(context if wide else word, t.name)
            if s != question and s not in suggestions:
                suggestions.append(s)
    if p.metric is None and not p.unknown:
        subject = p.entity.name if p.entity else "全区"
        suggestions += [f"{subject}{w}是多少" for w in ("今年税收", "入驻率", "在楼企业数")]
        text = "没有读出要查哪个指标（如税收、入驻率、空置率、亿元楼宇）。"
    else:
        text = "没有读懂：" + "、".join(f"“{w}”" for w in p.unknown) + "。"
    if suggestions:
        text += "您是不是想问：" + "；".join(suggestions[:3])
    return AskAnswer(**base | {"status": "unknown", "text": text, "suggestions": suggestions[:5]})


def _check_data(session: Session, r: Reading, rng: PeriodRange | RollingRange, today: date) -> None:
    """A period after today, or a money figure for a year without any figure: say so."""
    last = rng.end if isinstance(rng, RollingRange) else rng
    if last.start_date > today:
        raise _Outcome("out_of_data", f"{rng.label}尚未到来，没有数据。")
    metric = r.metric or ""
    money_like = metric in FLOW or metric.endswith("_buildings") and r.tier or metric.startswith("tax")
    if money_like and queries.latest_month(session, last.year) is None:
        latest = views.latest_data_month(session)
        hint = f"有数据的最近月份是{int(latest[:4])}年{int(latest[5:7])}月。" if latest else "目前还没有任何税收数据。"
        raise _Outcome("out_of_data", f"{last.year}年还没有税收数据，无法回答。{hint}")


def _run(
    session: Session,
    *,
    p: Parse,
    reading: Reading,
    rng: PeriodRange | RollingRange,
    access: MetricsAccess,
    cache: AnswerCache | None,
) -> dict[str, Any]:
    if reading.level == "enterprise":
        return _enterprise(session, reading=reading, rng=rng, access=access)
    if reading.intent in ("count", "list") and reading.tier:
        return _tier(session, reading=reading, rng=_single(rng), access=access, cache=cache)
    if reading.intent in ("rank", "list", "count"):
        return _rows(session, reading=reading, rng=_single(rng), access=access, cache=cache)
    if reading.intent == "trend":
        return _trend(session, reading=reading, rng=_single(rng), access=access, cache=cache)
    return _value(session, reading=reading, rng=rng, access=access, cache=cache)


def _single(rng: PeriodRange | RollingRange) -> PeriodRange:
    if isinstance(rng, RollingRange):
        raise _Outcome("unknown", "近N个月只用于取数（如“近12个月税收”）；列表、排名、计数请说年度、季度或月份。")
    return rng


def _scope(session: Session, access: MetricsAccess, r: Reading) -> kpis.Scope:
    return kpis.scope_for(session, access, level=r.level, code=r.code or None)


def _pick(k: dict[str, Any], metric: str) -> float | None:
    value: Any = k
    for step in KPI_PATHS[metric]:
        value = None if value is None else value.get(step)
    if metric == "vacancy_rate" and value is not None:
        value = max(0.0, round(1 - value, 4))
    return value


def _definitions(*codes: str) -> list[Definition]:
    out = []
    for code in dict.fromkeys(codes):
        d = definition(code)
        out.append(Definition(code=d.code, name=d.name, formula=d.formula, unit=d.unit, period=d.period))
    return out


def _figure(metric: str, value: float | None, label: str | None = None) -> Figure:
    d = definition(metric)
    return Figure(
        label=label or d.name, metric=metric, value=value, unit=d.unit, display=display.of_unit(value, d.unit)
    )


def _link(r: Reading) -> tuple[str, str]:
    period = f"?period={r.period}" if "-R" not in r.period else ""
    if r.level == "building":
        return f"/buildings/{r.code}", f"打开{r.name}的楼宇页"
    if r.level == "street":
        return f"/dashboard/streets/{r.code}{period}", f"打开{r.name}的驾驶舱"
    if r.level == "theme":
        return f"/dashboard/themes/{r.code}{period}", f"打开{r.name}主题的驾驶舱"
    if r.level == "enterprise":
        return f"/enterprises/{r.code}", f"打开{r.name}的企业档案"
    return f"/dashboard{period}", "打开驾驶舱"


def _kpis(
    session: Session, scope: kpis.Scope, rng: PeriodRange, cache: AnswerCache | None, *, with_rank: bool
) -> dict[str, Any]:
    """``kpis.kpis`` as ``GET /kpis`` computes it, kept in the answer cache per scope, range,
    day and data version (a new figure or read-model change makes a new key)."""
    day = occupancy.figures_date(session, rng, None)

    def compute() -> dict[str, Any]:
        return kpis.kpis(session, scope=scope, rng=rng, on=day, with_rank=with_rank)

    if cache is None:
        return compute()
    codes = None if scope.building_codes is None else tuple(scope.building_codes)
    key = ("ask-kpis", scope.level, scope.code, codes, rng.key, day.isoformat(), with_rank, data_version(session))
    return cache.get(key, compute)


def _value(
    session: Session,
    *,
    reading: Reading,
    rng: PeriodRange | RollingRange,
    access: MetricsAccess,
    cache: AnswerCache | None,
) -> dict[str, Any]:
    metric = reading.metric or ""
    if metric not in KPI_PATHS:
        raise _Outcome(
            "unknown",
            f"“{reading.metric_name}”不能按{LEVEL_LABEL[reading.level]}取一个数，请换个问法（如列表、排名）。",
        )
    if metric.startswith("unattributed") and reading.level != "district":
        raise _Outcome("unknown", "未入楼企业的数字只在全区口径出现。")
    scope = _scope(session, access, reading)
    segments = rng.segments() if isinstance(rng, RollingRange) else [(1, rng)]
    if isinstance(rng, RollingRange) and metric not in FLOW:
        raise _Outcome("unknown", f"近N个月只用于税收、营业收入；“{reading.metric_name}”请说年度、季度或月份。")
    signs = [sign for sign, _seg in segments]
    answers = [_kpis(session, scope, seg, cache, with_rank=metric == "tax_rank") for _sign, seg in segments]
    last = answers[-1] if len(answers) == 1 else answers[0]
    value = _signed_sum(signs, [_pick(a, metric) for a in answers]) if metric in FLOW else _pick(last, metric)
    figures = [_figure(metric, value)]
    codes = [metric]
    subject = f"{reading.name}{reading.period_label.split('（问题未说')[0]}"
    d = definition(metric)
    if metric == "tax_rank":
        of = (last.get("rank") or {}).get("district") or {}
        text = (
            f"{subject}全口径税收在全区排第{value}名（共{of.get('of')}个）。" if value else f"{subject}没有税收排名。"
        )
    else:
        status_note = ""
        if reading.level == "building" and last.get("figures_status") in ("not_reported", "under_construction"):
            status_note = f"（该楼宇为{last.get('figures_status_label')}，不计入比率）"
        text = f"{subject}的{d.name}为{display.of_unit(value, d.unit)}{status_note}。"
    if reading.compare == "yoy":
        if metric not in YOY_METRICS:
            raise _Outcome("unknown", f"同比只用于全口径税收、区级税收和营业收入，“{d.name}”没有同比。")
        prev = _signed_sum(signs, [a["yoy"][metric]["previous"] for a in answers])
        if len(answers) == 1:
            rate = answers[0]["yoy"][metric]["rate"]
            change = answers[0]["yoy"][metric]["change"]
        else:
            change = None if value is None or prev is None else round(value - prev, 2)
            rate = None if change is None or not prev else round(change / prev, 4)
        figures += [
            _figure("yoy_previous", prev, "上年同期"),
            _figure("yoy_change", change, "同比增减额"),
            _figure("yoy_rate", rate, "同比增速"),
        ]
        codes += ["yoy_previous", "yoy_change", "yoy_rate"]
        moved = "增加" if (change or 0) >= 0 else "减少"
        amount = display.money(None if change is None else abs(change))
        text += f"上年同期{display.money(prev)}，同比{display.change(rate)}（{moved}{amount}）。"
    link, label = _link(reading)
    return {"text": text, "figures": figures, "definitions": _definitions(*codes), "link": link, "link_label": label}


def _signed_sum(signs: list[int], values: list[float | None]) -> float | None:
    """Σ sign × value to the fen (None when no part has a figure)."""
    if all(v is None for v in values):
        return None
    return round(sum(sign * (v or 0) for sign, v in zip(signs, values, strict=True)), 2)


def _tier(
    session: Session, *, reading: Reading, rng: PeriodRange, access: MetricsAccess, cache: AnswerCache | None
) -> dict[str, Any]:
    tier_rng = rng if rng.kind in ("year", YTD) else PeriodRange(YTD, rng.year, 1, rng.last_month)
    scope = _scope(session, access, reading)
    visible = cache_scope(access)
    key = ("ask-tiers", tier_rng.key, visible, data_version(session))
    answer = (
        views.tiers(session, access=access, rng=tier_rng)
        if cache is None
        else cache.get(key, lambda: views.tiers(session, access=access, rng=tier_rng))
    )
    items = {i["key"]: i for i in answer["items"]} | {"yueyi": answer["monthly_yi"]}
    item = items[reading.tier or ""]
    allowed = None if scope.building_codes is None else set(scope.building_codes)
    members = [b for b in item["buildings"] if allowed is None or b["code"] in allowed]
    label = item["label"]
    subject = f"{reading.name}{tier_rng.label}"
    note = "" if tier_rng is rng else f"（分档按年初至今计：{tier_rng.label}）"
    names = "、".join(b["name"] for b in members[:20]) + ("等" if len(members) > 20 else "")
    text = f"{subject}{label}{len(members)}栋{note}" + (f"：{names}。" if members else "。")
    metric = reading.metric or ""
    rows = [
        TableRow(code=b["code"], name=b["name"], link=f"/buildings/{b['code']}", cells=[], values=[]) for b in members
    ]
    table = AnswerTable(columns=[TableColumn(key="name", label="楼宇")], rows=rows, total=len(members))
    link, link_label = _link(reading)
    return {
        "text": text,
        "figures": [_figure(metric, float(len(members)), label)],
        "table": table,
        "definitions": _definitions(metric),
        "link": link,
        "link_label": link_label,
    }


def _row_value(row: dict[str, Any], metric: str) -> float | None:
    if metric == "vacancy_rate":
        rate = row.get("occupancy_rate")
        return None if rate is None else max(0.0, round(1 - rate, 4))
    if metric == "yoy":
        return row.get("yoy")
    return row.get(metric)


def _rows(
    session: Session, *, reading: Reading, rng: PeriodRange, access: MetricsAccess, cache: AnswerCache | None
) -> dict[str, Any]:
    metric = reading.metric or ""
    if reading.rows == "street":
        if metric not in STREET_ROW_METRICS:
            raise _Outcome(
                "unknown", f"各街道的列表没有“{reading.metric_name}”，可问税收、入驻率、空置率、在楼企业数。"
            )
        rows = views.streets(session, access=access, rng=rng, cache=cache)["items"]
        link_of = lambda code: f"/dashboard/streets/{code}?period={rng.key}"  # noqa: E731
    else:
        if metric not in ROW_METRICS:
            raise _Outcome(
                "unknown", f"楼宇排行没有“{reading.metric_name}”，可问税收、坪效、入驻率、空置率、在楼企业数。"
            )
        filters = {"street": None, "theme": None, "zone": None}
        if reading.level in filters:
            filters[reading.level] = reading.code
        elif reading.level != "district":
            raise _Outcome("unknown", "列表、排名只能按全区、街道、功能区或特色主题来列。")
        rows = kpis.building_rows(session, access=access, rng=rng, cache=cache, **filters)
        link_of = lambda code: f"/buildings/{code}"  # noqa: E731
    sort_key = "yoy" if reading.compare == "yoy" and metric in ("tax_total",) else metric
    if reading.rows == "building" and (STOCK_RATES & {metric, reading.filter_metric or ""}):
        # 在建 and 未填报 buildings are outside occupancy, vacancy and 坪效 (指标口径).
        rows = [r for r in rows if r.get("figures_status") in (None, "reported")]
    if reading.filter_metric:
        threshold = reading.filter_value or 0.0
        keep = []
        for row in rows:
            v = _row_value(row, reading.filter_metric)
            if v is not None and (v >= threshold if reading.filter_op == "gt" else v < threshold):
                keep.append(row)
        rows = keep
    ordered = sorted(
        rows,
        key=lambda r: (
            _row_value(r, sort_key) is None,
            (_row_value(r, sort_key) or 0) * (1 if reading.order == "asc" else -1),
            r["code"],
        ),
    )
    d = definition("tax_total_yoy" if sort_key == "yoy" else metric)
    shown = ordered if reading.intent in ("list", "count") else ordered[: reading.limit or DEFAULT_RANK]
    columns = [
        TableColumn(key="name", label="街道" if reading.rows == "street" else "楼宇"),
        TableColumn(key=d.code, label=d.name, metric=d.code),
    ]
    unit = "比率" if sort_key == "yoy" else d.unit
    table_rows = []
    for row in shown:
        v = _row_value(row, sort_key)
        cell = display.change(v) if sort_key == "yoy" else display.of_unit(v, unit)
        table_rows.append(
            TableRow(
                code=row["code"],
                name=row["name"],
                link=link_of(row["code"]),
                cells=[row["name"], cell],
                values=[None, v],
            )
        )
    table = AnswerTable(columns=columns, rows=table_rows, total=len(ordered))
    where = reading.name if reading.level != "district" else "全区"
    what = "街道" if reading.rows == "street" else "楼宇"
    if reading.intent == "count":
        text = f"{where}{rng.label}{_filter_text(reading)}的{what}有{len(ordered)}个。"
        figures = [
            Figure(
                label=f"{what}数", metric="buildings", value=float(len(ordered)), unit="栋", display=f"{len(ordered)}个"
            )
        ]
    elif reading.intent == "list":
        cond = _filter_text(reading) if reading.filter_metric else d.name
        text = f"{where}{rng.label}{cond}的{what}共{len(ordered)}个" + (
            "："
            + "、".join(f"{r.name}（{r.cells[1]}）" for r in table_rows[:10])
            + ("等。" if len(table_rows) > 10 else "。")
            if table_rows
            else "。"
        )
        figures = [
            Figure(
                label=f"{what}数", metric="buildings", value=float(len(ordered)), unit="栋", display=f"{len(ordered)}个"
            )
        ]
    else:
        direction = "最低" if reading.order == "asc" else "最高"
        top = table_rows[0] if table_rows else None
        text = (
            f"{where}{rng.label}{d.name}{direction}的{what}是{top.name}（{top.cells[1]}）；前{len(table_rows)}名见下表。"
            if top
            else f"{where}{rng.label}没有可排名的{what}。"
        )
        figures = [_figure(d.code, top.values[1] if top else None, f"{top.name if top else ''}{d.name}")]
    codes = [d.code] + ([reading.filter_metric] if reading.filter_metric else [])
    link = f"/dashboard?period={rng.key}" if reading.level == "district" else _link(reading)[0]
    return {
        "text": text,
        "figures": figures,
        "table": table,
        "definitions": _definitions(*codes),
        "link": link,
        "link_label": "打开驾驶舱" if reading.level == "district" else _link(reading)[1],
    }


def _trend(
    session: Session, *, reading: Reading, rng: PeriodRange, access: MetricsAccess, cache: AnswerCache | None
) -> dict[str, Any]:
    metric = reading.metric or ""
    if metric not in YOY_METRICS:
        raise _Outcome(
            "unknown", f"逐月走势只用于全口径税收、区级税收和营业收入，“{reading.metric_name}”请问某一期的数。"
        )
    scope = _scope(session, access, reading)
    months = set(rng.month_keys())
    codes = None if scope.building_codes is None else tuple(scope.building_codes)

    def monthly() -> list[dict[str, Any]]:
        return kpis.monthly_rows(
            session, year=rng.year, building_codes=scope.building_codes, include_unattributed=scope.include_unattributed
        )

    key = ("ask-monthly", rng.year, codes, scope.include_unattributed, data_version(session))
    rows = [r for r in (monthly() if cache is None else cache.get(key, monthly)) if r["period"] in months]
    d = definition(metric)
    prev_key = (
        "previous_tax_total" if metric == "tax_total" else "previous_tax_district" if metric == "tax_district" else None
    )
    columns = [TableColumn(key="period", label="月份"), TableColumn(key=metric, label=d.name, metric=metric)]
    if prev_key:
        columns.append(TableColumn(key=prev_key, label="上年同月", metric="yoy_previous"))
    table_rows = []
    for r in rows:
        values: list[float | None] = [None, r[metric]] + ([r[prev_key]] if prev_key else [])
        label = f"{int(r['period'][:4])}年{int(r['period'][5:])}月"
        cells = [label, display.money(r[metric])] + ([display.money(r[prev_key])] if prev_key else [])
        table_rows.append(TableRow(code=r["period"], name=label, link=_link(reading)[0], cells=cells, values=values))
    total = None if all(r[metric] is None for r in rows) else round(sum(r[metric] or 0 for r in rows), 2)
    text = f"{reading.name}{rng.label}{d.name}逐月如下表，合计{display.money(total)}。"
    link, label = _link(reading)
    return {
        "text": text,
        "figures": [_figure(metric, total, f"{d.name}合计")],
        "table": AnswerTable(columns=columns, rows=table_rows, total=len(table_rows)),
        "definitions": _definitions(metric),
        "link": link,
        "link_label": label,
    }


def _enterprise(
    session: Session, *, reading: Reading, rng: PeriodRange | RollingRange, access: MetricsAccess
) -> dict[str, Any]:
    """An enterprise's figures attributed to the buildings it occupies (the building enterprise
    lists of ``/buildings/{code}/enterprises``), for a caller who may read those buildings."""
    access.require_enterprises()
    metric = reading.metric or ""
    if metric not in ENTERPRISE_METRICS:
        raise _Outcome(
            "unknown", f"企业只能问税收和营业收入（归属各楼宇的部分），“{reading.metric_name}”是楼宇或区域的指标。"
        )
    segments = rng.segments() if isinstance(rng, RollingRange) else [(1, rng)]
    stays = session.scalars(
        select(RmOccupancy.building_code)
        .where(RmOccupancy.credit_code == reading.code, RmOccupancy.deleted.is_(False))
        .distinct()
        .order_by(RmOccupancy.building_code)
    ).all()
    readable = []
    for code in stays:
        try:
            readable.append(access.get_building(session, code))
        except NotFound:
            continue
    if stays and not readable:
        access.get_building(session, stays[0])  # the refusal the building routes give
    rows = []
    total: float | None = None
    for building in readable:
        value: float | None = None
        for sign, seg in segments:
            for row in kpis.top_taxpayers(session, building_code=building.code, rng=seg):
                if row["credit_code"] == reading.code and row[metric] is not None:
                    value = (value or 0) + sign * row[metric]
        if value is not None:
            total = round((total or 0) + value, 2)
        rows.append(
            TableRow(
                code=building.code,
                name=building.name,
                link=f"/buildings/{building.code}",
                cells=[building.name, display.money(value)],
                values=[None, value],
            )
        )
    d = definition(metric)
    where = "、".join(b.name for b in readable) or "（不在任何楼宇）"
    period = reading.period_label.split("（问题未说")[0]
    text = f"{reading.name}在{where}；{period}归属楼宇的{d.name}为{display.money(total)}。"
    table = AnswerTable(
        columns=[TableColumn(key="name", label="楼宇"), TableColumn(key=metric, label=d.name, metric=metric)],
        rows=rows,
        total=len(rows),
    )
    link, label = _link(reading)
    return {
        "text": text,
        "figures": [_figure(metric, total)],
        "table": table,
        "definitions": _definitions(metric, "attribution_share"),
        "link": link,
        "link_label": label,
    }


# ----- history, unanswered, synonyms -----------------------------------------------------------


def history(
    session: Session, *, username: str | None, statuses: tuple[str, ...] = (), limit: int = 50
) -> tuple[list[AskQuestion], int]:
    """Questions, newest first: one user's (``username``) or everyone's with ``statuses``."""
    stmt = select(AskQuestion)
    if username is not None:
        stmt = stmt.where(AskQuestion.username == username)
    if statuses:
        stmt = stmt.where(AskQuestion.status.in_(statuses))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    return list(session.scalars(stmt.order_by(AskQuestion.asked_at.desc(), AskQuestion.id.desc()).limit(limit))), total


def synonym_meaning(session: Session, row: AskSynonym) -> str:
    themes = dict(session.execute(select(RmTheme.code, RmTheme.name)).all())
    building = session.get(RmBuilding, row.code) if row.kind == "building" else None
    term = resolve_synonym(
        row.kind, row.code, themes=themes, buildings={building.code: building.name} if building else {}
    )
    return term.name if term else ""


def add_synonym(session: Session, *, data: SynonymCreate, actor: str) -> AskSynonym:
    word = parser.normalise(data.word)
    themes = dict(session.execute(select(RmTheme.code, RmTheme.name)).all())
    building = session.get(RmBuilding, data.code) if data.kind == "building" else None
    buildings = {building.code: building.name} if building is not None and not building.deleted else {}
    if data.kind == "zone" and not session.scalar(select(RmBuilding.code).where(RmBuilding.zone == data.code).limit(1)):
        message = f"功能区“{data.code}”不存在"
        raise Invalid(message, fields=[{"field": "code", "message": message}])
    if resolve_synonym(data.kind, data.code, themes=themes, buildings=buildings) is None:
        message = f"代码“{data.code}”不是已知的{_KIND_NAMES[data.kind]}"
        raise Invalid(message, fields=[{"field": "code", "message": message}])
    if session.scalar(select(AskSynonym.id).where(AskSynonym.word == word)):
        raise Conflict(f"说法“{word}”已存在", error="SynonymExists")
    row = AskSynonym(word=word, kind=data.kind, code=data.code, created_by=actor, created_at=utcnow())
    session.add(row)
    session.flush()
    return row


def delete_synonym(session: Session, *, synonym_id: int) -> None:
    row = session.get(AskSynonym, synonym_id)
    if row is None:
        raise NotFound(f"同义词 {synonym_id} 不存在", error="SynonymNotFound")
    session.delete(row)
    session.flush()


_KIND_NAMES = {
    "metric": "指标",
    "tier": "分档",
    "street": "街道",
    "zone": "功能区",
    "theme": "特色主题",
    "building": "楼宇",
}


def list_synonyms(session: Session) -> list[AskSynonym]:
    return list(session.scalars(select(AskSynonym).order_by(AskSynonym.word)))
