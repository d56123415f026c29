"""Totals add up (DOMAIN.md → 指标口径): every breakdown the SPA shows — the cockpit's streets,
themes and months, a street's or a theme's buildings — has a 合计 equal to the figure of the
same period and 口径 (the cockpit's card, ``GET /kpis``, the statistics API's 合计), and its rows
(with 未入楼企业 and 其他/未分类) sum to it within 0.01 元. Against ``rollup_case``."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from metrics.readmodel.models import RmBuilding
from tests.metrics import rollup_case
from tests.metrics.conftest import (
    BUREAU,
    CHIEF,
    JIYUQIAO,
    LEADER,
    STREET,
    YANGYUAN,
    add_building,
    add_enterprise,
    add_fact,
    add_occupancy,
    credit_code,
    metrics_db,
)

PERIODS = ("2025", "2025-06", "2025-Q1", "2025-03-YTD")
MONEY = ("tax_total", "tax_district")


@pytest.fixture
def api(metrics):
    rollup_case.build(metrics_db(metrics))
    return metrics


def get(api, url, headers=LEADER, **params):
    resp = api.get(url, params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def cards(body):
    return {c["key"]: c for c in body["cards"]}


def assert_adds_up(rows, total, keys=MONEY):
    """Σ rows == total for each key (None counts as nothing), within 0.01 元."""
    for key in keys:
        values = [r[key] for r in rows if r[key] is not None]
        assert total[key] is not None, key
        assert sum(values) == pytest.approx(total[key], abs=0.01), (key, [(r["code"], r[key]) for r in rows])


def district_card(body):
    c = cards(body)
    return {
        "tax_total": c["tax_total"]["value"],
        "tax_district": c["tax_district"]["value"],
        "previous_tax_total": c["tax_total"]["previous"],
        "previous_tax_district": c["tax_district"]["previous"],
    }


@pytest.mark.parametrize("period", PERIODS)
def test_the_cockpits_breakdowns_add_up_to_the_district_card(api, period):
    body = get(api, "/api/metrics/dashboard", period=period)
    card = district_card(body)
    kpis = get(api, "/api/metrics/kpis", period=period)
    stats = get(api, "/api/metrics/stats/aggregates", headers=BUREAU, period=period, by="street")
    # The card is the district figure: the same as /kpis and the statistics bureau's 合计.
    assert card["tax_total"] == pytest.approx(kpis["tax_total"], abs=0.01)
    assert card["tax_total"] == pytest.approx(stats["total_row"]["tax_total"], abs=0.01)

    street_total = body["tax_by_street_total"]
    assert (street_total["code"], street_total["name"], street_total["kind"]) == ("_total", "合计", "total")
    for key in ("tax_total", "tax_district", "previous_tax_total"):
        assert street_total[key] == pytest.approx(card[key], abs=0.01)
    assert_adds_up(body["tax_by_street"], street_total, ("tax_total", "tax_district", "previous_tax_total"))

    theme_total = body["theme_mix_total"]
    assert theme_total["kind"] == "total"
    assert_adds_up([theme_total], card)
    assert_adds_up(body["theme_mix"], theme_total)

    summary = {r["code"]: r for r in body["monthly_summary"]}
    assert list(summary) == ["_months", "_other", "_total"]
    keys = ("tax_total", "tax_district", "previous_tax_total", "previous_tax_district")
    assert_adds_up([summary["_total"]], card, keys)
    assert_adds_up([summary["_months"], summary["_other"]], summary["_total"], keys)
    # The months row is the months of the trend that fall in the period.
    months = [m for m in body["monthly_trend"] if m["period"] in _months_of(body["period"])]
    assert_adds_up(months, summary["_months"])


def _months_of(period):
    first, last = int(period["start"][5:7]), int(period["end"][5:7])
    return {f"{period['year']}-{m:02d}" for m in range(first, last + 1)}


def test_the_street_rows_every_street_unattributed_and_other(api):
    body = get(api, "/api/metrics/dashboard", period="2025-06")
    rows = {r["code"]: r for r in body["tax_by_street"]}
    # Every street of Wuchang, those without buildings with zeros.
    assert len([r for r in rows.values() if r["kind"] == "group"]) == 15
    assert (rows[JIYUQIAO]["tax_total"], rows[YANGYUAN]["tax_total"]) == (350_000, 30_000)
    assert rows["420106003"]["tax_total"] == 0 and rows["420106003"]["buildings"] == 0  # 徐家棚: no building
    assert rows["_unattributed"] == {
        "code": "_unattributed",
        "name": "未入楼企业",
        "kind": "unattributed",
        "buildings": None,
        "tax_total": 10_000,
        "tax_district": 5_000,
        "previous_tax_total": 10_000,
        "yoy": 0.0,
    }
    assert rows["_other"]["kind"] == "other" and rows["_other"]["tax_total"] == 0
    # Groups first (largest first), then 未入楼企业, then 其他/未分类.
    assert [r["code"] for r in body["tax_by_street"]][:2] == [JIYUQIAO, YANGYUAN]
    assert [r["kind"] for r in body["tax_by_street"]][-2:] == ["unattributed", "other"]
    assert body["tax_by_street_total"]["tax_total"] == 390_000


def test_the_theme_rows_count_a_building_in_each_theme_and_take_the_duplicate_back(api):
    db = metrics_db(api)
    from tests.metrics.conftest import add_theme

    add_theme(db, "tech", "科技", ["65"])
    with db.write_sessions() as session:
        session.execute(update(RmBuilding).where(RmBuilding.code == "B1").values(themes=["finance", "tech"]))
        session.commit()
    body = get(api, "/api/metrics/dashboard", period="2025-06")
    rows = {r["code"]: r for r in body["theme_mix"]}
    # B1 (150,000) in 金融 and 科技; B3 (30,000) in 金融; B2 (200,000) without a theme.
    assert rows["finance"]["tax_total"] == 180_000 and rows["tech"]["tax_total"] == 150_000
    assert rows["_other"]["name"] == "无主题楼宇" and rows["_other"]["tax_total"] == 200_000
    assert rows["_unattributed"]["tax_total"] == 10_000
    assert rows["_duplicates"]["tax_total"] == -150_000 and rows["_duplicates"]["kind"] == "duplicates"
    assert body["theme_mix_total"]["tax_total"] == 390_000
    assert_adds_up(body["theme_mix"], body["theme_mix_total"])


def test_figures_reported_for_a_quarter_and_deleted_buildings_still_add_up(api):
    db = metrics_db(api)
    # A quarter's figure (not split into months) and a building that has left the registry.
    q = credit_code(108)
    add_enterprise(db, q, industry_code="6620")
    add_occupancy(db, 8, q, "B2", area=500)
    add_fact(db, q, "2025-Q2", 60_000)
    add_building(db, "B9", street_code=YANGYUAN, name="已删除楼宇")
    g = credit_code(109)
    add_enterprise(db, g, industry_code="6620")
    add_occupancy(db, 9, g, "B9", area=500)
    add_fact(db, g, "2025-05", 40_000)
    rollup_case.rebuild(db)
    with db.write_sessions() as session:
        session.execute(update(RmBuilding).where(RmBuilding.code == "B9").values(deleted=True))
        session.commit()
    body = get(api, "/api/metrics/dashboard", period="2025-YTD")
    kpis = get(api, "/api/metrics/kpis", period="2025-YTD")
    stats = get(api, "/api/metrics/stats/aggregates", headers=BUREAU, period="2025-YTD", by="street")
    card = district_card(body)
    assert card["tax_total"] == pytest.approx(kpis["tax_total"], abs=0.01)
    assert card["tax_total"] == pytest.approx(stats["total_row"]["tax_total"], abs=0.01)
    assert card["tax_total"] == 6 * 390_000 + 60_000 + 40_000
    streets = {r["code"]: r for r in body["tax_by_street"]}
    assert streets["_other"]["tax_total"] == 40_000  # the deleted building's figures
    assert_adds_up(body["tax_by_street"], body["tax_by_street_total"])
    assert_adds_up(body["theme_mix"], body["theme_mix_total"])
    summary = {r["code"]: r for r in body["monthly_summary"]}
    assert summary["_other"]["tax_total"] == 60_000  # reported for 2025-Q2
    assert_adds_up([summary["_months"], summary["_other"]], summary["_total"])
    assert_adds_up([summary["_total"]], card)


@pytest.mark.parametrize(("headers", "expected"), [(STREET, 350_000), (CHIEF, 150_000)])
def test_a_street_user_and_a_chief_see_their_own_totals(api, headers, expected):
    body = get(api, "/api/metrics/dashboard", headers=headers, period="2025-06")
    card = district_card(body)
    assert card["tax_total"] == expected
    kinds = [r["kind"] for r in body["tax_by_street"]]
    assert "unattributed" not in kinds and "unattributed" not in [r["kind"] for r in body["theme_mix"]]
    assert [r["code"] for r in body["tax_by_street"] if r["kind"] == "group"] == [JIYUQIAO]
    for total, rows in (
        (body["tax_by_street_total"], body["tax_by_street"]),
        (body["theme_mix_total"], body["theme_mix"]),
    ):
        assert_adds_up([total], card)
        assert_adds_up(rows, total)
    summary = body["monthly_summary"]
    assert_adds_up(summary[:2], summary[2])
    assert_adds_up([summary[2]], card)


@pytest.mark.parametrize("period", ("2025", "2025-06"))
@pytest.mark.parametrize(("filter_", "level", "code"), [("street", "street", JIYUQIAO), ("theme", "theme", "finance")])
def test_a_street_or_theme_page_adds_up_to_its_kpis(api, period, filter_, level, code):
    kpis = get(api, "/api/metrics/kpis", level=level, code=code, period=period)
    ranking = get(api, "/api/metrics/rankings/buildings", period=period, **{filter_: code, "limit": 200})
    total = ranking["total_row"]
    assert (total["code"], total["name"], total["kind"]) == ("_total", "合计", "total")
    assert total["buildings"] == kpis["buildings"] == ranking["total"]
    for key in ("tax_total", "tax_district"):
        assert total[key] == pytest.approx(kpis[key], abs=0.01)
    assert total["revenue"] == kpis["revenue"] is None  # no revenue reported in this district
    assert total["previous_tax_total"] == pytest.approx(kpis["yoy"]["tax_total"]["previous"], abs=0.01)
    assert ranking["rest_row"] is None
    assert_adds_up(ranking["items"], total)


def test_a_page_of_a_ranking_and_the_rest_add_up_to_the_total(api):
    whole = get(api, "/api/metrics/rankings/buildings", period="2025")
    page = get(api, "/api/metrics/rankings/buildings", period="2025", limit=1, offset=1)
    assert [b["code"] for b in page["items"]] == [whole["items"][1]["code"]]
    rest = page["rest_row"]
    assert (rest["code"], rest["name"], rest["buildings"]) == ("_rest", "其余楼宇", 2)
    assert_adds_up([*page["items"], rest], page["total_row"], ("tax_total", "tax_district", "previous_tax_total"))
    assert page["total_row"] == whole["total_row"]
    # The buildings' 合计 is the district's figure less 未入楼企业.
    kpis = get(api, "/api/metrics/kpis", period="2025")
    assert whole["total_row"]["tax_total"] == pytest.approx(
        kpis["tax_total"] - kpis["unattributed"]["tax_total"], abs=0.01
    )
