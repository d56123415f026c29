"""入驻 rules, moves, and tenants on a date."""

from tests.registry.conftest import BUREAU, YANGYUAN, move_in, new_building, new_enterprise, new_space


def _etag(client, path):
    return client.get(path, headers=BUREAU).headers["ETag"]


class TestRules:
    def test_end_before_start_is_refused(self, registry):
        b = new_building(registry)
        e = new_enterprise(registry)
        resp = move_in(registry, e["credit_code"], b["code"], "2025-05-01", end_date="2025-04-30", area=100)
        assert resp.status_code == 422
        assert "迁出日期不能早于入驻日期" in resp.json()["detail"]

    def test_end_equal_to_start_is_a_one_day_stay(self, registry):
        b = new_building(registry)
        e = new_enterprise(registry)
        assert (
            move_in(registry, e["credit_code"], b["code"], "2025-05-01", end_date="2025-05-01", area=100).status_code
            == 201
        )

    def test_part_larger_than_its_space_is_refused(self, registry):
        b = new_building(registry)
        s = new_space(registry, b["code"], area=300)
        e = new_enterprise(registry)
        resp = move_in(registry, e["credit_code"], b["code"], "2025-01-01", spaces=[{"id": s["id"], "area": 301}])
        assert resp.status_code == 422
        assert resp.json()["fields"][0]["field"] == "spaces[0].area"

    def test_two_tenants_cannot_take_more_than_the_space(self, registry):
        b = new_building(registry)
        s = new_space(registry, b["code"], area=300)
        first, second = new_enterprise(registry, 1), new_enterprise(registry, 2)
        ok = move_in(registry, first["credit_code"], b["code"], "2025-01-01", spaces=[{"id": s["id"], "area": 200}])
        assert ok.status_code == 201
        over = move_in(registry, second["credit_code"], b["code"], "2025-03-01", spaces=[{"id": s["id"], "area": 150}])
        assert over.status_code == 422
        assert "仅剩 100 ㎡" in over.json()["detail"]
        fits = move_in(registry, second["credit_code"], b["code"], "2025-03-01", spaces=[{"id": s["id"], "area": 100}])
        assert fits.status_code == 201

    def test_capacity_is_checked_at_a_later_overlapping_start(self, registry):
        # A future tenant already booked from June: a stay from March without end collides in June.
        b = new_building(registry)
        s = new_space(registry, b["code"], area=300)
        first, second = new_enterprise(registry, 1), new_enterprise(registry, 2)
        assert (
            move_in(registry, first["credit_code"], b["code"], "2025-06-01", spaces=[{"id": s["id"]}]).status_code
            == 201
        )
        resp = move_in(registry, second["credit_code"], b["code"], "2025-03-01", spaces=[{"id": s["id"], "area": 50}])
        assert resp.status_code == 422
        before_june = move_in(
            registry, second["credit_code"], b["code"], "2025-03-01", end_date="2025-05-31", spaces=[{"id": s["id"]}]
        )
        assert before_june.status_code == 201

    def test_an_enterprise_cannot_overlap_itself_in_one_space(self, registry):
        b = new_building(registry)
        s = new_space(registry, b["code"], area=1000)
        e = new_enterprise(registry)
        first = move_in(
            registry,
            e["credit_code"],
            b["code"],
            "2025-01-01",
            end_date="2025-06-30",
            spaces=[{"id": s["id"], "area": 100}],
        )
        assert first.status_code == 201
        overlap = move_in(registry, e["credit_code"], b["code"], "2025-06-30", spaces=[{"id": s["id"], "area": 100}])
        assert overlap.status_code == 422
        assert "时间不能重叠" in overlap.json()["detail"]
        after = move_in(registry, e["credit_code"], b["code"], "2025-07-01", spaces=[{"id": s["id"], "area": 100}])
        assert after.status_code == 201

    def test_space_of_another_building_is_refused(self, registry):
        a, b = new_building(registry, "甲大厦"), new_building(registry, "乙大厦")
        s = new_space(registry, b["code"])
        e = new_enterprise(registry)
        resp = move_in(registry, e["credit_code"], a["code"], "2025-01-01", spaces=[{"id": s["id"]}])
        assert resp.status_code == 422
        assert "不属于" in resp.json()["detail"]

    def test_unknown_enterprise_is_refused(self, registry):
        b = new_building(registry)
        resp = move_in(registry, "91350100M000100Y43", b["code"], "2025-01-01", area=50)
        assert resp.status_code == 422
        assert resp.json()["fields"][0]["field"] == "credit_code"

    def test_area_must_match_the_spaces(self, registry):
        b = new_building(registry)
        s = new_space(registry, b["code"], area=300)
        e = new_enterprise(registry)
        resp = move_in(registry, e["credit_code"], b["code"], "2025-01-01", spaces=[{"id": s["id"]}], area=250)
        assert resp.status_code == 422
        assert resp.json()["fields"][0]["field"] == "area"

    def test_space_area_cannot_shrink_below_what_is_occupied(self, registry):
        b = new_building(registry)
        s = new_space(registry, b["code"], area=300)
        e = new_enterprise(registry)
        move_in(registry, e["credit_code"], b["code"], "2025-01-01", spaces=[{"id": s["id"], "area": 250}])
        etag = _etag(registry, f"/api/registry/spaces/{s['id']}")
        resp = registry.patch(
            f"/api/registry/spaces/{s['id']}", json={"area": 200}, headers={**BUREAU, "If-Match": etag}
        )
        assert resp.status_code == 422


class TestMoves:
    def test_tenants_on_a_date_follow_a_move_between_buildings(self, registry):
        old, new = new_building(registry, "旧楼"), new_building(registry, "新楼", street=YANGYUAN)
        e = new_enterprise(registry)
        created = move_in(registry, e["credit_code"], old["code"], "2024-01-01", area=400).json()
        etag = _etag(registry, f"/api/registry/occupancies/{created['id']}")
        moved = registry.post(
            f"/api/registry/occupancies/{created['id']}/move",
            json={"to_building_code": new["code"], "area": 600, "move_date": "2025-03-01"},
            headers={**BUREAU, "If-Match": etag},
        )
        assert moved.status_code == 201, moved.text
        assert moved.json()["building_code"] == new["code"]

        def tenants(building, on):
            resp = registry.get(f"/api/registry/buildings/{building}/tenants", params={"on": on}, headers=BUREAU)
            return [t["credit_code"] for t in resp.json()]

        assert tenants(old["code"], "2025-02-28") == [e["credit_code"]]
        assert tenants(new["code"], "2025-02-28") == []
        assert tenants(old["code"], "2025-03-01") == []
        assert tenants(new["code"], "2025-03-01") == [e["credit_code"]]
        history = registry.get(f"/api/registry/enterprises/{e['credit_code']}/occupancies", headers=BUREAU).json()
        assert [(h["building_code"], h["end_date"]) for h in history] == [
            (new["code"], None),
            (old["code"], "2025-02-28"),
        ]

    def test_move_out_frees_the_space_from_the_next_day(self, registry):
        b = new_building(registry)
        s = new_space(registry, b["code"], area=300)
        e = new_enterprise(registry)
        occ = move_in(registry, e["credit_code"], b["code"], "2024-01-01", spaces=[{"id": s["id"]}]).json()
        assert registry.get(f"/api/registry/spaces/{s['id']}", headers=BUREAU).json()["status"] == "leased"
        etag = _etag(registry, f"/api/registry/occupancies/{occ['id']}")
        ended = registry.post(
            f"/api/registry/occupancies/{occ['id']}/end",
            json={"end_date": "2025-01-31"},
            headers={**BUREAU, "If-Match": etag},
        )
        assert ended.status_code == 200, ended.text
        assert ended.json()["end_date"] == "2025-01-31"
        space = registry.get(f"/api/registry/spaces/{s['id']}", headers=BUREAU).json()
        assert space["status"] == "vacant"
        available = registry.get("/api/registry/spaces/available", headers=BUREAU).json()
        assert [i["id"] for i in available["items"]] == [s["id"]]

    def test_move_out_needs_the_current_version(self, registry):
        b = new_building(registry)
        e = new_enterprise(registry)
        occ = move_in(registry, e["credit_code"], b["code"], "2024-01-01", area=100).json()
        missing = registry.post(
            f"/api/registry/occupancies/{occ['id']}/end", json={"end_date": "2025-01-31"}, headers=BUREAU
        )
        assert missing.status_code == 428, missing.text
        stale = registry.post(
            f"/api/registry/occupancies/{occ['id']}/end",
            json={"end_date": "2025-01-31"},
            headers={**BUREAU, "If-Match": '"99"'},
        )
        assert stale.status_code == 412


class TestListing:
    def test_available_space_is_ordered_by_date_now_first(self, registry):
        b = new_building(registry)
        later = new_space(registry, b["code"], floor=12, unit="1201", available_from="2026-09-01")
        now = new_space(registry, b["code"], floor=11, unit="1101")
        sooner = new_space(registry, b["code"], floor=13, unit="1301", status="reserved", available_from="2026-03-01")
        new_space(registry, b["code"], floor=14, unit="1401", status="self_use")
        items = registry.get("/api/registry/spaces/available", headers=BUREAU).json()["items"]
        assert [i["id"] for i in items] == [now["id"], sooner["id"], later["id"]]
        before = registry.get(
            "/api/registry/spaces/available", params={"available_before": "2026-06-30"}, headers=BUREAU
        ).json()
        assert before["total"] == 2

    def test_vacancy_summary(self, registry):
        b = new_building(registry, leasable_area=1000, gfa=1500)
        new_space(registry, b["code"], floor=10, unit="A", area=300)
        new_space(registry, b["code"], floor=10, unit="B", area=200, status="leased")
        new_space(registry, b["code"], floor=11, unit="A", area=100, status="self_use")
        answer = registry.get(f"/api/registry/buildings/{b['code']}", headers=BUREAU).json()
        vacancy = answer["vacancy"]
        assert vacancy["units"] == 3 and vacancy["vacant_units"] == 1
        assert vacancy["vacant_area"] == 300 and vacancy["leased_area"] == 200
        # 入驻率 comes from the stays (none here), not from the statuses (tests/registry/test_building_figures.py).
        assert vacancy["status_occupied_area"] == 300 and answer["figures"]["occupancy_rate"] == 0.0
