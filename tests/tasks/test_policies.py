"""政策库, 精准推送 and 申报与兑现: matching with reasons (crafted cases), 申报覆盖率 and 惠企资金
against hand computations, pushes into the 楼长's 待办 and delivery on a visit, street scope of
applications, and an import whose bad rows are all reported while nothing is written."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from tasks.policies import figures
from tasks.policies.match import BuildingFacts, EnterpriseFacts, Targets, match, reasons_for
from tests.registry.conftest import credit_code, move_in, new_building, new_enterprise
from tests.tasks.conftest import BUREAU, CHIEF_SGH, LEADER, SHUIGUOHU, STREET_SGH, YANGYUAN, token
from tests.tasks.field import chief_building, make_stack

KCRC = token("kechuang", "department", org="kcrc")  # 区科技创新与人才服务中心
FGJ = token("fagai", "department", org="fgj")
STREET_YY = token("yangyuan", "street", streets=(YANGYUAN,))

# ----- matching (pure, crafted cases) -------------------------------------------------------

TOWER = BuildingFacts(
    code="420106-001", name="数创大厦", street_code=SHUIGUOHU, street_name="水果湖街道", themes=["finance"]
)
PLAZA = BuildingFacts(code="420106-002", name="楚河广场", street_code=YANGYUAN, street_name="杨园街道", themes=[])
BUILDINGS = {b.code: b for b in (TOWER, PLAZA)}


def ent(name: str, building: BuildingFacts | None = TOWER, **kw) -> EnterpriseFacts:
    links = [{"code": building.code, "name": building.name}] if building else []
    return EnterpriseFacts(credit_code=kw.pop("code", name), name=name, current_buildings=links, **kw)


class TestMatching:
    def test_industry_prefix_matches_with_the_reason_naming_the_division(self):
        soft = ent("软件公司", industry_code="6513")
        reasons = reasons_for(Targets(industry_codes=("65",)), soft, [TOWER])
        assert reasons == ["行业 6513 属于政策支持的 65 软件和信息技术服务业"]

    def test_an_enterprise_outside_the_industries_does_not_match(self):
        shop = ent("零售公司", industry_code="5211")
        assert reasons_for(Targets(industry_codes=("65", "64")), shop, [TOWER]) is None
        assert reasons_for(Targets(industry_codes=("65",)), ent("无行业"), [TOWER]) is None

    def test_tag_reason(self):
        hq = ent("跨国公司", hq_level="global500", listed=True)
        assert reasons_for(Targets(tags=("global500", "listed", "china500")), hq, [TOWER]) == [
            "企业标签：世界500强、上市企业"
        ]
        assert reasons_for(Targets(tags=("above_scale",)), hq, [TOWER]) is None

    def test_size_thresholds_are_inclusive_and_unknown_headcount_fails(self):
        t = Targets(min_employees=50, max_employees=300)
        assert reasons_for(t, ent("小", employees=49), []) is None
        assert reasons_for(t, ent("边界下", employees=50), []) == [
            "从业人数 50 人，符合不少于 50 人、不超过 300 人的规模要求"
        ]
        assert reasons_for(t, ent("边界上", employees=300), []) is not None
        assert reasons_for(t, ent("大", employees=301), []) is None
        assert reasons_for(t, ent("未知"), []) is None
        assert reasons_for(Targets(min_employees=100), ent("中", employees=120), []) == [
            "从业人数 120 人，符合不少于 100 人的规模要求"
        ]

    def test_theme_by_building_or_by_industry(self):
        t = Targets(themes=("finance",))
        assert reasons_for(t, ent("楼里的", industry_code="7212"), [TOWER]) == ["所在楼宇“数创大厦”为金融主题楼宇"]
        assert reasons_for(t, ent("银行", PLAZA, industry_code="6621"), [PLAZA]) == [
            "行业 6621 属于金融主题的行业（66）"
        ]
        assert reasons_for(t, ent("餐馆", PLAZA, industry_code="6210"), [PLAZA]) is None

    def test_every_named_group_must_hold(self):
        t = Targets(industry_codes=("65",), min_employees=100)
        assert reasons_for(t, ent("大软件", industry_code="6513", employees=500), []) == [
            "行业 6513 属于政策支持的 65 软件和信息技术服务业",
            "从业人数 500 人，符合不少于 100 人的规模要求",
        ]
        assert reasons_for(t, ent("小软件", industry_code="6513", employees=20), []) is None

    def test_universal_policy_and_buildings_of_the_matches(self):
        found = match(Targets(), [ent("甲", TOWER), ent("乙", PLAZA), ent("不在楼", None)], BUILDINGS)
        assert [m.enterprise.name for m in found] == ["甲", "乙", "不在楼"]
        assert found[0].reasons == ["普惠政策：面向区内全部企业"]
        assert [b.code for b in found[1].buildings] == [PLAZA.code] and found[2].buildings == []


# ----- figures (hand computations) ----------------------------------------------------------

Y0, Y1 = date(2025, 1, 1), date(2025, 12, 31)


def app(policy, code, status, applied, amount=None, paid=None):
    return figures.AppRow(
        policy_id=policy,
        credit_code=code,
        status=status,
        applied_on=applied,
        amount_granted=Decimal(amount) if amount is not None else None,
        paid_on=paid,
    )


APPS = [
    app(1, "A", "paid", date(2025, 3, 1), "200000.00", date(2025, 6, 30)),  # granted and paid
    app(1, "B", "accepted", date(2025, 4, 1), "50000.50"),  # granted, not paid
    app(1, "C", "planned", date(2025, 5, 1)),  # intention only: not an application
    app(2, "A", "rejected", date(2025, 7, 1)),  # applied, nothing granted
    app(2, "D", "paid", date(2024, 11, 1), "30000", date(2025, 1, 15)),  # applied last year, paid this year
    app(2, "E", "applied", date(2026, 1, 2)),  # next year
]


class TestFigures:
    def test_funds_granted_and_paid(self):
        s = figures.totals(APPS, Y0, Y1)
        # applications: A/1, B/1, A/2 (C planned; D in 2024; E in 2026)
        assert s.applications == 3
        # granted: 200000 + 50000.50 (accepted or paid, applied in 2025)
        assert s.granted == Decimal("250000.50")
        # paid: 200000 (paid 2025-06-30) + 30000 (paid 2025-01-15, applied 2024)
        assert s.paid == Decimal("230000.00")

    def test_grouped_by_policy(self):
        g = figures.grouped(APPS, Y0, Y1, lambda a: [str(a.policy_id)])
        assert (g["1"].applications, g["1"].granted, g["1"].paid) == (2, Decimal("250000.50"), Decimal("200000.00"))
        assert (g["2"].applications, g["2"].granted, g["2"].paid) == (1, Decimal("0"), Decimal("30000"))

    def test_coverage(self):
        key = {"K1", "K2"}
        fits = {
            1: {"A": {"K1"}, "B": {"K2", "X"}, "C": {"K1"}, "F": {"X"}},  # F not in a key building
            2: {"A": {"K1"}, "D": {"K2"}, "G": set()},  # G in no building
        }
        cov = figures.coverage(fits, key, APPS, Y0, Y1)
        # pairs in key buildings: (1,A) (1,B) (1,C) (2,A) (2,D) = 5
        # applied in 2025: (1,A) (1,B) (2,A); (1,C) only planned; (2,D) applied in 2024
        assert (cov.fitting, cov.applied) == (5, 3)
        assert cov.rate == pytest.approx(0.6)
        assert figures.coverage({}, key, APPS, Y0, Y1).rate is None


# ----- through the API (tasks + a real registry app) -----------------------------------------


@pytest.fixture
def stack(make_client):
    return make_stack(make_client)


def policy_body(**kw):
    return {
        "title": "（示例）武昌区支持软件和信息技术服务业发展若干措施",
        "issuer": "武昌区人民政府",
        "doc_number": "武昌政规〔2025〕1号",
        "level": "district",
        "published_on": "2025-03-01",
        "industry_codes": ["65"],
        "benefit": "按上年度区级贡献给予奖励",
        **kw,
    }


def seeded(stack):
    """A 楼长's building in 水果湖 with a software company and a shop, and a 杨园 building."""
    tower = chief_building(stack.registry)
    plaza = new_building(stack.registry, "楚河广场", street=YANGYUAN)  # no 楼长: the street delivers
    soft = new_enterprise(stack.registry, 1, "数创软件有限公司", industry_code="6513", employees=120)
    shop = new_enterprise(stack.registry, 2, "楼下零售有限公司", industry_code="5211")
    far = new_enterprise(stack.registry, 3, "杨园软件有限公司", industry_code="6511")
    for cc, b in ((soft, tower), (shop, tower), (far, plaza)):
        assert move_in(stack.registry, cc["credit_code"], b["code"], "2024-01-01", area=300).status_code == 201
    return tower, plaza


class TestPolicyFlow:
    def test_manage_rights(self, stack):
        assert stack.tasks.post("/api/tasks/policies", json=policy_body(), headers=STREET_SGH).status_code == 403
        assert stack.tasks.post("/api/tasks/policies", json=policy_body(), headers=FGJ).status_code == 403
        assert stack.tasks.post("/api/tasks/policies", json=policy_body(), headers=LEADER).status_code == 403
        resp = stack.tasks.post("/api/tasks/policies", json=policy_body(), headers=KCRC)
        assert resp.status_code == 201, resp.text
        assert resp.json()["industry_labels"] == ["65 软件和信息技术服务业"]
        bad = stack.tasks.post("/api/tasks/policies", json=policy_body(industry_codes=["6x"]), headers=BUREAU)
        assert bad.status_code == 422 and "行业代码" in bad.text
        assert stack.tasks.get("/api/tasks/policies", headers=CHIEF_SGH).json()["total"] == 1

    def test_matches_push_inbox_and_delivery_on_a_visit(self, stack):
        tower, plaza = seeded(stack)
        policy = stack.tasks.post("/api/tasks/policies", json=policy_body(), headers=BUREAU).json()
        found = stack.tasks.get(f"/api/tasks/policies/{policy['id']}/matches", headers=BUREAU).json()
        assert [(m["name"], m["reasons"]) for m in found["items"]] == [
            ("数创软件有限公司", ["行业 6513 属于政策支持的 65 软件和信息技术服务业"]),
            ("杨园软件有限公司", ["行业 6511 属于政策支持的 65 软件和信息技术服务业"]),
        ]
        assert {b["code"] for b in found["buildings"]} == {tower["code"], plaza["code"]}

        assert (
            stack.tasks.post(f"/api/tasks/policies/{policy['id']}/push", json={}, headers=CHIEF_SGH).status_code == 403
        )
        pushed = stack.tasks.post(f"/api/tasks/policies/{policy['id']}/push", json={}, headers=BUREAU)
        assert pushed.status_code == 201, pushed.text
        assert pushed.json()["created"] == 2
        again = stack.tasks.post(f"/api/tasks/policies/{policy['id']}/push", json={}, headers=BUREAU).json()
        assert (again["created"], again["skipped"]) == (0, 2)

        inbox = stack.tasks.get("/api/tasks/inbox", headers=CHIEF_SGH).json()
        mine = [i for i in inbox["items"] if i["kind"] == "policy"]
        assert len(mine) == 1 and "数创大厦" in mine[0]["title"] and mine[0]["link"] == f"/m/visit/{tower['code']}"
        pushes = stack.tasks.get("/api/tasks/policy-pushes", headers=CHIEF_SGH).json()
        assert [p["building_code"] for p in pushes["items"]] == [tower["code"]]  # not 杨园's

        visit = stack.tasks.post(
            "/api/tasks/visits",
            json={
                "building_code": tower["code"],
                "policy_deliveries": [
                    {"policy_id": policy["id"], "credit_code": credit_code(1), "enterprise_name": "数创软件有限公司"}
                ],
            },
            headers=CHIEF_SGH,
        )
        assert visit.status_code == 201, visit.text
        inbox = stack.tasks.get("/api/tasks/inbox", headers=CHIEF_SGH).json()
        assert not [i for i in inbox["items"] if i["kind"] == "policy"]
        log = stack.tasks.get(f"/api/tasks/policy-deliveries?policy_id={policy['id']}", headers=BUREAU).json()
        assert [(d["enterprise_name"], d["method"], d["visit_id"], d["delivered_by"]) for d in log["items"]] == [
            ("数创软件有限公司", "visit", visit.json()["id"], "louzhang")
        ]
        assert stack.tasks.get("/api/tasks/policy-deliveries", headers=STREET_YY).json()["total"] == 0
        street_inbox = stack.tasks.get("/api/tasks/inbox", headers=STREET_YY).json()
        assert [i["link"] for i in street_inbox["items"] if i["kind"] == "policy"] == [f"/m/visit/{plaza['code']}"]
        found = stack.tasks.get(f"/api/tasks/policies/{policy['id']}/matches", headers=BUREAU).json()
        assert [m["delivered"] for m in found["items"]] == [True, False]

    def test_a_visit_naming_an_unknown_policy_saves_nothing(self, stack):
        tower, _ = seeded(stack)
        resp = stack.tasks.post(
            "/api/tasks/visits",
            json={
                "building_code": tower["code"],
                "policy_deliveries": [{"policy_id": 999, "enterprise_name": "某公司"}],
            },
            headers=CHIEF_SGH,
        )
        assert resp.status_code == 422 and "policy_deliveries[0].policy_id" in resp.text
        assert stack.tasks.get("/api/tasks/visits", headers=BUREAU).json()["total"] == 0


class TestApplications:
    def test_street_scope_and_totals(self, stack):
        tower, _ = seeded(stack)
        tower_code = tower["code"]
        policy = stack.tasks.post("/api/tasks/policies", json=policy_body(), headers=BUREAU).json()
        mine = stack.tasks.post(
            "/api/tasks/policy-applications",
            json={
                "policy_id": policy["id"],
                "credit_code": credit_code(1),
                "applied_on": "2025-04-01",
                "status": "paid",
                "amount_granted": "120000",
                "paid_on": "2025-08-01",
            },
            headers=KCRC,
        )
        assert mine.status_code == 201, mine.text
        assert mine.json()["street_code"] == SHUIGUOHU and mine.json()["building_name"] == "数创大厦"
        other = stack.tasks.post(
            "/api/tasks/policy-applications",
            json={
                "policy_id": policy["id"],
                "credit_code": credit_code(3),
                "applied_on": "2025-05-01",
                "status": "accepted",
                "amount_granted": "80000",
            },
            headers=BUREAU,
        ).json()
        assert other["street_code"] == YANGYUAN
        # a street user sees only its streets' applications
        listed = stack.tasks.get("/api/tasks/policy-applications", headers=STREET_SGH).json()
        assert [a["id"] for a in listed["items"]] == [mine.json()["id"]]
        assert stack.tasks.get(f"/api/tasks/policy-applications/{other['id']}", headers=STREET_SGH).status_code == 404
        assert stack.tasks.get(f"/api/tasks/policy-applications/{other['id']}", headers=LEADER).status_code == 200
        assert stack.tasks.get("/api/tasks/policy-applications", headers=CHIEF_SGH).status_code == 403
        assert (
            stack.tasks.patch(
                f"/api/tasks/policy-applications/{mine.json()['id']}", json={"status": "rejected"}, headers=STREET_SGH
            ).status_code
            == 403
        )
        # totals: bureau sees both, the street only its own
        whole = stack.tasks.get("/api/tasks/policy-applications/totals?year=2025", headers=BUREAU).json()
        assert (whole["applications"], whole["granted"], whole["paid"]) == (2, "200000.00", "120000.00")
        assert {r["label"] for r in whole["by_street"]} == {"水果湖街道", "杨园街道"}
        street = stack.tasks.get("/api/tasks/policy-applications/totals?year=2025", headers=STREET_SGH).json()
        assert (street["applications"], street["granted"]) == (1, "120000.00")
        # coverage without metrics: said, not guessed
        cov = stack.tasks.get("/api/tasks/policy-applications/totals?year=2025&coverage=true", headers=BUREAU).json()
        assert cov["coverage"]["rate"] is None and "不可用" in cov["coverage"]["note"]

        # with metrics' 楼宇分档 naming the 水果湖 tower a 千万元楼宇: 1 fitting pair there, applied
        class Tiers:
            async def _get(self, path, params, token):
                assert path == "/api/metrics/tiers" and params == {"period": "2025"}
                return {"items": [{"key": "qianwan", "buildings": [{"code": tower_code, "name": "数创大厦"}]}]}

            async def aclose(self):
                pass

        stack.tasks.app.state.metrics = Tiers()
        cov = stack.tasks.get("/api/tasks/policy-applications/totals?year=2025&coverage=true", headers=BUREAU).json()
        assert {k: cov["coverage"][k] for k in ("key_buildings", "fitting", "applied", "rate")} == {
            "key_buildings": 1,
            "fitting": 1,
            "applied": 1,
            "rate": 1.0,
        }

    def test_import_reports_every_bad_row_and_writes_nothing(self, stack):
        seeded(stack)
        policy = stack.tasks.post("/api/tasks/policies", json=policy_body(), headers=BUREAU).json()
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(
            [
                "统一社会信用代码",
                "企业名称",
                "政策名称或文号",
                "申报日期",
                "申报状态",
                "核定金额（元）",
                "兑现日期",
                "备注",
            ]
        )
        ws.append(
            [
                credit_code(1),
                "数创软件有限公司",
                "武昌政规〔2025〕1号",
                "2025-03-18",
                "已兑现",
                "100000",
                "2025-09-30",
                "",
            ]
        )
        ws.append([credit_code(9), "", policy["title"], "2025-03-18", "已申报", "", "", ""])  # unknown enterprise
        ws.append([credit_code(3), "", "不存在的政策", "2025/3/18", "已申报", "", "", ""])  # unknown policy
        ws.append([credit_code(2), "", policy["title"], "2025-02-30", "审核中", "-5", "", ""])  # date, status, amount
        ws.append([credit_code(3), "", policy["title"], "2025-04-01", "已兑现", "", "", ""])  # paid without date
        buf = io.BytesIO()
        wb.save(buf)
        content = buf.getvalue()

        def send(dry_run: bool, headers=KCRC):
            return stack.tasks.post(
                f"/api/tasks/policy-applications/import?dry_run={str(dry_run).lower()}",
                files={
                    "file": (
                        "申报兑现.xlsx",
                        content,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    )
                },
                headers=headers,
            )

        assert send(False, STREET_SGH).status_code == 403
        report = send(False).json()
        assert report["saved"] is False and report["rows"] == 5
        problems = {(p["row"], p["field"]) for p in report["problems"]}
        assert problems == {
            (3, "统一社会信用代码"),
            (4, "政策名称或文号"),
            (5, "申报日期"),
            (5, "申报状态"),
            (5, "核定金额（元）"),
            (6, "兑现日期"),
        }
        assert all(p["message"] for p in report["problems"])
        assert stack.tasks.get("/api/tasks/policy-applications", headers=BUREAU).json()["total"] == 0

        # only the good row: the dry run saves nothing, the real run saves it
        wb2 = openpyxl.Workbook()
        ws2 = wb2.active
        for row in ws.iter_rows(min_row=1, max_row=2, values_only=True):
            ws2.append(list(row))
        buf = io.BytesIO()
        wb2.save(buf)
        content = buf.getvalue()
        dry = send(True).json()
        assert (dry["saved"], dry["created"], dry["problems"]) == (False, 1, [])
        assert stack.tasks.get("/api/tasks/policy-applications", headers=BUREAU).json()["total"] == 0
        real = send(False).json()
        assert (real["saved"], real["created"]) == (True, 1)
        rows = stack.tasks.get("/api/tasks/policy-applications", headers=BUREAU).json()["items"]
        assert [(r["status"], r["amount_granted"], r["source"]) for r in rows] == [("paid", "100000.00", "import")]

    def test_template_download(self, stack):
        resp = stack.tasks.get("/api/tasks/policy-applications/import/template", headers=BUREAU)
        assert resp.status_code == 200 and resp.content[:2] == b"PK"
        assert stack.tasks.get("/api/tasks/policy-applications/import/template", headers=LEADER).status_code == 403


def test_demo_policies_are_marked_and_spread_over_the_year(db_session):
    from sqlalchemy import select

    from tasks.policies import demo
    from tasks.policies.models import Policy, PolicyApplication

    with db_session() as session:
        counts = demo.load(session, year=2025)
        assert counts["policies"] == 6 and counts["applications"] > 5 and counts["deliveries"] > 5
        policies = list(session.scalars(select(Policy)))
        assert all(p.is_demo and "示例" in p.title for p in policies)
        months = {a.applied_on.month for a in session.scalars(select(PolicyApplication))}
        assert len(months) >= 6


def test_a_delivery_made_otherwise_is_logged_and_scoped(stack):
    tower, plaza = seeded(stack)
    policy = stack.tasks.post("/api/tasks/policies", json=policy_body(), headers=BUREAU).json()
    stack.tasks.post(f"/api/tasks/policies/{policy['id']}/push", json={}, headers=BUREAU)
    body = {"credit_code": credit_code(3), "enterprise_name": "杨园软件有限公司", "building_code": plaza["code"]}
    # 水果湖's 楼长 cannot record a delivery in a 杨园 building (registry refuses the building)
    refused = stack.tasks.post(f"/api/tasks/policies/{policy['id']}/deliveries", json=body, headers=CHIEF_SGH)
    assert refused.status_code in (403, 404), refused.text
    assert (
        stack.tasks.post(f"/api/tasks/policies/{policy['id']}/deliveries", json=body, headers=LEADER).status_code == 403
    )
    made = stack.tasks.post(
        f"/api/tasks/policies/{policy['id']}/deliveries", json={**body, "note": "电话告知"}, headers=STREET_YY
    )
    assert made.status_code == 201, made.text
    assert (made.json()["method_label"], made.json()["delivered_by"], made.json()["visit_id"]) == (
        "其他方式送达",
        "yangyuan",
        None,
    )
    # the street's push for 楼 without a 楼长 is done: gone from its 待办
    inbox = stack.tasks.get("/api/tasks/inbox", headers=STREET_YY).json()
    assert not [i for i in inbox["items"] if i["kind"] == "policy"]
    assert stack.tasks.get("/api/tasks/policy-deliveries", headers=STREET_SGH).json()["total"] == 0
