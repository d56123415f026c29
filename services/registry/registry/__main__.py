"""`python -m registry migrate` applies this service's migrations to its configured database."""

import sys
from pathlib import Path

from louyu_kit.migrations import upgrade
from registry.config import get_settings

SERVICE_DIR = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    if argv[:1] != ["migrate"]:
        print("usage: python -m registry migrate", file=sys.stderr)
        return 2
    upgrade(SERVICE_DIR, get_settings().database_url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
