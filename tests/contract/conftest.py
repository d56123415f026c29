"""Contract tests share the metrics harness (a TestClient on a fresh, migrated database)."""

from tests.metrics.conftest import metrics  # noqa: F401  (the fixture)
