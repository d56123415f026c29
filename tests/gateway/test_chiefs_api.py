"""GET /api/auth/chiefs: the 楼长 accounts the building form offers for 楼长 / 联络员, by name."""

from __future__ import annotations

import pytest

from tests.conftest import add_user, bearer, login

JIYUQIAO, ZHONGHUA = "420106001", "420106002"


@pytest.fixture
def gw(gateway, db_urls):
    url = db_urls("gateway")
    add_user(url, "bureau", roles=["bureau"])
    add_user(url, "leader", roles=["leader"])
    add_user(url, "jyq", roles=["street"], street_codes=[JIYUQIAO])
    add_user(url, "chief_wang", roles=["chief"], display_name="王楼长", street_codes=[JIYUQIAO])
    add_user(url, "chief_li", roles=["chief"], display_name="李楼长", street_codes=[ZHONGHUA])
    add_user(url, "chief_gone", roles=["chief"], display_name="停用楼长", street_codes=[JIYUQIAO], is_active=False)
    return gateway


def _get(gw, who, **params):
    return gw.get("/api/auth/chiefs", params=params, headers=bearer(login(gw, who)["access_token"]))


class TestChiefs:
    def test_the_bureau_sees_every_active_chief_by_name(self, gw):
        body = _get(gw, "bureau").json()
        assert [c["display_name"] for c in body["items"]] == sorted(["王楼长", "李楼长"])
        assert set(body["items"][0]) == {"username", "display_name", "street_codes"}  # no phone, no roles

    def test_filtered_by_street_and_searched_by_name(self, gw):
        assert [c["username"] for c in _get(gw, "bureau", street=ZHONGHUA).json()["items"]] == ["chief_li"]
        assert [c["username"] for c in _get(gw, "bureau", q="王").json()["items"]] == ["chief_wang"]

    def test_a_street_sees_its_own_chiefs_only(self, gw):
        assert [c["username"] for c in _get(gw, "jyq").json()["items"]] == ["chief_wang"]
        assert _get(gw, "jyq", street=ZHONGHUA).status_code == 403

    def test_others_are_refused(self, gw):
        assert _get(gw, "leader").status_code == 403
        assert gw.get("/api/auth/chiefs").status_code == 401
