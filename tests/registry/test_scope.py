"""Scope on the server: streets and 楼长 see and change only their own buildings and tenants."""

from tests.registry.conftest import (
    BUREAU,
    JIYUQIAO,
    YANGYUAN,
    move_in,
    new_building,
    new_enterprise,
    new_space,
    token,
)

STREET = token("jyq", "street", streets=(JIYUQIAO,))
CHIEF = token("chief1", "chief")


def _setup(registry):
    own = new_building(registry, "本街楼", chief_username="chief1")
    other = new_building(registry, "他街楼", street=YANGYUAN)
    mine, theirs = new_enterprise(registry, 1), new_enterprise(registry, 2)
    move_in(registry, mine["credit_code"], own["code"], "2025-01-01", area=100)
    move_in(registry, theirs["credit_code"], other["code"], "2025-01-01", area=100)
    return own, other, mine, theirs


class TestStreetUser:
    def test_other_streets_building_is_404_and_absent_from_lists(self, registry):
        own, other, _, _ = _setup(registry)
        assert registry.get(f"/api/registry/buildings/{other['code']}", headers=STREET).status_code == 404
        listed = registry.get("/api/registry/buildings", headers=STREET).json()
        assert [b["code"] for b in listed["items"]] == [own["code"]] and listed["total"] == 1
        assert registry.get(f"/api/registry/buildings/{other['code']}/tenants", headers=STREET).status_code == 404
        assert registry.get("/api/registry/buildings", params={"q": "他街"}, headers=STREET).json()["total"] == 0

    def test_tenants_of_other_streets_are_invisible(self, registry):
        _, _, mine, theirs = _setup(registry)
        listed = registry.get("/api/registry/enterprises", headers=STREET).json()
        assert [e["credit_code"] for e in listed["items"]] == [mine["credit_code"]]
        assert registry.get(f"/api/registry/enterprises/{theirs['credit_code']}", headers=STREET).status_code == 404

    def test_writes_only_in_own_street(self, registry):
        own, other, _, _ = _setup(registry)
        created = registry.post(
            "/api/registry/buildings", json={"name": "新楼", "street_code": JIYUQIAO}, headers=STREET
        )
        assert created.status_code == 201
        refused = registry.post(
            "/api/registry/buildings", json={"name": "新楼", "street_code": YANGYUAN}, headers=STREET
        )
        assert refused.status_code == 403
        patch = registry.patch(
            f"/api/registry/buildings/{other['code']}", json={"zone": "x"}, headers={**STREET, "If-Match": '"1"'}
        )
        assert patch.status_code == 404
        moved = registry.patch(
            f"/api/registry/buildings/{own['code']}",
            json={"street_code": YANGYUAN},
            headers={**STREET, "If-Match": '"1"'},
        )
        assert moved.status_code == 403

    def test_space_of_other_street_is_404(self, registry):
        _, other, _, _ = _setup(registry)
        space = new_space(registry, other["code"])
        assert registry.get(f"/api/registry/spaces/{space['id']}", headers=STREET).status_code == 404
        items = registry.get("/api/registry/spaces/available", headers=STREET).json()["items"]
        assert space["id"] not in [i["id"] for i in items]

    def test_exports_hold_only_own_scope(self, registry):
        own, other, _, _ = _setup(registry)
        body = registry.get("/api/registry/exports/buildings", params={"format": "csv"}, headers=STREET).content
        text = body.decode("utf-8-sig")
        assert own["code"] in text and other["code"] not in text


class TestChief:
    def test_chief_sees_and_edits_only_own_buildings(self, registry):
        own, other, _, _ = _setup(registry)
        listed = registry.get("/api/registry/buildings", headers=CHIEF).json()
        assert [b["code"] for b in listed["items"]] == [own["code"]]
        assert registry.get(f"/api/registry/buildings/{other['code']}", headers=CHIEF).status_code == 404
        ok = registry.patch(
            f"/api/registry/buildings/{own['code']}", json={"address": "新地址"}, headers={**CHIEF, "If-Match": '"1"'}
        )
        assert ok.status_code == 200
        assert new_space(registry, own["code"], headers=CHIEF)["building_code"] == own["code"]

    def test_chief_cannot_create_buildings(self, registry):
        resp = registry.post("/api/registry/buildings", json={"name": "新楼", "street_code": JIYUQIAO}, headers=CHIEF)
        assert resp.status_code == 403


class TestRoles:
    def test_auditor_and_admin_cannot_read_the_registry(self, registry):
        for headers in (token("sj", "auditor"), token("admin", "admin")):
            assert registry.get("/api/registry/buildings", headers=headers).status_code == 403

    def test_department_reads_all_and_writes_nothing(self, registry):
        _setup(registry)
        dept = token("fgj", "department")
        assert registry.get("/api/registry/buildings", headers=dept).json()["total"] == 2
        resp = registry.post("/api/registry/buildings", json={"name": "新楼", "street_code": JIYUQIAO}, headers=dept)
        assert resp.status_code == 403

    def test_no_token_is_401(self, registry):
        assert registry.get("/api/registry/buildings").status_code == 401
        assert BUREAU  # the bureau sees everything: covered by the other tests
