"""GET /map: scoping, the tier boundary, buildings without coordinates, the outline (the demo
buildings fall inside the shipped one), and no call to registry while answering."""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest

from metrics.map import outline
from tests.metrics import rollup_case
from tests.metrics.conftest import (
    BUREAU,
    CHIEF,
    DEPARTMENT,
    JIYUQIAO,
    LEADER,
    STATS_CLIENT,
    STREET,
    TAX_CLIENT,
    YANGYUAN,
    add_building,
    add_enterprise,
    add_fact,
    add_occupancy,
    credit_code,
    metrics_db,
    user_token,
)

MAP = "/api/metrics/map"
# B4 has no coordinates; B5's tax is exactly 1 亿 and B6's one cent less.
COORDS = {"B1": (114.305, 30.566), "B2": (114.31, 30.57), "B3": (114.336, 30.59)}


@pytest.fixture
def metrics(make_client):
    """The metrics app without its background work (feed consumer, goals, warnings), so the
    only network traffic possible is the request's own."""
    return make_client("metrics", metrics_sync_seconds=0, metrics_goals_sync_seconds=0, metrics_warnings_seconds=0)


@pytest.fixture
def db(metrics):
    db = metrics_db(metrics)
    rollup_case.build(db)
    from metrics.readmodel.models import RmBuilding

    with db.write_sessions() as session:
        for code, (lng, lat) in COORDS.items():
            building = session.get(RmBuilding, code)
            building.lng, building.lat = lng, lat
        session.commit()
    add_building(db, "B4", street_code=JIYUQIAO, name="无坐标大厦")
    add_building(db, "B5", street_code=YANGYUAN, name="亿元大厦", lng=114.33, lat=30.59)
    add_building(db, "B6", street_code=YANGYUAN, name="差一分大厦", lng=114.34, lat=30.59)
    for n, building, value in ((301, "B5", "100000000.00"), (302, "B6", "99999999.99")):
        code = credit_code(n)
        add_enterprise(db, code)
        add_occupancy(db, n, code, building, start=date(2024, 1, 1))
        add_fact(db, code, "2024", value)
    rollup_case.rebuild(db)
    return db


def _codes(body):
    return sorted(b["code"] for b in body["buildings"]), sorted(b["code"] for b in body["unplaced"])


class TestScope:
    def test_district_roles_see_every_building(self, db, metrics):
        for headers in (LEADER, BUREAU, DEPARTMENT):
            resp = metrics.get(MAP, params={"year": 2025}, headers=headers)
            assert resp.status_code == 200, resp.text
            body = resp.json()
            assert _codes(body) == (["B1", "B2", "B3", "B5", "B6"], ["B4"])
            assert body["total"] == 6
            assert [s["code"] for s in body["streets"]] == [JIYUQIAO, YANGYUAN]

    def test_street_user_sees_only_the_street(self, db, metrics):
        body = metrics.get(MAP, params={"year": 2025}, headers=STREET).json()
        assert _codes(body) == (["B1", "B2"], ["B4"])
        assert {b["street_code"] for b in body["buildings"] + body["unplaced"]} == {JIYUQIAO}
        assert body["streets"] == [{"code": JIYUQIAO, "name": "积玉桥街道", "buildings": 3}]

    def test_street_user_filtering_another_street_gets_404(self, db, metrics):
        resp = metrics.get(MAP, params={"street": YANGYUAN}, headers=STREET)
        assert resp.status_code == 404
        assert resp.json()["error"] == "StreetNotFound"
        # As the rankings do.
        ranking = metrics.get("/api/metrics/rankings/buildings", params={"street": YANGYUAN}, headers=STREET)
        assert ranking.status_code == 404

    def test_street_filter_narrows_the_district_view(self, db, metrics):
        body = metrics.get(MAP, params={"year": 2025, "street": YANGYUAN}, headers=LEADER).json()
        assert _codes(body) == (["B3", "B5", "B6"], [])
        assert body["street"] == YANGYUAN
        # The filter's choices stay the whole list.
        assert len(body["streets"]) == 2

    def test_chief_sees_own_building_and_may_filter_its_street(self, db, metrics):
        body = metrics.get(MAP, params={"year": 2025}, headers=CHIEF).json()
        assert _codes(body) == (["B1"], [])
        assert [s["code"] for s in body["streets"]] == [JIYUQIAO]
        assert _codes(metrics.get(MAP, params={"street": JIYUQIAO}, headers=CHIEF).json()) == (["B1"], [])
        assert metrics.get(MAP, params={"street": YANGYUAN}, headers=CHIEF).status_code == 404

    def test_chief_of_nothing_gets_an_empty_map(self, db, metrics):
        body = metrics.get(MAP, headers=user_token("nobody", "chief")).json()
        assert body["buildings"] == [] and body["unplaced"] == [] and body["streets"] == []
        assert body["outline"]["features"]

    def test_machine_clients_and_non_readers_are_refused(self, db, metrics):
        for headers in (STATS_CLIENT, TAX_CLIENT, user_token("shenji", "auditor"), user_token("guanli", "admin")):
            assert metrics.get(MAP, headers=headers).status_code == 403
        assert metrics.get(MAP).status_code == 401


class TestFigures:
    def test_tier_boundary_is_greater_or_equal_in_decimal(self, db, metrics):
        body = metrics.get(MAP, params={"year": 2024}, headers=LEADER).json()
        by_code = {b["code"]: b for b in body["buildings"]}
        assert body["period"]["key"] == "2024"
        assert by_code["B5"]["tax_total"] == 100_000_000.0
        # The map colours by the highest tier reached and names the colour as a band (#13: a band
        # is always labelled as a band; "5000万元楼宇" means ≥ 5000万 and includes the 亿元 ones).
        assert (by_code["B5"]["tier"], by_code["B5"]["tier_label"]) == ("yiyuan", "1亿–10亿元")
        assert (by_code["B6"]["tier"], by_code["B6"]["tier_label"]) == ("wuqianwan", "5000万–1亿元")
        legend = {t["key"]: t for t in body["tiers"]}
        assert legend["wuqianwan"]["label"] == "5000万–1亿元"
        assert (legend["wuqianwan"]["threshold"], legend["wuqianwan"]["upper"]) == (50_000_000.0, 100_000_000.0)
        assert legend["shiyi"]["upper"] is None
        assert [t["key"] for t in body["tiers"]] == ["qianwan", "wuqianwan", "yiyuan", "shiyi"]

    def test_building_figures_for_the_year(self, db, metrics):
        body = metrics.get(MAP, params={"year": 2025}, headers=LEADER).json()
        b1 = next(b for b in body["buildings"] if b["code"] == "B1")
        # F1 100,000 + F2 50,000 a month, six months; 2,000 of 20,000 m² occupied.
        assert b1["tax_total"] == 900_000.0
        assert b1["tax_district"] == 450_000.0
        assert b1["tier"] is None and b1["tier_label"] == ""
        assert (b1["lng"], b1["lat"]) == COORDS["B1"]
        assert b1["themes"] == ["finance"]
        assert b1["featured_themes"] == ["finance"]  # both tenants are finance (6620)
        assert b1["occupancy_rate"] == 0.1
        assert b1["vacancy_rate"] == 0.9
        assert b1["gfa"] == 40_000.0 and b1["tenants"] == 2
        b2 = next(b for b in body["buildings"] if b["code"] == "B2")
        # B2 declares nothing but its one tenant is a software firm (6513): 特色 数字经济 all the same.
        assert b2["themes"] == [] and b2["featured_themes"] == ["digital"]
        assert b2["vacancy_rate"] == 0.5
        assert {"code": "finance", "name": "金融"} in body["themes"]
        assert 2025 in body["years"] and 2024 in body["years"]

    def test_buildings_without_coordinates_are_listed_apart(self, db, metrics):
        body = metrics.get(MAP, params={"year": 2025}, headers=LEADER).json()
        (b4,) = body["unplaced"]
        assert b4["code"] == "B4" and b4["lng"] is None and b4["lat"] is None
        assert b4["name"] == "无坐标大厦" and b4["street_name"] == "积玉桥街道"
        assert all(b["lng"] is not None and b["lat"] is not None for b in body["buildings"])

    def test_default_year_is_the_latest_with_figures(self, db, metrics):
        body = metrics.get(MAP, headers=LEADER).json()
        assert body["year"] == 2025

    def test_bad_year_names_the_field(self, db, metrics):
        resp = metrics.get(MAP, params={"year": 1800}, headers=LEADER)
        assert resp.status_code == 422
        assert "year" in resp.json()["detail"]


def test_answering_makes_no_call_to_registry(db, metrics, monkeypatch):
    """Everything comes from the read model and the rollups: no network request at all."""
    calls: list[str] = []

    def refuse(self, request):  # noqa: ANN001
        calls.append(str(request.url))
        raise httpx.ConnectError("no network in this test", request=request)

    async def refuse_async(self, request):  # noqa: ANN001
        calls.append(str(request.url))
        raise httpx.ConnectError("no network in this test", request=request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", refuse)
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", refuse_async)
    registry = metrics.app.state.registry

    async def no_changes(**kwargs):  # noqa: ANN003
        calls.append("registry.changes")
        raise AssertionError("the map asked registry")

    monkeypatch.setattr(registry, "changes", no_changes)
    assert metrics.app.state.feed_consumer is None
    for headers in (LEADER, STREET, CHIEF):
        assert metrics.get(MAP, params={"year": 2025}, headers=headers).status_code == 200
    assert calls == []


class TestOutline:
    def test_shipped_outline_is_labelled_approximate(self, db, metrics):
        body = metrics.get(MAP, headers=LEADER).json()
        shape = body["outline"]
        assert shape["type"] == "FeatureCollection"
        assert shape["approximate"] is True
        assert shape["label"] == "示意边界（近似，非标准地图）"
        assert shape["features"][0]["geometry"]["type"] == "Polygon"
        raw = json.loads(outline.SHIPPED.read_text(encoding="utf-8"))
        assert "示意边界（近似，非标准地图）" in raw["note"]

    def test_every_demo_building_falls_inside_the_shipped_outline(self):
        """registry's demo places each building at its street's centre ± (0.006°, 0.005°):
        every point of each such box (a 9 × 9 grid over it, corners included) is inside."""
        from registry.demo import BUILDINGS, CENTRES

        shape = outline.load()
        streets = {street for _name, street, *_rest in BUILDINGS}
        assert streets <= set(CENTRES)
        outside = []
        for street in sorted(streets):
            lng0, lat0 = CENTRES[street]
            for i in range(9):
                for j in range(9):
                    lng = round(lng0 - 0.006 + 0.012 * i / 8, 6)
                    lat = round(lat0 - 0.005 + 0.010 * j / 8, 6)
                    if not outline.contains(shape, lng, lat):
                        outside.append((street, lng, lat))
        assert outside == []

    def test_point_in_polygon(self):
        shape = outline.load()
        assert outline.contains(shape, 114.31, 30.54)  # 首义路
        assert not outline.contains(shape, 114.27, 30.58)  # 汉口，江对岸
        assert not outline.contains(shape, 114.42, 30.61)  # 武汉站（洪山／青山）
        square = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [
                            [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
                            [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
                        ],
                    },
                }
            ],
        }
        assert outline.contains(square, 2, 2)
        assert not outline.contains(square, 5, 5)  # in the hole
        assert not outline.contains(square, 11, 5)

    def test_deployer_outline_replaces_the_shipped_one(self, make_client, tmp_path):
        official = tmp_path / "official.geojson"
        ring = [[114.2, 30.4], [114.5, 30.4], [114.5, 30.7], [114.2, 30.7], [114.2, 30.4]]
        official.write_text(json.dumps({"type": "MultiPolygon", "coordinates": [[ring]]}), encoding="utf-8")
        client = make_client("metrics", metrics_map_outline_file=official)
        shape = client.get(MAP, headers=LEADER).json()["outline"]
        assert shape["approximate"] is False and shape["label"] == ""
        assert shape["features"][0]["geometry"] == {"type": "MultiPolygon", "coordinates": [[ring]]}

    @pytest.mark.parametrize(
        ("content", "problem"),
        [
            (None, "找不到边界文件"),
            ("not json", "不是有效的 GeoJSON"),
            ('{"type": "Point", "coordinates": [114.3, 30.5]}', "不是 FeatureCollection"),
            (
                '{"type": "Polygon", "coordinates": [[[30.5, 114.3], [30.6, 114.3], [30.6, 114.4], [30.5, 114.3]]]}',
                "中国",
            ),
        ],
    )
    def test_unusable_outline_file_is_refused_at_start_up(self, tmp_path, content, problem):
        from pydantic import ValidationError

        from metrics.config import Settings

        path = tmp_path / "outline.geojson"
        if content is not None:
            path.write_text(content, encoding="utf-8")
        with pytest.raises(ValidationError) as caught:
            Settings(metrics_map_outline_file=path)
        assert "LOUYU_METRICS_MAP_OUTLINE_FILE" in str(caught.value)
        assert problem in str(caught.value)

    def test_empty_setting_means_the_shipped_outline(self):
        from metrics.config import Settings

        assert Settings(metrics_map_outline_file="").metrics_map_outline_file is None
