"""企业 list and search: names by any substring (bigram index), credit codes by prefix, filters."""

from registry.imports.files import write_table
from registry.imports.kinds import KINDS
from tests.registry.conftest import BUREAU, credit_code, move_in, new_building, new_enterprise


def _search(registry, **params):
    body = registry.get("/api/registry/enterprises", params=params, headers=BUREAU).json()
    return sorted(e["name"] for e in body["items"]), body["total"]


class TestSearch:
    def _seed(self, registry):
        new_enterprise(registry, 1, name="武汉鼎盛科技有限公司")
        new_enterprise(registry, 2, name="湖北鼎力建设工程有限公司", industry_code="4811")
        new_enterprise(registry, 3, name="Wuhan ABC 咨询有限公司", industry_code="7243")

    def test_two_characters_anywhere_in_the_name(self, registry):
        self._seed(registry)
        assert _search(registry, q="鼎盛") == (["武汉鼎盛科技有限公司"], 1)
        assert _search(registry, q="鼎") == (["武汉鼎盛科技有限公司", "湖北鼎力建设工程有限公司"], 2)
        assert _search(registry, q="盛鼎")[1] == 0  # the bigrams must also be in order
        assert _search(registry, q="有限公司")[1] == 3

    def test_latin_letters_ignore_case_and_spaces_in_the_query_keep_meaning(self, registry):
        self._seed(registry)
        assert _search(registry, q="abc 咨询") == (["Wuhan ABC 咨询有限公司"], 1)
        assert _search(registry, q="wuhan")[1] == 1

    def test_credit_code_prefix(self, registry):
        self._seed(registry)
        assert _search(registry, q=credit_code(2)[:17]) == (["湖北鼎力建设工程有限公司"], 1)
        assert _search(registry, q=credit_code(2).lower()) == (["湖北鼎力建设工程有限公司"], 1)
        assert _search(registry, q="91420106")[1] == 3

    def test_rename_and_delete_keep_the_index_true(self, registry):
        new_enterprise(registry, 1, name="旧名称科技有限公司")
        path = f"/api/registry/enterprises/{credit_code(1)}"
        registry.patch(path, json={"name": "新名称数据有限公司"}, headers={**BUREAU, "If-Match": '"1"'})
        assert _search(registry, q="旧名")[1] == 0
        assert _search(registry, q="名称数据")[1] == 1
        assert registry.delete(path, headers=BUREAU).status_code == 204
        assert _search(registry, q="名称")[1] == 0

    def test_imported_names_are_searchable(self, registry):
        headers = KINDS["enterprises"].headers
        rows = [[credit_code(i), f"导入测试{i}号有限公司"] + [""] * (len(headers) - 2) for i in range(1, 4)]
        data = write_table(headers, rows, fmt="csv")
        registry.post(
            "/api/registry/imports/enterprises",
            params={"dry_run": "false"},
            files={"file": ("e.csv", data, "text/csv")},
            headers=BUREAU,
        )
        assert _search(registry, q="2号") == (["导入测试2号有限公司"], 1)


class TestFilters:
    def test_flags_industry_and_where_they_are(self, registry):
        b = new_building(registry)
        a = new_enterprise(registry, 1, name="甲金融有限公司", industry_code="6621", above_scale=True)
        new_enterprise(registry, 2, name="乙软件有限公司", industry_code="6513", registered_in_district=True)
        move_in(registry, a["credit_code"], b["code"], "2024-01-01", area=100)
        assert _search(registry, industry="J") == (["甲金融有限公司"], 1)
        assert _search(registry, industry="65") == (["乙软件有限公司"], 1)
        assert _search(registry, above_scale="true") == (["甲金融有限公司"], 1)
        assert _search(registry, registered="true") == (["乙软件有限公司"], 1)
        assert _search(registry, building=b["code"]) == (["甲金融有限公司"], 1)
        listed = registry.get("/api/registry/enterprises", params={"building": b["code"]}, headers=BUREAU).json()
        assert listed["items"][0]["current_buildings"] == [{"code": b["code"], "name": b["name"]}]
        assert listed["items"][0]["industry_name"] == "货币金融服务"


def test_broad_searches_count_up_to_a_cap(registry, monkeypatch):
    from registry.enterprises import search

    monkeypatch.setattr(search, "BROAD", 3)
    monkeypatch.setattr(search, "COUNT_CAP", 4)
    for n in range(1, 8):
        new_enterprise(registry, n, name=f"宏图{n}号科技有限公司")
    new_enterprise(registry, 8, name="鸿运贸易有限公司")
    broad = registry.get("/api/registry/enterprises", params={"q": "科技"}, headers=BUREAU).json()
    assert (broad["total"], broad["total_capped"], len(broad["items"])) == (4, True, 7)
    names = [e["name"] for e in broad["items"]]
    assert names == sorted(names)
    narrow = registry.get("/api/registry/enterprises", params={"q": "鸿运"}, headers=BUREAU).json()
    assert (narrow["total"], narrow["total_capped"]) == (1, False)
    codes = registry.get("/api/registry/enterprises", params={"q": "91420106"}, headers=BUREAU).json()
    assert codes["total_capped"] is True
    assert [e["credit_code"] for e in codes["items"]] == sorted(e["credit_code"] for e in codes["items"])
