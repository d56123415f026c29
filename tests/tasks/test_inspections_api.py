"""人大代表视察、座谈 and 整改意见: the lifecycle (record → assign → answer → send back → answer
again → confirm closed), overdue shares turning red and getting 督办, a unit answering only its
own share, the deputies' names masked for everyone and revealed only to roles that need them
(with the audit headers the gateway records), and the cockpit's counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from louyu_kit.clock import today_in_china
from tests.tasks.conftest import BUREAU, CHIEF_SGH, FGJ, LEADER, STREET_SGH, SWUJ
from tests.tasks.field import chief_building, make_stack

TODAY = today_in_china()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def record(client, **extra) -> dict:
    body = {
        "kind": "inspection",
        "held_on": (TODAY - timedelta(days=20)).isoformat(),
        "title": "视察特色楼宇建设",
        "deputies": ["王建国", "李红梅", "欧阳晓"],
        "attendees": "区商务局、区发改局相关负责同志",
        "places": ["区招商共享中心"],
        "reporting_units": ["swj", "fgj"],
        "minutes": "代表们听取了汇报，实地察看了楼宇。",
        "opinions": [
            {
                "text": "加快楼宇信息平台建设",
                "deadline": (TODAY + timedelta(days=30)).isoformat(),
                "unit_codes": ["fgj"],
            },
            {
                "text": "解决楼宇停车难问题",
                "deadline": (TODAY - timedelta(days=2)).isoformat(),
                "unit_codes": ["fgj", "swuj"],
            },
        ],
        **extra,
    }
    resp = client.post("/api/tasks/inspections", json=body, headers=BUREAU)
    assert resp.status_code == 201, resp.text
    return resp.json()


def share(opinion: dict, unit: str) -> dict:
    return next(a for a in opinion["assignments"] if a["unit_code"] == unit)


def act(client, opinion: dict, unit: str, action: str, headers, body: dict | None = None):
    a = share(opinion, unit)
    return client.post(
        f"/api/tasks/opinions/{opinion['id']}/assignments/{a['id']}/{action}", json=body or {}, headers=headers
    )


def test_opinion_lifecycle_answer_send_back_answer_confirm(tasks_client):
    inspection = record(tasks_client)
    first = inspection["opinion_items"][0]
    assert first["status"] == "open" and first["light"] == "green"

    # Confirming before the unit answered is an illegal move.
    resp = act(tasks_client, first, "fgj", "confirm", BUREAU)
    assert resp.status_code == 409 and "待整改" in resp.json()["detail"]

    resp = act(tasks_client, first, "fgj", "answer", FGJ, {"answer": "平台一期已上线试运行"})
    assert resp.status_code == 200, resp.text
    answered = resp.json()
    assert share(answered, "fgj")["status"] == "answered" and answered["status"] == "answered"
    # Answering twice is a conflict as well.
    assert act(tasks_client, first, "fgj", "answer", FGJ, {"answer": "再答一次"}).status_code == 409

    # The bureau sends it back; a reason is required.
    assert act(tasks_client, first, "fgj", "send-back", BUREAU, {"reason": ""}).status_code == 422
    resp = act(tasks_client, first, "fgj", "send-back", BUREAU, {"reason": "请补充平台上线的佐证材料"})
    back = share(resp.json(), "fgj")
    assert back["status"] == "returned" and back["returned_count"] == 1
    assert back["return_reason"] == "请补充平台上线的佐证材料"

    # Evidence and a second answer, then closure.
    a = share(first, "fgj")
    url = f"/api/tasks/opinions/{first['id']}/assignments/{a['id']}/evidence"
    resp = tasks_client.post(url, files={"file": ("上线截图.png", PNG, "image/png")}, headers=FGJ)
    assert resp.status_code == 201, resp.text
    bad = tasks_client.post(url, files={"file": ("x.png", b"not an image", "image/png")}, headers=FGJ)
    assert bad.status_code == 422
    resp = act(tasks_client, first, "fgj", "answer", FGJ, {"answer": "已补充上线截图，平台正式运行"})
    assert share(resp.json(), "fgj")["evidence"][0]["filename"] == "上线截图.png"
    resp = act(tasks_client, first, "fgj", "confirm", BUREAU)
    closed = resp.json()
    assert closed["status"] == "closed" and share(closed, "fgj")["closed_by"] == "shangwu"
    # Closed is final: no answer, no send-back.
    assert act(tasks_client, first, "fgj", "answer", FGJ, {"answer": "又一次"}).status_code == 409
    assert act(tasks_client, first, "fgj", "send-back", BUREAU, {"reason": "再退"}).status_code == 409


def test_overdue_share_is_red_and_gets_escalating_supervision(tasks_client):
    inspection = record(tasks_client)
    late = inspection["opinion_items"][1]
    assert late["overdue"] is True and late["light"] == "red"
    assert {a["light"] for a in late["assignments"]} == {"red"}
    assert "已逾期 2 天" in share(late, "fgj")["light_reason"]

    # A share not yet due cannot be urged.
    assert act(tasks_client, inspection["opinion_items"][0], "fgj", "urge", BUREAU).status_code == 409
    # Only the bureau urges.
    assert act(tasks_client, late, "fgj", "urge", FGJ).status_code == 403
    resp = act(tasks_client, late, "fgj", "urge", BUREAU, {"note": "请立即反馈"})
    assert share(resp.json(), "fgj")["urge_level_name"] == "提醒"
    # Once a day.
    assert act(tasks_client, late, "fgj", "urge", BUREAU).status_code == 409
    # The daily rule urges what is left (swuj's share), and nothing twice the same day.
    assert tasks_client.post("/api/tasks/opinions/urge-overdue", headers=BUREAU).json() == {"urged": 1}
    assert tasks_client.post("/api/tasks/opinions/urge-overdue", headers=BUREAU).json() == {"urged": 0}

    # An answered share is no longer overdue, even past the deadline.
    resp = act(tasks_client, late, "swuj", "answer", SWUJ, {"answer": "已协调周边停车位 200 个"})
    assert share(resp.json(), "swuj")["overdue"] is False
    assert resp.json()["overdue"] is True  # fgj's share still is

    figures = tasks_client.get("/api/tasks/opinions/figures", headers=LEADER).json()
    assert figures == {
        "total": 3,
        "open": 3,
        "overdue": 1,
        "answered": 1,
        "closed": 0,
        "opinions": 2,
        "opinions_closed": 0,
    }
    overdue = tasks_client.get("/api/tasks/opinions", params={"overdue": True}, headers=BUREAU).json()
    assert [o["id"] for o in overdue["items"]] == [late["id"]]


def test_a_unit_answers_only_its_own_share(tasks_client):
    inspection = record(tasks_client)
    first = inspection["opinion_items"][0]  # assigned to 区发改局 only
    resp = act(tasks_client, first, "fgj", "answer", SWUJ, {"answer": "越权反馈"})
    assert resp.status_code == 403 and "区发改局" in resp.json()["detail"]
    assert act(tasks_client, first, "fgj", "answer", STREET_SGH, {"answer": "越权反馈"}).status_code == 403
    # Nor its evidence.
    a = share(first, "fgj")
    url = f"/api/tasks/opinions/{first['id']}/assignments/{a['id']}/evidence"
    assert tasks_client.post(url, files={"file": ("a.png", PNG, "image/png")}, headers=SWUJ).status_code == 403
    # Only the bureau records inspections.
    assert tasks_client.post("/api/tasks/inspections", json={}, headers=FGJ).status_code in (403, 422)
    resp = tasks_client.post(
        "/api/tasks/inspections",
        json={"kind": "forum", "held_on": TODAY.isoformat(), "title": "座谈会"},
        headers=FGJ,
    )
    assert resp.status_code == 403
    # "Mine" lists only the opinions assigned to the caller's unit.
    mine = tasks_client.get("/api/tasks/opinions", params={"mine": True}, headers=SWUJ).json()
    assert [o["text"] for o in mine["items"]] == ["解决楼宇停车难问题"]
    assert [a["mine"] for a in mine["items"][0]["assignments"]] == [False, True]


def test_bad_input_is_refused_whole(tasks_client):
    resp = tasks_client.post(
        "/api/tasks/inspections",
        json={
            "kind": "inspection",
            "held_on": TODAY.isoformat(),
            "title": "视察",
            "opinions": [
                {"text": "意见一", "deadline": TODAY.isoformat(), "unit_codes": ["fgj"]},
                {"text": "意见二", "deadline": TODAY.isoformat(), "unit_codes": ["nosuch"]},
            ],
        },
        headers=BUREAU,
    )
    assert resp.status_code == 422 and "nosuch" in resp.json()["detail"]
    assert tasks_client.get("/api/tasks/inspections", headers=BUREAU).json()["total"] == 0
    early = tasks_client.post(
        "/api/tasks/inspections",
        json={
            "kind": "inspection",
            "held_on": TODAY.isoformat(),
            "title": "视察",
            "opinions": [
                {"text": "意见一", "deadline": (TODAY - timedelta(days=1)).isoformat(), "unit_codes": ["fgj"]}
            ],
        },
        headers=BUREAU,
    )
    assert early.status_code == 422 and "整改期限" in early.json()["detail"]


def test_deputies_names_masked_and_revealed_with_audit(tasks_client):
    inspection = record(tasks_client)
    assert inspection["deputies"] == ["王**", "李**", "欧**"]
    for headers in (BUREAU, LEADER, FGJ, STREET_SGH):
        listed = tasks_client.get("/api/tasks/inspections", headers=headers).json()["items"][0]
        assert listed["deputies"] == ["王**", "李**", "欧**"] and listed["deputy_count"] == 3
        detail = tasks_client.get(f"/api/tasks/inspections/{inspection['id']}", headers=headers).text
        assert "王建国" not in detail and "李红梅" not in detail
    url = f"/api/tasks/inspections/{inspection['id']}/deputies/reveal"
    for headers in (FGJ, STREET_SGH, CHIEF_SGH):
        assert tasks_client.post(url, headers=headers).status_code == 403
    resp = tasks_client.post(url, headers=BUREAU)
    assert resp.status_code == 200
    assert resp.json()["deputies"] == ["王建国", "李红梅", "欧阳晓"]
    assert resp.headers["X-Audit-Action"] == "deputies.reveal"
    assert resp.headers["X-Audit-Object"] == f"inspection:{inspection['id']}"


def test_photos_kept_and_checked(tasks_client):
    inspection = record(tasks_client)
    url = f"/api/tasks/inspections/{inspection['id']}/photos"
    resp = tasks_client.post(url, files={"file": ("现场.png", PNG, "image/png")}, headers=BUREAU)
    assert resp.status_code == 201, resp.text
    photo = resp.json()
    assert tasks_client.post(url, files={"file": ("x.png", PNG, "image/png")}, headers=FGJ).status_code == 403
    got = tasks_client.get(f"{url}/{photo['id']}", headers=FGJ)
    assert got.status_code == 200 and got.content == PNG
    detail = tasks_client.get(f"/api/tasks/inspections/{inspection['id']}", headers=FGJ).json()
    assert [p["filename"] for p in detail["photos"]] == ["现场.png"]


@pytest.fixture
def stack(make_client):
    return make_stack(make_client, tasks_supervision_interval_seconds=0)


def test_buildings_visited_are_checked_against_the_registry(stack):
    building = chief_building(stack.registry)
    inspection = record(stack.tasks, building_codes=[building["code"]])
    assert inspection["buildings"] == [{"code": building["code"], "name": building["name"]}]
    resp = stack.tasks.post(
        "/api/tasks/inspections",
        json={"kind": "inspection", "held_on": TODAY.isoformat(), "title": "视察", "building_codes": ["NOSUCH999"]},
        headers=BUREAU,
    )
    assert resp.status_code == 404, resp.text


def test_the_daily_supervision_rule_urges_overdue_opinions(tasks_client):
    from tasks.supervision import daily

    inspection = record(tasks_client)
    result = daily.run_once(tasks_client.app)
    assert result["opinions_urged"] == 2  # the overdue opinion's two shares
    assert daily.run_once(tasks_client.app)["opinions_urged"] == 0  # once a day
    late = tasks_client.get(f"/api/tasks/opinions/{inspection['opinion_items'][1]['id']}", headers=BUREAU).json()
    assert {a["urge_level_name"] for a in late["assignments"]} == {"提醒"}
