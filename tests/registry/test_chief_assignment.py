"""楼长 and 联络员 are assigned by the street or the bureau, to existing, active chief accounts of
the building's street, checked with the gateway (issue #14 item 19)."""

from __future__ import annotations

import httpx
import pytest

from louyu_kit.auth import SignedServiceTokens
from louyu_kit.tokens import INTERNAL, TokenCodec
from registry.clients.gateway import GatewayClient
from tests.conftest import TEST_SECRET, add_user, bearer, free_port, login, use_gateway_accounts
from tests.registry.conftest import BUREAU, JIYUQIAO, YANGYUAN, new_building, token

CODEC = TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api")
CHIEF = token("louzhang", "chief", streets=(JIYUQIAO,))
STREET = token("jyq", "street", streets=(JIYUQIAO,))
ACCOUNTS = {
    "louzhang": {"roles": ["chief"], "street_codes": [JIYUQIAO], "is_active": True},
    "lz2": {"roles": ["chief"], "street_codes": [JIYUQIAO], "is_active": True},
    "yyz": {"roles": ["chief"], "street_codes": [YANGYUAN], "is_active": True},
    "gone": {"roles": ["chief"], "street_codes": [JIYUQIAO], "is_active": False},
    "boss": {"roles": ["leader"], "street_codes": [], "is_active": True},
}


@pytest.fixture
def reg(registry):
    registry.asked = use_gateway_accounts(registry, ACCOUNTS)
    return registry


def _patch(registry, building, body, headers):
    current = registry.get(f"/api/registry/buildings/{building['code']}", headers=BUREAU).json()
    return registry.patch(
        f"/api/registry/buildings/{building['code']}",
        json=body,
        headers={**headers, "If-Match": f'"{current["version"]}"'},
    )


def _field_error(resp):
    return resp.json()["fields"][0]["field"], resp.json()["fields"][0]["message"]


class TestWhoAssigns:
    def test_a_chief_cannot_hand_its_building_to_anyone(self, reg):
        b = new_building(reg, "中交大厦", chief_username="louzhang")
        resp = _patch(reg, b, {"chief_username": "attacker"}, CHIEF)  # the issue's reproduction: 200 before
        assert resp.status_code == 403 and _field_error(resp)[0] == "chief_username"
        assert "街道或区商务局" in resp.json()["detail"]
        # (Clearing with null is refused the same way; null itself is item 13/14's, helper "input".)
        refused = _patch(reg, b, {"liaison_username": "lz2"}, CHIEF)
        assert refused.status_code == 403
        after = reg.get(f"/api/registry/buildings/{b['code']}", headers=BUREAU).json()
        assert after["chief_username"] == "louzhang" and after["liaison_username"] is None

    def test_a_chief_still_edits_the_rest_and_may_resend_itself(self, reg):
        b = new_building(reg, "中交大厦", chief_username="louzhang")
        reg.asked.clear()
        resp = _patch(reg, b, {"address": "新地址", "chief_username": "louzhang"}, CHIEF)
        assert resp.status_code == 200 and resp.json()["address"] == "新地址"
        assert reg.asked == []  # nothing changed hands: the gateway is not asked

    def test_the_street_assigns_a_chief_of_its_street(self, reg):
        b = new_building(reg, "中交大厦")
        resp = _patch(reg, b, {"chief_username": "LouZhang", "liaison_username": "lz2"}, STREET)
        assert resp.status_code == 200, resp.text
        assert (resp.json()["chief_username"], resp.json()["liaison_username"]) == ("louzhang", "lz2")
        assert reg.asked == ["louzhang", "lz2"]

    def test_the_bureau_assigns_when_creating(self, reg):
        resp = reg.post(
            "/api/registry/buildings",
            json={"name": "杨园大厦", "street_code": YANGYUAN, "chief_username": "yyz"},
            headers=BUREAU,
        )
        assert resp.status_code == 201 and resp.json()["chief_username"] == "yyz"


class TestWhoMayBeAssigned:
    @pytest.mark.parametrize(
        ("name", "says"),
        [
            ("nobody", "不存在或已停用"),
            ("gone", "不存在或已停用"),
            ("boss", "不是楼长角色"),
            ("yyz", "不属于该楼宇所在街道"),
            ("../changes", "不存在或已停用"),
        ],
    )
    def test_refused_with_the_reason_on_the_field(self, reg, name, says):
        b = new_building(reg, "中交大厦")
        resp = _patch(reg, b, {"chief_username": name}, STREET)
        if name == "../changes":
            assert resp.status_code == 422  # not even a login name: refused by the schema
            return
        assert resp.status_code == 422
        field, message = _field_error(resp)
        assert field == "chief_username" and says in message and name in message

    def test_a_liaison_needs_the_same(self, reg):
        b = new_building(reg, "中交大厦")
        resp = _patch(reg, b, {"liaison_username": "boss"}, BUREAU)
        assert resp.status_code == 422 and _field_error(resp)[0] == "liaison_username"

    def test_creating_with_a_foreign_chief_writes_nothing(self, reg):
        resp = reg.post(
            "/api/registry/buildings",
            json={"name": "新楼", "street_code": JIYUQIAO, "chief_username": "yyz"},
            headers=BUREAU,
        )
        assert resp.status_code == 422
        assert reg.get("/api/registry/buildings", params={"q": "新楼"}, headers=BUREAU).json()["total"] == 0


class TestGatewayDown:
    def _use(self, registry, transport=None, url=None):
        app = registry.app
        app.state.gateway = GatewayClient.create(
            url or "http://gateway.test", tokens=SignedServiceTokens(CODEC, "registry"), transport=transport
        )

    def test_unreachable_gateway_is_a_clear_503(self, registry):
        b = new_building(registry, "中交大厦")
        self._use(registry, url=f"http://127.0.0.1:{free_port()}")
        resp = _patch(registry, b, {"chief_username": "louzhang"}, STREET)
        assert resp.status_code == 503 and "网关暂不可用" in resp.json()["detail"]
        assert registry.get(f"/api/registry/buildings/{b['code']}", headers=BUREAU).json()["chief_username"] is None

    def test_a_gateway_error_or_nonsense_is_a_503(self, registry):
        b = new_building(registry, "中交大厦")
        for answer in (httpx.Response(500, text="boom"), httpx.Response(200, json={"what": 1})):
            self._use(registry, transport=httpx.MockTransport(lambda _r, a=answer: a))
            resp = _patch(registry, b, {"chief_username": "louzhang"}, STREET)
            assert resp.status_code == 503 and resp.json()["error"] == "GatewayUnavailable"


class TestGatewayLookupRoute:
    def _service(self, name):
        codec = TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api")
        return bearer(codec.issue(sub=f"service:{name}", typ=INTERNAL, ttl_seconds=60).token)

    def test_registry_looks_an_account_up(self, gateway, db_urls):
        add_user(db_urls("gateway"), "louzhang", roles=["chief"], street_codes=[JIYUQIAO], display_name="王楼长")
        resp = gateway.get("/api/auth/internal/users/LouZhang", headers=self._service("registry"))
        assert resp.status_code == 200
        assert resp.json() == {
            "username": "louzhang",
            "display_name": "王楼长",
            "roles": ["chief"],
            "street_codes": [JIYUQIAO],
            "is_active": True,
        }
        assert gateway.get("/api/auth/internal/users/nobody", headers=self._service("registry")).status_code == 404

    def test_only_registrys_service_token(self, gateway, db_urls):
        add_user(db_urls("gateway"), "admin", roles=["admin"])
        admin = bearer(login(gateway, "admin")["access_token"])
        assert gateway.get("/api/auth/internal/users/admin", headers=admin).status_code == 401
        assert gateway.get("/api/auth/internal/users/admin", headers=self._service("tasks")).status_code == 403
        assert gateway.get("/api/auth/internal/users/admin").status_code == 401
        assert "/api/auth/internal/users/{username}" not in gateway.get("/api/auth/openapi.json").json()["paths"]


@pytest.mark.live
def test_through_the_gateway_with_real_accounts(live_stack):
    gw = live_stack.db_urls["gateway"]
    add_user(gw, "jyq", roles=["street"], street_codes=[JIYUQIAO])
    add_user(gw, "lzz", roles=["chief"], street_codes=[JIYUQIAO])
    add_user(gw, "yyz", roles=["chief"], street_codes=[YANGYUAN])
    with live_stack.client() as http:
        street = bearer(login(http, "jyq")["access_token"])
        made = http.post("/api/registry/buildings", json={"name": "中交大厦", "street_code": JIYUQIAO}, headers=street)
        assert made.status_code == 201
        url = f"/api/registry/buildings/{made.json()['code']}"
        foreign = http.patch(url, json={"chief_username": "yyz"}, headers={**street, "If-Match": '"1"'})
        assert foreign.status_code == 422 and "不属于该楼宇所在街道" in foreign.json()["detail"]
        ok = http.patch(url, json={"chief_username": "lzz"}, headers={**street, "If-Match": '"1"'})
        assert ok.status_code == 200 and ok.json()["chief_username"] == "lzz"
        chief = bearer(login(http, "lzz")["access_token"])
        handed = http.patch(url, json={"chief_username": "jyq"}, headers={**chief, "If-Match": '"2"'})
        assert handed.status_code == 403


class TestImports:
    """The building import's 楼长账号 / 联络员账号 columns follow the same rule."""

    def _import(self, registry, rows, headers):
        text = "楼宇名称,所属街道,楼长账号,联络员账号\r\n" + "".join(f"{','.join(r)}\r\n" for r in rows)
        return registry.post(
            "/api/registry/imports/buildings",
            params={"dry_run": "false"},
            files={"file": ("b.csv", text.encode("utf-8"), "text/csv")},
            headers=headers,
        )

    def test_a_foreign_or_unknown_chief_is_a_rejected_row_and_nothing_is_saved(self, reg):
        resp = self._import(reg, [["甲楼", "积玉桥街道", "louzhang", "lz2"], ["乙楼", "积玉桥街道", "yyz", ""]], BUREAU)
        assert resp.status_code == 200, resp.text
        report = resp.json()
        assert report["applied"] is False
        assert [(r["row"], "不属于该楼宇所在街道" in r["message"]) for r in report["rejected"]] == [(3, True)]
        assert reg.get("/api/registry/buildings", params={"q": "甲楼"}, headers=BUREAU).json()["total"] == 0

    def test_a_valid_file_saves_the_chiefs(self, reg):
        report = self._import(reg, [["甲楼", "积玉桥街道", "LouZhang", "lz2"]], STREET).json()
        assert report["applied"] is True and report["rejected"] == [], report
        b = reg.get("/api/registry/buildings", params={"q": "甲楼"}, headers=BUREAU).json()["items"][0]
        full = reg.get(f"/api/registry/buildings/{b['code']}", headers=BUREAU).json()
        assert (full["chief_username"], full["liaison_username"]) == ("louzhang", "lz2")

    def test_a_chief_cannot_reassign_by_import(self, reg):
        b = new_building(reg, "中交大厦", chief_username="louzhang")
        text = f"楼宇编码,楼宇名称,所属街道,楼长账号\r\n{b['code']},中交大厦,积玉桥街道,lz2\r\n"
        report = reg.post(
            "/api/registry/imports/buildings",
            params={"dry_run": "false"},
            files={"file": ("b.csv", text.encode("utf-8"), "text/csv")},
            headers=CHIEF,
        ).json()
        assert report["applied"] is False and "街道或区商务局" in report["rejected"][0]["message"]
