"""楼宇: create with a stable code, list with filters and search, ETag / If-Match, history."""

from tests.registry.conftest import BUREAU, JIYUQIAO, LEADER, SHUIGUOHU, YANGYUAN, new_building


class TestCreate:
    def test_codes_are_district_code_plus_sequence(self, registry):
        first, second = new_building(registry, "甲大厦"), new_building(registry, "乙大厦")
        assert (first["code"], second["code"]) == ("420106-0001", "420106-0002")

    def test_missing_name_and_bad_street_name_the_field(self, registry):
        resp = registry.post("/api/registry/buildings", json={"street_code": JIYUQIAO}, headers=BUREAU)
        assert resp.status_code == 422
        assert resp.json()["fields"][0]["field"] == "name"
        resp = registry.post(
            "/api/registry/buildings", json={"name": "某大厦", "street_code": "420106004"}, headers=BUREAU
        )
        assert resp.status_code == 422
        assert resp.json()["fields"][0]["field"] == "street_code"

    def test_leasable_area_cannot_exceed_gfa(self, registry):
        resp = registry.post(
            "/api/registry/buildings",
            json={"name": "某大厦", "street_code": JIYUQIAO, "gfa": 1000, "leasable_area": 2000},
            headers=BUREAU,
        )
        assert resp.status_code == 422
        assert resp.json()["fields"][0]["field"] == "leasable_area"

    def test_same_name_twice_in_one_street_is_409(self, registry):
        new_building(registry, "保利广场")
        resp = registry.post(
            "/api/registry/buildings", json={"name": "保利广场", "street_code": JIYUQIAO}, headers=BUREAU
        )
        assert resp.status_code == 409
        assert "420106-0001" in resp.json()["detail"]

    def test_unknown_theme_is_refused(self, registry):
        resp = registry.post(
            "/api/registry/buildings",
            json={"name": "某大厦", "street_code": JIYUQIAO, "themes": ["moon"]},
            headers=BUREAU,
        )
        assert resp.status_code == 422
        assert resp.json()["fields"][0]["field"] == "themes"

    def test_leader_reads_but_cannot_write(self, registry):
        resp = registry.post(
            "/api/registry/buildings", json={"name": "某大厦", "street_code": JIYUQIAO}, headers=LEADER
        )
        assert resp.status_code == 403


class TestList:
    def _seed(self, registry):
        new_building(registry, "中交大厦", aliases=["武汉·中交大厦"], gfa=80000, stage="new", themes=["green_shipping"])
        new_building(registry, "保利广场", street=YANGYUAN, gfa=120000, zone="滨江商务区", chief_username="chief1")
        new_building(
            registry,
            "碳汇大厦",
            street=SHUIGUOHU,
            gfa=30000,
            leasable_area=20000,
            themes=["carbon"],
            zone="环沙湖双碳经济带",
        )

    def _names(self, registry, **params):
        body = registry.get("/api/registry/buildings", params=params, headers=BUREAU).json()
        return [i["name"] for i in body["items"]], body["total"]

    def test_search_by_alias_substring(self, registry):
        self._seed(registry)
        assert self._names(registry, q="武汉·中交") == (["中交大厦"], 1)
        assert self._names(registry, q="广场") == (["保利广场"], 1)
        assert self._names(registry, q="%") == ([], 0)

    def test_filters(self, registry):
        self._seed(registry)
        assert self._names(registry, street=f"{YANGYUAN},{SHUIGUOHU}", sort="name")[1] == 2
        assert self._names(registry, stage="new") == (["中交大厦"], 1)
        assert self._names(registry, theme="carbon") == (["碳汇大厦"], 1)
        assert self._names(registry, zone="滨江商务区") == (["保利广场"], 1)
        assert self._names(registry, chief="chief1") == (["保利广场"], 1)
        assert self._names(registry, area_min=50000, area_max=100000) == (["中交大厦"], 1)

    def test_sorting_and_pages(self, registry):
        self._seed(registry)
        names, total = self._names(registry, sort="-gfa", page_size=2)
        assert (names, total) == (["保利广场", "中交大厦"], 3)
        assert self._names(registry, sort="-gfa", page_size=2, page=2) == (["碳汇大厦"], 3)

    def test_bad_sort_is_422(self, registry):
        resp = registry.get("/api/registry/buildings", params={"sort": "drop table"}, headers=BUREAU)
        assert resp.status_code == 422


class TestUpdate:
    def test_etag_and_if_match(self, registry):
        b = new_building(registry)
        path = f"/api/registry/buildings/{b['code']}"
        etag = registry.get(path, headers=BUREAU).headers["ETag"]
        assert etag == '"1"'
        missing = registry.patch(path, json={"address": "和平大道1号"}, headers=BUREAU)
        assert missing.status_code == 428
        ok = registry.patch(path, json={"address": "和平大道1号"}, headers={**BUREAU, "If-Match": etag})
        assert ok.status_code == 200 and ok.headers["ETag"] == '"2"'
        stale = registry.patch(path, json={"address": "和平大道2号"}, headers={**BUREAU, "If-Match": etag})
        assert stale.status_code == 412
        assert "已被他人修改" in stale.json()["detail"]
        assert registry.get(path, headers=BUREAU).json()["address"] == "和平大道1号"

    def test_themes_only_change_bumps_the_version(self, registry):
        b = new_building(registry)
        path = f"/api/registry/buildings/{b['code']}"
        resp = registry.patch(path, json={"themes": ["finance"]}, headers={**BUREAU, "If-Match": '"1"'})
        assert resp.json()["themes"] == ["finance"] and resp.json()["version"] == 2

    def test_history_names_field_old_new_and_who(self, registry):
        b = new_building(registry, zone="")
        path = f"/api/registry/buildings/{b['code']}"
        registry.patch(
            path, json={"zone": "滨江商务区", "chief_phone": "13912345678"}, headers={**BUREAU, "If-Match": '"1"'}
        )
        history = registry.get(f"{path}/history", headers=BUREAU).json()
        assert [h["op"] for h in history] == ["update", "create"]
        changes = {c["field"]: c for c in history[0]["changes"]}
        assert changes["zone"]["old"] == "" and changes["zone"]["new"] == "滨江商务区"
        assert changes["zone"]["label"] == "功能区"
        assert "13912345678" not in str(history)  # phones never enter the history in clear
        assert history[0]["actor"] == "shangwu"

    def test_delete_is_refused_with_occupancy_and_allowed_without(self, registry):
        from tests.registry.conftest import move_in, new_enterprise

        b = new_building(registry)
        e = new_enterprise(registry)
        move_in(registry, e["credit_code"], b["code"], "2025-01-01", area=100)
        assert registry.delete(f"/api/registry/buildings/{b['code']}", headers=BUREAU).status_code == 409
        other = new_building(registry, "空楼")
        assert registry.delete(f"/api/registry/buildings/{other['code']}", headers=BUREAU).status_code == 204
        assert registry.get(f"/api/registry/buildings/{other['code']}", headers=BUREAU).status_code == 404


class TestContacts:
    def test_phones_are_masked_and_revealed_with_an_audit_note(self, registry):
        b = new_building(registry, chief_name="王楼长", chief_phone="139 1234 5678")
        read = registry.get(f"/api/registry/buildings/{b['code']}", headers=LEADER).json()
        assert read["chief_phone"] == "139****5678"
        listed = registry.get("/api/registry/buildings", headers=LEADER).text
        assert "13912345678" not in listed
        reveal = registry.post(f"/api/registry/buildings/{b['code']}/contacts/reveal", headers=LEADER)
        assert reveal.json()["chief_phone"] == "13912345678"
        assert reveal.headers["X-Audit-Action"] == "phone.reveal"

    def test_department_cannot_reveal(self, registry):
        from tests.registry.conftest import token

        b = new_building(registry, chief_phone="13912345678")
        resp = registry.post(f"/api/registry/buildings/{b['code']}/contacts/reveal", headers=token("fgj", "department"))
        assert resp.status_code == 403
