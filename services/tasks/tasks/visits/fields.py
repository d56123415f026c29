"""Field types and checks shared by the field-work schemas (visits, leads, demands)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field
from sqlalchemy.orm import Session

from louyu_kit.errors import Invalid
from louyu_kit.types import CODE_PATTERN
from tasks.access import resolve_unit_code
from tasks.units.models import Unit


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else _strip(value)


def _phone(value: str | None) -> str:
    if value is None:
        return ""
    text = re.sub(r"[\s-]", "", value)
    if text and not re.fullmatch(r"\+?\d{7,15}", text):
        raise ValueError("电话号码应为7–15位数字（可含区号）")
    return text


def _credit_code(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.upper()
    if not re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{18}", code):
        raise ValueError("统一社会信用代码应为18位数字或大写字母")
    return code


Text = Annotated[str, BeforeValidator(_strip)]
Phone = Annotated[str | None, BeforeValidator(_blank_to_none), AfterValidator(_phone)]
CreditCode = Annotated[str | None, BeforeValidator(_blank_to_none), AfterValidator(_credit_code)]
# Codes go into registry URLs: letters, digits and - _ . only (never "/" or "..").
BuildingCode = Annotated[
    str, BeforeValidator(_strip), Field(min_length=1, max_length=20, pattern=CODE_PATTERN, description="楼宇编码")
]
OptionalBuildingCode = Annotated[
    # The bounds on the string only: on the union they were applied to null too (a 500).
    Annotated[str, Field(max_length=20, pattern=CODE_PATTERN)] | None,
    BeforeValidator(_blank_to_none),
    Field(None, description="楼宇编码"),
]


def resolve_units(session: Session, written: list[str], *, field: str) -> list[str]:
    """Unit codes for codes, names or aliases; an unknown one is a 422 naming the entry."""
    codes: list[str] = []
    for index, value in enumerate(written):
        code = resolve_unit_code(session, value)
        unit = session.get(Unit, code) if code else None
        if unit is None or unit.kind == "collective" or not unit.is_active:
            raise Invalid(
                f"{field} 第 {index + 1} 项“{value}”不是单位目录中的单位",
                fields=[{"field": f"{field}.{index}", "message": "单位目录中没有该单位"}],
            )
        if code not in codes:
            codes.append(unit.code)
    return codes


def resolve_unit(session: Session, written: str | None, *, field: str) -> str | None:
    return resolve_units(session, [written], field=field)[0] if written else None
