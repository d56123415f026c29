"""The metrics contract: one recorded answer per dashboard / KPI endpoint (``fixtures/*.json``),
shared with the SPA's vitest (``frontend/src/contract/fixtures.test.js``).

- each fixture validates against its route's response model;
- today's answer has exactly the fixture's key paths (a renamed, dropped or undeclared field
  fails here, and the SPA's readers fail on the same fixture in vitest);
- each answer carries only declared fields (nothing the model would silently drop).

Re-record after an intended change: ``python -m tests.contract.record`` (then review the diff).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.contract.endpoints import ENDPOINTS, key_paths, record, seed

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RECORDING = os.environ.get("LOUYU_TEST_RECORD_CONTRACT") == "1"


@pytest.fixture
def answers(metrics):
    seed(metrics)
    return record(metrics)


def _fixture(name: str):
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.skipif(not RECORDING, reason="records the fixtures (python -m tests.contract.record)")
def test_record(answers):
    FIXTURES.mkdir(exist_ok=True)
    for name, body in answers.items():
        text = json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        (FIXTURES / f"{name}.json").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_fixture_validates_against_the_response_model(name):
    model = ENDPOINTS[name][2]
    body = _fixture(name)
    parsed = model.model_validate(body)
    # Nothing in the fixture that the model does not declare (it would be dropped from answers).
    assert key_paths(parsed.model_dump(mode="json")) >= key_paths(body)


def test_answers_have_exactly_the_fixtures_fields(answers):
    for name, body in answers.items():
        recorded = key_paths(_fixture(name))
        now = key_paths(body)
        assert now - recorded == set(), f"{name}: fields not in the fixture (re-record and update the SPA)"
        assert recorded - now == set(), f"{name}: fields of the fixture missing now (renamed or dropped)"


def test_fixtures_have_rows_in_every_list_of_the_cockpit():
    """So the SPA test sees every field: no empty block in the recorded dashboard."""
    body = _fixture("dashboard")
    for block in (
        "cards",
        "goals",
        "tax_by_street",
        "monthly_trend",
        "theme_mix",
        "tiers",
        "top_buildings",
        "warnings",
    ):
        assert body[block], f"dashboard.{block} is empty in the fixture"
