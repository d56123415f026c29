"""``python -m metrics warnings``: evaluate the 预警 rules now (e.g. from cron after a big load)."""

from __future__ import annotations

from louyu_kit.db import Database
from metrics.config import Settings
from metrics.warnings.service import evaluate_now


def evaluate(settings: Settings) -> int:
    db = Database.from_url(settings.database_url)
    try:
        result = evaluate_now(db)
        print(
            f"预警已评估：新出现 {result.raised} 条，仍然成立 {result.updated} 条，"
            f"解除 {result.resolved} 条，当前有效 {result.active} 条"
        )
        return 0
    finally:
        db.dispose()
