"""预警: the four rules and the 数据完整性 reminder on hand-made data, their numbers, persistence
(first seen, resolved, a recurrence is a new warning), idempotent evaluation, rules edited by
the bureau, street scope."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from louyu_kit.clock import today_in_china
from metrics.readmodel.models import RmOccupancy
from metrics.rollups.service import rebuild_all
from metrics.warnings import service
from metrics.warnings.models import EarlyWarning
from tests.metrics.conftest import (
    BUREAU,
    LEADER,
    STREET,
    YANGYUAN,
    add_building,
    add_enterprise,
    add_fact,
    add_occupancy,
    add_space,
    credit_code,
    metrics_db,
    session_of,
)

TODAY = date(2026, 11, 26)
T1 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
T3 = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
E1, E2, E3, BIG = credit_code(1), credit_code(2), credit_code(3), credit_code(9)


@pytest.fixture
def metrics(make_client) -> TestClient:  # type: ignore[no-untyped-def]
    return make_client("metrics", metrics_sync_seconds=0, metrics_goals_sync_seconds=0, metrics_warnings_seconds=0)


def _evaluate(client: TestClient, *, today: date = TODAY, now: datetime = T1) -> service.EvaluationResult:
    with metrics_db(client).write_sessions() as session:
        result = service.evaluate(session, today=today, now=now)
        session.commit()
    return result


def _warnings(client: TestClient, *, rule: str | None = None, active: bool | None = True) -> list[EarlyWarning]:
    with session_of(client) as session:
        stmt = service.warnings_query(rule=rule, active=active)
        return list(session.scalars(stmt))


def _monthly(db, code: str, year: int, value: int, months: range = range(1, 10)) -> None:  # type: ignore[no-untyped-def]
    for m in months:
        add_fact(db, code, f"{year}-{m:02d}", value)


def _tax_district(client: TestClient) -> None:
    """Figures up to 2026-09. B1: 900万 in 2025 Jan–Sep → 540万 in 2026 (−40%). B2: 900万 → 810万
    (−10%). B3: 45万 → 0 (below the 100万 base). BIG (the district's top payer) left B2 on
    31 October 2026 for B1. Every building is full (no occupancy warnings)."""
    db = metrics_db(client)
    add_building(db, "420106-0001", name="中交大厦", leasable_area=1000.0)
    add_building(db, "420106-0002", street_code=YANGYUAN, name="保利广场", leasable_area=1000.0)
    add_building(db, "420106-0003", name="小楼", leasable_area=1000.0)
    for n, code in enumerate((E1, E2, E3, BIG), start=1):
        add_enterprise(db, code, name=f"企业{n}", industry_code="7010")
    add_enterprise(db, credit_code(8), name="长驻企业", industry_code="7010")
    add_occupancy(db, 1, E1, "420106-0001", area=500, start=date(2020, 1, 1))
    add_occupancy(db, 2, E2, "420106-0002", area=500, start=date(2020, 1, 1))
    add_occupancy(db, 3, E3, "420106-0003", area=1000, start=date(2020, 1, 1))
    add_occupancy(db, 4, BIG, "420106-0002", area=500, start=date(2020, 1, 1), end=date(2026, 10, 31))
    add_occupancy(db, 5, BIG, "420106-0001", area=500, start=date(2026, 11, 1))
    add_occupancy(db, 6, credit_code(8), "420106-0002", area=500, start=date(2026, 11, 1))
    _monthly(db, E1, 2025, 1_000_000)
    _monthly(db, E1, 2026, 600_000)
    _monthly(db, E2, 2025, 1_000_000)
    _monthly(db, E2, 2026, 900_000)
    _monthly(db, E3, 2025, 50_000)
    _monthly(db, BIG, 2025, 5_000_000, range(10, 13))
    _monthly(db, BIG, 2026, 5_000_000)
    with db.write_sessions() as session:
        rebuild_all(session)
        session.commit()


class TestTaxDrop:
    def test_a_building_down_more_than_20_percent_is_flagged_with_its_numbers(self, metrics):
        _tax_district(metrics)
        result = _evaluate(metrics)
        drops = _warnings(metrics, rule="tax_drop")
        assert [w.building_code for w in drops] == ["420106-0001"]
        warning = drops[0]
        assert warning.title == "税收同比下降 40%"
        assert warning.message == ("2026年1-9月全口径税收 540万元，上年同期 900万元，同比下降 40%（预警阈值 20%）")
        assert warning.period == "2026年1-9月 对比 2025年1-9月"
        assert warning.figures["current"] == "5400000.00" and warning.figures["previous"] == "9000000.00"
        assert warning.building_name == "中交大厦" and warning.first_seen_at == T1 and warning.resolved_at is None
        assert result.raised == len(_warnings(metrics))

    def test_threshold_and_base_are_the_bureaus(self, metrics):
        _tax_district(metrics)
        with metrics_db(metrics).write_sessions() as session:
            service.set_rules(
                session, changes={"tax_drop": {"threshold": Decimal(5), "min_base": Decimal(0)}}, actor="t"
            )
            session.commit()
        _evaluate(metrics)
        codes = sorted(w.building_code for w in _warnings(metrics, rule="tax_drop"))
        assert codes == ["420106-0001", "420106-0003"]  # B2 rose with BIG's figures; B3 now judged


class TestTopTaxpayer:
    def test_a_top_taxpayer_moving_out_is_flagged_with_where_it_went(self, metrics):
        _tax_district(metrics)
        _evaluate(metrics)
        left = _warnings(metrics, rule="top_taxpayer_left")
        assert len(left) == 1
        warning = left[0]
        assert warning.building_code == "420106-0002" and warning.subject == BIG
        assert warning.street_code == YANGYUAN
        assert warning.title == "纳税大户迁出：企业4"
        assert warning.message == (
            "企业4（2025年10月至2026年9月全口径纳税 6,000万元，全区第 1 名，预警范围前 50 名）"
            "于 2026年10月31日 迁出，现入驻中交大厦"
        )
        assert warning.figures["rank"] == 1 and warning.figures["now_in"] == ["420106-0001"]

    def test_outside_the_top_n_or_long_ago_is_not_flagged(self, metrics):
        _tax_district(metrics)
        with metrics_db(metrics).write_sessions() as session:
            service.set_rules(session, changes={"top_taxpayer_left": {"window_days": 20}}, actor="t")
            session.commit()
        _evaluate(metrics)
        assert _warnings(metrics, rule="top_taxpayer_left") == []


def _occupancy_district(client: TestClient, today: date) -> None:
    """B1 80% full all along; B2 80% a year ago, 50% now (a 3,000 ㎡ tenant left half a year ago);
    B3 under construction and B4 without a leasable area are not judged."""
    db = metrics_db(client)
    long_ago, half_year = date(2020, 1, 1), today - timedelta(days=180)
    add_building(db, "420106-0001", name="满楼", leasable_area=10_000.0)
    add_building(db, "420106-0002", street_code=YANGYUAN, name="空楼", leasable_area=10_000.0)
    add_building(db, "420106-0003", name="在建楼", leasable_area=10_000.0, stage="under_construction")
    add_building(db, "420106-0004", name="无面积楼", leasable_area=None)
    for n in (1, 2, 3):
        add_enterprise(db, credit_code(n), industry_code="7010")
    add_occupancy(db, 1, credit_code(1), "420106-0001", area=8000, start=long_ago)
    add_occupancy(db, 2, credit_code(2), "420106-0002", area=5000, start=long_ago)
    add_occupancy(db, 3, credit_code(3), "420106-0002", area=3000, start=long_ago, end=half_year)


class TestOccupancy:
    def test_occupancy_drop_and_vacancy(self, metrics):
        _occupancy_district(metrics, TODAY)
        _evaluate(metrics)
        active = _warnings(metrics)
        # B4 (no leasable area) is 未填报: a 数据完整性 reminder, never an occupancy warning.
        assert sorted((w.rule, w.building_code) for w in active) == [
            ("not_reported", "420106-0004"),
            ("occupancy_drop", "420106-0002"),
            ("vacancy_high", "420106-0002"),
        ]
        drop = next(w for w in active if w.rule == "occupancy_drop")
        assert drop.title == "入驻率同比下降 30 个百分点"
        assert drop.message == (
            "入驻率 50%（入驻 5,000㎡ / 可出租 10,000㎡），上年同日（2025年11月26日）80%，"
            "下降 30 个百分点（预警阈值 10 个百分点）"
        )
        vacancy = next(w for w in active if w.rule == "vacancy_high")
        assert vacancy.message == "空置率 50%（空置 5,000㎡ / 可出租 10,000㎡，2026年11月26日），高于预警阈值 30%"

    def test_a_building_nobody_has_filled_in_raises_no_vacancy_warning(self, metrics):
        # Registered a minute ago: a leasable area, but neither spaces nor stays (未填报) — not
        # "空置率 100%". Once a space is recorded it is judged (and is 100% vacant).
        _occupancy_district(metrics, TODAY)
        add_building(metrics_db(metrics), "420106-0005", name="新登记楼", leasable_area=20_000.0)
        _evaluate(metrics)
        assert [w.rule for w in _warnings(metrics) if w.building_code == "420106-0005"] == ["not_reported"]
        add_space(metrics_db(metrics), 1, "420106-0005", area=800.0, status="vacant")
        _evaluate(metrics)
        assert [w.rule for w in _warnings(metrics) if w.building_code == "420106-0005"] == ["vacancy_high"]


class TestDataCompleteness:
    """数据完整性: a 未填报 building reminds its street (low severity), never a vacancy warning."""

    def test_a_building_without_spaces_or_area_raises_a_reminder(self, metrics):
        _occupancy_district(metrics, TODAY)
        add_building(metrics_db(metrics), "420106-0005", name="新登记大厦", leasable_area=20_000.0)
        _evaluate(metrics)
        reminders = {w.building_code: w for w in _warnings(metrics, rule="not_reported")}
        # 无面积楼 (no leasable area) and 新登记大厦 (an area but nothing recorded); not 在建楼, not the filled ones.
        assert sorted(reminders) == ["420106-0004", "420106-0005"]
        new = reminders["420106-0005"]
        assert new.kind == "data_completeness" and new.severity == "low" and new.rule_name == "数据完整性"
        assert new.message.startswith("数据完整性：新登记大厦尚未填报房源/可租面积（缺房源或入驻记录）")
        assert new.figures["missing"] == ["房源或入驻记录"]
        assert reminders["420106-0004"].figures["missing"] == ["可出租面积", "房源或入驻记录"]
        assert new.street_code == "420106001"
        # Not a vacancy warning, and the filled buildings raise no reminder.
        assert {w.building_code for w in _warnings(metrics, rule="vacancy_high")} == {"420106-0002"}
        vacancy = next(w for w in _warnings(metrics) if w.rule == "vacancy_high")
        assert vacancy.kind == "warning" and vacancy.severity == "normal"

    def test_filling_it_in_resolves_the_reminder(self, metrics):
        _occupancy_district(metrics, TODAY)
        add_building(metrics_db(metrics), "420106-0005", name="新登记大厦", leasable_area=20_000.0)
        _evaluate(metrics, now=T1)
        add_enterprise(metrics_db(metrics), credit_code(7), industry_code="7010")
        add_occupancy(metrics_db(metrics), 7, credit_code(7), "420106-0005", area=19_000, start=date(2020, 1, 1))
        result = _evaluate(metrics, now=T2)
        assert result.resolved == 1
        assert "420106-0005" not in {w.building_code for w in _warnings(metrics)}  # 95% full: nothing to say

    def test_the_reminder_is_for_its_street_and_the_bureau(self, metrics):
        _occupancy_district(metrics, TODAY)
        db = metrics_db(metrics)
        add_building(db, "420106-0006", street_code=YANGYUAN, name="杨园新楼", leasable_area=8_000.0)
        _evaluate(metrics)

        def reminders(headers, **params):  # fmt: skip
            resp = metrics.get("/api/metrics/warnings", params={"active": "true", **params}, headers=headers)
            assert resp.status_code == 200, resp.text
            return {w["building_code"]: w for w in resp.json()["items"] if w["kind"] == "data_completeness"}

        # The bureau sees both; 积玉桥's street user sees its own (无面积楼), not 杨园's.
        assert sorted(reminders(BUREAU)) == ["420106-0004", "420106-0006"]
        mine = reminders(STREET)
        assert sorted(mine) == ["420106-0004"] and mine["420106-0004"]["severity"] == "low"
        assert sorted(reminders(LEADER, street=YANGYUAN)) == ["420106-0006"]
        # On the cockpit: after the warnings, and only the street's own for a street user.
        board = metrics.get("/api/metrics/dashboard", headers=STREET).json()
        assert [(w["building_code"], w["kind"]) for w in board["warnings"]] == [("420106-0004", "data_completeness")]
        district = metrics.get("/api/metrics/dashboard", headers=LEADER).json()["warnings"]
        kinds = [w["kind"] for w in district]
        assert kinds == sorted(kinds, key=lambda k: k == "data_completeness") and "data_completeness" in kinds

    def test_the_bureau_can_switch_the_reminder_off(self, metrics):
        _occupancy_district(metrics, TODAY)
        _evaluate(metrics, now=T1)
        with metrics_db(metrics).write_sessions() as session:
            service.set_rules(session, changes={"not_reported": {"enabled": False}}, actor="t")
            session.commit()
        assert _evaluate(metrics, now=T2).resolved == 1
        assert _warnings(metrics, rule="not_reported") == []

    def test_evaluation_is_idempotent_and_keeps_the_first_date(self, metrics):
        _occupancy_district(metrics, TODAY)
        first = _evaluate(metrics, now=T1)
        again = _evaluate(metrics, now=T2)
        assert (first.raised, again.raised, again.updated, again.resolved) == (3, 0, 3, 0)
        with session_of(metrics) as session:
            rows = list(session.scalars(select(EarlyWarning)))
        assert len(rows) == 3
        assert all(w.first_seen_at == T1 and w.last_seen_at == T2 for w in rows)

    def test_a_warning_resolves_and_a_recurrence_is_a_new_warning(self, metrics):
        _occupancy_district(metrics, TODAY)
        _evaluate(metrics, now=T1)
        # A new 4,000 ㎡ tenant: 90% full, no drop, no vacancy.
        db = metrics_db(metrics)
        add_enterprise(db, credit_code(4), industry_code="7010")
        add_occupancy(db, 4, credit_code(4), "420106-0002", area=4000, start=TODAY - timedelta(days=10))
        result = _evaluate(metrics, now=T2)
        assert result.resolved == 2 and [w.rule for w in _warnings(metrics)] == ["not_reported"]
        resolved = _warnings(metrics, active=False)
        assert len(resolved) == 2 and all(w.resolved_at == T2 and w.first_seen_at == T1 for w in resolved)
        # The tenant leaves again: new warnings, first seen now; the old ones stay resolved.
        with db.write_sessions() as session:
            session.execute(update(RmOccupancy).where(RmOccupancy.id == 4).values(deleted=True))
            session.commit()
        assert _evaluate(metrics, now=T3).raised == 2
        assert all(w.first_seen_at == T3 for w in _warnings(metrics) if w.rule != "not_reported")
        assert len(_warnings(metrics, active=None)) == 5

    def test_a_disabled_rule_resolves_its_warnings(self, metrics):
        _occupancy_district(metrics, TODAY)
        _evaluate(metrics, now=T1)
        with metrics_db(metrics).write_sessions() as session:
            service.set_rules(session, changes={"vacancy_high": {"enabled": False}}, actor="t")
            session.commit()
        assert _evaluate(metrics, now=T2).resolved == 1
        assert sorted(w.rule for w in _warnings(metrics)) == ["not_reported", "occupancy_drop"]


class TestSchedule:
    def test_due_daily_and_after_the_rollups_were_recomputed(self):
        base = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
        rollups = base + timedelta(minutes=1)
        due = service.evaluation_due
        assert due(now=base, last_evaluated_at=None, rollups_at=None, rollups_seen=None, interval=86400)
        later = base + timedelta(hours=1)
        assert not due(now=later, last_evaluated_at=base, rollups_at=None, rollups_seen=None, interval=86400)
        assert due(now=later, last_evaluated_at=base, rollups_at=rollups, rollups_seen=None, interval=86400)
        assert not due(now=later, last_evaluated_at=base, rollups_at=rollups, rollups_seen=rollups, interval=86400)
        soon = base + timedelta(seconds=30)
        assert not due(now=soon, last_evaluated_at=base, rollups_at=rollups, rollups_seen=None, interval=86400)
        tomorrow = base + timedelta(days=1)
        assert due(now=tomorrow, last_evaluated_at=base, rollups_at=None, rollups_seen=None, interval=86400)


class TestApi:
    def test_rules_read_and_edited_by_the_bureau(self, metrics):
        rules = {r["code"]: r for r in metrics.get("/api/metrics/warnings/rules", headers=LEADER).json()}
        assert set(rules) == {"tax_drop", "top_taxpayer_left", "occupancy_drop", "vacancy_high", "not_reported"}
        assert rules["not_reported"]["name"] == "数据完整性" and rules["not_reported"]["threshold"] is None
        assert Decimal(rules["tax_drop"]["threshold"]) == 20 and rules["tax_drop"]["threshold_unit"] == "%"
        assert rules["top_taxpayer_left"]["top_n"] == 50 and rules["top_taxpayer_left"]["threshold"] is None
        assert Decimal(rules["occupancy_drop"]["threshold"]) == 10 and Decimal(rules["vacancy_high"]["threshold"]) == 30
        change = {"rules": [{"code": "vacancy_high", "threshold": 40}]}
        assert metrics.put("/api/metrics/warnings/rules", json=change, headers=LEADER).status_code == 403
        resp = metrics.put("/api/metrics/warnings/rules", json=change, headers=BUREAU)
        assert resp.status_code == 200, resp.text
        updated = {r["code"]: r for r in resp.json()}
        assert Decimal(updated["vacancy_high"]["threshold"]) == 40 and updated["vacancy_high"]["is_default"] is False
        assert updated["tax_drop"]["is_default"] is True
        # Fields left out or null keep their values; switching a rule off keeps its threshold.
        change = {"rules": [{"code": "vacancy_high", "enabled": False, "threshold": None}]}
        rule = next(r for r in metrics.put("/api/metrics/warnings/rules", json=change, headers=BUREAU).json()
                    if r["code"] == "vacancy_high")  # fmt: skip
        assert rule["enabled"] is False and Decimal(rule["threshold"]) == 40
        change = {"rules": [{"code": "vacancy_high", "enabled": None}]}
        assert metrics.put("/api/metrics/warnings/rules", json=change, headers=BUREAU).status_code == 200

    def test_bad_rule_changes_are_refused(self, metrics):
        resp = metrics.put("/api/metrics/warnings/rules", json={"rules": [{"code": "nope"}]}, headers=BUREAU)
        assert resp.status_code == 422 and "预警规则 nope 不存在" in resp.json()["detail"]
        resp = metrics.put(
            "/api/metrics/warnings/rules", json={"rules": [{"code": "vacancy_high", "top_n": 5}]}, headers=BUREAU
        )
        assert resp.status_code == 422 and "没有 top_n" in resp.json()["detail"]

    def test_evaluate_and_list_with_street_scope(self, metrics):
        today = today_in_china()
        _occupancy_district(metrics, today)
        db = metrics_db(metrics)
        # A second building in 积玉桥 that is mostly empty (vacancy only).
        add_building(db, "420106-0005", name="半空楼", leasable_area=10_000.0)
        add_enterprise(db, credit_code(5), industry_code="7010")
        add_occupancy(db, 5, credit_code(5), "420106-0005", area=1000, start=date(2020, 1, 1))
        assert metrics.post("/api/metrics/warnings/evaluate", headers=LEADER).status_code == 403
        resp = metrics.post("/api/metrics/warnings/evaluate", headers=BUREAU)
        assert resp.status_code == 200, resp.text
        assert resp.json()["raised"] == 4 and resp.json()["active"] == 4
        again = metrics.post("/api/metrics/warnings/evaluate", headers=BUREAU).json()
        assert again["raised"] == 0 and again["updated"] == 4

        everything = metrics.get("/api/metrics/warnings", params={"active": "true"}, headers=LEADER).json()
        assert everything["total"] == 4
        item = everything["items"][0]
        assert {"rule_name", "message", "first_seen_at", "building_name", "figures"} <= set(item)
        assert item["active"] is True and item["resolved_at"] is None

        mine = metrics.get("/api/metrics/warnings", headers=STREET).json()  # 积玉桥
        # The warning first, then the 数据完整性 reminder of 无面积楼 (also in 积玉桥).
        assert [(w["building_code"], w["rule"]) for w in mine["items"]] == [
            ("420106-0005", "vacancy_high"),
            ("420106-0004", "not_reported"),
        ]
        assert metrics.get("/api/metrics/warnings", params={"street": YANGYUAN}, headers=STREET).status_code == 404
        yangyuan = metrics.get("/api/metrics/warnings", params={"street": YANGYUAN}, headers=LEADER).json()
        assert yangyuan["total"] == 2
        by_building = metrics.get("/api/metrics/warnings", params={"building": "420106-0002"}, headers=STREET)
        assert by_building.status_code == 404

    def test_active_warnings_for_the_dashboard(self, metrics):
        _occupancy_district(metrics, TODAY)
        _evaluate(metrics)
        with session_of(metrics) as session:
            assert len(service.active_warnings(session)) == 3
            assert [w.rule for w in service.active_warnings(session, street_codes=["420106001"])] == ["not_reported"]
            assert len(service.active_warnings(session, street_codes=[YANGYUAN], limit=1)) == 1


class TestCommand:
    def test_python_m_metrics_warnings_evaluates_now(self, metrics, db_urls, tmp_path, capsys):
        from metrics.warnings import cli
        from tests.conftest import settings_for

        _occupancy_district(metrics, today_in_china())
        assert cli.evaluate(settings_for("metrics", db_urls("metrics"), tmp_path)) == 0
        assert "新出现 3 条" in capsys.readouterr().out
        assert len(_warnings(metrics)) == 3
