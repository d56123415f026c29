"""One definition of a building's occupancy figures (#13 item 2): from the stays in force on a
date, never from the spaces' statuses; 在建 and 未填报; the nightly job that brings the spaces'
statuses in line with the stays."""

from datetime import date

from registry.spaces.stays import apply_stays
from tests.registry.conftest import BUREAU, move_in, new_building, new_enterprise, new_space


def _figures(client, code, on=None):
    params = {"on": on} if on else {}
    return client.get(f"/api/registry/buildings/{code}", params=params, headers=BUREAU).json()


def _space(client, space_id):
    return client.get(f"/api/registry/spaces/{space_id}", headers=BUREAU).json()


class TestFigures:
    def test_figures_come_from_the_stays_in_force_on_the_date(self, registry):
        b = new_building(registry, leasable_area=1000, gfa=1500)
        a = new_space(registry, b["code"], floor=10, unit="A", area=300)
        new_space(registry, b["code"], floor=10, unit="B", area=200, status="leased")  # marked, no stay
        first, second = new_enterprise(registry, 1), new_enterprise(registry, 2)
        assert (
            move_in(registry, first["credit_code"], b["code"], "2025-01-01", spaces=[{"id": a["id"]}]).status_code
            == 201
        )
        # The same enterprise twice in the building is one tenant; an area-only stay counts its area.
        assert move_in(registry, first["credit_code"], b["code"], "2025-03-01", area=50).status_code == 201
        assert (
            move_in(
                registry, second["credit_code"], b["code"], "2025-02-01", end_date="2025-02-28", area=100
            ).status_code
            == 201
        )
        f = _figures(registry, b["code"], "2025-03-31")["figures"]
        assert f == {
            "on": "2025-03-31",
            "status": "reported",
            "status_label": "已填报",
            "leasable_area": 1000.0,
            "occupied_area": 350.0,
            "vacant_area": 650.0,
            "occupancy_rate": 0.35,
            "tenant_count": 1,
        }
        feb = _figures(registry, b["code"], "2025-02-28")["figures"]
        assert (feb["occupied_area"], feb["tenant_count"], feb["occupancy_rate"]) == (400.0, 2, 0.4)
        before = _figures(registry, b["code"], "2024-12-31")["figures"]
        assert (before["occupied_area"], before["tenant_count"], before["occupancy_rate"]) == (0.0, 0, 0.0)

    def test_the_list_shows_the_same_figures_for_the_same_date(self, registry):
        b = new_building(registry, leasable_area=1000)
        s = new_space(registry, b["code"], area=400)
        e = new_enterprise(registry)
        move_in(registry, e["credit_code"], b["code"], "2025-01-01", spaces=[{"id": s["id"]}])
        one = _figures(registry, b["code"], "2025-06-30")["figures"]
        row = registry.get("/api/registry/buildings", params={"on": "2025-06-30"}, headers=BUREAU).json()["items"][0]
        assert row["figures_on"] == one["on"] == "2025-06-30"
        for key in ("occupied_area", "vacant_area", "occupancy_rate", "tenant_count"):
            assert row[key] == one[key], key

    def test_space_statuses_are_reported_beside_the_figures_and_say_when_they_disagree(self, registry):
        b = new_building(registry, leasable_area=1000, gfa=1500)
        new_space(registry, b["code"], floor=10, unit="A", area=300)
        new_space(registry, b["code"], floor=10, unit="B", area=200, status="leased")
        new_space(registry, b["code"], floor=11, unit="A", area=100, status="self_use")
        answer = _figures(registry, b["code"])
        vacancy, figures = answer["vacancy"], answer["figures"]
        assert vacancy["units"] == 3 and vacancy["vacant_units"] == 1
        assert vacancy["vacant_area"] == 300 and vacancy["leased_area"] == 200
        assert vacancy["status_occupied_area"] == 300
        # Marked 已租/自用 without any stay: the figures (from the stays) say 0, and the answer says they differ.
        assert figures["occupancy_rate"] == 0.0 and vacancy["agrees_with_stays"] is False
        assert "occupancy_rate" not in vacancy

    def test_a_building_without_spaces_or_stays_is_not_reported(self, registry):
        b = new_building(registry, leasable_area=1000)
        f = _figures(registry, b["code"])["figures"]
        assert (f["status"], f["status_label"]) == ("not_reported", "未填报")
        assert f["occupancy_rate"] is None and f["vacant_area"] is None

    def test_a_building_without_leasable_area_is_not_reported(self, registry):
        resp = registry.post(
            "/api/registry/buildings", json={"name": "无面积大厦", "street_code": "420106001"}, headers=BUREAU
        )
        b = resp.json()
        new_space(registry, b["code"], area=400)
        f = _figures(registry, b["code"])["figures"]
        assert f["status"] == "not_reported" and f["occupancy_rate"] is None

    def test_under_construction_is_said(self, registry):
        b = new_building(registry, stage="under_construction")
        new_space(registry, b["code"], area=400, status="reserved", available_from="2027-01-01")
        f = _figures(registry, b["code"])["figures"]
        assert (f["status"], f["status_label"]) == ("under_construction", "在建")

    def test_an_invalid_date_is_refused_naming_the_field(self, registry):
        b = new_building(registry)
        resp = registry.get(f"/api/registry/buildings/{b['code']}", params={"on": "2025-13-01"}, headers=BUREAU)
        assert resp.status_code == 422


class TestApplyStays:
    def _setup(self, registry):
        b = new_building(registry, leasable_area=2000)
        ending = new_space(registry, b["code"], floor=10, unit="A", area=300)
        starting = new_space(registry, b["code"], floor=10, unit="B", area=300)
        booked = new_space(registry, b["code"], floor=11, unit="A", area=300)
        own = new_space(registry, b["code"], floor=12, unit="A", area=300, status="self_use")
        e1, e2, e3 = new_enterprise(registry, 1), new_enterprise(registry, 2), new_enterprise(registry, 3)
        today = date.today()
        far = today.replace(year=today.year + 2).isoformat()
        later = today.replace(year=today.year + 1).isoformat()
        # In force today, ends later; starts later; booked for far later.
        assert (
            move_in(
                registry, e1["credit_code"], b["code"], "2025-01-01", end_date=later, spaces=[{"id": ending["id"]}]
            ).status_code
            == 201
        )
        assert (
            move_in(registry, e2["credit_code"], b["code"], later, spaces=[{"id": starting["id"]}]).status_code == 201
        )
        assert move_in(registry, e3["credit_code"], b["code"], far, spaces=[{"id": booked["id"]}]).status_code == 201
        return b, ending, starting, booked, own, later

    def test_the_job_flips_spaces_whose_stays_ended_or_started(self, registry):
        b, ending, starting, booked, own, later = self._setup(registry)
        assert _space(registry, ending["id"])["status"] == "leased"
        assert _space(registry, starting["id"])["status"] == "reserved"
        day_after = date.fromisoformat(later)  # the day the second stay starts and the first one ends
        with registry.app.state.db.write_sessions() as session:
            # On the day the first stay ends and the second starts, both are in force on ``later``.
            changed = apply_stays(session, on=day_after)
            session.commit()
        assert changed == 1  # the starting space becomes 已租; the ending one is still let that day
        assert _space(registry, starting["id"])["status"] == "leased"
        next_day = date.fromordinal(day_after.toordinal() + 1)
        with registry.app.state.db.write_sessions() as session:
            assert apply_stays(session, on=next_day) == 1
            session.commit()
        assert _space(registry, ending["id"])["status"] == "vacant"
        assert _space(registry, booked["id"])["status"] == "reserved"  # a later stay is booked: 预留
        assert _space(registry, own["id"])["status"] == "self_use"  # the owner's own use is left alone
        # Run again: nothing left to change (idempotent).
        with registry.app.state.db.write_sessions() as session:
            assert apply_stays(session, on=next_day) == 0
        # After the job the statuses agree with the stays on that day.
        answer = _figures(registry, b["code"], next_day.isoformat())
        assert answer["figures"]["occupied_area"] == 300.0
        history = registry.get(f"/api/registry/spaces/{ending['id']}/history", headers=BUREAU).json()
        assert any("apply-stays" in str(c.values()) for c in history)

    def test_command_line(self, registry, db_urls, monkeypatch, capsys):
        from registry import __main__ as cli

        self._setup(registry)
        monkeypatch.setenv("LOUYU_REGISTRY_DATABASE_URL", db_urls("registry"))
        cli.get_settings.cache_clear()
        try:
            assert cli.apply_stays(["2099-01-01"]) == 0
            assert "个房源的状态" in capsys.readouterr().out
            assert cli.apply_stays(["2099-13-01"]) == 2
            assert "日期“2099-13-01”无效" in capsys.readouterr().err
        finally:
            cli.get_settings.cache_clear()


def test_the_building_export_carries_the_figures_of_its_date(registry):
    from louyu_kit.files import read_table

    b = new_building(registry, leasable_area=1000)
    s = new_space(registry, b["code"], area=400)
    e = new_enterprise(registry)
    move_in(registry, e["credit_code"], b["code"], "2025-01-01", spaces=[{"id": s["id"]}])
    empty = new_building(registry, name="空楼大厦")
    resp = registry.get("/api/registry/exports/buildings", params={"format": "csv", "on": "2025-06-30"}, headers=BUREAU)
    table = read_table(resp.content, filename="b.csv")
    rows = {row["楼宇编码"]: row for _n, row in table.rows}
    one = _figures(registry, b["code"], "2025-06-30")["figures"]
    row = rows[b["code"]]
    assert row["统计日期"] == "2025-06-30" and row["数据状态"] == "已填报"
    assert float(row["入驻率(%)"]) == round(one["occupancy_rate"] * 100, 2) == 40.0
    assert float(row["入驻面积(㎡)"]) == one["occupied_area"]
    assert float(row["空置面积(㎡)"]) == one["vacant_area"]
    assert int(row["在楼企业数"]) == one["tenant_count"] == 1
    assert (rows[empty["code"]]["数据状态"], rows[empty["code"]]["入驻率(%)"]) == ("未填报", "")
