"""The text filters the header's search box relies on: /tasks?q= (title) and /units?q= (name,
short name, alias or code), five at a time, within what the caller may read."""

from __future__ import annotations

import pytest

from tests.tasks.conftest import AUDITOR, CHIEF_SGH, FGJ, LEADER, SHUIGUOHU, new_plan, new_task


@pytest.fixture
def client(make_client):
    return make_client("tasks", tasks_supervision_interval_seconds=0)


@pytest.fixture
def tasks(db_session):
    with db_session() as session:
        plan = new_plan(session)
        made = {
            "gdp": new_task(session, plan, "楼宇GDP贡献率提升专项行动", lead="fgj"),
            "percent": new_task(session, plan, "入驻率达到100%的楼宇授牌", lead="swj"),
            "underscore": new_task(session, plan, "编制A_B两类楼宇清单", lead="swj"),
            "street": new_task(session, plan, "水果湖片区楼宇招商", lead="swuj", co=(SHUIGUOHU,)),
        }
        for i in range(7):
            new_task(session, plan, f"楼宇走访第{i + 1}批", lead="swj")
        return {key: task.id for key, task in made.items()}


def titles(resp):
    assert resp.status_code == 200, resp.text
    return [t["title"] for t in resp.json()["items"]]


class TestTaskTitleSearch:
    def test_part_of_the_title_finds_the_task(self, client, tasks):
        resp = client.get("/api/tasks/tasks", params={"q": "贡献率"}, headers=LEADER)
        assert titles(resp) == ["楼宇GDP贡献率提升专项行动"]

    def test_latin_letters_ignore_case(self, client, tasks):
        assert titles(client.get("/api/tasks/tasks", params={"q": "gdp"}, headers=LEADER)) == [
            "楼宇GDP贡献率提升专项行动"
        ]

    def test_percent_and_underscore_are_characters_not_wildcards(self, client, tasks):
        assert titles(client.get("/api/tasks/tasks", params={"q": "100%"}, headers=LEADER)) == [
            "入驻率达到100%的楼宇授牌"
        ]
        assert titles(client.get("/api/tasks/tasks", params={"q": "%"}, headers=LEADER)) == ["入驻率达到100%的楼宇授牌"]
        assert titles(client.get("/api/tasks/tasks", params={"q": "A_B"}, headers=LEADER)) == ["编制A_B两类楼宇清单"]
        assert titles(client.get("/api/tasks/tasks", params={"q": "A%B"}, headers=LEADER)) == []

    def test_five_at_a_time_with_the_total(self, client, tasks):
        body = client.get("/api/tasks/tasks", params={"q": "楼宇", "page_size": 5}, headers=LEADER).json()
        assert len(body["items"]) == 5 and body["total"] == 11

    def test_blank_query_filters_nothing(self, client, tasks):
        assert client.get("/api/tasks/tasks", params={"q": "  "}, headers=LEADER).json()["total"] == 11

    def test_a_chief_finds_only_the_tasks_of_its_street(self, client, tasks):
        assert titles(client.get("/api/tasks/tasks", params={"q": "楼宇"}, headers=CHIEF_SGH)) == ["水果湖片区楼宇招商"]
        assert titles(client.get("/api/tasks/tasks", params={"q": "贡献率"}, headers=CHIEF_SGH)) == []

    def test_the_auditor_may_not_search_tasks(self, client, tasks):
        assert client.get("/api/tasks/tasks", params={"q": "楼宇"}, headers=AUDITOR).status_code == 403


def codes(resp):
    assert resp.status_code == 200, resp.text
    return [u["code"] for u in resp.json()["items"]]


class TestUnitSearch:
    def test_name_short_name_alias_and_code(self, client):
        assert "fgj" in codes(client.get("/api/tasks/units", params={"q": "发改"}, headers=FGJ))
        assert codes(client.get("/api/tasks/units", params={"q": "发展和改革"}, headers=FGJ)) == ["fgj"]
        assert codes(client.get("/api/tasks/units", params={"q": "fgj"}, headers=FGJ)) == ["fgj"]
        assert codes(client.get("/api/tasks/units", params={"q": "水果湖"}, headers=CHIEF_SGH)) == [SHUIGUOHU]

    def test_short_name_alone_is_found(self, client, db_session):
        from tasks.units.models import Unit

        with db_session() as session:
            session.add(Unit(code="zzz", name="区测试服务中心", short_name="测服中心", kind="department"))
        assert codes(client.get("/api/tasks/units", params={"q": "测服"}, headers=LEADER)) == ["zzz"]

    def test_punctuation_or_wildcards_alone_find_nothing(self, client):
        for q in ("%", "_", "（）", "、"):
            assert codes(client.get("/api/tasks/units", params={"q": q}, headers=LEADER)) == [], q

    def test_five_at_a_time_with_the_total(self, client):
        body = client.get("/api/tasks/units", params={"q": "街道", "page_size": 5}, headers=LEADER).json()
        assert len(body["items"]) == 5 and body["total"] >= 14

    def test_the_auditor_may_not_search_units(self, client):
        assert client.get("/api/tasks/units", params={"q": "街道"}, headers=AUDITOR).status_code == 403
