"""Real servers: registry down for a while, then up — metrics catches up on its own.

The scenario (tests/metrics/sync_helpers.py ``catch_up_scenario``) stops metrics while
registry changes, then stops registry and starts metrics (which reports registry unreachable),
then starts registry again; metrics' background consumer reads what it missed."""

from __future__ import annotations

import pytest

from tests.metrics.sync_helpers import assert_read_model_matches, catch_up_scenario, registry_head

pytestmark = pytest.mark.live


def test_registry_down_then_up_metrics_catches_up(live_stack, tmp_path):
    result = catch_up_scenario(live_stack, tmp_path)

    down = result.while_down
    assert down["registry_reachable"] is False
    assert "楼宇登记服务" in down["last_error"]
    assert down["lag_seconds"] is not None and down["lag_seconds"] >= 0
    # Metrics was stopped before the later changes: the cursor it kept is where it resumed from.
    assert 0 < down["cursor"] < registry_head(live_stack.db_urls["registry"])

    after = result.after
    assert after["registry_reachable"] is True and after["lag_events"] == 0 and after["lag_seconds"] == 0
    assert after["last_error_at"] < after["last_ok_at"]
    assert_read_model_matches(live_stack.db_urls["registry"], live_stack.db_urls["metrics"])
