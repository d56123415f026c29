"""Issue 14 items 7, 12, 13, 18, 21 against the registry: input a client can send ends in a 4xx
with a Chinese reason, never a 500 (huge ids, nulls, control and bidi characters, ``If-Match:
*``, oversized or misdirected bodies), and API answers are not cached."""

from __future__ import annotations

import pytest

from tests.registry.conftest import BUREAU, credit_code, new_building, new_enterprise, new_space

BIG = 2**63  # one past the largest 64-bit id


def _chinese(resp) -> str:  # type: ignore[no-untyped-def]
    detail = resp.json()["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in detail), detail
    return detail


# ----- item 12: ids beyond 64 bits ---------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/api/registry/spaces/{BIG}"),
        ("PATCH", f"/api/registry/spaces/{BIG}"),
        ("DELETE", f"/api/registry/spaces/{BIG}"),
        ("GET", f"/api/registry/occupancies/{BIG}"),
        ("PATCH", f"/api/registry/occupancies/{BIG}"),
        ("POST", f"/api/registry/occupancies/{BIG}/end"),
        ("GET", f"/api/registry/spaces/{2**64 + 5}"),
    ],
)
def test_ids_beyond_64_bits_are_refused_not_500(registry, method, path):
    resp = registry.request(method, path, json={}, headers={**BUREAU, "If-Match": '"1"'})
    assert resp.status_code in (404, 422), resp.text
    assert "9223372036854775807" in _chinese(resp)


def test_body_ids_beyond_64_bits_are_refused(registry):
    building = new_building(registry)
    enterprise = new_enterprise(registry)
    body = {
        "credit_code": enterprise["credit_code"],
        "building_code": building["code"],
        "start_date": "2025-01-01",
        "spaces": [{"id": 2**64}],
    }
    resp = registry.post("/api/registry/occupancies", json=body, headers=BUREAU)
    assert resp.status_code == 422, resp.text
    assert resp.json()["fields"][0]["field"] == "spaces.0.id"


# ----- item 13: null for a nullable number -------------------------------------------------


@pytest.mark.parametrize("field", ["gfa", "leasable_area"])
def test_null_for_a_nullable_number_is_accepted(registry, field):
    resp = registry.post(
        "/api/registry/buildings", json={"name": "x1大厦", "street_code": "420106001", field: None}, headers=BUREAU
    )
    assert resp.status_code == 201, resp.text
    assert resp.json()[field] is None
    code, version = resp.json()["code"], resp.json()["version"]
    resp = registry.patch(
        f"/api/registry/buildings/{code}", json={field: 1000}, headers={**BUREAU, "If-Match": f'"{version}"'}
    )
    assert resp.status_code == 200, resp.text
    resp = registry.patch(
        f"/api/registry/buildings/{code}", json={field: None}, headers={**BUREAU, "If-Match": f'"{version + 1}"'}
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()[field] is None


def test_a_nullable_number_keeps_its_bounds(registry):
    resp = registry.post(
        "/api/registry/buildings", json={"name": "x1大厦", "street_code": "420106001", "gfa": -5}, headers=BUREAU
    )
    assert resp.status_code == 422
    assert resp.json()["fields"][0]["field"] == "gfa"


# ----- item 18: control, bidi and invisible characters -------------------------------------


@pytest.mark.parametrize(
    "bad", ["中交\x00大厦", "中交\u202e大厦", "中交\u200b大厦", "中交\ufeff大厦", "中交\x1b[31m大厦", "中交\n大厦"]
)
def test_names_refuse_control_and_invisible_characters(registry, bad):
    resp = registry.post("/api/registry/buildings", json={"name": bad, "street_code": "420106001"}, headers=BUREAU)
    assert resp.status_code == 422, resp.text
    detail = _chinese(resp)
    assert "楼宇名称" in detail and "U+" in detail
    assert resp.json()["fields"][0]["field"] == "name"


def test_every_registry_text_field_is_checked(registry):
    building = new_building(registry)
    cases = [
        ("POST", "/api/registry/enterprises", {"credit_code": credit_code(7), "name": "测试\u2066企业有限公司"}),
        ("POST", f"/api/registry/buildings/{building['code']}/spaces", {"floor": 3, "unit": "30\u200d1", "area": 50}),
        ("POST", "/api/registry/buildings", {"name": "好楼", "street_code": "420106001", "aliases": ["别\x07名"]}),
        ("POST", "/api/registry/buildings", {"name": "好楼", "street_code": "420106001", "owner": "产权\u202d单位"}),
    ]
    for method, path, body in cases:
        resp = registry.request(method, path, json=body, headers=BUREAU)
        assert resp.status_code == 422, (path, resp.text)
        assert "不能包含" in _chinese(resp)


def test_line_breaks_are_allowed_in_notes_only(registry):
    building = new_building(registry, note="第一行\n第二行\t（备注）")
    assert building["note"] == "第一行\n第二行\t（备注）"
    space = new_space(registry, building["code"], note="南向\r\n两间")
    assert space["note"] == "南向\r\n两间"
    resp = registry.post(
        "/api/registry/buildings",
        json={"name": "好楼", "street_code": "420106001", "address": "一\n二"},
        headers=BUREAU,
    )
    assert resp.status_code == 422
    assert "换行符" in _chinese(resp)


# ----- item 21: If-Match: * and caching ----------------------------------------------------


def test_if_match_star_is_refused(registry):
    building = new_building(registry)
    resp = registry.patch(
        f"/api/registry/buildings/{building['code']}", json={"zone": "滨江商务区"}, headers={**BUREAU, "If-Match": "*"}
    )
    assert resp.status_code == 428
    assert "ETag" in _chinese(resp)
    assert registry.get(f"/api/registry/buildings/{building['code']}", headers=BUREAU).json()["zone"] == ""


def test_api_answers_are_not_cached(registry):
    building = new_building(registry)
    for path in (f"/api/registry/buildings/{building['code']}", "/api/registry/buildings", "/api/registry/health"):
        assert registry.get(path, headers=BUREAU).headers["cache-control"] == "no-store", path
    # An error answer too, and an answer that chose its own caching keeps it.
    assert registry.get("/api/registry/buildings/nope", headers=BUREAU).headers["cache-control"] == "no-store"


# ----- item 7: bodies are capped before they are read --------------------------------------


def test_an_oversized_json_body_is_refused_by_its_length(registry):
    body = b'{"name": "' + b"x" * (1024 * 1024 + 10) + b'", "street_code": "420106001"}'
    resp = registry.post(
        "/api/registry/buildings", content=body, headers={**BUREAU, "Content-Type": "application/json"}
    )
    assert resp.status_code == 413
    assert "上限" in _chinese(resp)


def test_an_oversized_chunked_body_is_refused_by_counting(registry):
    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"name": "'
        for _ in range(40):
            yield b"x" * 65536
        yield b'", "street_code": "420106001"}'

    resp = registry.post(
        "/api/registry/buildings", content=chunks(), headers={**BUREAU, "Content-Type": "application/json"}
    )
    assert resp.status_code == 413, resp.text
    assert "上限" in _chinese(resp)


def test_a_small_body_still_passes(registry):
    assert new_building(registry)["code"]


def test_files_only_on_upload_routes(registry):
    resp = registry.post("/api/registry/buildings", files={"file": ("a.csv", b"x" * 100, "text/csv")}, headers=BUREAU)
    assert resp.status_code == 415
    _chinese(resp)


def test_an_upload_is_read_only_after_authentication(registry):
    resp = registry.post("/api/registry/imports/buildings", files={"file": ("a.csv", b"x" * 2_000_000, "text/csv")})
    assert resp.status_code == 401
    resp = registry.post(
        "/api/registry/imports/buildings",
        files={"file": ("a.csv", b"x" * 2_000_000, "text/csv")},
        headers={"Authorization": "Bearer forged.token.value"},
    )
    assert resp.status_code == 401


def test_an_upload_over_the_file_limit_is_refused_by_its_length(registry):
    resp = registry.post(
        "/api/registry/imports/buildings",
        content=b"--x\r\n",
        headers={
            **BUREAU,
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(30 * 1024 * 1024),
        },
    )
    assert resp.status_code == 413
    assert "上限" in _chinese(resp)


# ----- the scan: every field of every update schema, hostile values ------------------------

HOSTILE = [None, 2**64, -(2**64), 1e308, "\x00", "", " ", [], {}, ["\x00"], True]


def _scan(registry, path: str, model) -> list[tuple[str, object, int]]:  # type: ignore[no-untyped-def]
    failures = []
    for field in model.model_fields:
        for value in HOSTILE:
            version = registry.get(path, headers=BUREAU).json()["version"]
            resp = registry.patch(path, json={field: value}, headers={**BUREAU, "If-Match": f'"{version}"'})
            if resp.status_code >= 500:
                failures.append((field, value, resp.status_code))
    return failures


def test_no_hostile_value_in_an_update_ends_in_a_5xx(registry):
    from registry.buildings.schemas import BuildingUpdate
    from registry.enterprises.schemas import EnterpriseUpdate
    from registry.spaces.schemas import SpaceUpdate

    building = new_building(registry)
    space = new_space(registry, building["code"])
    enterprise = new_enterprise(registry)
    failures = [
        *_scan(registry, f"/api/registry/buildings/{building['code']}", BuildingUpdate),
        *_scan(registry, f"/api/registry/spaces/{space['id']}", SpaceUpdate),
        *_scan(registry, f"/api/registry/enterprises/{enterprise['credit_code']}", EnterpriseUpdate),
    ]
    assert failures == []
