"""招商线索: created from a visit or by hand, the pipeline with its dates, masked contacts with an
audited reveal, versions on edit, scope."""

from __future__ import annotations

from datetime import timedelta

import pytest

from louyu_kit.clock import today_in_china
from tests.tasks.conftest import BUREAU, CHIEF_SGH, FGJ, LEADER, STREET_SGH, token
from tests.tasks.field import changes, chief_building, make_stack


@pytest.fixture
def stack(make_client):
    return make_stack(make_client)


def new_lead(client, headers=BUREAU, **fields) -> dict:
    body = {"company_name": "意向金融科技有限公司", "industry": "J 金融业", "area_wanted": 1200, **fields}
    resp = client.post("/api/tasks/leads", json=body, headers=headers)
    assert resp.status_code == 201, resp.text
    return resp.json()


def move(client, lead: dict, stage: str, headers=BUREAU, **body):
    return client.post(f"/api/tasks/leads/{lead['id']}/stage", json={"stage": stage, **body}, headers=headers)


class TestPipeline:
    def test_new_contacted_negotiating_signed_with_dates(self, stack):
        month_ago = (today_in_china() - timedelta(days=30)).isoformat()
        week_ago = (today_in_china() - timedelta(days=7)).isoformat()
        lead = new_lead(stack.tasks, contact_name="张总", contact_phone="13912345678", found_date=month_ago)
        assert (lead["stage"], lead["stage_label"], lead["stage_date"]) == ("new", "新线索", month_ago)
        assert move(stack.tasks, lead, "contacted", step_date=week_ago).status_code == 200
        assert move(stack.tasks, lead, "negotiating", note="看了两处房源").status_code == 200
        signed = move(stack.tasks, lead, "signed", note="签约入驻数创大厦").json()
        assert signed["stage"] == "signed"
        steps = signed["steps"]
        assert [(s["stage_before"], s["stage_after"]) for s in steps] == [
            (None, "new"),
            ("new", "contacted"),
            ("contacted", "negotiating"),
            ("negotiating", "signed"),
        ]
        assert steps[1]["step_date"] == week_ago
        assert [e["data"]["stage"] for e in changes(stack.tasks, "lead")] == [
            "new",
            "contacted",
            "negotiating",
            "signed",
        ]

    def test_signed_is_final_and_a_lead_never_goes_backwards(self, stack):
        lead = new_lead(stack.tasks)
        assert move(stack.tasks, lead, "negotiating").status_code == 200
        backwards = move(stack.tasks, lead, "contacted")
        assert backwards.status_code == 409 and "退回" in backwards.json()["detail"]
        assert move(stack.tasks, lead, "signed").status_code == 200
        assert move(stack.tasks, lead, "lost", note="x").status_code == 409

    def test_lost_needs_a_reason(self, stack):
        lead = new_lead(stack.tasks)
        resp = move(stack.tasks, lead, "lost")
        assert resp.status_code == 422 and resp.json()["fields"][0]["field"] == "note"
        assert move(stack.tasks, lead, "lost", note="企业选择了光谷").json()["stage_label"] == "已流失"

    def test_a_step_cannot_be_dated_in_the_future_or_before_the_last_one(self, stack):
        lead = new_lead(stack.tasks)
        tomorrow = (today_in_china() + timedelta(days=1)).isoformat()
        assert move(stack.tasks, lead, "contacted", step_date=tomorrow).status_code == 422
        assert move(stack.tasks, lead, "contacted").status_code == 200
        yesterday = (today_in_china() - timedelta(days=1)).isoformat()
        resp = move(stack.tasks, lead, "negotiating", step_date=yesterday)
        assert resp.status_code == 422 and resp.json()["fields"][0]["field"] == "step_date"


class TestContactsAndEdits:
    def test_the_phone_is_masked_and_revealing_it_is_audited(self, stack):
        lead = new_lead(stack.tasks, contact_name="张总", contact_phone="139-1234-5678")
        assert lead["contact_phone"] == "139****5678"
        listed = stack.tasks.get("/api/tasks/leads", headers=BUREAU).json()["items"][0]
        assert listed["contact_phone"] == "139****5678"
        assert "13912345678" not in str(changes(stack.tasks, "lead"))
        reveal = stack.tasks.post(f"/api/tasks/leads/{lead['id']}/contact/reveal", headers=BUREAU)
        assert reveal.json()["contact_phone"] == "13912345678"
        assert (reveal.headers["x-audit-action"], reveal.headers["x-audit-object"]) == (
            "phone.reveal",
            f"lead:{lead['id']}",
        )
        assert stack.tasks.post(f"/api/tasks/leads/{lead['id']}/contact/reveal", headers=LEADER).status_code == 403

    def test_an_edit_needs_the_current_version(self, stack):
        lead = new_lead(stack.tasks)
        url = f"/api/tasks/leads/{lead['id']}"
        assert stack.tasks.patch(url, json={"area_wanted": 900}, headers=BUREAU).status_code == 428
        etag = stack.tasks.get(url, headers=BUREAU).headers["etag"]
        resp = stack.tasks.patch(
            url, json={"area_wanted": 900, "owner_unit": "区发改局"}, headers={**BUREAU, "If-Match": etag}
        )
        assert resp.status_code == 200, resp.text
        assert (resp.json()["area_wanted"], resp.json()["owner_unit_code"]) == (900, "fgj")
        stale = stack.tasks.patch(url, json={"area_wanted": 800}, headers={**BUREAU, "If-Match": etag})
        assert stale.status_code == 412

    def test_a_bad_phone_is_422_naming_the_field(self, stack):
        resp = stack.tasks.post(
            "/api/tasks/leads", json={"company_name": "某公司", "contact_phone": "call me"}, headers=BUREAU
        )
        assert resp.status_code == 422 and resp.json()["fields"][0]["field"] == "contact_phone"


class TestScope:
    def test_leads_are_seen_by_their_street_their_unit_and_their_author(self, stack):
        building = chief_building(stack.registry)
        from_visit = stack.tasks.post(
            "/api/tasks/visits",
            json={"building_code": building["code"], "leads": [{"company_name": "走访发现的企业"}]},
            headers=CHIEF_SGH,
        ).json()
        followed = new_lead(stack.tasks, owner_unit="fgj")
        new_lead(stack.tasks)
        street = stack.tasks.get("/api/tasks/leads", headers=STREET_SGH).json()
        assert [x["source_visit_id"] for x in street["items"]] == [from_visit["id"]]
        assert [x["id"] for x in stack.tasks.get("/api/tasks/leads", headers=FGJ).json()["items"]] == [followed["id"]]
        assert stack.tasks.get("/api/tasks/leads", headers=CHIEF_SGH).json()["total"] == 1
        assert stack.tasks.get("/api/tasks/leads", headers=LEADER).json()["total"] == 3
        other_chief = token("another", "chief")
        assert stack.tasks.get("/api/tasks/leads", headers=other_chief).json()["total"] == 0
        assert stack.tasks.get(f"/api/tasks/leads/{followed['id']}", headers=other_chief).status_code == 404

    def test_a_lead_from_a_building_outside_the_callers_scope_is_refused(self, stack):
        building = chief_building(stack.registry, chief="another")
        resp = stack.tasks.post(
            "/api/tasks/leads", json={"company_name": "某公司", "building_code": building["code"]}, headers=CHIEF_SGH
        )
        assert resp.status_code == 404


def test_a_lead_from_a_visit_takes_its_building_and_an_unknown_visit_is_422(stack):
    building = chief_building(stack.registry)
    visit = stack.tasks.post("/api/tasks/visits", json={"building_code": building["code"]}, headers=CHIEF_SGH).json()
    lead = new_lead(stack.tasks, headers=CHIEF_SGH, source_visit_id=visit["id"])
    assert (lead["building_code"], lead["street_code"]) == (building["code"], building["street_code"])
    unknown = stack.tasks.post(
        "/api/tasks/leads", json={"company_name": "某公司", "source_visit_id": 999}, headers=BUREAU
    )
    assert unknown.status_code == 422 and unknown.json()["fields"][0]["field"] == "source_visit_id"
    other = chief_building(stack.registry, "长江产业大厦")
    mismatch = stack.tasks.post(
        "/api/tasks/leads",
        json={"company_name": "某公司", "source_visit_id": visit["id"], "building_code": other["code"]},
        headers=BUREAU,
    )
    assert mismatch.status_code == 422 and mismatch.json()["fields"][0]["field"] == "building_code"
