"""Database engine, sessions and the request's session dependency.

The request's session commits once, after the route returned and before the response is
sent (``scope="function"``), so a 2xx on a write means the write is durable. Services
``flush()`` and never ``commit()``.

SQLite: WAL, foreign keys, a busy timeout, and ``BEGIN IMMEDIATE`` for requests that write
(POST/PUT/PATCH/DELETE) so two writers queue instead of failing with "database is locked".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from louyu_kit.errors import Unavailable

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on SQLite and PostgreSQL alike (stored in UTC, naive refused)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UtcDateTime column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_metadata() -> MetaData:
    """A MetaData with the naming convention, so constraint names match on SQLite and PostgreSQL."""
    return MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str, **kw: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kw)
        _configure_sqlite(engine)
        return engine
    kw.setdefault("pool_pre_ping", True)
    if "poolclass" not in kw:
        kw.setdefault("pool_size", 10)
        kw.setdefault("max_overflow", 10)
        kw.setdefault("pool_timeout", 5)
    if url.startswith("postgresql"):
        connect_args = kw.pop("connect_args", {})
        connect_args.setdefault("connect_timeout", 3)
        # psycopg prepares a statement after five runs and PostgreSQL may then switch to a
        # generic plan, which is blind to the parameter (a LIKE on a rare or a common word):
        # plan every query for its own values.
        connect_args.setdefault("options", "-c plan_cache_mode=force_custom_plan")
        kw["connect_args"] = connect_args
    return create_engine(url, **kw)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@dataclass
class Database:
    """One service's engine and session factories."""

    engine: Engine
    sessions: sessionmaker[Session]
    write_sessions: sessionmaker[Session]

    @classmethod
    def from_url(cls, url: str, **kw: Any) -> Database:
        engine = make_engine(url, **kw)
        writer = engine.execution_options(sqlite_immediate=True) if url.startswith("sqlite") else engine
        return cls(
            engine=engine,
            sessions=sessionmaker(engine, expire_on_commit=False),
            write_sessions=sessionmaker(writer, expire_on_commit=False),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def ping(self) -> None:
        """Raise Unavailable when the database cannot answer a trivial query."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except OperationalError as exc:
            raise Unavailable("数据库暂时无法连接，请稍后重试") from exc

    def dispose(self) -> None:
        self.engine.dispose()


def get_database(request: Request) -> Database:
    return request.app.state.db


def _request_session(request: Request) -> Iterator[Session]:
    db: Database = request.app.state.db
    factory = db.write_sessions if request.method in WRITE_METHODS else db.sessions
    session = factory()
    session.info["request"] = request
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        raise Unavailable("数据库暂时无法连接，请稍后重试") from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(_request_session, scope="function")]
