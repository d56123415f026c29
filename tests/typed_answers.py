"""Shared checks for typed answers: a route's answer keeps every key its service function built
(no key dropped by the response model, none invented), and OpenAPI names a schema for it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from fastapi.encoders import jsonable_encoder
from fastapi.testclient import TestClient


class Capture:
    """Records what a service function returned during one request."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._mp = monkeypatch
        self.seen: list[Any] = []

    def wrap(self, owner: Any, name: str) -> None:
        original = getattr(owner, name)

        def recording(*args: Any, **kwargs: Any) -> Any:
            value = original(*args, **kwargs)
            self.seen.append(value)
            return value

        self._mp.setattr(owner, name, recording)

    def last(self) -> Any:
        assert self.seen, "the service function was not called"
        return self.seen[-1]


def same_keys(answer: Any, built: Any, where: str = "$") -> None:
    """Every key the service built is in the answer with the same value, and the answer adds none."""
    if hasattr(built, "__table__"):
        # An ORM row read through ``from_attributes``: the model picks its fields; each must be the row's.
        assert isinstance(answer, dict), where
        for key, value in answer.items():
            same_keys(value, getattr(built, key), f"{where}.{key}")
        return
    if isinstance(built, list | tuple):
        assert isinstance(answer, list) and len(answer) == len(built), where
        for i, (a, b) in enumerate(zip(answer, built, strict=True)):
            same_keys(a, b, f"{where}[{i}]")
        return
    if isinstance(built, dict):
        # Key by key, so an ORM row inside (an attachment on a timeline entry) is still read as a row.
        assert isinstance(answer, dict), where
        assert set(answer) == set(built), (
            f"{where}: missing {set(built) - set(answer)}, extra {set(answer) - set(built)}"
        )
        for key, value in built.items():
            same_keys(answer[key], value, f"{where}.{key}")
        return
    built = jsonable_encoder(built)
    if isinstance(built, dict | list):
        same_keys(answer, built, where)
    elif isinstance(built, float) and isinstance(answer, int | float):
        assert answer == pytest.approx(built), where
    elif isinstance(built, int | float) and isinstance(answer, str):
        # A Decimal: pydantic writes it as a string, jsonable_encoder as a number.
        assert Decimal(answer) == Decimal(str(built)), where
    elif isinstance(built, str) and isinstance(answer, str) and answer != built:
        assert _instant(answer) == _instant(built), where
    else:
        assert answer == built, where


def _instant(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def page_keys(answer: dict[str, Any], items: list[Any]) -> None:
    same_keys(answer["items"], items, "$.items")


def named_schema(client: TestClient, path: str, method: str) -> None:
    doc = client.app.openapi()  # type: ignore[attr-defined]
    op = doc["paths"][path][method]
    typed = [op["responses"][c] for c in ("201", "200") if "content" in op["responses"].get(c, {})]
    assert typed, f"{method.upper()} {path}: no 200/201 answer body"
    schema = typed[0]["content"]["application/json"]["schema"]
    ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
    assert ref, f"{method.upper()} {path}: untyped answer {schema}"
    name = ref.rsplit("/", 1)[-1]
    props = doc["components"]["schemas"][name].get("properties")
    assert props, f"{method.upper()} {path}: {name} has no declared fields"
