"""`make run` on the local PostgreSQL: LOUYU_DATABASE=postgres creates the service databases
when missing, an explicit LOUYU_<SERVICE>_DATABASE_URL still wins, and the product starts."""

from __future__ import annotations

import importlib.util
import uuid

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.deploy.conftest import PG_ADMIN_URL, ROOT
from tests.stack import ADMIN_PASSWORD, start_product

SERVICES = ("gateway", "registry", "tasks", "metrics")


def _run_module():
    spec = importlib.util.spec_from_file_location("louyu_run_script", ROOT / "scripts" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def admin():
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    names: list[str] = []
    yield engine, names
    with engine.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _exists(engine, name: str) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar())


def test_creates_missing_databases_and_explicit_urls_win(admin):
    engine, names = admin
    run = _run_module()
    prefix = f"louyu_runpg_{uuid.uuid4().hex[:6]}_"
    names.extend(prefix + s for s in SERVICES)
    explicit = "postgresql+psycopg://someone@db.example:5432/chosen_tasks"
    env = {"LOUYU_DATABASE": "postgres", "LOUYU_POSTGRES_URL": PG_ADMIN_URL, "LOUYU_TASKS_DATABASE_URL": explicit}
    created = run.use_local_postgres(env, prefix=prefix)
    assert created == [prefix + s for s in ("gateway", "registry", "metrics")]
    assert env["LOUYU_TASKS_DATABASE_URL"] == explicit
    assert not _exists(engine, prefix + "tasks")
    for service in ("gateway", "registry", "metrics"):
        assert make_url(env[f"LOUYU_{service.upper()}_DATABASE_URL"]).database == prefix + service
        assert _exists(engine, prefix + service)
    # A second start creates nothing and points at the same databases.
    again = {k: v for k, v in env.items() if k in ("LOUYU_DATABASE", "LOUYU_POSTGRES_URL")}
    assert run.use_local_postgres(again, prefix=prefix) == [prefix + "tasks"]


def test_sqlite_stays_the_default_and_nonsense_is_refused():
    run = _run_module()
    env: dict[str, str] = {}
    assert run.use_local_postgres(env) == [] and env == {}
    assert run.use_local_postgres({"LOUYU_DATABASE": "sqlite"}) == []
    with pytest.raises(SystemExit, match="sqlite 或 postgres"):
        run.use_local_postgres({"LOUYU_DATABASE": "oracle"})
    with pytest.raises(SystemExit, match="无法连接 PostgreSQL"):
        run.use_local_postgres(
            {"LOUYU_DATABASE": "postgres", "LOUYU_POSTGRES_URL": "postgresql+psycopg://postgres@127.0.0.1:1/postgres"}
        )


@pytest.mark.live
def test_make_run_on_postgres_starts_and_signs_in(tmp_path, admin):
    engine, names = admin
    run_id = uuid.uuid4().hex[:6]
    urls = {}
    with engine.connect() as conn:
        for service in SERVICES:
            name = f"louyu_runpg_{run_id}_{service}"
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            names.append(name)
            urls[f"LOUYU_{service.upper()}_DATABASE_URL"] = (
                make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
            )
    product = start_product(tmp_path / "var", extra_env={"LOUYU_DATABASE": "postgres", **urls})
    try:
        assert "使用 PostgreSQL" in "".join(product.output)
        with httpx.Client(base_url=product.url, timeout=10) as http:
            resp = http.post(
                "/api/auth/token", data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD}
            )
            assert resp.status_code == 200
            for service in ("registry", "tasks", "metrics"):
                assert http.get(f"/api/{service}/ready").status_code == 200
    finally:
        assert product.stop() == 0
    gateway_db = create_engine(urls["LOUYU_GATEWAY_DATABASE_URL"])
    with gateway_db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM user_account WHERE username = 'admin'")).scalar() == 1
    gateway_db.dispose()
    assert not list((tmp_path / "var").glob("*.db")), "nothing may land in SQLite files"
