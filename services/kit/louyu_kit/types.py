"""Input types every service shares: ids within the database's range, free text without
control or invisible characters, codes by pattern, nullable numbers.

Ids are 64-bit in the databases: a larger number is refused with a Chinese 422 before it
reaches SQL (SQLite raises ``OverflowError`` and PostgreSQL an out-of-range error, both 500s).

Free text may hold any printable character. Refused with a message naming the field: C0/C1
control characters (NUL, ESC …), format characters (right-to-left override, zero-width
space and joiner, BOM …), line and paragraph separators, surrogates and private-use code
points. Multi-line fields (notes, bodies) also accept line feeds, carriage returns and tabs.
Request models derive from :class:`InputModel`, which applies the rule to every string it
holds (lists included); the same rule checks the cells of imported files
(:func:`text_problem`).
"""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, ClassVar
from urllib.parse import quote

from annotated_types import Ge, Le
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from louyu_kit.errors import Invalid
from louyu_kit.logs import escape_control

MAX_ID = 2**63 - 1

# Path, query and body ids: a positive 64-bit integer.
Id = Annotated[int, Ge(1), Le(MAX_ID)]

_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}
_MULTILINE_ALLOWED = {"\n", "\r", "\t"}

# Field names that are multi-line wherever they appear (notes, bodies, answers, reasons).
MULTILINE_FIELDS = frozenset(
    {
        "note",
        "notes",
        "body",
        "text",
        "description",
        "reason",
        "response",
        "answer",
        "manual_note",
        "override_reason",
    }
)


def _describe(ch: str) -> str:
    code = f"U+{ord(ch):04X}"
    if ch == "\x00":
        return f"空字符（{code}）"
    if ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f":
        return f"文字方向控制符（{code}）"
    if ch in "\u200b\u200c\u200d\u2060\ufeff":
        return f"零宽字符（{code}）"
    if ch in "\n\r":
        return f"换行符（{code}）"
    return f"控制字符或不可见字符（{code}）"


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why ``value`` is not acceptable free text (a Chinese phrase), or None when it is."""
    for ch in value:
        if ch in _MULTILINE_ALLOWED and multiline:
            continue
        if unicodedata.category(ch) in _REFUSED_CATEGORIES:
            return f"不能包含{_describe(ch)}"
    return None


def check_text(value: str, *, multiline: bool = False, label: str = "") -> str:
    problem = text_problem(value, multiline=multiline)
    if problem is not None:
        raise ValueError(f"{label}{problem}，请删除后重新提交")
    return value


def _single_line(value: str) -> str:
    return check_text(value)


def _multi_line(value: str) -> str:
    return check_text(value, multiline=True)


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


# One line of free text (a name, an address), trimmed; for models that are not InputModels.
Text = Annotated[str, BeforeValidator(_strip), AfterValidator(_single_line)]
# Several lines of free text (a note, a body).
LongText = Annotated[str, BeforeValidator(_strip), AfterValidator(_multi_line)]

# A code made of letters, digits and - _ . (never / or ..): safe in a URL path segment.
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
Code = Annotated[str, BeforeValidator(_strip), Field(min_length=1, max_length=50, pattern=CODE_PATTERN)]


def url_segment(value: object) -> str:
    """``value`` as one path segment of a peer's URL: escaped (``/``, ``?``, ``#``, ``%`` …) and
    never a dot segment, which the URL would resolve (``../changes`` would reach another route)."""
    text = str(value)
    if text in ("", ".", "..") or text_problem(text) is not None:
        raise Invalid(f"编码“{escape_control(text)}”格式不正确")
    return quote(text, safe="")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple | set | frozenset):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, BaseModel):
        return [s for name in type(value).model_fields for s in _strings(getattr(value, name))]
    return []


class InputModel(BaseModel):
    """Base of every request body: each string in it is free text checked by ``text_problem``
    (``multiline_fields`` names the fields that may hold line breaks)."""

    multiline_fields: ClassVar[frozenset[str]] = MULTILINE_FIELDS

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name or ""
        multiline = name in cls.multiline_fields
        for text in _strings(value):
            problem = text_problem(text, multiline=multiline)
            if problem is not None:
                field = cls.model_fields.get(name)
                label = (field.description or "") if field is not None else ""
                label = label.split("（")[0].split("，")[0].split("：")[0].split("、")[0].strip()
                raise ValueError(f"{label}{problem}，请删除后重新提交")
        return value


# ---------------------------------------------------------------------------------------------
# Money: one type on every answer and every input (the 接口说明 in README.md)


def _money_number(value: Decimal) -> float:
    return float(value.quantize(_CENT, rounding=ROUND_HALF_UP))


_CENT = Decimal("0.01")
MONEY_SCHEMA: dict[str, Any] = {
    "type": "number",
    "description": "金额（元，JSON 数字，最多两位小数；在 ±9×10¹³ 元内精确到分）",
}
Money = Annotated[
    Decimal,
    PlainSerializer(_money_number, return_type=float, when_used="json"),
    WithJsonSchema(MONEY_SCHEMA),
]
"""An amount in 元: kept as ``Decimal`` in Python, a JSON number rounded to the cent on the wire
and declared ``type: number`` on input and output alike (a decimal string or number is read)."""
