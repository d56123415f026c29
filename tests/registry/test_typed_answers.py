"""Typed answers: each converted route has a named schema, and the model keeps every key the service builds.

A route's answer is checked against the dict its service function built for the same call: the
response model must not drop a key (the SPA reads them) nor invent one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.registry.conftest import BUREAU, LEADER, move_in, new_building, new_enterprise, new_space
from tests.typed_answers import Capture, named_schema, page_keys, same_keys


@pytest.fixture
def capture(monkeypatch: pytest.MonkeyPatch) -> Iterator[Capture]:
    yield Capture(monkeypatch)


def test_buildings_answers_are_typed_and_keep_every_key(registry: TestClient, capture: Capture) -> None:
    from registry.buildings import service

    capture.wrap(service, "read_model")
    created = new_building(registry, "中交大厦", chief_phone="13812345678")
    same_keys(created, capture.last())
    code = created["code"]
    got = registry.get(f"/api/registry/buildings/{code}", headers=BUREAU)
    same_keys(got.json(), capture.last())
    patched = registry.patch(
        f"/api/registry/buildings/{code}",
        json={"zone": "中北路"},
        headers={**BUREAU, "If-Match": got.headers["ETag"]},
    )
    assert patched.status_code == 200, patched.text
    same_keys(patched.json(), capture.last())

    capture.wrap(service, "list_page")
    listed = registry.get("/api/registry/buildings", headers=BUREAU)
    assert listed.status_code == 200, listed.text
    page_keys(listed.json(), capture.last()[0])

    for path, method in [
        ("/api/registry/buildings", "get"),
        ("/api/registry/buildings", "post"),
        ("/api/registry/buildings/{code}", "get"),
        ("/api/registry/buildings/{code}", "patch"),
    ]:
        named_schema(registry, path, method)


def test_spaces_answers_are_typed_and_keep_every_key(registry: TestClient, capture: Capture) -> None:
    from registry.spaces import service

    code = new_building(registry)["code"]
    capture.wrap(service, "read_model")
    created = new_space(registry, code)
    same_keys(created, capture.last())
    got = registry.get(f"/api/registry/spaces/{created['id']}", headers=BUREAU)
    same_keys(got.json(), capture.last())
    patched = registry.patch(
        f"/api/registry/spaces/{created['id']}",
        json={"asking_rent": 80},
        headers={**BUREAU, "If-Match": got.headers["ETag"]},
    )
    assert patched.status_code == 200, patched.text
    same_keys(patched.json(), capture.last())
    capture.seen.clear()
    listed = registry.get(f"/api/registry/buildings/{code}/spaces", headers=BUREAU)
    same_keys(listed.json(), capture.seen)

    capture.wrap(service, "available")
    avail = registry.get("/api/registry/spaces/available", headers=BUREAU)
    assert avail.status_code == 200, avail.text
    page_keys(avail.json(), capture.last()[0])

    for path, method in [
        ("/api/registry/spaces/available", "get"),
        ("/api/registry/buildings/{code}/spaces", "get"),
        ("/api/registry/buildings/{code}/spaces", "post"),
        ("/api/registry/spaces/{space_id}", "get"),
        ("/api/registry/spaces/{space_id}", "patch"),
    ]:
        named_schema(registry, path, method)


def test_enterprises_answers_are_typed_and_keep_every_key(registry: TestClient, capture: Capture) -> None:
    from registry.enterprises import service

    capture.wrap(service, "read_model")
    created = new_enterprise(registry, 7)
    same_keys(created, capture.last())
    cc = created["credit_code"]
    got = registry.get(f"/api/registry/enterprises/{cc}", headers=BUREAU)
    assert got.status_code == 200, got.text
    same_keys(got.json(), capture.last())
    patched = registry.patch(
        f"/api/registry/enterprises/{cc}", json={"is_key": True}, headers={**BUREAU, "If-Match": got.headers["ETag"]}
    )
    assert patched.status_code == 200, patched.text
    same_keys(patched.json(), capture.last())

    capture.wrap(service, "list_page")
    listed = registry.get("/api/registry/enterprises", headers=BUREAU)
    assert listed.status_code == 200, listed.text
    page_keys(listed.json(), capture.last()[0])

    for path, method in [
        ("/api/registry/enterprises", "get"),
        ("/api/registry/enterprises", "post"),
        ("/api/registry/enterprises/{credit_code}", "get"),
        ("/api/registry/enterprises/{credit_code}", "patch"),
    ]:
        named_schema(registry, path, method)


def test_occupancy_answers_are_typed_and_keep_every_key(registry: TestClient, capture: Capture) -> None:
    from registry.occupancy import service

    code = new_building(registry)["code"]
    cc = new_enterprise(registry, 8)["credit_code"]
    capture.wrap(service, "read_models")
    created = move_in(registry, cc, code, "2024-01-01", area=300)
    assert created.status_code == 201, created.text
    same_keys(created.json(), capture.last()[0])
    got = registry.get(f"/api/registry/occupancies/{created.json()['id']}", headers=BUREAU)
    assert got.status_code == 200, got.text
    same_keys(got.json(), capture.last()[0])
    for url in (
        f"/api/registry/buildings/{code}/tenants",
        f"/api/registry/buildings/{code}/occupancies",
        f"/api/registry/enterprises/{cc}/occupancies",
    ):
        answer = registry.get(url, headers=BUREAU)
        assert answer.status_code == 200, answer.text
        assert len(answer.json()) == 1, url
        same_keys(answer.json(), capture.last())

    for path, method in [
        ("/api/registry/buildings/{code}/tenants", "get"),
        ("/api/registry/buildings/{code}/occupancies", "get"),
        ("/api/registry/enterprises/{credit_code}/occupancies", "get"),
        ("/api/registry/occupancies", "post"),
        ("/api/registry/occupancies/{occupancy_id}", "get"),
        ("/api/registry/occupancies/{occupancy_id}", "patch"),
        ("/api/registry/occupancies/{occupancy_id}/end", "post"),
        ("/api/registry/occupancies/{occupancy_id}/move", "post"),
    ]:
        named_schema(registry, path, method)


def test_enums_is_one_named_model_with_the_same_answer(registry: TestClient) -> None:
    """/enums keeps the {kind: [{value, label}]} answer the SPA's reference store reads, now as ``Enums``."""
    from registry.buildings.models import OWNERSHIPS, STAGES
    from registry.enterprises.models import HQ_LEVELS
    from registry.spaces.models import SPACE_STATUSES

    got = registry.get("/api/registry/enums", headers=LEADER)
    assert got.status_code == 200, got.text
    mappings = {"stage": STAGES, "ownership": OWNERSHIPS, "space_status": SPACE_STATUSES, "hq_level": HQ_LEVELS}
    assert got.json() == {
        kind: [{"value": value, "label": label} for value, label in mapping.items()]
        for kind, mapping in mappings.items()
    }
    named_schema(registry, "/api/registry/enums", "get")
    doc = registry.app.openapi()  # type: ignore[attr-defined]
    enums = doc["components"]["schemas"]["Enums"]
    assert set(enums["properties"]) == set(mappings)
    assert all(p.get("description") for p in enums["properties"].values())


def test_loading_streets_answers_a_named_count(registry: TestClient) -> None:
    streets = [{"code": "420111001", "name": "珞南街道"}]
    body = {"district_code": "420111", "district_name": "洪山区", "streets": streets}
    loaded = registry.post("/api/registry/streets", json=body, headers=BUREAU)
    assert loaded.status_code == 200, loaded.text
    assert loaded.json() == {"written": 1}
    named_schema(registry, "/api/registry/streets", "post")
