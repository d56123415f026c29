"""The registry through the gateway: real tokens, scope from the account, and the audit trail."""

import pytest

from tests.conftest import add_user, bearer, login
from tests.registry.conftest import JIYUQIAO, YANGYUAN

pytestmark = pytest.mark.live


def test_registry_through_the_gateway_with_the_audit_trail(live_stack):
    gw = live_stack.db_urls["gateway"]
    add_user(gw, "shangwu", roles=["bureau"])
    add_user(gw, "jyq", roles=["street"], street_codes=[JIYUQIAO])
    add_user(gw, "shenji", roles=["auditor"])
    with live_stack.client() as http:
        bureau = bearer(login(http, "shangwu")["access_token"])
        street = bearer(login(http, "jyq")["access_token"])
        own = http.post(
            "/api/registry/buildings",
            json={"name": "本街楼", "street_code": JIYUQIAO, "chief_phone": "13912345678"},
            headers=street,
        )
        assert own.status_code == 201, own.text
        other = http.post("/api/registry/buildings", json={"name": "他街楼", "street_code": YANGYUAN}, headers=bureau)
        assert other.status_code == 201
        assert http.get(f"/api/registry/buildings/{other.json()['code']}", headers=street).status_code == 404
        assert http.get("/api/registry/buildings", headers=street).json()["total"] == 1

        pilot = http.post(
            "/api/registry/enterprises",
            json={
                "credit_code": "91350100M0001TGQXM",
                "name": "试点地区企业有限公司",
                "check_override": True,
                "override_reason": "经市场监管系统核实为真实代码",
            },
            headers=bureau,
        )
        assert pilot.status_code == 201
        assert "x-audit-action" not in pilot.headers  # recorded by the gateway, not shown to the browser
        reveal = http.post(f"/api/registry/buildings/{own.json()['code']}/contacts/reveal", headers=street)
        assert reveal.json()["chief_phone"] == "13912345678"
        export = http.get("/api/registry/exports/enterprises", params={"format": "csv"}, headers=bureau)
        assert export.status_code == 200

        auditor = bearer(login(http, "shenji")["access_token"])
        rows = http.get("/api/auth/audit", params={"page_size": 100}, headers=auditor).json()["items"]
        actions = {(r["action"], r["actor"], r.get("object")) for r in rows}
        assert ("enterprise.check_override", "shangwu", "enterprise:91350100M0001TGQXM") in actions
        assert ("phone.reveal", "jyq", f"building:{own.json()['code']}") in actions
        assert ("export.enterprises", "shangwu", "enterprises:csv") in actions
        # Ordinary reads are not audited; every write is.
        assert not any(r["method"] == "GET" and r["action"].startswith("http.") for r in rows)
