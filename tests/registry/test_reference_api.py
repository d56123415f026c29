"""Reference data shipped with the product: streets, GB/T 4754-2017, 特色 themes; the demo data."""

import subprocess
import sys

from louyu_kit.tokens import INTERNAL, TokenCodec
from tests.conftest import ROOT, TEST_SECRET, TEST_TOKEN_SECONDS
from tests.registry.conftest import BUREAU, LEADER

METRICS_SERVICE = {
    "Authorization": "Bearer "
    + TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api")
    .issue(sub="service:metrics", typ=INTERNAL, ttl_seconds=TEST_TOKEN_SECONDS)
    .token
}


def test_wuchang_streets_with_official_codes(registry):
    streets = {s["code"]: s["name"] for s in registry.get("/api/registry/streets", headers=LEADER).json()}
    assert len(streets) == 15 and "420106004" not in streets
    assert streets["420106001"] == "积玉桥街道" and streets["420106490"].startswith("东湖")
    assert registry.get("/api/registry/meta", headers=LEADER).json()["district_code"] == "420106"


def test_gbt4754_sections_and_divisions(registry):
    industries = registry.get("/api/registry/industries", headers=LEADER).json()
    sections = [i for i in industries if i["level"] == "section"]
    divisions = [i for i in industries if i["level"] == "division"]
    assert [s["code"] for s in sections] == list("ABCDEFGHIJKLMNOPQRST")
    assert len(divisions) == 97
    assert {d["code"]: d["name"] for d in divisions}["65"] == "软件和信息技术服务业"
    assert {d["code"]: d["section"] for d in divisions}["66"] == "J"
    search = registry.get("/api/registry/industries", params={"q": "金融"}, headers=LEADER).json()
    assert {"J", "66"} <= {i["code"] for i in search}


def test_themes_of_the_plan_map_to_industry_prefixes(registry):
    themes = {t["name"]: t for t in registry.get("/api/registry/themes", headers=LEADER).json()}
    for name in (
        "金融",
        "工程设计",
        "文创文旅",
        "商贸物流",
        "数字经济",
        "低空经济",
        "北斗遥感",
        "大健康",
        "绿色智能船舶",
        "双碳",
        "现代农业",
        "高铁科技",
        "总部",
    ):
        assert name in themes, name
    assert themes["金融"]["industry_prefixes"] == ["66", "67", "68", "69"]


def test_bureau_edits_a_theme_and_the_change_is_in_the_feed(registry):
    body = {"name": "金融", "industry_prefixes": ["J", "7212"], "description": "金融业及投资与资产管理"}
    assert registry.put("/api/registry/themes/finance", json=body, headers=LEADER).status_code == 403
    resp = registry.put("/api/registry/themes/finance", json=body, headers=BUREAU)
    assert resp.status_code == 200 and resp.json()["industry_prefixes"] == ["7212", "J"]
    bad = registry.put("/api/registry/themes/finance", json={**body, "industry_prefixes": ["9999"]}, headers=BUREAU)
    assert bad.status_code == 422
    created = registry.post(
        "/api/registry/themes",
        json={"code": "ai", "name": "人工智能", "industry_prefixes": ["6513", "6520"]},
        headers=BUREAU,
    )
    assert created.status_code == 201
    feed = registry.get("/api/registry/changes", headers=METRICS_SERVICE).json()["items"]
    assert [(e["entity"], e["op"]) for e in feed] == [("theme", "update"), ("theme", "create")]


def test_another_district_loads_its_streets(registry):
    body = {
        "district_code": "420102",
        "district_name": "江岸区",
        "streets": [{"code": "420102001", "name": "大智街道"}, {"code": "420102002", "name": "一元街道"}],
    }
    assert registry.post("/api/registry/streets", json=body, headers=BUREAU).status_code == 200
    jiangan = registry.get("/api/registry/streets", params={"district": "420102"}, headers=BUREAU).json()
    assert [s["name"] for s in jiangan] == ["大智街道", "一元街道"]
    wrong = {**body, "streets": [{"code": "420106999", "name": "错区街道"}]}
    assert registry.post("/api/registry/streets", json=wrong, headers=BUREAU).status_code == 422
    building = registry.post(
        "/api/registry/buildings", json={"name": "江岸某大厦", "street_code": "420102001"}, headers=BUREAU
    )
    assert building.json()["code"] == "420102-0001"


def test_enum_labels(registry):
    enums = registry.get("/api/registry/enums", headers=LEADER).json()
    assert {"value": "strata", "label": "散售"} in enums["ownership"]
    assert {"value": "self_use", "label": "自用"} in enums["space_status"]


class TestDemo:
    def test_demo_has_the_plans_buildings_and_says_it_is_synthetic(self, db_urls):
        from louyu_kit.db import Database
        from registry import demo
        from registry.buildings.models import Building
        from registry.enterprises.models import Enterprise
        from registry.enterprises.uscc import problem

        url = db_urls("registry")
        counts = demo.load_if_empty(url)
        assert counts and counts["buildings"] >= 30 and counts["enterprises"] > 300
        assert demo.load_if_empty(url) is None  # only into an empty registry
        db = Database.from_url(url)
        try:
            with db.sessions() as session:
                buildings = session.query(Building).all()
                names = {b.name for b in buildings}
                assert {"阿里中心", "中交大厦", "保利广场", "长城汇", "数创大厦", "碳汇大厦"} <= names
                assert all(b.is_demo and "虚构" in b.note for b in buildings)
                enterprises = session.query(Enterprise).all()
                assert all(e.is_demo and e.name.startswith("（演示）") for e in enterprises)
                assert all(problem(e.credit_code) is None for e in enterprises)
                from registry.proposals.models import OccupancyProposal

                waiting = session.query(OccupancyProposal).filter_by(status="pending").all()
                assert waiting and all(p.proposed_by == "demo_street" and "演示" in p.note for p in waiting)
        finally:
            db.dispose()

    def test_production_refuses_the_demo(self, tmp_path):
        env = {
            "LOUYU_ENV": "production",
            "LOUYU_SERVICE_SECRET": TEST_SECRET,
            "LOUYU_REGISTRY_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
            "PATH": "/usr/bin:/bin",
        }
        result = subprocess.run(
            [sys.executable, "-m", "registry", "demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 1 and "生产环境不加载演示数据" in result.stderr
