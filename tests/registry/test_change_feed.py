"""Every create / update / delete of a registry object reaches the change feed, in order, once."""

from louyu_kit.tokens import INTERNAL, TokenCodec
from tests.conftest import TEST_SECRET
from tests.registry.conftest import BUREAU, move_in, new_building, new_enterprise, new_space


def _internal() -> dict[str, str]:
    codec = TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api")
    return {"Authorization": f"Bearer {codec.issue(sub='service:metrics', typ=INTERNAL, ttl_seconds=60).token}"}


def _events(registry, after=0):
    resp = registry.get("/api/registry/changes", params={"after": after, "limit": 1000}, headers=_internal())
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]


def test_every_change_once_and_in_order(registry):
    b = new_building(registry)
    s = new_space(registry, b["code"], area=300)
    e = new_enterprise(registry)
    occ = move_in(registry, e["credit_code"], b["code"], "2024-01-01", spaces=[{"id": s["id"]}]).json()
    registry.patch(f"/api/registry/buildings/{b['code']}", json={"zone": "滨江"}, headers={**BUREAU, "If-Match": '"1"'})
    registry.patch(
        f"/api/registry/enterprises/{e['credit_code']}",
        json={"above_scale": True},
        headers={**BUREAU, "If-Match": '"1"'},
    )
    registry.delete(f"/api/registry/occupancies/{occ['id']}", headers=BUREAU)
    registry.delete(f"/api/registry/spaces/{s['id']}", headers=BUREAU)

    events = _events(registry)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert [(ev["entity"], ev["op"]) for ev in events] == [
        ("building", "create"),
        ("space", "create"),
        ("enterprise", "create"),
        ("occupancy", "create"),
        ("space", "update"),  # 空置 → 已租
        ("building", "update"),
        ("enterprise", "update"),
        ("occupancy", "delete"),
        ("space", "update"),  # 已租 → 空置
        ("space", "delete"),
    ]
    occupancy = events[3]["data"]
    assert occupancy["credit_code"] == e["credit_code"] and occupancy["building_code"] == b["code"]
    assert occupancy["spaces"] == [{"space_id": s["id"], "area": 300.0}]
    assert events[5]["data"]["zone"] == "滨江" and events[5]["actor"] == "shangwu"
    assert "chief_phone" not in events[0]["data"]
    assert _events(registry, after=events[-1]["seq"]) == []


def test_refused_and_unchanged_writes_leave_no_event(registry):
    b = new_building(registry)
    before = len(_events(registry))
    registry.patch(
        f"/api/registry/buildings/{b['code']}", json={"name": b["name"]}, headers={**BUREAU, "If-Match": '"1"'}
    )
    registry.post("/api/registry/buildings", json={"name": b["name"], "street_code": b["street_code"]}, headers=BUREAU)
    assert len(_events(registry)) == before


def test_a_rejected_import_row_leaves_no_event(registry):
    from registry.imports.files import write_table
    from registry.imports.kinds import KINDS
    from tests.registry.conftest import credit_code

    kind = KINDS["enterprises"]
    rows = [
        [credit_code(1), "甲有限公司"] + [""] * (len(kind.headers) - 2),
        ["bad", "乙有限公司"] + [""] * (len(kind.headers) - 2),
    ]
    data = write_table(kind.headers, rows, fmt="csv")
    registry.post(
        "/api/registry/imports/enterprises?dry_run=false", files={"file": ("e.csv", data, "text/csv")}, headers=BUREAU
    )
    assert _events(registry) == []
