"""待办 from metrics: my last batch of a source that failed or had rows refused, until a clean one."""

from __future__ import annotations

from louyu_kit.db import utcnow
from metrics.facts.models import FactBatch
from tests.metrics.conftest import BUREAU, LEADER, _write, metrics_db


def inbox(metrics, headers=BUREAU) -> dict:
    resp = metrics.get("/api/metrics/inbox", headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def batch(n: int, **fields) -> FactBatch:
    values = {
        "submitted_by": "shangwu",
        "idempotency_key": f"k{n}",
        "request_sha256": "0" * 64,
        "source": "tax_bureau",
        "status": "done",
        "created_at": utcnow(),
    }
    return FactBatch(**{**values, **fields})


def test_failed_and_partly_refused_batches_are_todos_until_a_clean_one(metrics):
    db = metrics_db(metrics)
    _write(db, [batch(1, status="failed", file_name="十月税收.xlsx")])
    [item] = inbox(metrics)["items"]
    assert (item["kind"], item["link"]) == ("batch", "/metrics/facts")
    assert item["title"] == "重新提交税务局数据：十月税收.xlsx（处理失败）"
    _write(db, [batch(2, rejected_count=3, file_name="十月税收（重报）.xlsx")])
    [item] = inbox(metrics)["items"]
    assert item["title"] == "更正后补报税务局数据：十月税收（重报）.xlsx（3 行被拒收）"
    assert metrics.get("/api/metrics/inbox", headers=LEADER).status_code == 403
    _write(db, [batch(3)])
    assert inbox(metrics)["total"] == 0
