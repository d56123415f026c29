"""The text filters the header's search box relies on: buildings by name, alias or code,
enterprises by name or 统一社会信用代码 (prefix or whole), five at a time, and never beyond
what the caller may read (a street finds only its street's buildings and tenants)."""

from __future__ import annotations

from tests.registry.conftest import (
    BUREAU,
    JIYUQIAO,
    LEADER,
    YANGYUAN,
    credit_code,
    move_in,
    new_building,
    new_enterprise,
    token,
)

STREET = token("jyq", "street", streets=(JIYUQIAO,))
CHIEF = token("chief1", "chief")
AUDITOR = token("shenji", "auditor")


def names(resp):
    assert resp.status_code == 200, resp.text
    return sorted(item["name"] for item in resp.json()["items"])


def buildings(registry, q, headers=BUREAU, **params):
    return registry.get("/api/registry/buildings", params={"q": q, **params}, headers=headers)


def enterprises(registry, q, headers=BUREAU, **params):
    return registry.get("/api/registry/enterprises", params={"q": q, **params}, headers=headers)


def _two_streets(registry):
    own = new_building(registry, "积玉桥中心大厦", aliases=["积玉中心"], chief_username="chief1")
    other = new_building(registry, "杨园中心大厦", street=YANGYUAN, aliases=["杨园中心"])
    mine = new_enterprise(registry, 1, name="武汉积玉科技有限公司")
    theirs = new_enterprise(registry, 2, name="武汉杨园科技有限公司")
    move_in(registry, mine["credit_code"], own["code"], "2025-01-01", area=100)
    move_in(registry, theirs["credit_code"], other["code"], "2025-01-01", area=100)
    return own, other, mine, theirs


class TestBuildingSearch:
    def test_part_of_the_name_or_an_alias(self, registry):
        _two_streets(registry)
        assert names(buildings(registry, "中心大厦")) == ["杨园中心大厦", "积玉桥中心大厦"]
        assert names(buildings(registry, "杨园中心")) == ["杨园中心大厦"]
        assert names(buildings(registry, "积玉中心")) == ["积玉桥中心大厦"]  # only the alias holds it

    def test_the_whole_code(self, registry):
        own, *_ = _two_streets(registry)
        assert names(buildings(registry, own["code"])) == ["积玉桥中心大厦"]
        assert names(buildings(registry, f"  {own['code']} ")) == ["积玉桥中心大厦"]

    def test_five_at_a_time_with_the_total(self, registry):
        for i in range(7):
            new_building(registry, f"测试楼{i}号")
        body = buildings(registry, "测试楼", page_size=5).json()
        assert len(body["items"]) == 5 and body["total"] == 7

    def test_a_street_finds_only_its_own_buildings(self, registry):
        own, other, _, _ = _two_streets(registry)
        assert names(buildings(registry, "中心大厦", headers=STREET)) == ["积玉桥中心大厦"]
        assert names(buildings(registry, "杨园", headers=STREET)) == []
        assert names(buildings(registry, other["code"], headers=STREET)) == []
        assert buildings(registry, "杨园", headers=STREET).json()["total"] == 0

    def test_a_chief_finds_only_its_buildings(self, registry):
        _two_streets(registry)
        assert names(buildings(registry, "中心大厦", headers=CHIEF)) == ["积玉桥中心大厦"]

    def test_the_leader_finds_every_street(self, registry):
        _two_streets(registry)
        assert names(buildings(registry, "中心大厦", headers=LEADER)) == ["杨园中心大厦", "积玉桥中心大厦"]

    def test_the_auditor_may_not_search(self, registry):
        _two_streets(registry)
        assert buildings(registry, "中心", headers=AUDITOR).status_code == 403


class TestEnterpriseSearch:
    def test_name_or_credit_code(self, registry):
        _two_streets(registry)
        assert names(enterprises(registry, "杨园科技")) == ["武汉杨园科技有限公司"]
        assert names(enterprises(registry, credit_code(2))) == ["武汉杨园科技有限公司"]
        assert names(enterprises(registry, credit_code(2)[:17])) == ["武汉杨园科技有限公司"]
        assert names(enterprises(registry, f" {credit_code(1).lower()} ")) == ["武汉积玉科技有限公司"]

    def test_a_code_prefix_lists_codes_in_order_five_at_a_time(self, registry):
        for n in range(1, 8):
            new_enterprise(registry, n)
        body = enterprises(registry, "91420106", page_size=5).json()
        assert [e["credit_code"] for e in body["items"]] == [credit_code(n) for n in range(1, 6)]
        assert body["total"] == 7

    def test_a_street_finds_only_the_tenants_of_its_buildings(self, registry):
        _two_streets(registry)
        assert names(enterprises(registry, "科技有限公司", headers=STREET)) == ["武汉积玉科技有限公司"]
        assert names(enterprises(registry, credit_code(2), headers=STREET)) == []
        assert names(enterprises(registry, "杨园", headers=STREET)) == []

    def test_a_chief_finds_only_the_tenants_of_its_buildings(self, registry):
        _two_streets(registry)
        assert names(enterprises(registry, credit_code(1), headers=CHIEF)) == ["武汉积玉科技有限公司"]
        assert names(enterprises(registry, credit_code(2), headers=CHIEF)) == []
