"""Is a service's database at its current migration? For Kubernetes init containers: the
migration Job migrates, the Deployment's pods wait here until it has (so new code never runs
against an old schema).

python -m louyu_kit.check_migrations registry [--wait SECONDS]

Exit 0 when the database is at the head revision, 1 when it is not (after waiting), 2 on usage.
The database URL comes from the service's own settings (``LOUYU_<SERVICE>_DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import pool

from louyu_kit.db import make_engine
from louyu_kit.migrations import alembic_config

SERVICES = ("gateway", "registry", "tasks", "metrics")


def is_current(service_dir: Path, url: str) -> bool:
    """True when the database is at the head revision(s) of the service's migrations."""
    heads = set(ScriptDirectory.from_config(alembic_config(service_dir, url)).get_heads())
    engine = make_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads()) == heads
    finally:
        engine.dispose()


def wait_until_current(service_dir: Path, url: str, timeout: float, interval: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if is_current(service_dir, url):
                return True
        except Exception as exc:  # the database may not accept connections yet
            print(f"waiting for the database ({type(exc).__name__})", file=sys.stderr)
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m louyu_kit.check_migrations")
    parser.add_argument("service", choices=SERVICES)
    parser.add_argument("--wait", type=float, default=0.0, help="seconds to wait for the migration job")
    args = parser.parse_args(argv)
    package = importlib.import_module(args.service)
    settings = importlib.import_module(f"{args.service}.config").get_settings()
    service_dir = Path(package.__file__).resolve().parent.parent
    if wait_until_current(service_dir, settings.database_url, args.wait):
        print(f"{args.service}: database is at the current migration")
        return 0
    print(f"{args.service}: database is not at the current migration", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
