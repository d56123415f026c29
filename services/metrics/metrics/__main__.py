"""`python -m metrics migrate` applies this service's migrations to its configured database;
`python -m metrics sync-once` reads registry's change feed up to its head into the read model;
`python -m metrics sync-reset` empties the read model so the next sync reads the feed from 0;
`python -m metrics rebuild` recomputes every rollup (attribution, building sums, occupancy);
`python -m metrics warnings` evaluates the 预警 rules now;
`python -m metrics goals-sync` copies the plan's goals from tasks now."""

import sys
from pathlib import Path

from louyu_kit.migrations import command_line
from metrics.config import get_settings
from metrics.goals import cli as goals_cli
from metrics.rollups import cli as rollups_cli
from metrics.sync import cli as sync_cli
from metrics.warnings import cli as warnings_cli

if __name__ == "__main__":
    if sys.argv[1:2] == ["sync-once"]:
        raise SystemExit(sync_cli.sync_once(get_settings()))
    if sys.argv[1:2] == ["sync-reset"]:
        raise SystemExit(sync_cli.sync_reset(get_settings()))
    if sys.argv[1:2] == ["rebuild"]:
        raise SystemExit(rollups_cli.rebuild(get_settings()))
    if sys.argv[1:2] == ["warnings"]:
        raise SystemExit(warnings_cli.evaluate(get_settings()))
    if sys.argv[1:2] == ["goals-sync"]:
        raise SystemExit(goals_cli.sync(get_settings()))
    raise SystemExit(
        command_line("metrics", Path(__file__).resolve().parent.parent, get_settings().database_url, sys.argv[1:])
    )
