"""``python -m metrics sync-once`` and ``sync-reset`` against a real registry server."""

from __future__ import annotations

import httpx
import pytest

from louyu_kit.db import Database
from metrics.sync import cli, state
from tests.conftest import ThreadServer, build_app, settings_for
from tests.metrics.sync_helpers import (
    RegistryWriter,
    assert_read_model_matches,
    first_changes,
    metrics_cursor,
    read_model_state,
    registry_head,
)

pytestmark = pytest.mark.live


def test_sync_once_reads_up_to_the_head_and_reset_starts_again(db_urls, tmp_path, capsys):
    # The command asks the gateway for its service token, as in production.
    gateway = ThreadServer(build_app("gateway", settings_for("gateway", db_urls("gateway"), tmp_path))).start()
    try:
        _sync_once_and_reset(db_urls, tmp_path, capsys, gateway.url)
    finally:
        gateway.stop()


def _sync_once_and_reset(db_urls, tmp_path, capsys, gateway_url):  # type: ignore[no-untyped-def]
    registry = ThreadServer(build_app("registry", settings_for("registry", db_urls("registry"), tmp_path))).start()
    try:
        with httpx.Client(base_url=registry.url, timeout=10) as client:
            first_changes(RegistryWriter(client))
        settings = settings_for(
            "metrics", db_urls("metrics"), tmp_path, registry_url=registry.url, gateway_url=gateway_url
        )
        head = registry_head(db_urls("registry"))

        assert cli.sync_once(settings) == 0
        assert f"已应用 {head} 条变更" in capsys.readouterr().out
        assert metrics_cursor(db_urls("metrics")) == head
        assert_read_model_matches(db_urls("registry"), db_urls("metrics"))

        assert cli.sync_reset(settings) == 0
        assert metrics_cursor(db_urls("metrics")) == 0
        assert all(not rows for rows in read_model_state(db_urls("metrics")).values())
        assert cli.sync_once(settings) == 0
        assert_read_model_matches(db_urls("registry"), db_urls("metrics"))
    finally:
        registry.stop()

    # Registry gone: the command fails, says why, and /sync will show it.
    capsys.readouterr()
    assert cli.sync_once(settings) == 1
    assert "楼宇登记服务暂时无法连接" in capsys.readouterr().err
    db = Database.from_url(db_urls("metrics"))
    try:
        with db.sessions() as session:
            row = state.get(session)
            assert row is not None and "楼宇登记服务" in (row.last_error or "")
    finally:
        db.dispose()
