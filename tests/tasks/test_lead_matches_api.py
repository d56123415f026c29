"""线索匹配房源 over the real registry: a lead's matched spaces with reasons, a space's matching
leads, needs validated, and the 楼长's 待办 (source 线索匹配)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from louyu_kit.clock import today_in_china
from tests.registry.conftest import new_building, new_space
from tests.tasks.conftest import BUREAU, CHIEF_SGH, SHUIGUOHU, token
from tests.tasks.field import make_stack

OTHER_CHIEF = token("qitalouzhang", "chief", streets=("420106001",))


def chief_building(registry, name: str, *, chief: str | None = "louzhang", themes: list[str]) -> dict:
    return new_building(registry, name, street=SHUIGUOHU, chief_username=chief, chief_name="王楼长", themes=themes)


@pytest.fixture
def stack(make_client):
    return make_stack(make_client)


def lead(client, **needs) -> dict:
    body = {"company_name": "意向金融科技有限公司", "industry": "货币金融服务", **needs}
    resp = client.post("/api/tasks/leads", json=body, headers=BUREAU)
    assert resp.status_code == 201, resp.text
    return resp.json()


class TestLeadMatches:
    def test_best_fit_first_with_reasons_and_misfits_left_out(self, stack):
        finance = chief_building(stack.registry, "金融测试大厦", themes=["finance"])
        digital = chief_building(stack.registry, "数字测试大厦", chief=None, themes=["digital"])
        later = (today_in_china() + timedelta(days=200)).isoformat()
        fits = new_space(stack.registry, finance["code"], floor=12, unit="1201", area=500, asking_rent=80)
        new_space(stack.registry, finance["code"], floor=13, unit="1301", area=150)  # too small
        new_space(stack.registry, finance["code"], floor=14, unit="1401", area=500, available_from=later)  # too late
        wrong_theme = new_space(stack.registry, digital["code"], floor=8, unit="801", area=500, asking_rent=80)
        needed_by = (today_in_china() + timedelta(days=60)).isoformat()
        item = lead(stack.tasks, area_min=400, area_max=600, industry_code="6621", needed_by=needed_by, budget_rent=90)
        assert item["industry_code"] == "6621" and item["needed_by"] == needed_by

        resp = stack.tasks.get(f"/api/tasks/leads/{item['id']}/matches", headers=BUREAU)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["has_needs"] is True
        assert [m["space_id"] for m in body["items"]] == [fits["id"], wrong_theme["id"]]
        best = body["items"][0]
        assert best["score"] == 100 and best["theme_names"] == ["金融"]
        assert [r["label"] for r in best["reasons"]] == ["面积契合", "可用日期", "楼宇主题契合", "租金"]
        theme = next(r for r in body["items"][1]["reasons"] if r["kind"] == "theme")
        assert theme["fits"] is False and "不属于" in theme["text"]

    def test_a_whole_vacant_floor_is_offered_as_one(self, stack):
        building = chief_building(stack.registry, "金融测试大厦", themes=["finance"])
        code = building["code"]
        a = new_space(stack.registry, code, floor=20, unit="2001", area=250, asking_rent=80)
        b = new_space(stack.registry, code, floor=20, unit="2002", area=250, asking_rent=100)
        new_space(stack.registry, code, floor=21, unit="2101", area=250)
        new_space(stack.registry, code, floor=21, unit="2102", area=250, status="leased")  # floor 21 not whole
        item = lead(stack.tasks, area_min=400, area_max=600, industry_code="66")

        items = stack.tasks.get(f"/api/tasks/leads/{item['id']}/matches", headers=BUREAU).json()["items"]
        floors = [m for m in items if m["whole_floor"]]
        assert len(floors) == 1
        floor = floors[0]
        assert (floor["floor"], floor["area"], floor["asking_rent"]) == (20, 500.0, 90.0)
        assert floor["space_ids"] == [a["id"], b["id"]] and "整层" in floor["unit"]
        assert items[0] == floor  # the single 250 ㎡ spaces are too small on their own
        assert all(m["whole_floor"] or m["area"] >= 320 for m in items)

    def test_needs_ranges_are_checked(self, stack):
        resp = stack.tasks.post(
            "/api/tasks/leads", json={"company_name": "测试企业", "area_min": 800, "area_max": 300}, headers=BUREAU
        )
        assert resp.status_code == 422 and resp.json()["fields"][0]["field"] == "area_min"
        bad = stack.tasks.post(
            "/api/tasks/leads", json={"company_name": "测试企业", "industry_code": "金融"}, headers=BUREAU
        )
        assert bad.status_code == 422
        made = lead(stack.tasks, area_min=400, area_max=600)
        assert made["area_min"] == 400
        resp = stack.tasks.patch(
            f"/api/tasks/leads/{made['id']}",
            json={"area_max": 300},
            headers={**BUREAU, "If-Match": f'"{made["version"]}"'},
        )
        assert resp.status_code == 422 and "需求面积" in resp.json()["detail"]
        resp = stack.tasks.patch(
            f"/api/tasks/leads/{made['id']}",
            json={"area_max": 800, "budget_rent": 95},
            headers={**BUREAU, "If-Match": f'"{made["version"]}"'},
        )
        assert resp.status_code == 200 and (resp.json()["area_max"], resp.json()["budget_rent"]) == (800, 95)

    def test_the_chief_sees_the_match_in_the_inbox_and_the_space_view(self, stack):
        building = chief_building(stack.registry, "金融测试大厦", themes=["finance"])
        space = new_space(stack.registry, building["code"], floor=12, unit="1201", area=500)
        item = lead(stack.tasks, area_min=400, area_max=600, industry_code="J")

        space_view = stack.tasks.get(f"/api/tasks/spaces/{space['id']}/leads", headers=BUREAU).json()
        assert space_view["available"] is True
        assert [x["lead_id"] for x in space_view["items"]] == [item["id"]]
        assert space_view["items"][0]["score"] >= space_view["threshold"]

        inbox = stack.tasks.get("/api/tasks/inbox", headers=CHIEF_SGH).json()
        mine = [i for i in inbox["items"] if i["kind"] == "lead_match"]
        assert len(mine) == 1 and "意向金融科技有限公司" in mine[0]["title"]
        assert any(c["label"] == "线索匹配" for c in inbox["counts"])
        # The chief sees the lead's summary on their space, not its details.
        chief_view = stack.tasks.get(f"/api/tasks/spaces/{space['id']}/leads", headers=CHIEF_SGH).json()
        assert [(x["lead_id"], x["readable"]) for x in chief_view["items"]] == [(item["id"], False)]

    def test_a_space_outside_the_callers_scope_is_404(self, stack):
        building = chief_building(stack.registry, "金融测试大厦", themes=["finance"])
        space = new_space(stack.registry, building["code"], floor=12, unit="1201", area=500)
        assert stack.tasks.get(f"/api/tasks/spaces/{space['id']}/leads", headers=OTHER_CHIEF).status_code == 404


def test_demo_leads_have_needs_and_say_they_are_invented(make_client, tasks_db_url):
    from tasks.demo import load_if_empty

    load_if_empty(tasks_db_url)
    client = make_client("tasks")
    leads = client.get("/api/tasks/leads", params={"page_size": 50}, headers=BUREAU).json()["items"]
    # Other demo modules (楼宇活动's outcomes …) add leads of their own; every one says it is invented.
    assert all("演示" in x["company_name"] for x in leads)
    with_needs = [x for x in leads if x["area_min"]]
    assert len(with_needs) == 5
    assert all(x["company_name"].startswith("演示") and "（演示）" in x["note"] for x in with_needs)
    assert all(x["industry_code"] and x["needed_by"] for x in with_needs)
