"""Facts: a correction replaces the value and keeps the earlier revisions; sources stay apart."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select

from metrics.facts.models import Fact, FactRevision
from tests.metrics.conftest import BUREAU, LEADER, STREET, TAX_CLIENT, add_fact, credit_code, metrics_db

A = credit_code(11)


def send(client, value, *, period: str = "2025-06", source: str = "tax_bureau", headers=None) -> dict:  # type: ignore[no-untyped-def]
    resp = client.post(
        "/api/metrics/facts/batches",
        json={"source": source, "rows": [{"credit_code": A, "period": period, "kind": "tax_total", "value": value}]},
        headers={**(headers or TAX_CLIENT), "Idempotency-Key": uuid.uuid4().hex},
    )
    assert resp.status_code == 201, resp.text
    return resp.json()


class TestCorrections:
    def test_a_correction_replaces_the_value_and_keeps_every_earlier_revision(self, metrics):
        first = send(metrics, 100)
        second = send(metrics, 120)
        third = send(metrics, "150.5")
        assert (second["created"], second["updated"]) == (0, 1)
        with metrics_db(metrics).sessions() as session:
            fact = session.scalars(select(Fact)).one()
            revisions = list(session.scalars(select(FactRevision).order_by(FactRevision.revision)))
        assert (fact.value, fact.revision, fact.batch_id) == (Decimal("150.50"), 3, third["id"])
        assert [(r.revision, r.value, r.batch_id, r.replaced_by_batch_id) for r in revisions] == [
            (1, Decimal("100.00"), first["id"], second["id"]),
            (2, Decimal("120.00"), second["id"], third["id"]),
        ]
        assert all(r.fact_id == fact.id for r in revisions)
        assert revisions[0].valid_from <= revisions[0].replaced_at <= revisions[1].replaced_at

    def test_the_same_value_again_is_no_revision(self, metrics):
        send(metrics, 100)
        again = send(metrics, "100.00")
        assert again["unchanged"] == 1
        with metrics_db(metrics).sessions() as session:
            assert session.scalars(select(Fact.revision)).one() == 1
            assert session.scalars(select(FactRevision)).all() == []

    def test_sources_are_kept_side_by_side(self, metrics):
        send(metrics, 100)
        send(metrics, 90, source="statistics_bureau")
        send(metrics, 95, source="visit", headers=BUREAU)
        with metrics_db(metrics).sessions() as session:
            values = dict(session.execute(select(Fact.source, Fact.value)).all())
            assert session.scalars(select(FactRevision)).all() == []
        assert values == {
            "tax_bureau": Decimal("100.00"),
            "statistics_bureau": Decimal("90.00"),
            "visit": Decimal("95"),
        }

    def test_a_real_figure_replacing_a_synthetic_one_is_no_longer_synthetic(self, metrics):
        add_fact(metrics_db(metrics), A, "2025-06", 1, synthetic=True)
        send(metrics, 2)
        with metrics_db(metrics).sessions() as session:
            fact = session.scalars(select(Fact)).one()
        assert (fact.value, fact.synthetic, fact.revision) == (Decimal("2.00"), False, 2)


class TestReadFacts:
    def test_an_enterprises_figures_come_with_their_revisions(self, metrics):
        send(metrics, 100)
        send(metrics, 110)
        send(metrics, 7, period="2024-12")
        resp = metrics.get("/api/metrics/facts", params={"credit_code": A.lower(), "year": 2025}, headers=LEADER)
        assert resp.status_code == 200
        body = resp.json()
        assert body["total"] == 1
        item = body["items"][0]
        assert (item["period"], item["period_kind"], Decimal(item["value"]), item["revision"]) == (
            "2025-06",
            "month",
            Decimal("110.00"),
            2,
        )
        assert [(r["revision"], Decimal(r["value"])) for r in item["revisions"]] == [(1, Decimal("100.00"))]
        everything = metrics.get("/api/metrics/facts", params={"credit_code": A}, headers=BUREAU).json()
        assert [i["period"] for i in everything["items"]] == ["2024-12", "2025-06"]

    def test_figures_are_not_for_streets_or_sending_systems(self, metrics):
        for headers in (STREET, TAX_CLIENT):
            assert metrics.get("/api/metrics/facts", params={"credit_code": A}, headers=headers).status_code == 403
