"""Who may send figures, and what a sending system may not read."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.metrics.conftest import (
    ADMIN,
    AUDITOR,
    BUREAU,
    CHIEF,
    DEPARTMENT,
    LEADER,
    STATS_CLIENT,
    STREET,
    TAX_CLIENT,
    credit_code,
)

URL = "/api/metrics/facts/batches"
BODY = {
    "source": "tax_bureau",
    "rows": [{"credit_code": credit_code(1), "period": "2025-06", "kind": "tax_total", "value": 1}],
}
# What a facts:write client may call: the ingest itself and its batches' status.
INGEST_PATHS = {"/api/metrics/facts/batches", "/api/metrics/facts/batches/{batch_id}"}
OPEN_PATHS = {"/api/metrics/health", "/api/metrics/ready", "/api/metrics/openapi.json", "/api/metrics/docs"}


def _key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


class TestWhoMayPost:
    @pytest.mark.parametrize(
        "headers",
        [STATS_CLIENT, LEADER, STREET, DEPARTMENT, CHIEF, AUDITOR, ADMIN],
        ids=["stats:read", "leader", "street", "department", "chief", "auditor", "admin"],
    )
    def test_only_facts_write_clients_and_the_bureau_post_facts(self, metrics, headers):
        resp = metrics.post(URL, json=BODY, headers={**headers, **_key()})
        assert resp.status_code == 403, resp.text
        assert resp.json()["detail"] == "您的账号没有权限执行此操作"
        assert metrics.get(URL, headers=headers).status_code == 403

    def test_a_stats_read_client_cannot_upload_either(self, metrics):
        files = {"file": ("a.csv", "统一社会信用代码,期间,指标,数值\n".encode(), "text/csv")}
        resp = metrics.post("/api/metrics/facts/upload?source=tax_bureau", files=files, headers=STATS_CLIENT)
        assert resp.status_code == 403

    def test_without_a_token_it_is_401(self, metrics):
        assert metrics.post(URL, json=BODY, headers=_key()).status_code == 401

    def test_the_tax_client_and_the_bureau_may(self, metrics):
        assert metrics.post(URL, json=BODY, headers={**TAX_CLIENT, **_key()}).status_code == 201
        assert metrics.post(URL, json=BODY, headers={**BUREAU, **_key()}).status_code == 201


def _concrete(path: str) -> str:
    """A route path with placeholder values (codes, ids, periods) for its parameters."""
    return re.sub(r"\{[^}]+\}", "420106-0001", path)


class TestFactsWriteClientReadsNothingElse:
    def test_every_other_metrics_read_is_403(self, metrics):
        """Figures, buildings, enterprises, people: whatever the metrics service serves now or later."""
        checked = []
        for path, operations in metrics.get("/api/metrics/openapi.json").json()["paths"].items():
            if "get" not in operations or path in INGEST_PATHS | OPEN_PATHS:
                continue
            resp = metrics.get(_concrete(path), headers=TAX_CLIENT)
            assert resp.status_code == 403, f"{path}: {resp.status_code} {resp.text[:200]}"
            checked.append(path)
        assert "/api/metrics/facts" in checked and "/api/metrics/unregistered-taxpayers" in checked

    def test_registry_people_and_phones_are_403(self, make_client):
        registry = make_client("registry")
        for path in (
            "/api/registry/buildings",
            "/api/registry/buildings/420106-0001",
            "/api/registry/enterprises",
            f"/api/registry/enterprises/{credit_code(1)}",
            "/api/registry/exports/buildings",
        ):
            resp = registry.get(path, headers=TAX_CLIENT)
            assert resp.status_code == 403, f"{path}: {resp.status_code}"
        resp = registry.post("/api/registry/buildings/420106-0001/contacts/reveal", headers=TAX_CLIENT)
        assert resp.status_code == 403
