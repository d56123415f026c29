"""``python -m metrics rebuild``: recompute every rollup from the facts and the read model."""

from __future__ import annotations

import time

from louyu_kit.db import Database
from metrics.config import Settings
from metrics.rollups import service


def rebuild(settings: Settings) -> int:
    db = Database.from_url(settings.database_url)
    try:
        started = time.perf_counter()
        with db.write_sessions() as session:
            counts = service.rebuild_all(session)
            session.commit()
        seconds = time.perf_counter() - started
        print(
            f"汇总表已重算：企业归属 {counts['enterprise_rows']} 行，楼宇汇总 {counts['building_rows']} 行，"
            f"入驻存量 {counts['stock_rows']} 行，用时 {seconds:.1f} 秒"
        )
        return 0
    finally:
        db.dispose()
