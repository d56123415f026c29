"""The change feed: an outbox written in the caller's transaction, read in order.

``feed.record(session, ...)`` queues an event on the session; when that session commits,
the events are numbered and inserted in the same transaction. A rolled-back change leaves
no event. Numbers come from one counter row updated at commit time: the row lock (on
PostgreSQL) or the write lock (on SQLite) is held until the commit, so sequence numbers are
handed out in commit order and a reader polling ``after=<seq>`` never skips an event that
commits later with a smaller number. Consumers keep their cursor and apply idempotently.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from louyu_kit.auth import verify_internal_or_roles
from louyu_kit.db import SessionDep, UtcDateTime
from louyu_kit.errors import Forbidden
from louyu_kit.middleware import mark_routine
from louyu_kit.requestid import current_request_id

_PENDING = "louyu_pending_changes"
OPS = ("create", "update", "delete")


class ChangeEvent(BaseModel):
    seq: int = Field(description="事件序号，严格递增、无空缺")
    entity: str = Field(description="对象类型，如 building")
    entity_id: str = Field(description="对象编号")
    op: str = Field(description="create / update / delete")
    data: dict[str, Any] = Field(description="变更后的对象（delete 时为删除前的关键字段）")
    actor: str | None = Field(None, description="操作人")
    request_id: str | None = Field(None, description="产生变更的请求编号")
    created_at: datetime = Field(description="写入时间（UTC）")


class ChangePage(BaseModel):
    items: list[ChangeEvent]
    next_after: int = Field(description="下次请求使用的 after 值")
    last_seq: int = Field(description="当前最新的事件序号（用于计算消费滞后）")
    has_more: bool


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    def default(value: Any) -> Any:
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return str(value)

    return json.loads(json.dumps(data, default=default, ensure_ascii=False))


class ChangeFeed:
    """One service's outbox. Create it once with the service's MetaData."""

    def __init__(self, metadata: MetaData, *, consumers: tuple[str, ...] | None = None) -> None:
        # The peer services that read this feed (``service:<name>`` tokens); None: any peer.
        self.consumers = consumers
        self.events = Table(
            "change_event",
            metadata,
            Column("seq", BigInteger, primary_key=True, autoincrement=False),
            Column("entity", String(50), nullable=False),
            Column("entity_id", String(64), nullable=False),
            Column("op", String(10), nullable=False),
            Column("data", JSON, nullable=False),
            Column("actor", String(100)),
            Column("request_id", String(64)),
            Column("created_at", UtcDateTime, nullable=False),
        )
        self.counter = Table(
            "change_seq",
            metadata,
            Column("id", Integer, primary_key=True, autoincrement=False),
            Column("value", BigInteger, nullable=False),
        )

    def record(
        self,
        session: Session,
        *,
        entity: str,
        entity_id: str | int,
        op: str,
        data: dict[str, Any],
        actor: str | None = None,
    ) -> None:
        """Queue one event; it is written when (and only if) the session commits."""
        if op not in OPS:
            raise ValueError(f"unknown change op {op!r}")
        pending = session.info.setdefault(_PENDING, [])
        pending.append(
            {
                "feed": self,
                "entity": entity,
                "entity_id": str(entity_id),
                "op": op,
                "data": _jsonable(data),
                "actor": actor,
                "request_id": current_request_id() or None,
            }
        )

    def _write(self, session: Session, items: list[dict[str, Any]]) -> None:
        last = session.execute(
            update(self.counter)
            .where(self.counter.c.id == 1)
            .values(value=self.counter.c.value + len(items))
            .returning(self.counter.c.value)
        ).scalar_one()
        first = last - len(items) + 1
        now = datetime.now(UTC)
        rows = []
        for offset, item in enumerate(items):
            row = {k: v for k, v in item.items() if k != "feed"}
            row.update(seq=first + offset, created_at=now)
            rows.append(row)
        session.execute(insert(self.events), rows)

    def read(self, session: Session, *, after: int, limit: int) -> ChangePage:
        rows = session.execute(
            select(self.events).where(self.events.c.seq > after).order_by(self.events.c.seq).limit(limit + 1)
        ).all()
        last_seq = session.execute(select(self.counter.c.value).where(self.counter.c.id == 1)).scalar() or 0
        items = [ChangeEvent.model_validate(dict(r._mapping)) for r in rows[:limit]]
        return ChangePage(
            items=items,
            next_after=items[-1].seq if items else after,
            last_seq=last_seq,
            has_more=len(rows) > limit,
        )

    def router(self) -> APIRouter:
        """``GET /changes?after=&limit=`` for the consuming peer services only (internal token).

        No person reads a feed, the administrator included (三员分立: the feed carries
        business data); a person's token gets 403, a missing or bad token 401."""
        router = APIRouter(tags=["变更流"])
        feed = self
        any_peer = verify_internal_or_roles()

        # any_peer as a sub-dependency (not called inline), so the OpenAPI document sees the
        # token check and lists 401/403 (louyu_kit.docs).
        def consumer(name: str = Depends(any_peer)) -> str:  # a person: 403 (no role may read a feed)
            if feed.consumers is not None and name not in feed.consumers:
                raise Forbidden("该服务不是本变更流的消费方", error="NotAConsumer")
            return name

        @router.get("/changes", response_model=ChangePage, dependencies=[Depends(consumer)])
        def list_changes(
            request: Request,
            session: SessionDep,
            after: Annotated[int, Query(ge=0, description="只返回序号大于此值的事件")] = 0,
            limit: Annotated[int, Query(ge=1, le=1000, description="最多返回条数")] = 100,
        ) -> ChangePage:
            """按序号读取本服务的变更事件（仅限消费方服务；消费者保存游标，重复应用无副作用）。"""
            page = feed.read(session, after=after, limit=limit)
            if not page.items:
                mark_routine(request.state)  # a poll with nothing new: DEBUG, not a line every 2 s
            return page

        return router


class Savepoint:
    """A nested transaction (see ``savepoint``); call ``discard()`` to roll it back on leaving."""

    def __init__(self) -> None:
        self.discarded = False

    def discard(self) -> None:
        self.discarded = True


@contextmanager
def savepoint(session: Session) -> Iterator[Savepoint]:
    """A SAVEPOINT whose rollback (an exception, or ``discard()``) also forgets the change events
    queued inside it, and only those: events queued before it survive (a plain nested rollback
    would drop every pending event of the session)."""
    queued = list(session.info.get(_PENDING, []))
    handle = Savepoint()
    nested = session.begin_nested()
    try:
        yield handle
    except BaseException:
        if nested.is_active:
            nested.rollback()
        session.info[_PENDING] = queued
        raise
    if handle.discarded:
        nested.rollback()
        session.info[_PENDING] = queued
    elif nested.is_active:
        nested.commit()


@event.listens_for(Session, "before_commit")
def _flush_pending_changes(session: Session) -> None:
    pending = session.info.get(_PENDING)
    if not pending:
        return
    session.flush()
    by_feed: dict[int, tuple[ChangeFeed, list[dict[str, Any]]]] = {}
    for item in pending:
        by_feed.setdefault(id(item["feed"]), (item["feed"], []))[1].append(item)
    for feed, items in by_feed.values():
        feed._write(session, items)
    session.info[_PENDING] = []


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending_changes(session: Session, _previous_transaction: Any) -> None:
    session.info.pop(_PENDING, None)
