"""预警 严重程度 (issue #18): rules carry a level the bureau sets, the most severe warnings come
first wherever a list is cut (a severe one is never hidden behind 20 minor ones), and 处置 notes
are scoped like the warnings (a street sees and notes its own)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from metrics.warnings import service
from metrics.warnings.models import EarlyWarning
from tests.metrics.conftest import (
    BUREAU,
    CHIEF,
    LEADER,
    STATS_CLIENT,
    STREET,
    YANGYUAN,
    add_building,
    metrics_db,
    session_of,
    user_token,
)

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
OTHER_STREET = user_token("yangyuan", "street", streets=[YANGYUAN])


def _warning(db, n: int, *, rule: str, level: str, building: str, seen: datetime) -> None:  # type: ignore[no-untyped-def]
    with db.write_sessions() as session:
        session.add(
            EarlyWarning(
                rule=rule,
                building_code=building,
                building_name=f"楼{building[-4:]}",
                street_code="420106001" if building != "420106-0099" else YANGYUAN,
                subject="",
                active_key=f"{rule}|{building}|{n}",
                title=f"预警 {n}",
                message="演示",
                period="2026-09-YTD",
                figures={},
                level=level,
                first_seen_at=seen,
                last_seen_at=seen,
            )
        )
        session.commit()


def _many_minor_one_severe(client: TestClient) -> None:
    """One 严重 tax drop seen first (the oldest), then 25 newer 一般 vacancy warnings."""
    db = metrics_db(client)
    add_building(db, "420106-0001", name="中交大厦", leasable_area=1000.0)
    add_building(db, "420106-0099", street_code=YANGYUAN, name="保利广场", leasable_area=1000.0)
    for n in range(2, 27):
        add_building(db, f"420106-{n:04d}", name=f"楼{n}", leasable_area=1000.0)
    _warning(db, 1, rule="tax_drop", level="severe", building="420106-0001", seen=T0)
    for n in range(2, 27):
        _warning(db, n, rule="vacancy_high", level="minor", building=f"420106-{n:04d}", seen=T0 + timedelta(days=n))
    _warning(db, 99, rule="occupancy_drop", level="major", building="420106-0099", seen=T0 + timedelta(days=1))


class TestOrdering:
    def test_severe_first_when_twenty_minor_exist(self, metrics: TestClient) -> None:
        _many_minor_one_severe(metrics)
        with session_of(metrics) as session:
            top = service.active_warnings(session, limit=20)
        assert [w.level for w in top[:2]] == ["severe", "major"]
        assert top[0].rule == "tax_drop" and len(top) == 20

    def test_dashboard_panel_shows_the_severe_one(self, metrics: TestClient) -> None:
        _many_minor_one_severe(metrics)
        board = metrics.get("/api/metrics/dashboard", headers=LEADER).json()
        assert board["warnings"][0]["level"] == "severe" and board["warnings"][0]["level_name"] == "严重"
        assert board["warnings"][0]["rule"] == "tax_drop"

    def test_list_filters_by_level_and_counts(self, metrics: TestClient) -> None:
        _many_minor_one_severe(metrics)
        page = metrics.get("/api/metrics/warnings?level=severe", headers=BUREAU).json()
        assert page["total"] == 1 and page["items"][0]["level"] == "severe"
        counts = metrics.get("/api/metrics/warnings/levels", headers=BUREAU).json()
        assert counts == {"severe": 1, "major": 1, "minor": 25}
        mine = metrics.get("/api/metrics/warnings/levels", headers=OTHER_STREET).json()
        assert mine == {"severe": 0, "major": 1, "minor": 0}


class TestRuleLevels:
    def test_defaults(self, metrics: TestClient) -> None:
        rules = {r["code"]: r for r in metrics.get("/api/metrics/warnings/rules", headers=LEADER).json()}
        assert rules["top_taxpayer_left"]["level"] == "severe" and rules["tax_drop"]["level_name"] == "严重"
        assert rules["vacancy_high"]["level"] == "minor"

    def test_bureau_raises_a_level_and_active_warnings_follow(self, metrics: TestClient) -> None:
        _many_minor_one_severe(metrics)
        change = {"rules": [{"code": "vacancy_high", "level": "severe"}]}
        resp = metrics.put("/api/metrics/warnings/rules", json=change, headers=BUREAU)
        assert resp.status_code == 200
        assert next(r for r in resp.json() if r["code"] == "vacancy_high")["level"] == "severe"
        counts = metrics.get("/api/metrics/warnings/levels", headers=BUREAU).json()
        assert counts["severe"] == 26

    def test_unknown_level_is_422_and_leader_cannot_set(self, metrics: TestClient) -> None:
        bad = {"rules": [{"code": "vacancy_high", "level": "huge"}]}
        assert metrics.put("/api/metrics/warnings/rules", json=bad, headers=BUREAU).status_code == 422
        ok = {"rules": [{"code": "vacancy_high", "level": "major"}]}
        assert metrics.put("/api/metrics/warnings/rules", json=ok, headers=LEADER).status_code == 403


class TestNotes:
    def _ids(self, client: TestClient) -> dict[str, int]:
        with session_of(client) as session:
            rows = session.query(EarlyWarning).all()
            return {w.building_code: w.id for w in rows}

    def test_street_notes_its_own_and_bureau_reads_them(self, metrics: TestClient) -> None:
        _many_minor_one_severe(metrics)
        wid = self._ids(metrics)["420106-0001"]
        resp = metrics.post(
            f"/api/metrics/warnings/{wid}/notes", json={"kind": "handled", "text": "已约谈企业"}, headers=STREET
        )
        assert resp.status_code == 201 and resp.json()["author"] == "jiyuqiao"
        metrics.post(f"/api/metrics/warnings/{wid}/notes", json={"kind": "viewed"}, headers=BUREAU)
        detail = metrics.get(f"/api/metrics/warnings/{wid}", headers=LEADER).json()
        assert [(n["kind_name"], n["author"]) for n in detail["notes"]] == [
            ("已处置", "jiyuqiao"),
            ("已查看", "shangwu"),
        ]
        assert detail["notes"][0]["text"] == "已约谈企业"

    def test_other_street_neither_sees_nor_notes(self, metrics: TestClient) -> None:
        _many_minor_one_severe(metrics)
        wid = self._ids(metrics)["420106-0001"]
        assert metrics.get(f"/api/metrics/warnings/{wid}", headers=OTHER_STREET).status_code == 404
        note = {"kind": "note", "text": "看看"}
        assert metrics.post(f"/api/metrics/warnings/{wid}/notes", json=note, headers=OTHER_STREET).status_code == 404

    def test_leader_chief_and_clients_cannot_note(self, metrics: TestClient) -> None:
        _many_minor_one_severe(metrics)
        wid = self._ids(metrics)["420106-0001"]
        note = {"kind": "note", "text": "看看"}
        for who in (LEADER, CHIEF, STATS_CLIENT):
            assert metrics.post(f"/api/metrics/warnings/{wid}/notes", json=note, headers=who).status_code == 403

    def test_empty_text_is_refused_naming_the_field(self, metrics: TestClient) -> None:
        _many_minor_one_severe(metrics)
        wid = self._ids(metrics)["420106-0001"]
        resp = metrics.post(f"/api/metrics/warnings/{wid}/notes", json={"kind": "handled"}, headers=BUREAU)
        assert resp.status_code == 422 and "text" in resp.json()["detail"]

    def test_unknown_warning_is_404(self, metrics: TestClient) -> None:
        assert metrics.get("/api/metrics/warnings/999999", headers=BUREAU).status_code == 404
