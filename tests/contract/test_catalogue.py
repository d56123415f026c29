"""The 指标口径 catalogue covers every figure the cockpit, the KPI routes and the exports show.

Fails on: a numeric response field without a catalogue code (schema walk), a number in a real
dashboard / KPI answer whose code is unknown (answer walk), an export column without a
definition, an export without its 口径说明.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from metrics.catalogue.definitions import DEFINITIONS, EXPORT_COLUMNS, LABEL_COLUMNS, by_code
from tests.contract.walk import answer_figures, response_schema, untagged_figures
from tests.metrics import rollup_case
from tests.metrics.conftest import AUDITOR, BUREAU, CHIEF, LEADER, STATS_CLIENT, STREET, metrics_db

CODES = set(by_code())
FIGURE_ROUTES = (
    "/api/metrics/dashboard",
    "/api/metrics/kpis",
    "/api/metrics/streets",
    "/api/metrics/rankings/buildings",
    "/api/metrics/buildings/{code}",
    "/api/metrics/buildings/{code}/enterprises",
    "/api/metrics/tiers",
    "/api/metrics/stats/aggregates",
    "/api/metrics/stats/cross-tab",
    "/api/metrics/map",
)


@pytest.fixture
def api(metrics):
    rollup_case.build(metrics_db(metrics))
    return metrics


@pytest.fixture
def doc(metrics):
    return metrics.get("/api/metrics/openapi.json").json()


def test_every_definition_is_complete():
    assert len(CODES) == len(DEFINITIONS), "a code is defined twice"
    for d in DEFINITIONS:
        assert d.name and d.formula and d.numerator and d.unit and d.period and d.sources, d.code
        assert d.inclusions, f"{d.code}: say what is included"
        if d.unit == "比率":
            assert d.denominator, f"{d.code}: a rate names its denominator"
    # The bureau's decisions (DOMAIN.md → 指标口径) are written into the definitions.
    occupancy = by_code()["occupancy_rate"]
    assert any("在建" in i for i in occupancy.inclusions) and any("未填报" in i for i in occupancy.inclusions)
    assert "≥" in by_code()["wuqianwan_buildings"].formula
    assert "达到即计入" in "".join(by_code()["wuqianwan_buildings"].inclusions)
    assert "区间" in by_code()["tier"].name
    assert by_code()["tax_per_m2_gfa"].period_kind == "annualised"


def test_definitions_route_serves_the_catalogue_to_every_reader(metrics):
    for headers in (LEADER, BUREAU, STREET, CHIEF, STATS_CLIENT):
        resp = metrics.get("/api/metrics/definitions", headers=headers)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["total"] == len(DEFINITIONS)
        assert {d["code"] for d in body["items"]} == CODES
    assert metrics.get("/api/metrics/definitions", headers=AUDITOR).status_code == 403


def test_every_figure_field_of_the_figure_routes_has_a_definition(doc):
    problems = []
    for path in FIGURE_ROUTES:
        problems += [f"{path} {p}" for p in untagged_figures(doc, response_schema(doc, path), CODES)]
    assert problems == []


def test_the_walk_fails_on_a_figure_without_definition(doc):
    """The walker itself: an untagged number and an unknown code are both reported."""
    schema = {
        "type": "object",
        "properties": {
            "tax_total": {"type": "number"},
            "bogus": {"type": "number", "x-metric": "no_such_metric"},
            "year": {"type": "integer"},
        },
    }
    found = list(untagged_figures(doc, schema, CODES))
    assert len(found) == 2 and "tax_total" in found[0] and "no_such_metric" in found[1]


def _walk(doc, path, body):
    return list(answer_figures(doc, response_schema(doc, path), body))


def test_the_dashboard_answer_carries_a_code_for_every_figure(api, doc):
    body = api.get("/api/metrics/dashboard", params={"period": "2025"}, headers=LEADER).json()
    found = _walk(doc, "/api/metrics/dashboard", body)
    assert len(found) > 100  # the walk reaches cards, streets, trend, themes, tiers, top buildings
    assert [p for p, code in found if code not in CODES] == []
    assert {c["key"] for c in body["cards"]} <= CODES
    assert {t["metric"] for t in body["tiers"]} <= CODES
    assert {g["metric"] for g in body["goals"]} <= CODES


@pytest.mark.parametrize(
    ("path", "url", "params"),
    [
        ("/api/metrics/kpis", "/api/metrics/kpis", {"period": "2025-06"}),
        ("/api/metrics/streets", "/api/metrics/streets", {"period": "2025"}),
        ("/api/metrics/rankings/buildings", "/api/metrics/rankings/buildings", {"period": "2025"}),
        ("/api/metrics/buildings/{code}", "/api/metrics/buildings/B1", {"period": "2025"}),
        ("/api/metrics/buildings/{code}/enterprises", "/api/metrics/buildings/B1/enterprises", {"period": "2025"}),
        ("/api/metrics/tiers", "/api/metrics/tiers", {"period": "2025"}),
        ("/api/metrics/stats/aggregates", "/api/metrics/stats/aggregates", {"period": "2025", "by": "street"}),
        ("/api/metrics/map", "/api/metrics/map", {"year": 2025}),
    ],
)
def test_every_kpi_answer_carries_a_code_for_every_figure(api, doc, path, url, params):
    resp = api.get(url, params=params, headers=BUREAU)
    assert resp.status_code == 200, resp.text
    found = _walk(doc, path, resp.json())
    assert found
    assert [p for p, code in found if code not in CODES] == []


def _csv_parts(content: bytes) -> tuple[list[str], list[str]]:
    lines = content.decode("utf-8-sig").strip().split("\r\n")
    return [line for line in lines if line.startswith("#")], [line for line in lines if not line.startswith("#")]


@pytest.mark.parametrize("by", ["street", "theme", "section", "zone", "month"])
def test_every_export_column_is_defined_and_explained(api, by):
    params = {"period": "2025", "by": by}
    csv_resp = api.get("/api/metrics/stats/aggregates", params={**params, "format": "csv"}, headers=STATS_CLIENT)
    assert csv_resp.status_code == 200, csv_resp.text
    notes, table = _csv_parts(csv_resp.content)
    headers = table[0].split(",")
    figures = [h for h in headers if h not in LABEL_COLUMNS]
    assert figures, "an export without figures"
    assert [h for h in figures if h not in EXPORT_COLUMNS] == [], "export columns without a definition"
    assert notes[0] == "# 口径说明"
    for header in figures:
        code = EXPORT_COLUMNS[header]
        assert any(line.startswith(f"# {header}；{code}；") for line in notes), f"{header} not explained"

    xlsx = api.get("/api/metrics/stats/aggregates", params={**params, "format": "xlsx"}, headers=STATS_CLIENT)
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    data, explained = book.worksheets[0], book["口径说明"]
    assert [c for c in next(data.iter_rows(values_only=True))] == headers
    rows = list(explained.iter_rows(values_only=True))
    assert rows[0][:2] == ("列名", "指标代码")
    by_column = {r[0]: r for r in rows[1:]}
    for header in figures:
        definition = by_code()[EXPORT_COLUMNS[header]]
        assert by_column[header][1] == definition.code and by_column[header][2] == definition.name
