"""``python -m metrics goals-sync``: copy the plan's goals from tasks now (``LOUYU_TASKS_URL``)."""

from __future__ import annotations

import asyncio
import sys

from louyu_kit.auth import service_tokens_for
from louyu_kit.db import Database
from louyu_kit.errors import LouyuError
from metrics.clients.tasks import TasksClient
from metrics.config import Settings
from metrics.goals.service import pull


def sync(settings: Settings) -> int:
    db = Database.from_url(settings.database_url)
    tokens = service_tokens_for(settings, "metrics")
    client = TasksClient.create(settings.tasks_url, tokens=tokens)

    async def run() -> int:
        try:
            return await pull(db, client)
        finally:
            await client.aclose()
            await tokens.aclose()

    try:
        count = asyncio.run(run())
        print(f"已从任务服务同步目标 {count} 个")
        return 0
    except LouyuError as exc:
        print(exc.detail, file=sys.stderr)
        return 1
    finally:
        db.dispose()
