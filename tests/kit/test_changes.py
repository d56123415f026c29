"""The change feed: written in the caller's transaction, read in order, nothing skipped."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Integer, String, delete, insert
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from louyu_kit.changes import ChangeFeed
from louyu_kit.db import Database, SessionDep, make_metadata
from louyu_kit.errors import install_error_handlers
from louyu_kit.middleware import LouyuMiddleware


class Base(DeclarativeBase):
    metadata = make_metadata()


class Widget(Base):
    __tablename__ = "widget"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


feed = ChangeFeed(Base.metadata)


@pytest.fixture
def db(scratch_db_url):
    database = Database.from_url(scratch_db_url)
    Base.metadata.create_all(database.engine)
    with database.engine.begin() as conn:
        conn.execute(insert(feed.counter).values(id=1, value=0))
    yield database
    database.dispose()


def _create(db: Database, name: str) -> None:
    with db.write_sessions() as session:
        widget = Widget(name=name)
        session.add(widget)
        session.flush()
        feed.record(session, entity="widget", entity_id=widget.id, op="create", data={"name": name})
        session.commit()


def test_event_written_with_the_change(db):
    _create(db, "中交大厦")
    with db.sessions() as session:
        page = feed.read(session, after=0, limit=10)
    assert [(e.seq, e.entity, e.op, e.data) for e in page.items] == [(1, "widget", "create", {"name": "中交大厦"})]
    assert page.last_seq == 1 and page.next_after == 1 and not page.has_more


def test_rolled_back_change_leaves_no_event(db):
    with db.write_sessions() as session:
        session.add(Widget(name="ghost"))
        session.flush()
        feed.record(session, entity="widget", entity_id=1, op="create", data={})
        session.rollback()
    with db.write_sessions() as session:
        session.commit()  # a later commit on a fresh transaction must not resurrect it
    with db.sessions() as session:
        assert feed.read(session, after=0, limit=10).items == []
        assert session.query(Widget).count() == 0


def test_failed_commit_leaves_neither(db):
    with db.engine.begin() as conn:
        conn.execute(delete(feed.counter))  # the counter row is gone: writing events must fail
    with pytest.raises(NoResultFound):
        _create(db, "x")
    with db.sessions() as session:
        assert session.query(Widget).count() == 0


def test_read_in_order_with_after(db):
    for i in range(25):
        _create(db, f"w{i}")
    seen, after = [], 0
    with db.sessions() as session:
        while True:
            page = feed.read(session, after=after, limit=10)
            seen += [e.seq for e in page.items]
            after = page.next_after
            if not page.has_more:
                break
    assert seen == list(range(1, 26))


def test_concurrent_writers_nothing_skipped(db):
    writers, per_writer = 6, 15
    total = writers * per_writer
    seen: list[int] = []
    done = threading.Event()
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(per_writer):
                _create(db, f"{n}-{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def read() -> None:
        after = 0
        deadline = time.monotonic() + 60
        while len(seen) < total and time.monotonic() < deadline:
            with db.sessions() as session:
                page = feed.read(session, after=after, limit=7)
            seen.extend(e.seq for e in page.items)
            after = page.next_after
        done.set()

    reader = threading.Thread(target=read)
    reader.start()
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    reader.join()
    assert not errors, errors
    # A poller that only ever asks for "after the last seq I saw" got every event, once, in order.
    assert seen == list(range(1, total + 1))


def test_request_commits_before_answering(db):
    """A commit-time failure turns into an error response, never a 2xx."""
    app = FastAPI()
    install_error_handlers(app)
    app.state.db = db

    @app.post("/widgets", status_code=201)
    def create(session: SessionDep) -> dict:
        widget = Widget(name="x")
        session.add(widget)
        session.flush()
        feed.record(session, entity="widget", entity_id=widget.id, op="create", data={})
        return {"id": widget.id}

    app.add_middleware(LouyuMiddleware, service="test")
    client = TestClient(app, raise_server_exceptions=False)
    assert client.post("/widgets").status_code == 201
    with db.engine.begin() as conn:
        conn.execute(delete(feed.counter))
    resp = client.post("/widgets")
    assert resp.status_code == 500
    assert resp.json()["error"] == "InternalError"
    with db.sessions() as session:
        assert session.query(Widget).count() == 1


def test_unknown_op_refused(db):
    with db.write_sessions() as session, pytest.raises(ValueError):
        feed.record(session, entity="widget", entity_id=1, op="upsert", data={})
