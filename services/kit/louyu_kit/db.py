"""Database engine, sessions and the request's session dependency.

The request's session commits once, after the route returned and before the response is
sent (``scope="function"``), so a 2xx on a write means the write is durable. Services
``flush()`` and never ``commit()``.

SQLite: WAL (readers never wait for the writer), foreign keys, and ``BEGIN IMMEDIATE`` for
requests that write (POST/PUT/PATCH/DELETE) so two writers queue instead of failing with
"database is locked". The wait for the write lock is short (``LOUYU_DB_BUSY_TIMEOUT_SECONDS``)
and becomes a 503, and few writers wait at once: the admission control's write lane bounds
them, so waiting writers never hold the pooled connections readers need.

Pools cannot wedge (issue #24): the pool (size + overflow, per process) is sized with the thread
pool and the admission limits (louyu_kit.settings), and a request that cannot get a connection
within ``LOUYU_DB_POOL_TIMEOUT_SECONDS`` (≈ 1 s) is answered 503 ``Busy``, never a 500 after 30 s.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool
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


BUSY_DETAIL = "系统繁忙，数据库连接已满，请稍后重试"
LOCKED_DETAIL = "数据正在被其他人保存，请稍后重试"
DOWN_DETAIL = "数据库暂时无法连接，请稍后重试"


def pool_options(settings: Any) -> dict[str, Any]:
    """Engine options of a service process from its ``KitSettings`` (see the module docstring)."""
    return {
        "pool_size": max(1, settings.db_pool_size),
        "max_overflow": max(0, settings.db_pool_overflow),
        "pool_timeout": settings.db_pool_timeout_seconds,
        "busy_timeout": settings.db_busy_timeout_seconds,
    }


def make_engine(url: str, *, busy_timeout: float = 30.0, **kw: Any) -> Engine:
    if url.startswith("sqlite"):
        memory = ":memory:" in url or url.rstrip("/") in ("sqlite:", "sqlite://")
        if memory or "poolclass" in kw:
            for key in ("pool_size", "max_overflow", "pool_timeout"):
                kw.pop(key, None)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout}, **kw)
        _configure_sqlite(engine, busy_timeout)
        return engine
    kw.setdefault("pool_pre_ping", True)
    if "poolclass" not in kw:
        kw.setdefault("pool_size", 10)
        kw.setdefault("max_overflow", 10)
        kw.setdefault("pool_timeout", 5)
    else:
        for key in ("pool_size", "max_overflow", "pool_timeout"):
            kw.pop(key, None)
    if url.startswith("postgresql"):
        connect_args = kw.pop("connect_args", {})
        connect_args.setdefault("connect_timeout", 3)
        # psycopg prepares a statement after five runs and PostgreSQL may then switch to a
        # generic plan, which is blind to the parameter (a LIKE on a rare or a common word):
        # plan every query for its own values.
        connect_args.setdefault("options", "-c plan_cache_mode=force_custom_plan")
        kw["connect_args"] = connect_args
    return create_engine(url, **kw)


def _configure_sqlite(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
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
    url: str = ""
    _ping_engine: Engine | None = None

    @classmethod
    def from_url(cls, url: str, **kw: Any) -> Database:
        engine = make_engine(url, **kw)
        writer = engine.execution_options(sqlite_immediate=True) if url.startswith("sqlite") else engine
        return cls(
            engine=engine,
            sessions=sessionmaker(engine, expire_on_commit=False),
            write_sessions=sessionmaker(writer, expire_on_commit=False),
            url=url,
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def ping(self) -> None:
        """Raise Unavailable when the database cannot answer a trivial query.

        Readiness asks on a connection of its own (no pool), so it never waits behind the
        requests that hold every pooled connection."""
        if self._ping_engine is None:
            self._ping_engine = make_engine(self.url, poolclass=NullPool, busy_timeout=1.0) if self.url else self.engine
        try:
            with self._ping_engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except (OperationalError, PoolTimeout) as exc:
            raise Unavailable(DOWN_DETAIL) from exc

    def dispose(self) -> None:
        self.engine.dispose()
        if self._ping_engine is not None and self._ping_engine is not self.engine:
            self._ping_engine.dispose()


def unavailable(exc: BaseException) -> Unavailable:
    """The 503 for a database error: busy (pool exhausted, write lock held) or down."""
    retry = {"Retry-After": "1"}
    if isinstance(exc, PoolTimeout):
        return Unavailable(BUSY_DETAIL, error="Busy", headers=retry)
    if "locked" in str(getattr(exc, "orig", exc)).lower():
        return Unavailable(LOCKED_DETAIL, error="Busy", headers=retry)
    return Unavailable(DOWN_DETAIL)


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
    except (OperationalError, PoolTimeout) as exc:
        session.rollback()
        raise unavailable(exc) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(_request_session, scope="function")]
