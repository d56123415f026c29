"""Row-by-row checks of incoming figures, done in bulk and in memory.

Every problem becomes a ``Rejection`` naming the row (as the sender counts it: the position in
``rows`` from 1, or the Excel row of an upload), the field and the reason in Chinese. A row with
any problem is not stored; the other rows are. The same (credit code, period, kind) twice in one
batch is refused from its second occurrence on, so a batch never contradicts itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from louyu_kit import uscc
from metrics.facts.models import KIND_LABELS, KINDS
from metrics.facts.periods import PeriodError, parse_period

FIELD_LABELS = {
    "credit_code": "统一社会信用代码",
    "period": "期间",
    "kind": "指标",
    "value": "数值",
}
# Accepted spellings of a kind: the code, its Chinese label, and the words clerks use.
KIND_ALIASES: dict[str, str] = {k: k for k in KINDS} | {label: k for k, label in KIND_LABELS.items()}
KIND_ALIASES |= {
    "全口径": "tax_total",
    "税收": "tax_total",
    "全口径税收(元)": "tax_total",
    "区级": "tax_district",
    "区级税收(元)": "tax_district",
    "地方税收": "tax_district",
    "营收": "revenue",
    "营业收入(元)": "revenue",
    "从业人数": "employees",
    "员工人数": "employees",
}
ONE_YI = Decimal(100_000_000)
# Plausible bounds per kind (yuan, or people). Tax may be negative: refunds (退税) exceed a month's tax.
RANGES: dict[str, tuple[Decimal, Decimal, str]] = {
    "tax_total": (Decimal(-100) * ONE_YI, Decimal(1000) * ONE_YI, "税收应在 -100亿 至 1000亿 元之间（单位：元）"),
    "tax_district": (Decimal(-100) * ONE_YI, Decimal(1000) * ONE_YI, "税收应在 -100亿 至 1000亿 元之间（单位：元）"),
    "revenue": (Decimal(0), Decimal(100_000) * ONE_YI, "营业收入应在 0 至 10万亿 元之间（单位：元）"),
    "employees": (Decimal(0), Decimal(2_000_000), "从业人员应在 0 至 200万 人之间"),
}
MAX_ROWS = 50_000
# Already normalised (what a bureau system sends): no need to clean it up character by character.
_CANONICAL_CODE = re.compile(f"[{uscc.ALPHABET}]{{18}}")


@dataclass(frozen=True)
class Rejection:
    row: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


class ValidRow(NamedTuple):
    row: int
    credit_code: str
    period: str
    period_kind: str
    kind: str
    value: Decimal


@dataclass
class Checked:
    valid: list[ValidRow]
    rejected: list[Rejection]
    rows_total: int

    @property
    def rejected_rows(self) -> int:
        return len({r.row for r in self.rejected})


class _CodeCache:
    """USCC verdicts per distinct raw text: a bureau file repeats each code for every month."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[str, str | None]] = {}

    def check(self, raw: str) -> tuple[str, str | None]:
        hit = self._seen.get(raw)
        if hit is None:
            code = raw if _CANONICAL_CODE.fullmatch(raw) else uscc.normalise(raw)
            hit = (code, uscc.problem(code) if code else "必须填写")
            self._seen[raw] = hit
        return hit


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    return None


def _value(raw: Any, kind: str | None) -> tuple[Decimal | None, str | None]:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, "必须填写"
    if isinstance(raw, bool):
        return None, "应为数字"
    if isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))
    elif isinstance(raw, str):
        text = raw.strip().replace(",", "").replace("，", "").replace(" ", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None, f"“{raw[:30]}”不是数字"
    else:
        return None, "应为数字"
    if not number.is_finite():
        return None, "应为有限的数字"
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and number != number.quantize(Decimal("0.01")):
        return None, "最多保留两位小数（单位：元）"
    if kind is not None:
        low, high, message = RANGES[kind]
        if not low <= number <= high:
            return None, f"数值 {number} 超出范围：{message}"
        if kind == "employees" and number != number.to_integral_value():
            return None, "从业人员应为整数"
    return number.quantize(Decimal("0.01")), None


def _fast_value(raw: Any, kind: str) -> Decimal | None:
    """The common case (a plain number within range) without building reasons; None → full check."""
    low, high, _ = RANGES[kind]
    kind_of_raw = type(raw)
    if kind_of_raw is int:
        return Decimal(raw) if low <= raw <= high else None
    if kind_of_raw is float:
        number = Decimal(repr(raw))
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= -2 and low <= number <= high:
            return number if kind != "employees" or exponent >= 0 or number == number.to_integral_value() else None
    return None


def check_rows(rows: Iterable[tuple[int, Any]], *, current_year: int) -> Checked:
    """Check ``(row number, row)`` pairs; rows are mappings with credit_code, period, kind, value.

    Well-formed rows take a fast path (cached verdicts per distinct code and period text); any
    row that fails it is checked again field by field to say everything that is wrong with it."""
    codes = _CodeCache()
    periods: dict[str, tuple[str, str] | str] = {}
    first_row: dict[tuple[str, str, str], int] = {}
    valid: list[ValidRow] = []
    rejected: list[Rejection] = []
    total = 0
    for number, row in rows:
        total += 1
        if type(row) is dict:
            raw_code, raw_period, raw_kind = row.get("credit_code"), row.get("period"), row.get("kind")
            if type(raw_code) is str and type(raw_period) is str and type(raw_kind) is str:
                code, code_problem = codes.check(raw_code)
                parsed = periods.get(raw_period)
                if parsed is None:
                    parsed = _parse(raw_period, current_year)
                    periods[raw_period] = parsed
                kind = KIND_ALIASES.get(raw_kind)
                if code_problem is None and type(parsed) is tuple and kind is not None:
                    value = _fast_value(row.get("value"), kind)
                    if value is not None:
                        key = (code, parsed[0], kind)
                        if key not in first_row:
                            first_row[key] = number
                            valid.append(ValidRow(number, code, parsed[0], parsed[1], kind, value))
                            continue
        checked = _check_one(number, row, codes=codes, periods=periods, first_row=first_row, current_year=current_year)
        if isinstance(checked, ValidRow):
            valid.append(checked)
        else:
            rejected.extend(checked)
    return Checked(valid=valid, rejected=rejected, rows_total=total)


def _parse(raw_period: str, current_year: int) -> tuple[str, str] | str:
    """A canonical (period, period_kind), or the Chinese reason it cannot be read."""
    if not raw_period.strip():
        return "必须填写，如 2025-06、2025-Q2 或 2025"
    try:
        return parse_period(raw_period, current_year=current_year)
    except PeriodError as exc:
        return str(exc)


def _check_one(
    number: int,
    row: Any,
    *,
    codes: _CodeCache,
    periods: dict[str, tuple[str, str] | str],
    first_row: dict[tuple[str, str, str], int],
    current_year: int,
) -> ValidRow | list[Rejection]:
    """One row field by field: the stored row, or every problem it has."""
    if not isinstance(row, dict):
        return [Rejection(number, "", f"第 {number} 行应为对象（含 credit_code、period、kind、value）")]
    problems: list[tuple[str, str]] = []

    raw_code = _text(row.get("credit_code"))
    code = ""
    if raw_code is None:
        problems.append(("credit_code", "必须填写（文本）" if row.get("credit_code") is None else "应为文本"))
    else:
        code, problem = codes.check(raw_code)
        if problem:
            problems.append(("credit_code", problem))

    raw_period = _text(row.get("period"))
    period = period_kind = ""
    if raw_period is None:
        problems.append(("period", "必须填写，如 2025-06、2025-Q2 或 2025"))
    else:
        parsed = periods.get(raw_period)
        if parsed is None:
            parsed = _parse(raw_period, current_year)
            periods[raw_period] = parsed
        if isinstance(parsed, str):
            problems.append(("period", parsed))
        else:
            period, period_kind = parsed

    raw_kind = row.get("kind")
    kind = KIND_ALIASES.get(raw_kind.strip()) if isinstance(raw_kind, str) else None
    if kind is None:
        allowed = "、".join(f"{k}（{KIND_LABELS[k]}）" for k in KINDS)
        shown = f"“{str(raw_kind)[:30]}”" if raw_kind not in (None, "") else "空"
        problems.append(("kind", f"指标{shown}不认识，应为 {allowed}"))

    value, value_problem = _value(row.get("value"), kind)
    if value_problem:
        problems.append(("value", value_problem))

    if not problems and kind is not None and value is not None:
        key = (code, period, kind)
        earlier = first_row.get(key)
        if earlier is None:
            first_row[key] = number
            return ValidRow(number, code, period, period_kind, kind, value)
        problems.append(("credit_code", f"与第 {earlier} 行重复（同一企业、期间、指标在一批中只能出现一次）"))
    return [
        Rejection(number, field, f"第 {number} 行 {FIELD_LABELS.get(field, field)}：{message}")
        for field, message in problems
    ]
