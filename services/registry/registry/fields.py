"""Field types shared by the registry's schemas (validated with Chinese messages)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field


def _phone(value: str | None) -> str:
    if value is None:
        return ""
    text = re.sub(r"[\s-]", "", value)
    if text and not re.fullmatch(r"\+?\d{7,15}", text):
        raise ValueError("电话号码应为7–15位数字（可含区号）")
    return text


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _round_area(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


Text = Annotated[str, BeforeValidator(_strip)]
Phone = Annotated[str | None, AfterValidator(_phone)]
Area = Annotated[float, Field(gt=0, le=10_000_000), AfterValidator(_round_area)]
# The bounds apply to the number only: on the union they would be applied to null too (a 500).
OptionalArea = Annotated[Annotated[float, Field(gt=0, le=10_000_000)] | None, BeforeValidator(_blank_to_none)]
Username = Annotated[
    Annotated[str, Field(max_length=50, pattern=r"^[A-Za-z0-9_.-]+$")] | None,
    BeforeValidator(_blank_to_none),
    Field(description="平台用户登录名"),
]
