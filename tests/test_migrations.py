"""For each service: `upgrade head` on an empty database, and no drift between models and migrations."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from louyu_kit.migrations import current_head, drift, upgrade

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("service", ["gateway", "registry", "tasks", "metrics"])
def test_upgrade_head_on_empty_database_matches_models(service, scratch_db_url):
    upgrade(ROOT / "services" / service, scratch_db_url)
    engine = create_engine(scratch_db_url)
    try:
        with engine.connect() as conn:
            version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert version == current_head(ROOT / "services" / service)
    metadata = importlib.import_module(f"{service}.models").Base.metadata
    assert set(metadata.tables) <= tables
    assert drift(scratch_db_url, metadata) == []


def test_drift_is_detected(scratch_db_url):
    """The check above can fail: a model column the migrations lack shows up as drift."""
    from sqlalchemy import Column, Integer, MetaData, Table

    upgrade(ROOT / "services" / "registry", scratch_db_url)
    metadata = MetaData()
    Table("change_seq", metadata, Column("id", Integer, primary_key=True), Column("extra", Integer))
    assert drift(scratch_db_url, metadata) != []


@pytest.mark.parametrize("service", ["gateway", "registry", "tasks", "metrics"])
def test_migration_files_are_date_prefixed(service):
    names = [p.name for p in (ROOT / "services" / service / "migrations" / "versions").glob("*.py")]
    assert names and all(n[:4].isdigit() and n[4] == "-" for n in names), names
