"""特色楼宇 evaluation (metrics.featured.service) on read-model rows: share by area, count and
tax, the GFA floor, declared themes, and the verdict changing when a tenant moves out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from metrics.featured import service
from metrics.readmodel.models import RmOccupancy
from tests.metrics.conftest import (
    add_building,
    add_enterprise,
    add_fact,
    add_occupancy,
    add_theme,
    credit_code,
    metrics_db,
    session_of,
)

TODAY = date(2026, 11, 26)
FIN1, FIN2, DIG = credit_code(1), credit_code(2), credit_code(3)


def _themes(client: TestClient) -> None:
    db = metrics_db(client)
    add_theme(db, "finance", "金融", ["66", "67", "68", "69"])
    add_theme(db, "digital", "数字经济", ["63", "64", "65"])
    add_theme(db, "hq", "总部", ["7211"])


def _finance_building(
    client: TestClient, code: str = "420106-0001", *, gfa: float | None = 52_000.0, third: str = "7010"
) -> None:
    """Two finance tenants (3,000 + 3,300 ㎡) and a third firm (3,700 ㎡, real estate unless
    ``third`` says otherwise): finance holds 63% of the occupied area."""
    db = metrics_db(client)
    add_building(db, code, name="长江金融大厦", gfa=gfa, themes=["finance"])
    add_enterprise(db, FIN1, name="长江银行武昌支行", industry_code="6620")
    add_enterprise(db, FIN2, name="楚天证券", industry_code="6712")
    add_enterprise(db, DIG, name="第三家企业", industry_code=third)
    add_occupancy(db, 1, FIN1, code, area=3000)
    add_occupancy(db, 2, FIN2, code, area=3300)
    add_occupancy(db, 3, DIG, code, area=3700)


def _verdict(client: TestClient, code: str = "420106-0001", year: int = 2026, **kw) -> service.Verdict:  # type: ignore[no-untyped-def]
    with session_of(client) as session:
        return service.evaluate_one(session, code=code, year=year, today=TODAY, **kw)


@pytest.fixture
def metrics(make_client) -> TestClient:  # type: ignore[no-untyped-def]
    client = make_client("metrics", metrics_sync_seconds=0)
    _themes(client)
    return client


class TestShareByArea:
    def test_finance_tenants_on_63_percent_of_the_area_qualify(self, metrics):
        _finance_building(metrics)
        verdict = _verdict(metrics)
        assert verdict.qualifies is True
        assert verdict.themes == ["finance"] and verdict.theme_names == ["金融"]
        finance = verdict.checks[0]
        assert finance.theme == "finance" and finance.declared and finance.measure == "area"
        assert finance.value == Decimal("6300") and finance.total == Decimal("10000")
        assert finance.share == Decimal(63)
        assert finance.reasons[0].startswith("金融企业占入驻面积 63%（阈值 50%")
        assert "建筑面积 52,000㎡ 不低于 10,000㎡" in finance.reasons
        assert verdict.summary.startswith("符合特色楼宇（金融）：金融企业占入驻面积 63%（阈值 50%")
        assert verdict.tenants == 3 and verdict.occupied_area == 10_000

    def test_a_small_building_fails_on_the_gfa_floor_with_its_numbers(self, metrics):
        _finance_building(metrics, gfa=8000)
        verdict = _verdict(metrics)
        assert verdict.qualifies is False and verdict.themes == []
        finance = verdict.checks[0]
        assert finance.share_ok is True and finance.gfa_ok is False
        assert "建筑面积 8,000㎡ 低于 10,000㎡" in finance.reasons
        assert verdict.summary.startswith("不符合特色楼宇：")
        assert "建筑面积 8,000㎡ 低于 10,000㎡" in verdict.summary

    def test_unknown_gfa_cannot_qualify(self, metrics):
        _finance_building(metrics, gfa=None)
        verdict = _verdict(metrics)
        assert verdict.qualifies is False
        assert "建筑面积未登记，无法认定" in verdict.checks[0].reasons


class TestMoveOut:
    def test_the_verdict_changes_when_a_finance_tenant_moves_out(self, metrics):
        _finance_building(metrics)
        assert _verdict(metrics).qualifies is True
        # 楚天证券 leaves on 31 October: finance keeps 3,000 of 6,700 ㎡ (44.7%).
        with metrics_db(metrics).write_sessions() as session:
            session.execute(update(RmOccupancy).where(RmOccupancy.id == 2).values(end_date=date(2026, 10, 31)))
            session.commit()
        verdict = _verdict(metrics)
        assert verdict.qualifies is False
        finance = next(c for c in verdict.checks if c.theme == "finance")
        assert finance.value == Decimal("3000") and finance.total == Decimal("6700")
        assert finance.reasons[0].startswith("金融企业占入驻面积 44.7%（阈值 50%")
        assert "44.7%" in verdict.summary and "63%" not in verdict.summary
        # 2025 is judged on 31 December 2025, when 楚天证券 was still there.
        assert _verdict(metrics, year=2025).qualifies is True

    def test_a_deleted_occupancy_no_longer_counts(self, metrics):
        _finance_building(metrics)
        with metrics_db(metrics).write_sessions() as session:
            session.execute(update(RmOccupancy).where(RmOccupancy.id.in_([1, 2])).values(deleted=True))
            session.commit()
        verdict = _verdict(metrics)
        assert verdict.qualifies is False and verdict.tenants == 1
        assert "金融企业占入驻面积 0%" in verdict.checks[0].reasons[0]


class TestRules:
    def test_count_rule_and_a_higher_threshold(self, metrics):
        _finance_building(metrics)
        with metrics_db(metrics).write_sessions() as session:
            service.set_rule(
                session, "finance", measure="count", threshold=Decimal(70), min_gfa=Decimal(10000), actor="t"
            )
            session.commit()
        verdict = _verdict(metrics)
        finance = verdict.checks[0]
        assert finance.measure == "count" and finance.value == 2 and finance.total == 3
        assert verdict.qualifies is False
        assert finance.reasons[0].startswith("金融企业占入驻企业数 66.6%（阈值 70%；2 / 3 家）")

    def test_gfa_floor_is_configurable(self, metrics):
        _finance_building(metrics, gfa=8000)
        with metrics_db(metrics).write_sessions() as session:
            service.set_rule(
                session, "finance", measure="area", threshold=Decimal(50), min_gfa=Decimal(5000), actor="t"
            )
            session.commit()
        assert _verdict(metrics).qualifies is True

    def test_defaults_come_from_the_domain(self, metrics):
        with session_of(metrics) as session:
            rules = {r.theme_code: r for r in service.list_rules(session)}
        # Registry's 13 shipped themes, as registry seeds them (no change events for those).
        assert len(rules) == 13 and {"finance", "digital", "hq", "low_altitude", "rail_tech"} <= set(rules)
        assert rules["low_altitude"].theme_name == "低空经济"
        assert rules["low_altitude"].industry_prefixes == ("563", "374", "3963")
        assert rules["finance"].is_default and rules["finance"].measure == "area"
        assert rules["finance"].threshold == 50 and rules["finance"].min_gfa == 10000
        assert rules["finance"].describe() == "金融企业占入驻面积 ≥ 50%，建筑面积 ≥ 10,000㎡"

    def test_themes_edited_or_deleted_in_registry_follow_the_feed(self, metrics):
        from metrics.readmodel.models import RmTheme

        db = metrics_db(metrics)
        add_theme(db, "bio", "生物医药", ["27"])
        with db.write_sessions() as session:
            session.execute(update(RmTheme).where(RmTheme.code == "digital").values(deleted=True))
            session.commit()
        with session_of(metrics) as session:
            rules = {r.theme_code: r for r in service.list_rules(session)}
        assert "digital" not in rules and rules["bio"].theme_name == "生物医药"
        assert rules["finance"].industry_prefixes == ("66", "67", "68", "69")

    def test_tax_share_uses_the_attributed_tax(self, metrics):
        from metrics.rollups.service import rebuild_all

        _finance_building(metrics, third="6513")
        db = metrics_db(metrics)
        # Finance has most of the area but the software firm pays most of the tax.
        for month in ("2026-01", "2026-02"):
            add_fact(db, FIN1, month, 1_000_000)
            add_fact(db, FIN2, month, 500_000)
            add_fact(db, DIG, month, 3_500_000)
        with db.write_sessions() as session:
            service.set_rule(
                session, "finance", measure="tax", threshold=Decimal(50), min_gfa=Decimal(10000), actor="t"
            )
            service.set_rule(
                session, "digital", measure="tax", threshold=Decimal(50), min_gfa=Decimal(10000), actor="t"
            )
            rebuild_all(session)
            session.commit()
        verdict = _verdict(metrics)
        assert verdict.themes == ["digital"]
        digital = verdict.checks[0]
        assert digital.value == Decimal("7000000.00") and digital.total == Decimal("10000000.00")
        assert digital.reasons[0] == "数字经济企业占楼宇全口径税收 70%（阈值 50%；700万元 / 1,000万元）"
        finance = next(c for c in verdict.checks if c.theme == "finance")
        assert finance.qualifies is False and finance.share == Decimal(30)

    def test_tax_rule_without_figures_says_so(self, metrics):
        _finance_building(metrics)
        with metrics_db(metrics).write_sessions() as session:
            service.set_rule(
                session, "finance", measure="tax", threshold=Decimal(50), min_gfa=Decimal(10000), actor="t"
            )
            session.commit()
        verdict = _verdict(metrics)
        finance = next(c for c in verdict.checks if c.theme == "finance")
        assert finance.qualifies is False and finance.share is None
        assert finance.reasons[0] == "楼宇本年度无全口径税收数据，无法按税收认定"


class TestThemes:
    def test_every_theme_is_evaluated_not_only_the_declared_one(self, metrics):
        db = metrics_db(metrics)
        add_building(db, "420106-0002", name="数创大厦", themes=["finance"])
        add_enterprise(db, DIG, industry_code="6513")
        add_occupancy(db, 1, DIG, "420106-0002", area=2000)
        verdict = _verdict(metrics, code="420106-0002")
        assert verdict.qualifies is True and verdict.themes == ["digital"]
        assert verdict.declared_themes == ["finance"]
        declared = next(c for c in verdict.checks if c.theme == "finance")
        assert declared.declared and declared.share == 0 and not declared.qualifies
        assert [c.theme for c in verdict.checks] == ["digital", "finance"]

    def test_a_section_letter_prefix_covers_its_divisions(self, metrics):
        db = metrics_db(metrics)
        add_theme(db, "finance_j", "金融门类", ["J"])
        _finance_building(metrics)
        verdict = _verdict(metrics)
        assert "finance_j" in verdict.themes

    def test_hq_theme_counts_enterprises_with_an_hq_level(self, metrics):
        db = metrics_db(metrics)
        add_building(db, "420106-0003", name="总部大厦")
        add_enterprise(db, FIN1, industry_code="6620", hq_level="region")
        add_occupancy(db, 1, FIN1, "420106-0003", area=5000)
        verdict = _verdict(metrics, code="420106-0003")
        assert set(verdict.themes) == {"finance", "hq"}

    def test_an_empty_building_says_it_has_no_tenants(self, metrics):
        add_building(metrics_db(metrics), "420106-0004", name="空楼")
        verdict = _verdict(metrics, code="420106-0004")
        assert verdict.qualifies is False and verdict.checks == []
        assert verdict.summary == "不符合特色楼宇：楼内暂无在驻企业"

    def test_tenants_of_no_theme(self, metrics):
        db = metrics_db(metrics)
        add_building(db, "420106-0005", name="商业楼")
        add_enterprise(db, FIN1, industry_code="7010")
        add_occupancy(db, 1, FIN1, "420106-0005", area=5000)
        assert _verdict(metrics, code="420106-0005").summary == "不符合特色楼宇：在驻企业均不属于任何特色主题"


class TestMany:
    def test_evaluate_all_and_by_street(self, metrics):
        _finance_building(metrics)
        add_building(metrics_db(metrics), "420106-0009", street_code="420106002", name="杨园楼")
        with session_of(metrics) as session:
            every = service.evaluate(session, year=2026, today=TODAY)
            yangyuan = service.evaluate(session, year=2026, street_codes=["420106002"], today=TODAY)
            codes = service.qualifying_codes(session, year=2026, today=TODAY)
        assert [v.building_code for v in every] == ["420106-0001", "420106-0009"]
        assert [v.building_code for v in yangyuan] == ["420106-0009"]
        assert codes == {"420106-0001"}


class TestApi:
    def test_rules_read_and_edited_by_the_bureau(self, metrics):
        from tests.metrics.conftest import BUREAU, LEADER

        resp = metrics.get("/api/metrics/featured/rules/finance", headers=LEADER)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["is_default"] is True and body["measure"] == "area"
        assert Decimal(body["threshold"]) == 50 and Decimal(body["min_gfa"]) == 10000
        assert body["description"] == "金融企业占入驻面积 ≥ 50%，建筑面积 ≥ 10,000㎡"

        change = {"measure": "count", "threshold": 60, "min_gfa": 20000}
        assert metrics.put("/api/metrics/featured/rules/finance", json=change, headers=LEADER).status_code == 403
        resp = metrics.put("/api/metrics/featured/rules/finance", json=change, headers=BUREAU)
        assert resp.status_code == 200, resp.text
        assert resp.json()["is_default"] is False and resp.json()["updated_by"] == "shangwu"
        listed = {r["theme_code"]: r for r in metrics.get("/api/metrics/featured/rules", headers=LEADER).json()}
        assert listed["finance"]["measure"] == "count" and listed["digital"]["is_default"] is True

    def test_bad_rules_are_refused_in_chinese(self, metrics):
        from tests.metrics.conftest import BUREAU

        resp = metrics.put("/api/metrics/featured/rules/finance", json={"threshold": 120}, headers=BUREAU)
        assert resp.status_code == 422 and "100" in resp.json()["detail"]
        resp = metrics.put("/api/metrics/featured/rules/nope", json={}, headers=BUREAU)
        assert resp.status_code == 404 and resp.json()["detail"] == "特色主题 nope 不存在"

    def test_verdicts_list_and_building(self, metrics):
        from tests.metrics.conftest import LEADER

        _finance_building(metrics)
        add_building(metrics_db(metrics), "420106-0009", street_code="420106002", name="杨园楼")
        body = metrics.get("/api/metrics/featured", params={"year": 2025}, headers=LEADER).json()
        assert body["total"] == 2 and body["qualifying"] == 1 and body["year"] == 2025
        first = body["items"][0]
        assert first["qualifies"] is True and first["themes"] == ["finance"] and first["as_of"] == "2025-12-31"
        assert first["checks"][0]["reasons"][0].startswith("金融企业占入驻面积 63%")
        only = metrics.get("/api/metrics/featured", params={"qualifies": "true"}, headers=LEADER).json()
        assert [v["building_code"] for v in only["items"]] == ["420106-0001"]
        paged = metrics.get("/api/metrics/featured", params={"page_size": 1, "page": 2}, headers=LEADER).json()
        assert paged["total"] == 2 and paged["qualifying"] == 1 and paged["page"] == 2
        assert [v["building_code"] for v in paged["items"]] == ["420106-0009"]
        one = metrics.get("/api/metrics/featured/buildings/420106-0009", headers=LEADER).json()
        assert one["qualifies"] is False and one["summary"] == "不符合特色楼宇：楼内暂无在驻企业"

    def test_a_street_user_sees_only_its_streets_buildings(self, metrics):
        from tests.metrics.conftest import STREET

        _finance_building(metrics)  # 积玉桥 (the street user's)
        add_building(metrics_db(metrics), "420106-0009", street_code="420106002", name="杨园楼")
        body = metrics.get("/api/metrics/featured", headers=STREET).json()
        assert [v["building_code"] for v in body["items"]] == ["420106-0001"]
        assert metrics.get("/api/metrics/featured/buildings/420106-0009", headers=STREET).status_code == 404
        assert metrics.get("/api/metrics/featured", params={"street": "420106002"}, headers=STREET).status_code == 404
        assert metrics.get("/api/metrics/featured/buildings/420106-0001", headers=STREET).status_code == 200

    def test_clients_that_only_post_figures_cannot_read_verdicts(self, metrics):
        from tests.metrics.conftest import AUDITOR, TAX_CLIENT

        assert metrics.get("/api/metrics/featured", headers=TAX_CLIENT).status_code == 403
        assert metrics.get("/api/metrics/featured", headers=AUDITOR).status_code == 403


class TestCache:
    def test_district_counts_are_kept_until_the_feed_moves_on(self, metrics):
        from metrics.readmodel.models import SyncState

        _finance_building(metrics)
        db = metrics_db(metrics)
        with db.write_sessions() as session:
            session.add(SyncState(source="registry", cursor=5))
            session.commit()
        with session_of(metrics) as session:
            assert service.qualifying_codes(session, year=2026, today=TODAY) == {"420106-0001"}
        # A change the feed did not bring (no cursor move) is not seen by the cached counts…
        with db.write_sessions() as session:
            session.execute(update(RmOccupancy).where(RmOccupancy.id == 2).values(end_date=date(2026, 10, 31)))
            session.commit()
        with session_of(metrics) as session:
            assert service.qualifying_codes(session, year=2026, today=TODAY) == {"420106-0001"}
            # …while one building's verdict is always computed afresh.
            assert service.evaluate_one(session, code="420106-0001", year=2026, today=TODAY).qualifies is False
        with db.write_sessions() as session:
            session.execute(update(SyncState).values(cursor=6))
            session.commit()
        with session_of(metrics) as session:
            assert service.qualifying_codes(session, year=2026, today=TODAY) == set()

    def test_a_rule_change_is_seen_at_once(self, metrics):
        from metrics.readmodel.models import SyncState

        _finance_building(metrics)
        db = metrics_db(metrics)
        with db.write_sessions() as session:
            session.add(SyncState(source="registry", cursor=7))
            session.commit()
        with session_of(metrics) as session:
            assert service.qualifying_codes(session, year=2026, today=TODAY) == {"420106-0001"}
        with db.write_sessions() as session:
            service.set_rule(session, "finance", measure="area", threshold=Decimal(70), min_gfa=Decimal(0), actor="t")
            session.commit()
        with session_of(metrics) as session:
            assert service.qualifying_codes(session, year=2026, today=TODAY) == set()
