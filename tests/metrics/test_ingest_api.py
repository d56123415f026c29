"""POST /api/metrics/facts/batches: checks per row, idempotency by key, 在税不在册, batch status."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, update

from louyu_kit.db import utcnow
from metrics.facts.models import Fact, FactBatch, FactRevision, UnregisteredTaxpayer
from metrics.facts.service import request_digest
from tests.metrics.conftest import (
    BUREAU,
    LEADER,
    TAX_CLIENT,
    add_enterprise,
    bad_check_code,
    client_token,
    credit_code,
    metrics_db,
)

URL = "/api/metrics/facts/batches"
A, B, C = credit_code(1), credit_code(2), credit_code(3)


def post(client, rows: list[Any], *, key: str | None = None, source: str = "tax_bureau", headers=None):  # type: ignore[no-untyped-def]
    sent = {**(headers or TAX_CLIENT), "Idempotency-Key": key or uuid.uuid4().hex}
    return client.post(URL, json={"source": source, "rows": rows}, headers=sent)


def row(code: str, period: str = "2025-06", value: Any = 1000, kind: str = "tax_total") -> dict[str, Any]:
    return {"credit_code": code, "period": period, "kind": kind, "value": value}


def count(client, model) -> int:  # type: ignore[no-untyped-def]
    with metrics_db(client).sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def facts(client) -> dict[tuple[str, str, str, str], Decimal]:  # type: ignore[no-untyped-def]
    with metrics_db(client).sessions() as session:
        return {(f.credit_code, f.period, f.kind, f.source): f.value for f in session.scalars(select(Fact))}


class TestPostBatch:
    def test_valid_rows_are_stored_and_counted(self, metrics):
        for code in (A, B):
            add_enterprise(metrics_db(metrics), code)
        resp = post(metrics, [row(A, value=1000), row(A, "2025-07", 2000.5), row(B, value="3,000.25", kind="revenue")])
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["status"] == "done"
        assert (body["rows_total"], body["accepted"], body["created"], body["updated"], body["unchanged"]) == (
            3,
            3,
            3,
            0,
            0,
        )
        assert body["rejected_count"] == 0 and body["rejected"] == []
        assert body["unregistered_count"] == 0
        assert facts(metrics) == {
            (A, "2025-06", "tax_total", "tax_bureau"): Decimal("1000.00"),
            (A, "2025-07", "tax_total", "tax_bureau"): Decimal("2000.50"),
            (B, "2025-06", "revenue", "tax_bureau"): Decimal("3000.25"),
        }

    def test_codes_and_periods_are_normalised(self, metrics):
        spaced = f" {A[:6]}-{A[6:].lower()} "
        resp = post(metrics, [row(spaced, "2025年6月"), row(A, "202507"), row(A, "2025Q2", kind="全口径税收")])
        assert resp.status_code == 201, resp.text
        assert resp.json()["accepted"] == 3
        assert set(facts(metrics)) == {
            (A, "2025-06", "tax_total", "tax_bureau"),
            (A, "2025-07", "tax_total", "tax_bureau"),
            (A, "2025-Q2", "tax_total", "tax_bureau"),
        }

    def test_rejected_rows_carry_row_field_and_reason_while_valid_rows_are_stored(self, metrics):
        rows = [
            row(A),
            row(bad_check_code(7)),
            row(B, "2025-13"),
            row(B, "2025-05", kind="profit"),
            row(B, "2025-04", value=12.345),
            row(B, "2025-03", value=10**13),
            row(C, "2025-06", value=10.5, kind="employees"),
            row(A),
            row(B, "2025-02", value="abc"),
            "not an object",
            {"credit_code": C},
        ]
        resp = post(metrics, rows)
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["accepted"] == 1 and body["created"] == 1
        by_row: dict[int, list[dict[str, Any]]] = {}
        for rejection in body["rejected"]:
            by_row.setdefault(rejection["row"], []).append(rejection)
        assert body["rejected_count"] == len(by_row) == 10
        assert set(by_row) == {2, 3, 4, 5, 6, 7, 8, 9, 10, 11}

        def reason(number: int, field: str) -> str:
            found = [r["message"] for r in by_row[number] if r["field"] == field]
            assert found, by_row[number]
            assert found[0].startswith(f"第 {number} 行"), found[0]
            return found[0]

        assert "校验位不正确" in reason(2, "credit_code") and "统一社会信用代码" in reason(2, "credit_code")
        assert "月份“13”不存在" in reason(3, "period")
        assert "不认识" in reason(4, "kind") and "tax_total" in reason(4, "kind")
        assert "两位小数" in reason(5, "value")
        assert "超出范围" in reason(6, "value") and "1000亿" in reason(6, "value")
        assert "整数" in reason(7, "value")
        assert "与第 1 行重复" in reason(8, "credit_code")
        assert "不是数字" in reason(9, "value")
        assert "应为对象" in by_row[10][0]["message"]
        assert {r["field"] for r in by_row[11]} == {"period", "kind", "value"}
        assert list(facts(metrics)) == [(A, "2025-06", "tax_total", "tax_bureau")]

    def test_negative_tax_is_a_refund_and_accepted(self, metrics):
        resp = post(metrics, [row(A, value=-52000.75)])
        assert resp.json()["accepted"] == 1
        assert facts(metrics)[(A, "2025-06", "tax_total", "tax_bureau")] == Decimal("-52000.75")

    def test_quarter_and_year_totals_are_stored_and_flagged(self, metrics):
        resp = post(metrics, [row(A, "2025-Q1"), row(A, "2024"), row(A, "2025-01")])
        body = resp.json()
        assert body["accepted"] == 3 and body["aggregate_rows"] == 2
        with metrics_db(metrics).sessions() as session:
            kinds = dict(session.execute(select(Fact.period, Fact.period_kind)).all())
        assert kinds == {"2025-Q1": "quarter", "2024": "year", "2025-01": "month"}

    def test_missing_or_malformed_key_is_refused_before_anything_is_stored(self, metrics):
        resp = metrics.post(URL, json={"source": "tax_bureau", "rows": [row(A)]}, headers=TAX_CLIENT)
        assert resp.status_code == 422
        assert "Idempotency-Key" in resp.json()["detail"]
        resp = post(metrics, [row(A)], key="has spaces inside")
        assert resp.status_code == 422
        assert count(metrics, FactBatch) == 0 and count(metrics, Fact) == 0

    def test_unknown_source_and_oversized_batch_are_422(self, metrics):
        assert post(metrics, [row(A)], source="bank").status_code == 422
        resp = post(metrics, [row(A, f"2025-{m:02d}") for m in range(1, 13)] * 4167)  # 50,004 rows
        assert resp.status_code == 422
        assert "50000" in resp.text or "最多" in resp.json()["detail"]
        assert count(metrics, Fact) == 0

    def test_bureau_user_may_post_too(self, metrics):
        resp = post(metrics, [row(A)], headers=BUREAU, source="manual")
        assert resp.status_code == 201
        assert facts(metrics) == {(A, "2025-06", "tax_total", "manual"): Decimal("1000.00")}


class TestIdempotency:
    def test_the_same_batch_posted_twice_changes_nothing(self, metrics):
        rows = [row(A), row(B, value=5), row(bad_check_code(4))]
        first = post(metrics, rows, key="batch-2025-06-001")
        before = facts(metrics)
        with metrics_db(metrics).sessions() as session:
            stamps = sorted(session.scalars(select(Fact.updated_at)))
        second = post(metrics, rows, key="batch-2025-06-001")
        assert first.status_code == second.status_code == 201
        assert second.json() == first.json()
        assert second.headers.get("Idempotent-Replayed") == "true"
        assert "Idempotent-Replayed" not in first.headers
        assert facts(metrics) == before
        assert count(metrics, FactBatch) == 1 and count(metrics, FactRevision) == 0
        with metrics_db(metrics).sessions() as session:
            assert sorted(session.scalars(select(Fact.updated_at))) == stamps

    def test_the_same_rows_under_a_new_key_are_stored_as_unchanged(self, metrics):
        post(metrics, [row(A), row(B)])
        again = post(metrics, [row(A), row(B)]).json()
        assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
        assert count(metrics, Fact) == 2 and count(metrics, FactRevision) == 0

    def test_json_key_order_does_not_make_a_different_body(self, metrics):
        post(metrics, [row(A)], key="k1")
        reordered = [{"value": 1000, "kind": "tax_total", "period": "2025-06", "credit_code": A}]
        resp = post(metrics, reordered, key="k1")
        assert resp.status_code == 201 and resp.headers.get("Idempotent-Replayed") == "true"

    def test_same_key_with_a_different_body_is_422(self, metrics):
        post(metrics, [row(A, value=1000)], key="k-dup")
        resp = post(metrics, [row(A, value=9999)], key="k-dup")
        assert resp.status_code == 422
        assert resp.json()["error"] == "IdempotencyKeyReused"
        assert "内容不同" in resp.json()["detail"]
        assert facts(metrics)[(A, "2025-06", "tax_total", "tax_bureau")] == Decimal("1000.00")

    def test_keys_belong_to_their_sender(self, metrics):
        other = client_token("stats-office", "facts:write")
        assert post(metrics, [row(A, value=1)], key="shared").status_code == 201
        resp = post(metrics, [row(A, value=2)], key="shared", headers=other, source="statistics_bureau")
        assert resp.status_code == 201
        assert count(metrics, FactBatch) == 2

    def test_a_key_still_in_flight_is_409(self, metrics):
        rows = [row(A)]
        self._claim(metrics, "in-flight", rows, status="processing")
        resp = post(metrics, rows, key="in-flight")
        assert resp.status_code == 409
        assert resp.json()["error"] == "BatchInProgress" and "处理中" in resp.json()["detail"]
        assert count(metrics, Fact) == 0

    @pytest.mark.parametrize("status", ["failed", "stale"])
    def test_a_failed_or_abandoned_batch_is_taken_over_by_a_retry(self, metrics, status):
        rows = [row(A)]
        batch_id = self._claim(metrics, "retry-me", rows, status="processing" if status == "stale" else "failed")
        if status == "stale":
            with metrics_db(metrics).write_sessions() as session:
                session.execute(
                    update(FactBatch).where(FactBatch.id == batch_id).values(started_at=utcnow() - timedelta(hours=1))
                )
                session.commit()
        resp = post(metrics, rows, key="retry-me")
        assert resp.status_code == 201, resp.text
        assert resp.json()["id"] == batch_id and resp.json()["status"] == "done"
        assert count(metrics, Fact) == 1 and count(metrics, FactBatch) == 1

    @staticmethod
    def _claim(client, key: str, rows: list[Any], *, status: str) -> int:  # type: ignore[no-untyped-def]
        with metrics_db(client).write_sessions() as session:
            batch = FactBatch(
                submitted_by="client:tax-bureau",
                idempotency_key=key,
                request_sha256=request_digest("tax_bureau", rows),
                source="tax_bureau",
                status=status,
                rows_total=len(rows),
                rejected=[],
                unregistered=[],
            )
            session.add(batch)
            session.commit()
            return batch.id


class TestUnregistered:
    def test_unknown_codes_are_kept_and_listed_biggest_tax_first(self, metrics):
        db = metrics_db(metrics)
        add_enterprise(db, A)
        rows = [
            row(A, "2025-01", 100),
            row(B, "2025-01", 300),
            row(B, "2025-02", 200),
            row(B, "2025", 999_999),  # a year total is flagged, not added to the months
            row(C, "2025-01", 800),
            row(C, "2025-01", 50, kind="tax_district"),
        ]
        body = post(metrics, rows).json()
        assert body["unregistered_count"] == 2 and body["unregistered"] == sorted([B, C])
        assert body["accepted"] == 6  # kept, not rejected
        page = metrics.get("/api/metrics/unregistered-taxpayers", headers=BUREAU).json()
        assert page["total"] == 2
        assert [(i["credit_code"], Decimal(i["tax_total"]), i["months"]) for i in page["items"]] == [
            (C, Decimal("800.00"), 1),
            (B, Decimal("500.00"), 2),
        ]
        assert Decimal(page["tax_total"]) == Decimal("1300.00")
        assert page["items"][1]["first_period"] == "2025-01" and page["items"][1]["last_period"] == "2025-02"

    def test_a_code_the_registry_learns_later_drops_out(self, metrics):
        post(metrics, [row(B, value=10), row(C, value=20)])
        add_enterprise(metrics_db(metrics), C)
        page = metrics.get("/api/metrics/unregistered-taxpayers", headers=LEADER).json()
        assert [i["credit_code"] for i in page["items"]] == [B]
        assert count(metrics, UnregisteredTaxpayer) == 2

    def test_tax_bureau_prevails_over_a_visit_for_the_same_month(self, metrics):
        post(metrics, [row(B, value=700)], source="visit", headers=BUREAU)
        post(metrics, [row(B, value=500)])
        items = metrics.get("/api/metrics/unregistered-taxpayers", headers=BUREAU).json()["items"]
        assert Decimal(items[0]["tax_total"]) == Decimal("500.00")

    def test_paging_and_year(self, metrics):
        post(metrics, [row(credit_code(100 + n), "2024-03", 1000 + n) for n in range(5)] + [row(A, "2025-03", 1)])
        page = metrics.get(
            "/api/metrics/unregistered-taxpayers", params={"page": 2, "page_size": 2, "year": 2024}, headers=BUREAU
        ).json()
        assert page["total"] == 5 and page["page"] == 2
        assert [i["credit_code"] for i in page["items"]] == [credit_code(102), credit_code(101)]


class TestBatchStatus:
    def test_a_sender_reads_its_own_batch_and_not_anothers(self, metrics):
        batch_id = post(metrics, [row(A), row(bad_check_code(1))]).json()["id"]
        resp = metrics.get(f"{URL}/{batch_id}", headers=TAX_CLIENT)
        assert resp.status_code == 200
        assert resp.json()["rejected_count"] == 1 and resp.json()["status"] == "done"
        other = client_token("another-system", "facts:write")
        assert metrics.get(f"{URL}/{batch_id}", headers=other).status_code == 404
        assert metrics.get(f"{URL}/{batch_id}", headers=BUREAU).status_code == 200
        assert metrics.get(f"{URL}/999", headers=BUREAU).json()["detail"] == "数据批次 999 不存在"

    def test_list_shows_own_batches_newest_first(self, metrics):
        first = post(metrics, [row(A)]).json()["id"]
        second = post(metrics, [row(B)]).json()["id"]
        post(metrics, [row(C)], headers=client_token("another-system", "facts:write"))
        listed = metrics.get(URL, headers=TAX_CLIENT).json()
        assert [b["id"] for b in listed["items"]] == [second, first] and listed["total"] == 2
        assert metrics.get(URL, headers=BUREAU).json()["total"] == 3


class TestRollupHook:
    def test_changed_figures_are_announced_once_and_unchanged_ones_not(self, metrics, monkeypatch):
        from metrics.rollups import hooks

        calls: list[tuple[set[str], set[str]]] = []
        monkeypatch.setattr(
            hooks, "on_facts_changed", lambda session, *, periods, credit_codes: calls.append((periods, credit_codes))
        )
        post(metrics, [row(A, "2025-01"), row(B, "2025-02")])
        assert calls == [({"2025-01", "2025-02"}, {A, B})]
        post(metrics, [row(A, "2025-01"), row(B, "2025-02", value=1)])
        assert calls[1] == ({"2025-02"}, {B})
        post(metrics, [row(A, "2025-01")])
        assert len(calls) == 2
