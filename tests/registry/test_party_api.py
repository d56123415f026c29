"""党建 of a building (light): written whole with a version, read with the building's scope,
and counted (buildings with a party organisation, 一楼四员 filled rate) for the cockpit."""

from __future__ import annotations

from tests.registry.conftest import BUREAU, LEADER, new_building, token

JIYUQIAO, YANGYUAN = "420106001", "420106002"
STREET_JYQ = token("jiyuqiao", "street", streets=(JIYUQIAO,))
STREET_YY = token("yangyuan", "street", streets=(YANGYUAN,))
DEPARTMENT = token("fagai", "department")

FULL = {
    "organisation": "joint_committee",
    "instructor": "张指导员",
    "council": [{"name": "李理事长", "role": "理事长"}, {"name": "王理事", "role": "理事"}],
    "chamber": "武昌区楼宇商会",
    "alliance": "滨江商务区党建联盟",
    "liaison": "赵联络员",
    "safety": "钱安全员",
    "service": "",
}


def put(client, code: str, body: dict, headers=BUREAU, version: str | None = '"0"'):
    extra = {"If-Match": version} if version is not None else {}
    return client.put(f"/api/registry/buildings/{code}/party", json=body, headers={**headers, **extra})


def test_a_building_without_a_record_reads_as_none_then_is_written_with_its_version(registry):
    building = new_building(registry, "中交大厦")
    empty = registry.get(f"/api/registry/buildings/{building['code']}/party", headers=LEADER)
    assert empty.status_code == 200 and empty.headers["ETag"] == '"0"'
    assert empty.json()["recorded"] is False and empty.json()["organisation_label"] == "无"

    assert put(registry, building["code"], FULL, version=None).status_code == 428
    resp = put(registry, building["code"], FULL)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["organisation_label"] == "楼宇联合党委" and body["posts_filled"] == 3
    assert [(p["label"], p["name"]) for p in body["posts"]] == [
        ("党建指导员", "张指导员"),
        ("楼宇联络员", "赵联络员"),
        ("安全员", "钱安全员"),
        ("服务专员", ""),
    ]
    assert body["council"][0] == {"name": "李理事长", "role": "理事长"} and resp.headers["ETag"] == '"1"'
    stale = put(registry, building["code"], {**FULL, "service": "孙专员"}, version='"0"')
    assert stale.status_code == 412
    again = put(registry, building["code"], {**FULL, "service": "孙专员"}, version='"1"')
    assert again.json()["posts_filled"] == 4 and again.json()["version"] == 2
    bad = put(registry, building["code"], {**FULL, "organisation": "committee"}, version='"2"')
    assert bad.status_code == 422


def test_the_street_writes_its_own_buildings_and_the_summary_counts_its_scope(registry):
    a = new_building(registry, "中交大厦", street=JIYUQIAO)
    b = new_building(registry, "长江产业大厦", street=JIYUQIAO)
    new_building(registry, "在建大厦", street=JIYUQIAO, stage="under_construction")
    c = new_building(registry, "杨园大厦", street=YANGYUAN)
    assert put(registry, a["code"], FULL, headers=STREET_JYQ).status_code == 200
    branch = {"organisation": "branch", "instructor": "周指导员"}
    assert put(registry, b["code"], branch, headers=STREET_JYQ).status_code == 200
    assert put(registry, c["code"], FULL, headers=STREET_JYQ).status_code == 404
    assert put(registry, c["code"], FULL, headers=DEPARTMENT).status_code == 403
    assert put(registry, c["code"], {"organisation": "none"}, headers=STREET_YY).status_code == 200

    district = registry.get("/api/registry/party/summary", headers=LEADER).json()
    # 3 buildings (在建 left out): 2 with an organisation; posts 3 + 1 + 0 of 12.
    assert district["buildings"] == 3 and district["with_organisation"] == 2
    assert (district["joint_committees"], district["branches"]) == (1, 1)
    assert (district["posts_filled"], district["posts_total"], district["posts_filled_rate"]) == (4, 12, 0.3333)
    assert district["organisation_rate"] == 0.6667 and district["in_alliance"] == 1
    street = registry.get("/api/registry/party/summary", headers=STREET_YY).json()
    assert (street["buildings"], street["with_organisation"], street["posts_filled"]) == (1, 0, 0)
