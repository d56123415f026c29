"""Restore drill: prove that deploy/backup.sh and deploy/restore.sh bring every database back
exactly. Run by `make test-deploy` (tests/deploy/test_restore_drill.py) against the local
PostgreSQL; runnable alone:

    .venv/bin/python scripts/restore_drill.py [--rows 1000] [--admin-url URL] [--json report.json]

1. create four scratch databases louyu_drill_<run>_<service> and migrate each with its service's
   migrations; 2. load rows (accounts and an audit trail in the gateway's, change-feed events in
   the others'); 3. fingerprint them: per table its row count and a checksum of all its rows,
   every sequence's position, the indexes, constraints and triggers; 4. back up with backup.sh;
   5. drop the databases; 6. restore with restore.sh; 7. fingerprint again and compare; check
   the audit trail is still append-only. Prints counts and timings; exit 1 on any difference.
   The scratch databases are dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from louyu_kit.db import Database
from louyu_kit.migrations import upgrade

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("gateway", "registry", "tasks", "metrics")
DEFAULT_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _url(admin_url: str, database: str) -> str:
    return make_url(admin_url).set(database=database).render_as_string(hide_password=False)


def load(service: str, url: str, rows: int) -> None:
    """Rows that exercise the column types the services use (JSON, times with zone, Chinese text)."""
    db = Database.from_url(url)
    try:
        if service == "gateway":
            from gateway.accounts.models import User
            from gateway.accounts.passwords import hash_password
            from gateway.audit.models import AuditEvent

            password_hash = hash_password("Drill-Louyu-2026")
            with db.write_sessions() as session:
                for n in range(max(1, rows // 10)):
                    session.add(
                        User(
                            username=f"drill{n:05d}",
                            display_name=f"演练用户{n}",
                            password_hash=password_hash,
                            roles=["street"] if n % 2 else ["bureau"],
                            street_codes=["420106001"] if n % 2 else [],
                            is_active=n % 7 != 0,
                            must_change_password=False,
                        )
                    )
                start = datetime(2026, 1, 1, tzinfo=UTC)
                session.execute(
                    insert(AuditEvent.__table__),
                    [
                        {
                            "at": start + timedelta(minutes=n),
                            "actor": f"drill{n % 50:05d}",
                            "actor_kind": "user",
                            "ip": f"10.0.{n % 250}.{n % 200}",
                            "method": "POST",
                            "path": f"/api/registry/buildings/{n}",
                            "status": 200 if n % 9 else 403,
                            "action": "http.post",
                            "object": f"building:{n}",
                            "result": "success" if n % 9 else "failure",
                            "request_id": uuid.uuid4().hex,
                            "detail": f"演练记录 {n}",
                        }
                        for n in range(rows)
                    ],
                )
                session.commit()
            return
        if service == "registry":
            # The registry's whole domain (reference data, buildings, spaces, enterprises,
            # occupancy, history) plus its change feed, as the demo loader writes them.
            from registry.demo import load_if_empty

            load_if_empty(url)
        feed = __import__(f"{service}.db", fromlist=["feed"]).feed
        with db.write_sessions() as session:
            for n in range(rows):
                feed.record(
                    session,
                    entity="building",
                    entity_id=n,
                    op=("create", "update", "delete")[n % 3],
                    data={"name": f"武昌区演练楼宇{n}", "area_m2": 1234.5 + n, "floors": n % 60, "tags": ["亿元楼宇"]},
                    actor=f"drill{n % 50:05d}",
                )
            session.commit()
    finally:
        db.dispose()


def fingerprint(url: str) -> dict[str, Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = [
                r[0]
                for r in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"))
            ]
            per_table = {}
            for table in tables:
                rows_md5 = "md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                count, digest = conn.execute(text(f'SELECT count(*), {rows_md5} FROM "{table}" t')).one()
                per_table[table] = {"rows": count, "md5": digest}
            sequences = dict(
                conn.execute(
                    text("SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences WHERE schemaname = 'public'")
                ).all()
            )
            indexes = conn.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"))
            triggers = conn.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))
            objects = sorted(
                [f"index:{r[0]}" for r in indexes]
                + [
                    f"constraint:{r[0]}"
                    for r in conn.execute(
                        text(
                            "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                            "WHERE n.nspname = 'public'"
                        )
                    )
                ]
                + [f"trigger:{r[0]}" for r in triggers]
            )
            return {"tables": per_table, "sequences": sequences, "objects": objects}
    finally:
        engine.dispose()


def audit_is_append_only(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            try:
                conn.execute(text("UPDATE audit_event SET detail = 'tampered'"))
            except Exception:
                return True
            return False
    finally:
        engine.dispose()


def _pg_env(admin_url: str) -> dict[str, str]:
    url = make_url(admin_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(PGHOST=url.host or "127.0.0.1", PGPORT=str(url.port or 5432), PGUSER=url.username or "postgres")
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


def drill(admin_url: str, rows: int, workdir: Path) -> dict[str, Any]:
    run = uuid.uuid4().hex[:6]
    names = {svc: f"louyu_drill_{run}_{svc}" for svc in SERVICES}
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    env = _pg_env(admin_url)
    timings: dict[str, float] = {}
    report: dict[str, Any] = {"databases": {}, "timings": timings, "ok": False, "problems": []}

    def timed(label: str, fn: Any) -> Any:
        start = time.perf_counter()
        result = fn()
        timings[label] = round(time.perf_counter() - start, 3)
        return result

    def drop_all() -> None:
        with admin.connect() as conn:
            for name in names.values():
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    try:
        with admin.connect() as conn:
            report["server"] = conn.execute(text("SHOW server_version")).scalar()
            for name in names.values():
                conn.execute(text(f'CREATE DATABASE "{name}"'))

        def migrate_and_load() -> None:
            for svc, name in names.items():
                upgrade(ROOT / "services" / svc, _url(admin_url, name))
                load(svc, _url(admin_url, name), rows)

        timed("migrate_and_load", migrate_and_load)
        before = timed("fingerprint", lambda: {svc: fingerprint(_url(admin_url, n)) for svc, n in names.items()})

        backups = workdir / "backups"
        backup = timed(
            "backup",
            lambda: subprocess.run(
                ["bash", str(ROOT / "deploy" / "backup.sh"), "--dir", str(backups), "--keep", "2", *names.values()],
                env=env,
                capture_output=True,
                text=True,
            ),
        )
        if backup.returncode != 0:
            raise RuntimeError(f"backup.sh failed:\n{backup.stdout}{backup.stderr}")
        (set_dir,) = [p for p in backups.iterdir() if p.is_dir()]
        report["backup_bytes"] = sum(p.stat().st_size for p in set_dir.glob("*.dump"))

        timed("drop", drop_all)
        restore = timed(
            "restore",
            lambda: subprocess.run(
                ["bash", str(ROOT / "deploy" / "restore.sh"), str(set_dir)], env=env, capture_output=True, text=True
            ),
        )
        if restore.returncode != 0:
            raise RuntimeError(f"restore.sh failed:\n{restore.stdout}{restore.stderr}")
        after = timed("verify", lambda: {svc: fingerprint(_url(admin_url, n)) for svc, n in names.items()})

        for svc, name in names.items():
            b, a = before[svc], after[svc]
            rows_total = sum(t["rows"] for t in b["tables"].values())
            report["databases"][svc] = {
                "name": name,
                "tables": len(b["tables"]),
                "rows": rows_total,
                "per_table": {t: v["rows"] for t, v in b["tables"].items()},
                "identical": a == b,
            }
            for table in sorted(set(b["tables"]) | set(a["tables"])):
                if b["tables"].get(table) != a["tables"].get(table):
                    report["problems"].append(f"{name}.{table}: {b['tables'].get(table)} → {a['tables'].get(table)}")
            if b["sequences"] != a["sequences"]:
                report["problems"].append(f"{name}: sequences {b['sequences']} → {a['sequences']}")
            if b["objects"] != a["objects"]:
                report["problems"].append(f"{name}: schema objects differ: {set(b['objects']) ^ set(a['objects'])}")
        if not audit_is_append_only(_url(admin_url, names["gateway"])):
            report["problems"].append("the restored audit trail accepts UPDATE (its triggers were lost)")
        report["ok"] = not report["problems"] and all(d["rows"] > 0 for d in report["databases"].values())
        return report
    finally:
        drop_all()
        admin.dispose()


def render(report: dict[str, Any]) -> str:
    lines = [f"Restore drill against PostgreSQL {report.get('server', '?')}"]
    lines.append(f"{'service':<10} {'database':<32} {'tables':>6} {'rows':>8}  result")
    for svc, d in report["databases"].items():
        result = "identical" if d["identical"] else "DIFFERENT"
        lines.append(f"{svc:<10} {d['name']:<32} {d['tables']:>6} {d['rows']:>8}  {result}")
        for table, count in d["per_table"].items():
            if count:
                lines.append(f"{'':<10}   {table:<30} {count:>15}")
    t = report["timings"]
    lines.append(
        "timings: "
        + " · ".join(f"{k.replace('_', ' ')} {v:.2f} s" for k, v in t.items())
        + f" · dumps {report.get('backup_bytes', 0) / 1024:.0f} KiB"
    )
    total_rows = sum(d["rows"] for d in report["databases"].values())
    tables = sum(d["tables"] for d in report["databases"].values())
    if report["ok"]:
        lines.append(
            f"RESTORE DRILL PASSED: {len(report['databases'])} databases, {tables} tables, {total_rows} rows identical "
            "(row counts, per-table checksums, sequences, indexes, constraints, triggers; audit trail append-only)"
        )
    else:
        lines.append("RESTORE DRILL FAILED:")
        lines.extend(f"  {p}" for p in report["problems"] or ["no rows were loaded"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--admin-url", default=os.environ.get("LOUYU_TEST_POSTGRES_URL", DEFAULT_ADMIN))
    parser.add_argument("--rows", type=int, default=1000, help="rows per service database (default 1000)")
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="louyu-drill-") as tmp:
        report = drill(args.admin_url, args.rows, Path(tmp))
    print(render(report), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
