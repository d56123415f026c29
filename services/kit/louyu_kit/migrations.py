"""Alembic for every service: the same env.py logic, upgrade on demand, and a drift check."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from louyu_kit.db import make_engine


def alembic_config(service_dir: Path, url: str) -> Config:
    cfg = Config(str(service_dir / "alembic.ini"))
    cfg.set_main_option("script_location", str(service_dir / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


# How long a migration waits for its database server to accept connections (a container
# started next to a PostgreSQL that is still initialising, or restarting).
CONNECT_WAIT_SECONDS = 60.0
# The server is not there yet (retry) — unlike a refused password or a missing database (fail now).
_NOT_YET = ("connection refused", "could not connect", "starting up", "shutting down", "no such file", "timeout")


def wait_for_database(url: str, *, seconds: float = CONNECT_WAIT_SECONDS, interval: float = 1.0) -> None:
    """Return once the server answers; retry only while it is not up yet, at most ``seconds``."""
    engine = make_engine(url, poolclass=pool.NullPool)
    deadline = time.monotonic() + seconds
    try:
        while True:
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
                return
            except OperationalError as exc:
                message = str(exc.orig or exc).strip().splitlines()[0]
                if not any(s in message.lower() for s in _NOT_YET):
                    raise SystemExit(f"cannot connect to the database {engine.url!r}: {message}") from exc
                if time.monotonic() >= deadline:
                    waited = f"did not answer within {seconds:.0f} s"
                    raise SystemExit(f"the database {engine.url!r} {waited}: {message}") from exc
                print(f"waiting for the database ({message})", file=sys.stderr)
                time.sleep(interval)
    finally:
        engine.dispose()


def upgrade(service_dir: Path, url: str, revision: str = "head") -> None:
    """``alembic upgrade head`` for one service's database (waiting for a server still starting)."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    else:
        wait_for_database(url)
    command.upgrade(alembic_config(service_dir, url), revision)


def current_head(service_dir: Path) -> str | None:
    return ScriptDirectory.from_config(alembic_config(service_dir, "sqlite://")).get_current_head()


# PostgreSQL-only indexes (e.g. pg_trgm search indexes) created by migrations and not
# declared on the models, because SQLite has no equivalent: named ``trgm_…``.
DIALECT_ONLY_INDEX_PREFIX = "trgm_"


def _include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    return not (type_ == "index" and reflected and (name or "").startswith(DIALECT_ONLY_INDEX_PREFIX))


def drift(url: str, metadata: MetaData) -> list[Any]:
    """Differences between the models and a migrated database (empty when they agree)."""
    engine = make_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"compare_type": True, "render_as_batch": True, "include_object": _include_object}
            )
            return list(compare_metadata(ctx, metadata))
    finally:
        engine.dispose()


def run_env(context: EnvironmentContext, metadata: MetaData) -> None:
    """The body of every service's ``migrations/env.py``."""
    cfg = context.config
    url = cfg.get_main_option("sqlalchemy.url")
    connection: Connection | None = cfg.attributes.get("connection")
    opts: dict[str, Any] = {
        "target_metadata": metadata,
        "compare_type": True,
        "render_as_batch": True,
        "include_object": _include_object,
    }
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True, **opts)
        with context.begin_transaction():
            context.run_migrations()
        return
    if connection is not None:
        context.configure(connection=connection, **opts)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            context.configure(connection=conn, **opts)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


def command_line(service: str, service_dir: Path, database_url: str, argv: list[str]) -> int:
    """``python -m <service> migrate``: apply the service's migrations to its configured database."""
    if argv[:1] != ["migrate"]:
        print(f"usage: python -m {service} migrate", file=sys.stderr)
        return 2
    upgrade(service_dir, database_url)
    return 0
