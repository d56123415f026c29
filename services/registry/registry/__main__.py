"""`python -m registry migrate` applies this service's migrations to its configured database;
`python -m registry demo` loads the synthetic demo data into an empty registry (never in production)."""

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


if __name__ == "__main__":
    if sys.argv[1:2] == ["demo"]:
        raise SystemExit(load_demo())
    raise SystemExit(
        command_line("registry", Path(__file__).resolve().parent.parent, get_settings().database_url, sys.argv[1:])
    )
