"""The 楼长's visit end to end over real HTTP: gateway → tasks → registry with the chief's own
token, then registry stopped: the next visit is refused with a 503 and nothing is saved."""

from __future__ import annotations

import pytest

from tests.conftest import add_user, bearer, login
from tests.tasks.conftest import SHUIGUOHU

pytestmark = pytest.mark.live


def test_a_chiefs_visit_through_the_gateway_writes_the_space_and_registry_down_saves_nothing(live_stack):
    gw = live_stack.db_urls["gateway"]
    add_user(gw, "shangwu", roles=["bureau"], org_unit="swj")
    add_user(gw, "louzhang", roles=["chief"], street_codes=[SHUIGUOHU])
    with live_stack.client() as http:
        bureau = bearer(login(http, "shangwu")["access_token"])
        chief = bearer(login(http, "louzhang")["access_token"])
        building = http.post(
            "/api/registry/buildings",
            json={"name": "数创大厦", "street_code": SHUIGUOHU, "floors_above": 30, "chief_username": "louzhang"},
            headers=bureau,
        ).json()
        space = http.post(
            f"/api/registry/buildings/{building['code']}/spaces",
            json={"floor": 12, "unit": "1201", "area": 650, "status": "leased"},
            headers=bureau,
        ).json()

        body = {
            "building_code": building["code"],
            "spaces": [{"space_id": space["id"], "status": "vacant", "version": space["version"]}],
            "demands": [{"enterprise_name": "在楼企业有限公司", "category": "talent", "text": "人才公寓申请"}],
        }
        visit = http.post("/api/tasks/visits", json=body, headers=chief)
        assert visit.status_code == 201, visit.text
        seen_by_chief = http.get(f"/api/registry/spaces/{space['id']}", headers=chief).json()
        assert seen_by_chief["status"] == "vacant"
        history = http.get(f"/api/registry/spaces/{space['id']}/history", headers=bureau).json()
        assert history[0]["actor"] == "louzhang"  # registry applied the chief's own identity

        live_stack.stop("registry")
        again = http.post(
            "/api/tasks/visits",
            json={**body, "spaces": [{"space_id": space["id"], "status": "leased"}]},
            headers=chief,
        )
        assert again.status_code == 503, again.text
        assert "楼宇登记服务" in again.json()["detail"] and "未保存" in again.json()["detail"]
        assert http.get("/api/tasks/visits", headers=bureau).json()["total"] == 1
        assert http.get("/api/tasks/demands", headers=bureau).json()["total"] == 1
