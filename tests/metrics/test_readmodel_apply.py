"""Registry's change events applied to the read model: idempotent, order-proof, deletes as
tombstones, and the rollups told which enterprises and buildings changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from louyu_kit.db import Database
from metrics.readmodel.apply import apply_events
from metrics.readmodel.models import RmBuilding, RmOccupancy, RmSpace
from tests.conftest import TEST_TOKEN_SECONDS
from tests.metrics.sync_helpers import (
    CODEC,
    RegistryWriter,
    assert_read_model_matches,
    first_changes,
    later_changes,
    read_model_state,
)

_INTERNAL = CODEC.issue(sub="service:metrics", typ="internal", ttl_seconds=TEST_TOKEN_SECONDS)
INTERNAL = {"Authorization": f"Bearer {_INTERNAL.token}"}


@pytest.fixture
def registry(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client("registry")


@pytest.fixture
def metrics_url(db_urls: Callable[[str], str]) -> str:
    return db_urls("metrics")


@pytest.fixture
def metrics_db(metrics_url: str):  # type: ignore[no-untyped-def]
    db = Database.from_url(metrics_url)
    yield db
    db.dispose()


def feed(registry: TestClient, after: int = 0) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    while True:
        resp = registry.get("/api/registry/changes", params={"after": after, "limit": 1000}, headers=INTERNAL)
        assert resp.status_code == 200, resp.text
        page = resp.json()
        events += page["items"]
        if not page["has_more"]:
            return events
        after = page["next_after"]


def apply(db: Database, events: list[dict[str, Any]]) -> None:
    with db.write_sessions.begin() as session:
        apply_events(session, events)


@pytest.fixture
def story(registry: TestClient) -> list[dict[str, Any]]:
    """Every kind of change registry makes, as its feed carries them."""
    writer = RegistryWriter(registry)
    later_changes(writer, first_changes(writer))
    events = feed(registry)
    assert {(e["entity"], e["op"]) for e in events} >= {
        ("building", "create"),
        ("building", "update"),
        ("building", "delete"),
        ("space", "create"),
        ("space", "update"),
        ("space", "delete"),
        ("enterprise", "create"),
        ("enterprise", "update"),
        ("occupancy", "create"),
        ("occupancy", "update"),
        ("occupancy", "delete"),
        ("theme", "create"),
        ("theme", "update"),
    }
    return events


def test_the_feed_applied_gives_registrys_current_state(registry, story, metrics_db, metrics_url, db_urls):
    apply(metrics_db, story)
    assert_read_model_matches(db_urls("registry"), metrics_url)


def test_a_page_applied_twice_gives_the_same_state(story, metrics_db, metrics_url):
    apply(metrics_db, story)
    once = read_model_state(metrics_url)
    apply(metrics_db, story)
    assert read_model_state(metrics_url) == once
    # Half of it again (a page re-read after a crash before its cursor moved): still the same.
    apply(metrics_db, story[: len(story) // 2])
    assert read_model_state(metrics_url) == once


def test_events_one_by_one_in_reverse_order_end_in_the_same_state(story, metrics_db, metrics_url):
    apply(metrics_db, story)
    expected = read_model_state(metrics_url)
    with metrics_db.write_sessions.begin() as session:
        for model in (RmBuilding, RmSpace, RmOccupancy):
            session.query(model).delete()
    for event in reversed(story):
        apply(metrics_db, [event])
    assert read_model_state(metrics_url) == expected


def test_an_older_event_after_a_newer_one_is_ignored(story, metrics_db):
    apply(metrics_db, story)
    zone_change = next(e for e in story if e["entity"] == "building" and e["op"] == "update")
    creation = next(e for e in story if e["entity_id"] == zone_change["entity_id"] and e["op"] == "create")
    apply(metrics_db, [creation])
    with metrics_db.sessions() as session:
        building = session.get(RmBuilding, zone_change["entity_id"])
        assert building is not None
        assert building.zone == "中北路" and building.chief_username == "louzhang"
        assert building.seq >= zone_change["seq"]


def test_deletes_leave_tombstones_that_a_late_update_cannot_revive(story, metrics_db):
    apply(metrics_db, story)
    deleted = next(e for e in story if e["entity"] == "occupancy" and e["op"] == "delete")
    created = next(e for e in story if e["entity"] == "occupancy" and e["entity_id"] == deleted["entity_id"])
    apply(metrics_db, [created])
    with metrics_db.sessions() as session:
        row = session.get(RmOccupancy, int(deleted["entity_id"]))
        assert row is not None and row.deleted and row.seq == deleted["seq"]
        gone_building = next(e for e in story if e["entity"] == "building" and e["op"] == "delete")
        building = session.get(RmBuilding, gone_building["entity_id"])
        assert building is not None and building.deleted


def test_a_move_ends_the_old_stay_and_opens_one_in_the_other_building(story, metrics_db, metrics_url):
    apply(metrics_db, story)
    state = read_model_state(metrics_url)
    moved_from = next(e for e in story if e["entity"] == "occupancy" and e["op"] == "create")
    cc = moved_from["data"]["credit_code"]
    stays = sorted((o for o in state["occupancy"].values() if o["credit_code"] == cc), key=lambda o: o["start_date"])
    assert [(o["building_code"], str(o["start_date"]), str(o["end_date"])) for o in stays] == [
        (moved_from["data"]["building_code"], "2024-01-01", "2025-05-31"),
        (stays[1]["building_code"], "2025-06-01", "None"),
    ]
    assert stays[0]["building_code"] != stays[1]["building_code"]


def test_the_rollups_hear_every_changed_enterprise_and_building(story, metrics_db, monkeypatch):
    heard: list[tuple[set[str], set[str]]] = []
    monkeypatch.setattr(
        "metrics.rollups.hooks.on_dimensions_changed",
        lambda session, *, credit_codes, building_codes: heard.append((set(credit_codes), set(building_codes))),
    )
    creations = [e for e in story if e["op"] == "create" and e["entity"] != "theme"]
    apply(metrics_db, creations)
    occupancies = [e["data"] for e in creations if e["entity"] == "occupancy"]
    assert heard[-1][0] >= {o["credit_code"] for o in occupancies}
    assert heard[-1][1] >= {o["building_code"] for o in occupancies}

    # An occupancy corrected to other values: the building it had before is named too.
    update = next(e for e in story if e["entity"] == "occupancy" and e["op"] == "update")
    first = next(e for e in creations if e["entity_id"] == update["entity_id"])
    apply(metrics_db, [{**update, "data": {**update["data"], "building_code": "ELSEWHERE"}}])
    assert heard[-1] == ({update["data"]["credit_code"]}, {first["data"]["building_code"], "ELSEWHERE"})


def test_a_theme_change_names_the_buildings_of_the_theme(story, metrics_db, monkeypatch):
    apply(metrics_db, story)
    heard: list[set[str]] = []
    monkeypatch.setattr(
        "metrics.rollups.hooks.on_dimensions_changed",
        lambda session, *, credit_codes, building_codes: heard.append(set(building_codes)),
    )
    finance_buildings = {
        e["entity_id"] for e in story if e["entity"] == "building" and "finance" in e["data"]["themes"]
    }
    assert finance_buildings
    apply(
        metrics_db,
        [
            {
                "seq": 10**9,
                "entity": "theme",
                "entity_id": "finance",
                "op": "update",
                "data": {"code": "finance", "name": "金融", "industry_prefixes": ["66"]},
            }
        ],
    )
    assert heard == [finance_buildings]


def test_entities_metrics_does_not_read_are_skipped(metrics_db):
    with metrics_db.write_sessions.begin() as session:
        applied = apply_events(
            session, [{"seq": 1, "entity": "visit", "entity_id": "7", "op": "create", "data": {"x": 1}}]
        )
    assert applied.ignored == 1 and not applied.credit_codes and not applied.building_codes
    with metrics_db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(RmBuilding)) == 0


def test_the_shipped_themes_match_registrys():
    """Metrics' copy of the themes registry seeds (never on the feed) is registry's file."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    ours = root / "services/metrics/metrics/readmodel/data/themes.csv"
    theirs = root / "services/registry/registry/reference/data/themes.csv"
    assert ours.read_text(encoding="utf-8") == theirs.read_text(encoding="utf-8")


def test_a_seeded_theme_named_by_a_building_is_added_and_a_real_edit_wins(story, metrics_db):
    from metrics.readmodel.apply import shipped_themes
    from metrics.readmodel.models import RmTheme

    assert not any(e["entity"] == "theme" and e["entity_id"] == "finance" for e in story)
    apply(metrics_db, story)
    with metrics_db.sessions() as session:
        finance = session.get(RmTheme, "finance")
        assert finance is not None and finance.seq == 0
        assert finance.industry_prefixes == shipped_themes()["finance"]["industry_prefixes"]
        assert session.get(RmTheme, "beidou") is None  # no building names it

    edit = {
        "seq": 10**6,
        "entity": "theme",
        "entity_id": "finance",
        "op": "update",
        "data": {"code": "finance", "name": "金融", "industry_prefixes": ["66", "67"]},
    }
    building = next(e for e in story if e["entity"] == "building" and "finance" in e["data"]["themes"])
    apply(metrics_db, [edit])
    apply(metrics_db, [{**building, "seq": 10**6 + 1}])
    with metrics_db.sessions() as session:
        finance = session.get(RmTheme, "finance")
        assert finance is not None and finance.industry_prefixes == ["66", "67"] and finance.seq == 10**6
