"""``python -m metrics sync-once`` (read registry's change feed up to its head, then stop) and
``python -m metrics sync-reset`` (forget the read model; the next sync reads the feed from 0)."""

from __future__ import annotations

import asyncio
import sys
import time

from louyu_kit.auth import service_tokens_for
from louyu_kit.db import Database
from metrics.clients.registry import RegistryClient
from metrics.config import Settings
from metrics.sync import state
from metrics.sync.consumer import FeedConsumer, SyncResult, describe


async def _sync(settings: Settings, db: Database) -> SyncResult:
    tokens = service_tokens_for(settings, "metrics")
    client = RegistryClient.create(settings.registry_url, tokens=tokens)
    try:
        consumer = FeedConsumer(db=db, client=client, interval=max(settings.metrics_sync_seconds, 1.0))
        return await consumer.sync_once()
    finally:
        await client.aclose()
        await tokens.aclose()


def sync_once(settings: Settings) -> int:
    db = Database.from_url(settings.database_url)
    started = time.perf_counter()
    try:
        result = asyncio.run(_sync(settings, db))
    except Exception as exc:
        try:
            with db.write_sessions.begin() as session:
                state.record_error(session, describe(exc))
        except Exception:  # noqa: S110 - metrics' own database is the failure: the message says so
            pass
        print(f"同步失败：{describe(exc)}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    seconds = time.perf_counter() - started
    rate = f"，每秒 {result.events / seconds:,.0f} 条" if result.events and seconds > 0 else ""
    print(
        f"已应用 {result.events} 条变更（{result.pages} 页），游标 {result.cursor} / 最新 {result.head}，"
        f"用时 {seconds:.1f} 秒{rate}"
    )
    return 0


def sync_reset(settings: Settings) -> int:
    db = Database.from_url(settings.database_url)
    try:
        with db.write_sessions.begin() as session:
            state.reset(session)
    finally:
        db.dispose()
    print("读模型已清空，游标归零；下次同步将从头读取楼宇登记服务的变更流（之后请重算指标）。")
    return 0
