"""The dashboard / KPI answers the contract fixtures record, on a seeded test database.

The database: ``tests.metrics.rollup_case`` (three buildings, five enterprises, 2024–2025
figures) plus one goal and one active warning, so every block of the cockpit has rows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from pydantic import BaseModel

from metrics.catalogue.router import DefinitionList
from metrics.dashboard.schemas import Dashboard
from metrics.kpis.schemas import BuildingEnterprises, BuildingPage, KpiRead, Ranking, StreetList, TiersRead
from metrics.map.schemas import MapView
from metrics.warnings.models import EarlyWarning
from tests.metrics import rollup_case
from tests.metrics.conftest import BUREAU, JIYUQIAO, metrics_db

# name → (url, query, response model); the fixture file is fixtures/<name>.json.
ENDPOINTS: dict[str, tuple[str, dict[str, str], type[BaseModel]]] = {
    "dashboard": ("/api/metrics/dashboard", {"period": "2025"}, Dashboard),
    "kpis_district": ("/api/metrics/kpis", {"period": "2025-06"}, KpiRead),
    "kpis_building": ("/api/metrics/kpis", {"level": "building", "code": "B1", "period": "2025"}, KpiRead),
    "streets": ("/api/metrics/streets", {"period": "2025"}, StreetList),
    "rankings": ("/api/metrics/rankings/buildings", {"period": "2025"}, Ranking),
    "building": ("/api/metrics/buildings/B1", {"period": "2025"}, BuildingPage),
    "building_enterprises": ("/api/metrics/buildings/B1/enterprises", {"period": "2025"}, BuildingEnterprises),
    "tiers": ("/api/metrics/tiers", {"period": "2025"}, TiersRead),
    "map": ("/api/metrics/map", {"year": "2025"}, MapView),
    "definitions": ("/api/metrics/definitions", {}, DefinitionList),
}


def seed(client: TestClient) -> None:
    db = metrics_db(client)
    rollup_case.build(db)
    created = client.post(
        "/api/metrics/goals",
        json={"metric": "yiyuan_buildings", "target": 2, "unit": "栋", "text": "新增2栋亿元楼宇", "year": 2025},
        headers=BUREAU,
    )
    assert created.status_code == 201, created.text
    with db.write_sessions() as session:
        session.add(
            EarlyWarning(
                rule="vacancy_high",
                building_code="B2",
                building_name="B2",
                street_code=JIYUQIAO,
                active_key="vacancy_high|B2|",
                title="空置率偏高",
                message="B2 空置率 50.0%，高于 30%",
                period="2025-06",
                figures={"vacancy": "0.5", "vacant_area": 5000.0, "occupied_area": 5000.0, "leasable_area": 10000.0},
                first_seen_at=datetime(2025, 7, 1, tzinfo=UTC),
                last_seen_at=datetime(2025, 7, 1, tzinfo=UTC),
            )
        )
        session.commit()


def record(client: TestClient) -> dict[str, Any]:
    """Every endpoint's answer (as the bureau), checked for 200."""
    out = {}
    for name, (url, params, _model) in ENDPOINTS.items():
        resp = client.get(url, params=params, headers=BUREAU)
        assert resp.status_code == 200, f"{name}: {resp.status_code} {resp.text[:300]}"
        out[name] = resp.json()
    return out


def key_paths(value: Any, path: str = "$") -> set[str]:
    """Every key path of a JSON value (list items merged under ``[]``); values are ignored."""
    paths: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}"
            paths.add(here)
            paths |= key_paths(item, here)
    elif isinstance(value, list):
        for item in value:
            paths |= key_paths(item, f"{path}[]")
    return paths
