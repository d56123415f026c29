"""deploy/backup.sh and deploy/restore.sh against the local PostgreSQL: the restore drill over
all four services' schemas, and everything that must make a restore refuse (a corrupted or
truncated dump, a missing checksum file) before any database is touched; retention; a failed
backup that leaves no set behind; the init script's roles and databases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.deploy.conftest import DEPLOY, PG_ADMIN_URL, ROOT, pg_env, run

ARTIFACTS = ROOT / "test-artifacts"


def _url(name: str) -> str:
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def admin() -> Iterator:
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture
def scratch(admin) -> Iterator[str]:
    """A small database with Chinese text, a sequence and an index."""
    name = f"louyu_bk_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(_url(name))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE building (id serial PRIMARY KEY, name text NOT NULL, area numeric(12,2))"))
        conn.execute(
            text("INSERT INTO building (name, area) SELECT '武昌楼宇' || g, g * 10.5 FROM generate_series(1, 500) g")
        )
    engine.dispose()
    yield name
    with admin.connect() as conn:
        for db in (name, f"{name}_copy"):
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))


def backup(tmp_path: Path, *databases: str, keep: int = 3) -> subprocess.CompletedProcess[str]:
    return run(
        ["bash", str(DEPLOY / "backup.sh"), "--dir", str(tmp_path / "b"), "--keep", str(keep), *databases], env=pg_env()
    )


def restore(*args: str) -> subprocess.CompletedProcess[str]:
    return run(["bash", str(DEPLOY / "restore.sh"), *args], env=pg_env())


def sets(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "b").iterdir() if p.is_dir())


def count(name: str) -> int:
    engine = create_engine(_url(name))
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM building")).scalar_one()
    finally:
        engine.dispose()


def test_restore_drill_over_all_four_services(capsys):
    """Migrate the four services' schemas, load rows, back up, drop, restore, compare."""
    report_path = ARTIFACTS / "restore-drill.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "restore_drill.py"), "--rows", "1000", "--json", str(report_path)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "LOUYU_TEST_POSTGRES_URL": PG_ADMIN_URL},
    )
    with capsys.disabled():
        print("\n" + result.stdout + result.stderr[-2000:])
    assert result.returncode == 0, result.stdout + result.stderr
    (ARTIFACTS / "restore-drill.txt").write_text(result.stdout, encoding="utf-8")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["ok"] and not report["problems"]
    assert set(report["databases"]) == {"gateway", "registry", "tasks", "metrics"}
    assert all(d["identical"] and d["rows"] >= 1000 for d in report["databases"].values())
    assert {"backup", "restore", "drop", "verify"} <= set(report["timings"])
    assert "RESTORE DRILL PASSED" in result.stdout


def test_backup_writes_dumps_manifest_and_checksums(tmp_path, scratch):
    result = backup(tmp_path, scratch)
    assert result.returncode == 0, result.stderr
    (set_dir,) = sets(tmp_path)
    assert sorted(p.name for p in set_dir.iterdir()) == ["MANIFEST", "SHA256SUMS", f"{scratch}.dump"]
    assert set_dir.joinpath(f"{scratch}.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    manifest = set_dir.joinpath("MANIFEST").read_text()
    assert f"database={scratch} owner=postgres bytes=" in manifest and "server_version=" in manifest
    assert oct(set_dir.stat().st_mode & 0o777) == "0o700"
    assert run(["sha256sum", "--check", "SHA256SUMS"], cwd=set_dir).returncode == 0


def test_restore_replaces_only_with_yes_and_can_restore_beside(tmp_path, scratch, admin):
    assert backup(tmp_path, scratch).returncode == 0
    (set_dir,) = sets(tmp_path)
    refused = restore(str(set_dir))
    assert refused.returncode != 0 and "--yes" in refused.stderr
    engine = create_engine(_url(scratch))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM building WHERE id > 100"))
    engine.dispose()
    assert count(scratch) == 100
    done = restore("--yes", str(set_dir))
    assert done.returncode == 0, done.stderr
    assert count(scratch) == 500
    beside = restore("--suffix", "_copy", str(set_dir))
    assert beside.returncode == 0, beside.stderr
    assert count(f"{scratch}_copy") == 500


@pytest.mark.parametrize("damage", ["flipped byte", "truncated, checksum recomputed", "no checksum file", "extra dump"])
def test_a_corrupted_set_is_refused_before_anything_changes(tmp_path, scratch, damage):
    assert backup(tmp_path, scratch).returncode == 0
    (set_dir,) = sets(tmp_path)
    dump = set_dir / f"{scratch}.dump"
    data = bytearray(dump.read_bytes())
    if damage == "flipped byte":
        data[len(data) // 2] ^= 0xFF
        dump.write_bytes(bytes(data))
    elif damage == "truncated, checksum recomputed":
        # Someone "fixed" the checksums after a copy broke off: the archive check still catches it.
        dump.write_bytes(bytes(data[: len(data) // 3]))
        run(["bash", "-c", "sha256sum -- *.dump MANIFEST > SHA256SUMS"], cwd=set_dir)
    elif damage == "no checksum file":
        (set_dir / "SHA256SUMS").unlink()
    elif damage == "extra dump":
        (set_dir / "louyu_other.dump").write_bytes(bytes(data))
    # The live database has changed since the backup; a refused restore must leave it alone.
    engine = create_engine(_url(scratch))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO building (name) VALUES ('备份之后新增')"))
    engine.dispose()
    result = restore("--yes", str(set_dir))
    assert result.returncode != 0
    assert "nothing was restored" in result.stderr or "refusing" in result.stderr or "not covered" in result.stderr
    assert count(scratch) == 501


def test_retention_keeps_the_newest_sets(tmp_path, scratch):
    for _ in range(4):
        assert backup(tmp_path, scratch, keep=2).returncode == 0
    kept = sets(tmp_path)
    assert len(kept) == 2
    assert all(p.name.endswith("Z") and not p.name.endswith(".partial") for p in kept)


def test_a_failed_backup_leaves_no_set_and_prunes_nothing(tmp_path, scratch):
    assert backup(tmp_path, scratch, keep=1).returncode == 0
    before = sets(tmp_path)
    failed = backup(tmp_path, scratch, "louyu_no_such_database", keep=1)
    assert failed.returncode != 0 and "does not exist" in failed.stderr
    assert sets(tmp_path) == before
    assert not list((tmp_path / "b").glob("*.partial"))


def test_backup_refuses_bad_arguments(tmp_path):
    assert backup(tmp_path, "Robert'); DROP TABLE x;--").returncode != 0
    assert run(["bash", str(DEPLOY / "backup.sh"), "--keep", "0"], env=pg_env()).returncode != 0


def test_init_script_creates_one_owned_database_per_service_and_migrations_run_as_its_role(admin):
    """deploy/postgres/init-databases.sh (the compose PostgreSQL's first start), then each
    service's migrations as that service's role, not as the superuser."""
    from louyu_kit.migrations import upgrade

    prefix = f"louyu_init_{uuid.uuid4().hex[:6]}_"
    services = ("gateway", "registry", "tasks", "metrics")
    env = {
        **pg_env(),
        "POSTGRES_USER": make_url(PG_ADMIN_URL).username or "postgres",
        "LOUYU_DB_PREFIX": prefix,
        **{f"LOUYU_{s.upper()}_DB_PASSWORD": f"pw-{s}-'\"-x" for s in services},
    }
    try:
        result = run(["bash", str(DEPLOY / "postgres" / "init-databases.sh")], env=env)
        assert result.returncode == 0, result.stderr
        with admin.connect() as conn:
            owners = dict(
                conn.execute(
                    text("SELECT datname, pg_get_userbyid(datdba) FROM pg_database WHERE datname LIKE :p"),
                    {"p": prefix + "%"},
                ).all()
            )
        assert owners == {prefix + s: prefix + s for s in services}
        for svc in services:
            url = make_url(_url(prefix + svc)).set(username=prefix + svc, password=None)
            upgrade(ROOT / "services" / svc, url.render_as_string(hide_password=False))
        # Another service's role cannot even connect (CONNECT revoked from PUBLIC).
        other = make_url(_url(prefix + "registry")).set(username=prefix + "tasks", password=None)
        engine = create_engine(other.render_as_string(hide_password=False))
        with pytest.raises(Exception, match="permission denied"):
            engine.connect()
        engine.dispose()
    finally:
        with admin.connect() as conn:
            for svc in services:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{prefix}{svc}" WITH (FORCE)'))
                conn.execute(text(f'DROP ROLE IF EXISTS "{prefix}{svc}"'))
