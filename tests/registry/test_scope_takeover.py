"""A street cannot take over another street's enterprise (issue #14 item 1).

The rule (registry.access): a street user or 楼长 reads and writes an enterprise only while it
has a stay in force in one of the user's buildings, or when the user registered it and it has
no stay in force anywhere else. Creating a stay needs the enterprise in scope already; a street
that is not the enterprise's files a 入驻申请 (待确认) that the bureau confirms or rejects."""

from __future__ import annotations

from tests.registry.conftest import (
    BUREAU,
    JIYUQIAO,
    LEADER,
    YANGYUAN,
    credit_code,
    move_in,
    new_building,
    new_enterprise,
    new_space,
    token,
)

JYQ = token("jyq", "street", streets=(JIYUQIAO,))  # 积玉桥
YY = token("yy", "street", streets=(YANGYUAN,))  # 杨园
PROPOSALS = "/api/registry/occupancy-proposals"


def _two_streets(registry):
    own = new_building(registry, "积玉桥大厦")
    space = new_space(registry, own["code"], area=300)
    theirs = new_building(registry, "杨园大厦", street=YANGYUAN)
    firm = new_enterprise(registry, 1, name="杨园科技有限公司")
    assert move_in(registry, firm["credit_code"], theirs["code"], "2025-01-01", area=100).status_code == 201
    return own, space, theirs, firm


def _takeover(registry, own, space, firm):
    body = {
        "credit_code": firm["credit_code"],
        "building_code": own["code"],
        "spaces": [{"id": space["id"], "area": 1}],
        "start_date": "2026-01-01",
    }
    return registry.post("/api/registry/occupancies", json=body, headers=JYQ)


class TestTakeover:
    def test_a_street_cannot_move_in_another_streets_enterprise(self, registry):
        own, space, _, firm = _two_streets(registry)
        resp = _takeover(registry, own, space, firm)  # the reproduction: 201 before the fix
        assert resp.status_code == 403
        assert resp.json()["error"] == "NeedsConfirmation" and "区商务局确认" in resp.json()["detail"]
        assert resp.json()["fields"][0]["field"] == "credit_code"
        # Nothing was written, and the enterprise stays out of sight and out of reach.
        tenants = registry.get(f"/api/registry/buildings/{own['code']}/tenants", headers=BUREAU).json()
        assert tenants == []
        cc = firm["credit_code"]
        assert registry.get(f"/api/registry/enterprises/{cc}", headers=JYQ).status_code == 404
        listed = registry.get("/api/registry/enterprises", headers=JYQ).json()
        assert listed["total"] == 0
        patch = registry.patch(
            f"/api/registry/enterprises/{cc}", json={"name": "被改名"}, headers={**JYQ, "If-Match": '"1"'}
        )
        assert patch.status_code == 404

    def test_the_enterprises_own_street_still_moves_it_within_its_street(self, registry):
        _, _, _, firm = _two_streets(registry)
        second = new_building(registry, "杨园二号楼", street=YANGYUAN)
        resp = move_in(registry, firm["credit_code"], second["code"], "2026-01-01", area=50, headers=YY)
        assert resp.status_code == 201

    def test_a_moved_out_enterprise_leaves_the_old_streets_scope(self, registry):
        own, _, theirs, firm = _two_streets(registry)
        stays = registry.get(f"/api/registry/buildings/{theirs['code']}/occupancies", headers=BUREAU).json()
        ended = registry.post(
            f"/api/registry/occupancies/{stays[0]['id']}/end",
            json={"end_date": "2025-06-30"},
            headers={**BUREAU, "If-Match": f'"{stays[0]["version"]}"'},
        )
        assert ended.status_code == 200
        assert registry.get(f"/api/registry/enterprises/{firm['credit_code']}", headers=YY).status_code == 404
        # Gone from 杨园 does not make it 积玉桥's either.
        assert move_in(registry, firm["credit_code"], own["code"], "2026-01-01", area=5, headers=JYQ).status_code == 403

    def test_a_street_still_moves_in_the_enterprise_it_registered(self, registry):
        own = new_building(registry, "积玉桥大厦")
        firm = new_enterprise(registry, 2, headers=JYQ)
        assert (
            move_in(registry, firm["credit_code"], own["code"], "2026-01-01", area=10, headers=JYQ).status_code == 201
        )

    def test_registering_it_does_not_keep_it_once_it_is_elsewhere(self, registry):
        own = new_building(registry, "积玉桥大厦")
        theirs = new_building(registry, "杨园大厦", street=YANGYUAN)
        firm = new_enterprise(registry, 3, headers=JYQ)
        assert move_in(registry, firm["credit_code"], theirs["code"], "2026-01-01", area=10).status_code == 201
        assert registry.get(f"/api/registry/enterprises/{firm['credit_code']}", headers=JYQ).status_code == 404
        assert move_in(registry, firm["credit_code"], own["code"], "2026-02-01", area=5, headers=JYQ).status_code == 403

    def test_a_chief_cannot_take_over_either(self, registry):
        own = new_building(registry, "积玉桥三号楼", chief_username="louzhang")
        _, _, _, firm = _two_streets(registry)
        chief = token("louzhang", "chief")
        resp = move_in(registry, firm["credit_code"], own["code"], "2026-01-01", area=5, headers=chief)
        assert resp.status_code == 403 and resp.json()["error"] == "NeedsConfirmation"


class TestProposal:
    def _propose(self, registry, own, space, firm, headers=JYQ):
        body = {
            "credit_code": firm["credit_code"],
            "building_code": own["code"],
            "spaces": [{"id": space["id"], "area": 120}],
            "start_date": "2026-01-01",
            "note": "企业来函迁入",
        }
        return registry.post(PROPOSALS, json=body, headers=headers)

    def test_propose_then_the_bureau_confirms(self, registry):
        own, space, _, firm = _two_streets(registry)
        made = self._propose(registry, own, space, firm)
        assert made.status_code == 201, made.text
        p = made.json()
        assert p["status"] == "pending" and p["status_label"] == "待确认" and p["proposed_by"] == "jyq"
        assert p["enterprise_name"] == "杨园科技有限公司" and p["street_name"] == "积玉桥街道"
        assert p["area"] == 120 and p["spaces"][0]["unit"] == "1001"
        # Still out of scope while pending; the street cannot confirm its own proposal.
        assert registry.get(f"/api/registry/enterprises/{firm['credit_code']}", headers=JYQ).status_code == 404
        assert registry.post(f"{PROPOSALS}/{p['id']}/confirm", headers=JYQ).status_code == 403
        # The bureau's list of 待确认.
        pending = registry.get(PROPOSALS, params={"status": "pending"}, headers=BUREAU).json()
        assert [x["id"] for x in pending["items"]] == [p["id"]] and pending["total"] == 1

        done = registry.post(f"{PROPOSALS}/{p['id']}/confirm", headers=BUREAU)
        assert done.status_code == 200, done.text
        assert done.json()["status"] == "confirmed" and done.json()["decided_by"] == "shangwu"
        stay = registry.get(f"/api/registry/occupancies/{done.json()['occupancy_id']}", headers=BUREAU).json()
        assert stay["building_code"] == own["code"] and stay["area"] == 120 and stay["start_date"] == "2026-01-01"
        # Now it is in 积玉桥's scope (a stay in force in its building).
        assert registry.get(f"/api/registry/enterprises/{firm['credit_code']}", headers=JYQ).status_code == 200
        again = registry.post(f"{PROPOSALS}/{p['id']}/confirm", headers=BUREAU)
        assert again.status_code == 409
        assert registry.get(PROPOSALS, params={"status": "pending"}, headers=BUREAU).json()["total"] == 0

    def test_the_bureau_rejects_with_a_reason(self, registry):
        own, space, _, firm = _two_streets(registry)
        p = self._propose(registry, own, space, firm).json()
        assert registry.post(f"{PROPOSALS}/{p['id']}/reject", json={"reason": ""}, headers=BUREAU).status_code == 422
        resp = registry.post(f"{PROPOSALS}/{p['id']}/reject", json={"reason": "企业未迁址"}, headers=BUREAU)
        assert resp.status_code == 200 and resp.json()["status"] == "rejected" and resp.json()["reason"] == "企业未迁址"
        assert registry.get(f"/api/registry/buildings/{own['code']}/tenants", headers=BUREAU).json() == []
        mine = registry.get(PROPOSALS, headers=JYQ).json()["items"]
        assert [(x["id"], x["status"]) for x in mine] == [(p["id"], "rejected")]

    def test_proposals_are_checked_and_not_repeated(self, registry):
        own, space, theirs, firm = _two_streets(registry)
        too_big = {**{"credit_code": firm["credit_code"], "building_code": own["code"], "start_date": "2026-01-01"}}
        too_big["spaces"] = [{"id": space["id"], "area": 999}]
        resp = registry.post(PROPOSALS, json=too_big, headers=JYQ)
        assert resp.status_code == 422 and resp.json()["fields"][0]["field"] == "spaces[0].area"
        unknown = {**too_big, "credit_code": credit_code(77), "spaces": []}
        assert registry.post(PROPOSALS, json={**unknown, "area": 5}, headers=JYQ).status_code == 422
        foreign_building = {**too_big, "building_code": theirs["code"], "spaces": [], "area": 5}
        assert registry.post(PROPOSALS, json=foreign_building, headers=JYQ).status_code == 422
        assert self._propose(registry, own, space, firm).status_code == 201
        assert self._propose(registry, own, space, firm).status_code == 409
        own_firm = new_enterprise(registry, 5, headers=JYQ)
        direct = {**too_big, "credit_code": own_firm["credit_code"], "spaces": [], "area": 5}
        assert registry.post(PROPOSALS, json=direct, headers=JYQ).status_code == 422

    def test_other_streets_do_not_see_a_streets_proposals(self, registry):
        own, space, _, firm = _two_streets(registry)
        p = self._propose(registry, own, space, firm).json()
        assert registry.get(PROPOSALS, headers=YY).json()["total"] == 0
        assert registry.get(f"{PROPOSALS}/{p['id']}", headers=YY).status_code == 404
        assert registry.get(f"{PROPOSALS}/{p['id']}", headers=LEADER).status_code == 200

    def test_proposal_and_decision_are_in_the_history_and_on_the_feed(self, registry):
        from tests.registry.test_change_feed import _events

        own, space, _, firm = _two_streets(registry)
        p = self._propose(registry, own, space, firm).json()
        registry.post(f"{PROPOSALS}/{p['id']}/confirm", headers=BUREAU)
        events = [(e["entity"], e["op"], e["actor"]) for e in _events(registry)]
        assert ("occupancy_proposal", "create", "jyq") in events
        tail = events[-3:]
        assert ("occupancy", "create", "shangwu") in tail and ("occupancy_proposal", "update", "shangwu") in tail


class TestTaxFollowsTheStays:
    """Metrics attributes an enterprise's tax to a building only through its stays (read model
    of registry's feed): a refused takeover, or a proposal still pending, shows nothing."""

    def _sync(self, registry, metrics):
        from metrics.readmodel.apply import apply_events
        from metrics.rollups.service import rebuild_all
        from tests.metrics.conftest import metrics_db
        from tests.registry.test_change_feed import _events

        db = metrics_db(metrics)
        with db.write_sessions.begin() as session:
            apply_events(session, _events(registry))
        with db.write_sessions() as session:
            rebuild_all(session)
            session.commit()

    def test_no_stay_no_tax_until_the_bureau_confirms(self, registry, make_client):
        from tests.metrics.conftest import add_fact, metrics_db, user_token

        metrics = make_client("metrics")
        own, space, _, firm = _two_streets(registry)
        cc = firm["credit_code"]
        assert _takeover(registry, own, space, firm).status_code == 403
        body = {"credit_code": cc, "building_code": own["code"], "area": 50, "start_date": "2025-01-01"}
        proposal = registry.post(PROPOSALS, json=body, headers=JYQ).json()
        for month in ("2025-05", "2025-06"):
            add_fact(metrics_db(metrics), cc, month, 100_000)
        self._sync(registry, metrics)
        street = user_token("jyq", "street", streets=[JIYUQIAO])
        url = f"/api/metrics/buildings/{own['code']}/enterprises"

        def names() -> list[str]:
            resp = metrics.get(url, params={"period": "2025-06"}, headers=street)
            assert resp.status_code == 200, resp.text
            return [e["credit_code"] for e in resp.json()["items"]]

        def street_tax() -> float:
            params = {"level": "street", "code": JIYUQIAO, "period": "2025-06"}
            return metrics.get("/api/metrics/kpis", params=params, headers=street).json()["tax_total"] or 0

        assert names() == [] and street_tax() == 0
        # Once the bureau confirms, the stay exists and the figures follow it.
        assert registry.post(f"{PROPOSALS}/{proposal['id']}/confirm", headers=BUREAU).status_code == 200
        self._sync(registry, metrics)
        assert names() == [cc] and street_tax() > 0
