"""`python -m registry migrate` applies this service's migrations to its configured database;
`python -m registry demo` loads the synthetic demo data into an empty registry (never in production);
`python -m registry apply-stays [YYYY-MM-DD]` brings the spaces' statuses in line with the stays
(the nightly job, once)."""

import sys
from pathlib import Path

from louyu_kit.migrations import command_line
from registry import demo
from registry.config import get_settings


def load_demo() -> int:
    settings = get_settings()
    if settings.env == "production":
        print("生产环境不加载演示数据。", file=sys.stderr)
        return 1
    counts = demo.load_if_empty(settings.database_url)
    print(demo.summary(counts) if counts else "楼宇库已有数据，未加载演示数据。")
    return 0


def apply_stays(args: list[str]) -> int:
    from datetime import date

    from louyu_kit.db import Database
    from registry.spaces.stays import run_once

    try:
        on = date.fromisoformat(args[0]) if args else None
    except ValueError:
        print(f"日期“{args[0]}”无效，应为 YYYY-MM-DD", file=sys.stderr)
        return 2
    database = Database.from_url(get_settings().database_url)
    try:
        changed = run_once(database, on=on)
    finally:
        database.dispose()
    print(f"已按入驻记录更新 {changed} 个房源的状态。")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["demo"]:
        raise SystemExit(load_demo())
    if sys.argv[1:2] == ["apply-stays"]:
        raise SystemExit(apply_stays(sys.argv[2:]))
    raise SystemExit(
        command_line("registry", Path(__file__).resolve().parent.parent, get_settings().database_url, sys.argv[1:])
    )
