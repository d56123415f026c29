"""扫楼 rounds: the buildings (and their 楼长) taken from registry, visits linked to the round,
coverage per street and per chief, and the buildings not yet visited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from louyu_kit.clock import today_in_china
from tests.tasks.conftest import BUREAU, CHIEF_SGH, FGJ, LEADER, SHUIGUOHU, STREET_SGH, YANGYUAN
from tests.tasks.field import chief_building, make_stack


@pytest.fixture
def stack(make_client):
    return make_stack(make_client)


def round_body(**fields) -> dict:
    return {
        "name": "2025年第二季度扫楼",
        "start_date": (today_in_china() - timedelta(days=10)).isoformat(),
        "end_date": (today_in_china() + timedelta(days=20)).isoformat(),
        **fields,
    }


@pytest.fixture
def buildings(stack):
    return {
        "mine": chief_building(stack.registry, "数创大厦"),
        "neighbour": chief_building(stack.registry, "碳汇大厦", chief="another"),
        "yangyuan": chief_building(stack.registry, "保利广场", chief="yy_chief", street=YANGYUAN),
    }


def test_coverage_per_street_and_chief_and_the_buildings_not_yet_visited(stack, buildings):
    resp = stack.tasks.post(
        "/api/tasks/visit-rounds", json=round_body(street_codes=[SHUIGUOHU, YANGYUAN]), headers=BUREAU
    )
    assert resp.status_code == 201, resp.text
    round_ = resp.json()
    assert (round_["building_count"], round_["visited_count"]) == (3, 0)

    visit = stack.tasks.post("/api/tasks/visits", json={"building_code": buildings["mine"]["code"]}, headers=CHIEF_SGH)
    assert visit.status_code == 201
    assert visit.json()["round_id"] == round_["id"] and visit.json()["round_name"] == "2025年第二季度扫楼"

    coverage = stack.tasks.get(f"/api/tasks/visit-rounds/{round_['id']}/coverage", headers=LEADER).json()
    assert (coverage["buildings"], coverage["visited"], coverage["rate"]) == (3, 1, 0.3333)
    by_street = {
        row["code"]: (row["name"], row["buildings"], row["visited"], row["rate"]) for row in coverage["by_street"]
    }
    assert by_street == {SHUIGUOHU: ("水果湖街道", 2, 1, 0.5), YANGYUAN: ("杨园街道", 1, 0, 0.0)}
    by_chief = {row["code"]: (row["buildings"], row["visited"]) for row in coverage["by_chief"]}
    assert by_chief == {"louzhang": (1, 1), "another": (1, 0), "yy_chief": (1, 0)}

    unvisited = stack.tasks.get(f"/api/tasks/visit-rounds/{round_['id']}/unvisited", headers=BUREAU).json()
    assert sorted(b["building_name"] for b in unvisited["items"]) == ["保利广场", "碳汇大厦"]
    visited = stack.tasks.get(
        f"/api/tasks/visit-rounds/{round_['id']}/buildings", params={"visited": "true"}, headers=BUREAU
    ).json()
    assert [(b["building_name"], b["last_visit_date"]) for b in visited["items"]] == [
        ("数创大厦", today_in_china().isoformat())
    ]


def test_a_chief_and_a_street_see_only_their_part_of_a_round(stack, buildings):
    round_ = stack.tasks.post("/api/tasks/visit-rounds", json=round_body(), headers=BUREAU).json()
    assert round_["building_count"] == 3  # every building registry shows the bureau
    mine = stack.tasks.get(f"/api/tasks/visit-rounds/{round_['id']}/buildings", headers=CHIEF_SGH).json()
    assert [b["building_code"] for b in mine["items"]] == [buildings["mine"]["code"]]
    street = stack.tasks.get(f"/api/tasks/visit-rounds/{round_['id']}/coverage", headers=STREET_SGH).json()
    assert [row["code"] for row in street["by_street"]] == [SHUIGUOHU] and street["buildings"] == 2
    listed = stack.tasks.get("/api/tasks/visit-rounds", headers=CHIEF_SGH).json()["items"]
    assert [(r["building_count"], r["visited_count"]) for r in listed] == [(1, 0)]


def test_a_round_of_named_buildings_and_its_checks(stack, buildings):
    codes = [buildings["mine"]["code"], buildings["yangyuan"]["code"]]
    created = stack.tasks.post("/api/tasks/visit-rounds", json=round_body(building_codes=codes), headers=BUREAU)
    assert created.status_code == 201 and created.json()["building_count"] == 2
    again = stack.tasks.post("/api/tasks/visit-rounds", json=round_body(building_codes=codes), headers=BUREAU)
    assert again.status_code == 409
    unknown = stack.tasks.post(
        "/api/tasks/visit-rounds", json=round_body(name="另一轮", building_codes=["420106-9999"]), headers=BUREAU
    )
    assert unknown.status_code == 422 and unknown.json()["fields"][0]["field"] == "building_codes"
    backwards = stack.tasks.post(
        "/api/tasks/visit-rounds",
        json=round_body(name="倒序", start_date="2025-06-30", end_date="2025-04-01"),
        headers=BUREAU,
    )
    assert backwards.status_code == 422
    assert stack.tasks.post("/api/tasks/visit-rounds", json=round_body(name="部门建"), headers=FGJ).status_code == 403


def test_a_visit_outside_the_rounds_dates_is_not_counted(stack, buildings):
    past = round_body(
        name="2025年第一季度扫楼",
        start_date=(today_in_china() - timedelta(days=100)).isoformat(),
        end_date=(today_in_china() - timedelta(days=60)).isoformat(),
    )
    round_ = stack.tasks.post("/api/tasks/visit-rounds", json=past, headers=BUREAU).json()
    visit = stack.tasks.post("/api/tasks/visits", json={"building_code": buildings["mine"]["code"]}, headers=CHIEF_SGH)
    assert visit.json()["round_id"] is None
    assert stack.tasks.get(f"/api/tasks/visit-rounds/{round_['id']}", headers=BUREAU).json()["visited_count"] == 0
    named = stack.tasks.post(
        "/api/tasks/visits",
        json={"building_code": buildings["neighbour"]["code"], "round_id": round_["id"] + 100},
        headers=BUREAU,
    )
    assert named.status_code == 422 and named.json()["fields"][0]["field"] == "round_id"
