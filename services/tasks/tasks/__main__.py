"""`python -m tasks migrate` applies this service's migrations to its configured database."""

import sys
from pathlib import Path

from louyu_kit.migrations import command_line
from tasks.config import get_settings

if __name__ == "__main__":
    raise SystemExit(
        command_line("tasks", Path(__file__).resolve().parent.parent, get_settings().database_url, sys.argv[1:])
    )
