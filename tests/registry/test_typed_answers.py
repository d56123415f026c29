"""Typed answers: each converted route has a named schema, and the model keeps every key the service builds.

A route's answer is checked against the dict its service function built for the same call: the
response model must not drop a key (the SPA reads them) nor invent one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.encoders import jsonable_encoder
from fastapi.testclient import TestClient

from tests.registry.conftest import BUREAU, new_building, new_space


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


@pytest.fixture
def capture(monkeypatch: pytest.MonkeyPatch) -> Iterator[Capture]:
    yield Capture(monkeypatch)


def _same_keys(answer: Any, built: Any, where: str = "$") -> None:
    """Every key the service built is in the answer with the same value, and the answer adds none."""
    built = jsonable_encoder(built)
    if isinstance(built, dict):
        assert isinstance(answer, dict), where
        assert set(answer) == set(built), (
            f"{where}: missing {set(built) - set(answer)}, extra {set(answer) - set(built)}"
        )
        for key, value in built.items():
            _same_keys(answer[key], value, f"{where}.{key}")
    elif isinstance(built, list):
        assert isinstance(answer, list) and len(answer) == len(built), where
        for i, (a, b) in enumerate(zip(answer, built, strict=True)):
            _same_keys(a, b, f"{where}[{i}]")
    elif isinstance(built, float) and isinstance(answer, int | float):
        assert answer == pytest.approx(built), where
    elif isinstance(built, str) and isinstance(answer, str) and answer != built:
        assert _instant(answer) == _instant(built), where
    else:
        assert answer == built, where


def _instant(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _page(answer: dict[str, Any], items: list[Any]) -> None:
    _same_keys(answer["items"], items, "$.items")


def _named_schema(client: TestClient, path: str, method: str) -> None:
    doc = client.app.openapi()  # type: ignore[attr-defined]
    op = doc["paths"][path][method]
    code = "201" if "201" in op["responses"] else "200"
    schema = op["responses"][code]["content"]["application/json"]["schema"]
    ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
    assert ref, f"{method.upper()} {path}: untyped answer {schema}"
    name = ref.rsplit("/", 1)[-1]
    props = doc["components"]["schemas"][name].get("properties")
    assert props, f"{method.upper()} {path}: {name} has no declared fields"


Check = Callable[[TestClient, str, str], None]


def test_buildings_answers_are_typed_and_keep_every_key(registry: TestClient, capture: Capture) -> None:
    from registry.buildings import service

    capture.wrap(service, "read_model")
    created = new_building(registry, "中交大厦", chief_phone="13812345678")
    _same_keys(created, capture.last())
    code = created["code"]
    got = registry.get(f"/api/registry/buildings/{code}", headers=BUREAU)
    _same_keys(got.json(), capture.last())
    patched = registry.patch(
        f"/api/registry/buildings/{code}",
        json={"zone": "中北路"},
        headers={**BUREAU, "If-Match": got.headers["ETag"]},
    )
    assert patched.status_code == 200, patched.text
    _same_keys(patched.json(), capture.last())

    capture.wrap(service, "list_page")
    listed = registry.get("/api/registry/buildings", headers=BUREAU)
    assert listed.status_code == 200, listed.text
    _page(listed.json(), capture.last()[0])

    for path, method in [
        ("/api/registry/buildings", "get"),
        ("/api/registry/buildings", "post"),
        ("/api/registry/buildings/{code}", "get"),
        ("/api/registry/buildings/{code}", "patch"),
    ]:
        _named_schema(registry, path, method)


def test_spaces_answers_are_typed_and_keep_every_key(registry: TestClient, capture: Capture) -> None:
    from registry.spaces import service

    code = new_building(registry)["code"]
    capture.wrap(service, "read_model")
    created = new_space(registry, code)
    _same_keys(created, capture.last())
    got = registry.get(f"/api/registry/spaces/{created['id']}", headers=BUREAU)
    _same_keys(got.json(), capture.last())
    patched = registry.patch(
        f"/api/registry/spaces/{created['id']}",
        json={"asking_rent": 80},
        headers={**BUREAU, "If-Match": got.headers["ETag"]},
    )
    assert patched.status_code == 200, patched.text
    _same_keys(patched.json(), capture.last())
    capture.seen.clear()
    listed = registry.get(f"/api/registry/buildings/{code}/spaces", headers=BUREAU)
    _same_keys(listed.json(), capture.seen)

    capture.wrap(service, "available")
    avail = registry.get("/api/registry/spaces/available", headers=BUREAU)
    assert avail.status_code == 200, avail.text
    _page(avail.json(), capture.last()[0])

    for path, method in [
        ("/api/registry/spaces/available", "get"),
        ("/api/registry/buildings/{code}/spaces", "get"),
        ("/api/registry/buildings/{code}/spaces", "post"),
        ("/api/registry/spaces/{space_id}", "get"),
        ("/api/registry/spaces/{space_id}", "patch"),
    ]:
        _named_schema(registry, path, method)
