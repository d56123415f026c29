"""The unit directory: the seed holds every unit the plan names; aliases, collectives, edits."""

from __future__ import annotations

from tasks.units.names import normalise
from tasks.units.service import directory, seed_rows
from tests.tasks.conftest import BUREAU, FGJ, LEADER, STREETS, token


class TestSeed:
    def test_every_unit_named_in_the_real_plan_resolves(self, db_session):
        names = [
            "区政府办", "区委社会工作部", "区商务局", "区工商联", "区民政局", "区行政审批局", "区发改局",
            "区经科局", "区文旅局", "区卫健局", "区自然资源和城乡建设局", "首义科创投集团", "区住更局",
            "区市场监管局", "区统计局", "区税务局", "区城管局", "区国资局", "古城文旅集团", "杨园街道",
            "徐家棚街道", "积玉桥街道", "白沙洲街道", "水果湖街道", "粮道街道", "紫阳街道", "中南路街道",
            "滨江商务区管委会", "首义路街道", "珞珈山街道", "华中金融城管委会", "市生态环境局武昌分局",
            "区财政局", "区科技创新与人才服务中心", "区科技创新和人才服务中心", "区科技创新和人才服中心",
            "武汉市生态环境局武昌分局",
        ]  # fmt: skip
        with db_session() as session:
            d = directory(session)
        for name in names:
            r = d.resolve(name)
            assert len(r.units) == 1 and r.matched_by in ("exact", "variant"), (name, r)

    def test_street_codes_are_their_statistical_codes(self, db_session):
        rows = {r["code"]: r for r in seed_rows()}
        assert [c for c, r in rows.items() if r["kind"] == "street"] == list(STREETS)
        assert rows["420106012"]["name"] == "水果湖街道"

    def test_collectives_expand_to_their_members(self, db_session):
        with db_session() as session:
            d = directory(session)
        streets = d.resolve("各街道办事处")
        assert streets.collective == "all_streets"
        assert [u.code for u in streets.units] == list(STREETS)  # 东湖风景区 is not a 街道办事处
        assert d.resolve("各驻点招商小分队").units[0].code == "zdzs"

    def test_unknown_name_is_a_warning_not_a_unit(self, db_session):
        with db_session() as session:
            d = directory(session)
        r = d.resolve("区火星开发局")
        assert r.units == [] and r.matched_by == "unknown" and "未识别" in r.warning

    def test_full_width_and_prefixes_resolve(self, db_session):
        with db_session() as session:
            d = directory(session)
        assert d.resolve("武昌区 商务局").units[0].code == "swj"
        assert d.resolve("武汉市武昌区发改局").units[0].code == "fgj"
        assert d.resolve("水果湖街道办事处").units[0].code == "420106012"
        assert normalise("（区商务局）") == normalise("(区商务局)")

    def test_near_match_is_reported(self, db_session):
        with db_session() as session:
            d = directory(session)
        r = d.resolve("区市场监管理局")  # one character too many
        assert r.units[0].code == "scjgj" and r.matched_by == "near" and "请核对" in r.warning


class TestUnitsApi:
    def test_list_is_paged_and_filtered_by_kind(self, tasks_client):
        resp = tasks_client.get("/api/tasks/units", params={"kind": "street", "page_size": 50}, headers=LEADER)
        assert resp.status_code == 200
        body = resp.json()
        assert body["total"] == 14 and body["page"] == 1 and len(body["items"]) == 14

    def test_search_by_alias(self, tasks_client):
        resp = tasks_client.get("/api/tasks/units", params={"q": "发展和改革"}, headers=LEADER)
        assert [u["code"] for u in resp.json()["items"]] == ["fgj"]

    def test_read_collective_lists_members(self, tasks_client):
        body = tasks_client.get("/api/tasks/units/all_streets", headers=LEADER).json()
        assert len(body["members"]) == 14

    def test_unknown_unit_404(self, tasks_client):
        resp = tasks_client.get("/api/tasks/units/nope", headers=LEADER)
        assert resp.status_code == 404 and resp.json()["error"] == "UnitNotFound"

    def test_bureau_creates_unit_department_cannot(self, tasks_client):
        body = {"code": "zdzs_bj", "name": "北京驻点招商小分队", "kind": "squad", "aliases": ["驻京招商小分队"]}
        assert tasks_client.post("/api/tasks/units", json=body, headers=FGJ).status_code == 403
        resp = tasks_client.post("/api/tasks/units", json=body, headers=BUREAU)
        assert resp.status_code == 201, resp.text
        members = tasks_client.get("/api/tasks/units/all_squads", headers=LEADER).json()["members"]
        assert {m["code"] for m in members} == {"zdzs", "zdzs_bj"}
        resolved = tasks_client.post("/api/tasks/units/resolve", json={"names": ["驻京招商小分队"]}, headers=LEADER)
        assert resolved.json()[0]["units"] == [{"code": "zdzs_bj", "name": "北京驻点招商小分队"}]

    def test_duplicate_code_409_bad_code_422(self, tasks_client):
        body = {"code": "swj", "name": "另一个商务局", "kind": "department"}
        assert tasks_client.post("/api/tasks/units", json=body, headers=BUREAU).status_code == 409
        body = {"code": "Bad Code", "name": "某单位", "kind": "department"}
        resp = tasks_client.post("/api/tasks/units", json=body, headers=BUREAU)
        assert resp.status_code == 422 and resp.json()["fields"][0]["field"] == "code"

    def test_alias_of_another_unit_is_409(self, tasks_client):
        resp = tasks_client.post("/api/tasks/units/fgj/aliases", json={"alias": "区商务局"}, headers=BUREAU)
        assert resp.status_code == 409 and resp.json()["error"] == "DuplicateAlias"

    def test_update_needs_if_match(self, tasks_client):
        resp = tasks_client.get("/api/tasks/units/swj", headers=BUREAU)
        etag = resp.headers["ETag"]
        assert tasks_client.patch("/api/tasks/units/swj", json={"note": "x"}, headers=BUREAU).status_code == 428
        stale = {**BUREAU, "If-Match": '"99"'}
        assert tasks_client.patch("/api/tasks/units/swj", json={"note": "x"}, headers=stale).status_code == 412
        ok = tasks_client.patch("/api/tasks/units/swj", json={"note": "牵头"}, headers={**BUREAU, "If-Match": etag})
        assert ok.status_code == 200 and ok.json()["note"] == "牵头"

    def test_auditor_reads_no_units(self, tasks_client):
        assert tasks_client.get("/api/tasks/units", headers=token("a", "auditor")).status_code == 403

    def test_deactivated_unit_is_no_longer_recognised(self, tasks_client):
        etag = tasks_client.get("/api/tasks/units/gsl", headers=BUREAU).headers["ETag"]
        resp = tasks_client.patch(
            "/api/tasks/units/gsl", json={"is_active": False}, headers={**BUREAU, "If-Match": etag}
        )
        assert resp.status_code == 200 and resp.json()["is_active"] is False
        resolved = tasks_client.post("/api/tasks/units/resolve", json={"names": ["区工商联"]}, headers=LEADER).json()
        assert resolved[0]["units"] == [] and "未识别" in resolved[0]["warning"]

    def test_alias_added_then_removed(self, tasks_client):
        added = tasks_client.post("/api/tasks/units/swuj/aliases", json={"alias": "武昌税务"}, headers=BUREAU)
        assert added.status_code == 201
        resolve = {"names": ["武昌税务"]}
        assert tasks_client.post("/api/tasks/units/resolve", json=resolve, headers=LEADER).json()[0]["units"]
        url = f"/api/tasks/units/swuj/aliases/{added.json()['id']}"
        assert tasks_client.delete(url, headers=BUREAU).status_code == 204
        assert not tasks_client.post("/api/tasks/units/resolve", json=resolve, headers=LEADER).json()[0]["units"]

    def test_official_name_cannot_be_removed(self, tasks_client):
        aliases = tasks_client.get("/api/tasks/units/swuj", headers=LEADER).json()["aliases"]
        official = next(a for a in aliases if a["alias"] == "区税务局")
        resp = tasks_client.delete(f"/api/tasks/units/swuj/aliases/{official['id']}", headers=BUREAU)
        assert resp.status_code == 409 and resp.json()["error"] == "AliasIsName"
