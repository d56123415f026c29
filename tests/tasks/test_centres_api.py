"""招商共享中心: 入驻率 and 转化率 against hand computations on crafted stays and registry
occupancies; the count of centres opened in a year (for the plan's goal); street scope."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from louyu_kit.clock import today_in_china
from louyu_kit.http import make_async_client
from tasks.centres.service import add_months
from tasks.clients.registry import RegistryClient
from tests.conftest import free_port
from tests.registry.conftest import credit_code, move_in, new_enterprise
from tests.tasks.conftest import BUREAU, FGJ, JIYUQIAO, LEADER, SHUIGUOHU, STREET_SGH, internal_token, token
from tests.tasks.field import chief_building, make_stack

STREET_JYQ = token("jiyuqiao", "street", streets=(JIYUQIAO,))
TODAY = today_in_china()


@pytest.fixture
def stack(make_client):
    return make_stack(make_client, tasks_supervision_interval_seconds=0, tasks_centre_conversion_months=12)


def new_centre(client, headers=BUREAU, **fields) -> dict:
    body = {
        "name": "水果湖街道招商共享中心",
        "level": "street",
        "street_code": SHUIGUOHU,
        "address": "水果湖某路1号",
        "opened_date": "2024-01-01",
        "desks": 10,
        **fields,
    }
    resp = client.post("/api/tasks/centres", json=body, headers=headers)
    assert resp.status_code == 201, resp.text
    return resp.json()


def stay(client, centre: dict, name: str, start: date, headers=BUREAU, **fields) -> dict:
    body = {"enterprise_name": name, "start_date": start.isoformat(), **fields}
    resp = client.post(f"/api/tasks/centres/{centre['id']}/stays", json=body, headers=headers)
    assert resp.status_code == 201, resp.text
    return resp.json()


def test_add_months_keeps_the_day_or_the_months_last():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 3, 15), 12) == date(2026, 3, 15)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)


def test_occupancy_and_conversion_rates_match_a_hand_computation(stack):
    """Ten desks. Stays (N = 12 months):
    A  started 20 months ago, moved into a district building 6 months after → converted
    B  started 20 months ago, moved in 14 months after (too late), left       → window over, not converted
    C  started 15 months ago, no credit code, left                             → window over, not converted
    D  started 2 months ago, still here, 3 desks, not moved yet                → inside its window: not counted
    E  started 3 months ago, moved in last month, left                         → converted
    F  started 1 month ago, still here, 2 desks
    入驻率 = (3 + 2) ÷ 10 = 0.5; 转化率 = 2 (A, E) ÷ 4 (A, B, C, E) = 0.5."""
    registry = stack.registry
    building = chief_building(registry)
    a, b, e = (new_enterprise(registry, n)["credit_code"] for n in (1, 2, 5))
    centre = new_centre(stack.tasks)
    ago = lambda months: add_months(TODAY, -months)  # noqa: E731
    stay(stack.tasks, centre, "甲公司", ago(20), credit_code=a, end_date=ago(14).isoformat())
    stay(stack.tasks, centre, "乙公司", ago(20), credit_code=b, end_date=ago(5).isoformat())
    stay(stack.tasks, centre, "丙工作室", ago(15), end_date=ago(10).isoformat())
    stay(stack.tasks, centre, "丁公司", ago(2), credit_code=credit_code(4), desks=3)
    stay(stack.tasks, centre, "戊公司", ago(3), credit_code=e, end_date=ago(1).isoformat())
    stay(stack.tasks, centre, "己公司", ago(1), credit_code=credit_code(6), desks=2)
    for cc, start in ((a, ago(14)), (b, ago(6)), (e, ago(1))):
        resp = move_in(registry, cc, building["code"], start.isoformat(), area=200)
        assert resp.status_code == 201, resp.text

    detail = stack.tasks.get(f"/api/tasks/centres/{centre['id']}", headers=BUREAU).json()
    rates = detail["rates"]
    assert (rates["desks_used"], rates["hosted_now"], rates["occupancy_rate"]) == (5, 2, 0.5)
    assert (rates["converted"], rates["conversion_base"], rates["conversion_rate"]) == (2, 4, 0.5)
    assert rates["conversion_months"] == 12 and detail["level_label"] == "街道"
    moved = {s["enterprise_name"]: s["moved_to"] for s in detail["stays"] if s["converted"]}
    assert moved == {"甲公司": building["code"], "戊公司": building["code"]}

    listing = stack.tasks.get("/api/tasks/centres", headers=LEADER).json()
    assert listing["total"] == 1 and listing["rates"]["occupancy_rate"] == 0.5
    assert listing["items"][0]["rates"]["conversion_rate"] == 0.5 and listing["items"][0]["stays"] == []


def test_a_stay_before_the_centre_opened_or_ending_before_it_started_is_422(stack):
    centre = new_centre(stack.tasks, opened_date="2025-03-01")
    body = {"enterprise_name": "早到公司", "start_date": "2025-02-01"}
    resp = stack.tasks.post(f"/api/tasks/centres/{centre['id']}/stays", json=body, headers=BUREAU)
    assert resp.status_code == 422 and "2025年3月1日" in resp.json()["detail"]
    body = {"enterprise_name": "倒序公司", "start_date": "2025-04-01", "end_date": "2025-03-31"}
    resp = stack.tasks.post(f"/api/tasks/centres/{centre['id']}/stays", json=body, headers=BUREAU)
    assert resp.status_code == 422 and resp.json()["fields"][0]["field"] == "end_date"


def test_the_centres_opened_in_a_year_for_the_goal(stack):
    year = TODAY.year
    new_centre(stack.tasks, name="区级招商共享中心", level="district", opened_date=date(year, 3, 1).isoformat())
    new_centre(
        stack.tasks, name="积玉桥街道招商共享中心", street_code=JIYUQIAO, opened_date=date(year, 6, 1).isoformat()
    )
    new_centre(stack.tasks, name="去年的中心", opened_date=date(year - 1, 12, 31).isoformat())
    answer = stack.tasks.get("/api/tasks/centres/opened", params={"year": year}, headers=internal_token()).json()
    assert answer["count"] == 2 and [i["level_label"] for i in answer["items"]] == ["区级", "街道"]
    assert stack.tasks.get("/api/tasks/centres/opened", params={"year": year}, headers=STREET_SGH).status_code == 403


def test_a_street_sees_only_the_centres_and_stays_of_its_street(stack):
    sgh = new_centre(stack.tasks)
    jyq = new_centre(stack.tasks, name="积玉桥街道招商共享中心", street_code=JIYUQIAO)
    stay(stack.tasks, sgh, "水果湖企业", TODAY - timedelta(days=10), headers=STREET_SGH)
    stay(stack.tasks, jyq, "积玉桥企业", TODAY - timedelta(days=10), headers=STREET_JYQ)

    listing = stack.tasks.get("/api/tasks/centres", headers=STREET_SGH).json()
    assert [c["name"] for c in listing["items"]] == ["水果湖街道招商共享中心"]
    assert stack.tasks.get(f"/api/tasks/centres/{jyq['id']}", headers=STREET_SGH).status_code == 404
    body = {"enterprise_name": "越界企业", "start_date": TODAY.isoformat()}
    assert stack.tasks.post(f"/api/tasks/centres/{jyq['id']}/stays", json=body, headers=STREET_SGH).status_code == 404
    stays = stack.tasks.get(f"/api/tasks/centres/{sgh['id']}", headers=STREET_SGH).json()["stays"]
    assert [s["enterprise_name"] for s in stays] == ["水果湖企业"]
    # Only the bureau opens centres; departments see none.
    refused = stack.tasks.post(
        "/api/tasks/centres",
        json={"name": "自建中心", "level": "street", "street_code": SHUIGUOHU, "opened_date": "2025-01-01", "desks": 5},
        headers=STREET_SGH,
    )
    assert refused.status_code == 403
    assert stack.tasks.get("/api/tasks/centres", headers=FGJ).json()["total"] == 0


def test_registry_down_leaves_the_occupancy_rate_and_says_the_conversion_rate_is_unavailable(stack):
    centre = new_centre(stack.tasks)
    stay(stack.tasks, centre, "甲公司", add_months(TODAY, -13), credit_code=credit_code(1))
    stack.tasks.app.state.registry = RegistryClient(
        make_async_client(f"http://127.0.0.1:{free_port()}", timeout=1, transport=httpx.AsyncHTTPTransport(retries=0))
    )
    listing = stack.tasks.get("/api/tasks/centres", headers=BUREAU)
    assert listing.status_code == 200, listing.text
    rates = listing.json()["rates"]
    assert rates["occupancy_rate"] == 0.1 and rates["conversion_available"] is False
    assert rates["conversion_rate"] is None and rates["conversion_base"] == 0
