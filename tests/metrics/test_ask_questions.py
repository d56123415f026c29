"""问数 measured on its question set (#20): ≥ 300 questions over the demo district, each with
its expected reading; every answered figure is checked against the API route the screen uses
(computed here from the API, not written down). Accuracy of readings ≥ 95 %, and every wrong
reading is printed."""

from __future__ import annotations

from datetime import date

import pytest

from metrics.ask.router import ask_today
from tests.metrics import ask_demo
from tests.metrics.ask_questions import OWN_STREET_QUESTIONS, STREET_QUESTIONS, TODAY, questions
from tests.metrics.conftest import BUREAU, JIYUQIAO, metrics_db, user_token

STREET_USER = user_token("jiyuqiao", "street", streets=[JIYUQIAO])
KPI_PATHS = {
    "tax_per_m2_gfa": ("efficiency", "tax_total_per_m2_gfa"),
    "tax_per_m2_occupied": ("efficiency", "tax_total_per_m2_occupied"),
    "tax_district_per_m2_gfa": ("efficiency", "tax_district_per_m2_gfa"),
    "unattributed_tax_total": ("unattributed", "tax_total"),
    "unattributed_tax_district": ("unattributed", "tax_district"),
    "unattributed_revenue": ("unattributed", "revenue"),
    "tax_rank": ("rank", "district", "position"),
}
RATE_ROWS = {"occupancy_rate", "vacancy_rate", "tax_per_m2_gfa", "tax_per_m2_occupied"}


@pytest.fixture
def demo(metrics):
    ask_demo.load(metrics_db(metrics))
    metrics.app.dependency_overrides[ask_today] = lambda: TODAY
    return metrics


def _get(client, path, headers=BUREAU, **params):
    resp = client.get(path, params=params, headers=headers)
    assert resp.status_code == 200, (path, params, resp.text)
    return resp.json()


def _ask(client, question, headers=BUREAU, **extra):
    resp = client.post("/api/metrics/ask", json={"question": question, **extra}, headers=headers)
    assert resp.status_code == 200, (question, resp.text)
    return resp.json()


def _segments(period: str) -> list[tuple[int, str]]:
    """A 近N个月 key (2025-12-R6) as a signed sum of /kpis ranges (year to date); others as they are."""
    if "-R" not in period:
        return [(1, period)]
    end, n = period.split("-R")
    year, month = int(end[:4]), int(end[5:7])
    first = year * 12 + month - int(n)
    start_year, start_month = first // 12, first % 12 + 1
    out = [(1, f"{year}-{month:02d}-YTD")]
    if start_year < year:
        out.append((1, str(start_year)))
    if start_month > 1:
        out.append((-1, f"{start_year}-{start_month - 1:02d}-YTD"))
    return out


def _kpi_value(client, level, code, period, metric):
    total = None
    for sign, seg in _segments(period):
        k = _get(client, "/api/metrics/kpis", level=level, code=code or None, period=seg)
        path = KPI_PATHS.get(metric, (metric if metric != "vacancy_rate" else "occupancy_rate",))
        value = k
        for step in path:
            value = None if value is None else value.get(step)
        if metric == "vacancy_rate" and value is not None:
            value = max(0.0, round(1 - value, 4))
        if value is not None:
            total = (total or 0) + sign * value
    return total


def _compare_reading(got: dict, expected: dict) -> list[str]:
    diffs = []
    if got["status"] != expected["status"]:
        return [f"status {got['status']} ≠ {expected['status']}（{got['text']}）"]
    r = got["reading"]
    if r is None:
        return []
    for key in ("intent", "metric", "level", "code", "period", "compare", "tier", "rows", "order", "limit"):
        if key in expected and r[key] != expected[key]:
            diffs.append(f"{key} {r[key]!r} ≠ {expected[key]!r}")
    if "filter" in expected:
        m, op, v = expected["filter"]
        if (r["filter_metric"], r["filter_op"]) != (m, op) or abs((r["filter_value"] or 0) - v) > 1e-9:
            diffs.append(f"filter {r['filter_metric']} {r['filter_op']} {r['filter_value']} ≠ {m} {op} {v}")
    if "enterprise_name" in expected and expected["enterprise_name"] and expected["enterprise_name"] not in r["name"]:
        diffs.append(f"enterprise {r['name']!r}")
    return diffs


def _building_rows(client, reading):
    params = {"limit": 2000, "period": reading["period"]}
    if reading["level"] in ("street", "theme", "zone"):
        params[reading["level"]] = reading["code"]
    return _get(client, "/api/metrics/rankings/buildings", **params)["items"]


def _row_value(row, metric):
    if metric == "vacancy_rate":
        return None if row["occupancy_rate"] is None else max(0.0, round(1 - row["occupancy_rate"], 4))
    return row[metric]


def _check_answer(client, got: dict) -> None:
    """The answer's figures equal what the API routes give for the same reading."""
    r = got["reading"]
    metric = r["metric"]
    if r["intent"] == "value" and r["level"] == "enterprise":
        total = None
        for row in got["table"]["rows"]:
            page = _get(client, f"/api/metrics/buildings/{row['code']}/enterprises", period=r["period"], limit=500)
            mine = [i for i in page["items"] if i["credit_code"] == r["code"]]
            if mine and mine[0][metric] is not None:
                total = round((total or 0) + mine[0][metric], 2)
        assert got["figures"][0]["value"] == total
        return
    if r["intent"] == "value":
        expected = _kpi_value(client, r["level"], r["code"], r["period"], metric)
        assert got["figures"][0]["value"] == pytest.approx(expected), (got["question"], expected)
        if r["compare"] == "yoy":
            previous = None
            for sign, seg in _segments(r["period"]):
                k = _get(client, "/api/metrics/kpis", level=r["level"], code=r["code"] or None, period=seg)
                if k["yoy"][metric]["previous"] is not None:
                    previous = (previous or 0) + sign * k["yoy"][metric]["previous"]
            assert got["figures"][1]["value"] == pytest.approx(previous)
            if "-R" not in r["period"]:
                assert got["figures"][3]["value"] == k["yoy"][metric]["rate"]
        return
    if r["tier"]:
        tiers = _get(client, "/api/metrics/tiers", period=r["period"] if r["period"][5:7] != "Q" else None)
        items = {i["key"]: i for i in tiers["items"]} | {"yueyi": tiers["monthly_yi"]}
        codes = [b["code"] for b in items[r["tier"]]["buildings"]]
        if r["level"] != "district":
            inside = {row["code"] for row in _building_rows(client, r)}
            codes = [c for c in codes if c in inside]
        assert got["figures"][0]["value"] == len(codes)
        assert [row["code"] for row in got["table"]["rows"]] == codes
        return
    if r["intent"] == "trend":
        k = _get(client, "/api/metrics/kpis", level=r["level"], code=r["code"] or None, period=r["period"])
        assert got["figures"][0]["value"] == pytest.approx(k[metric]), got["question"]
        return
    # Lists, counts and rankings: the rows of /rankings/buildings or /streets.
    if r["rows"] == "street":
        rows = _get(client, "/api/metrics/streets", period=r["period"])["items"]
    else:
        rows = _building_rows(client, r)
        if {metric, r["filter_metric"]} & RATE_ROWS:
            rows = [row for row in rows if row["figures_status"] == "reported"]
    if r["filter_metric"]:
        t = r["filter_value"]
        rows = [
            row
            for row in rows
            if _row_value(row, r["filter_metric"]) is not None
            and (
                _row_value(row, r["filter_metric"]) >= t
                if r["filter_op"] == "gt"
                else _row_value(row, r["filter_metric"]) < t
            )
        ]
    key = "yoy" if r["compare"] == "yoy" else metric
    sign = 1 if r["order"] == "asc" else -1
    rows.sort(key=lambda row: (_row_value(row, key) is None, sign * (_row_value(row, key) or 0), row["code"]))
    assert got["table"]["total"] == len(rows), got["question"]
    shown = rows if r["intent"] in ("list", "count") else rows[: r["limit"] or 10]
    assert [row["code"] for row in got["table"]["rows"]] == [row["code"] for row in shown], got["question"]


def test_question_set_readings_and_answers(demo, capsys):
    qs = questions()
    assert len(qs) >= 300
    wrong, answered = [], 0
    for question, expected in qs:
        got = _ask(demo, question, record=False)
        diffs = _compare_reading(got, expected)
        if diffs:
            wrong.append(f"{question} → {got['reading_text'] or got['text']}：{'；'.join(diffs)}")
            continue
        if got["status"] == "answered":
            _check_answer(demo, got)
            answered += 1
            assert got["reading_text"] and got["definitions"] and got["link"]
    accuracy = 1 - len(wrong) / len(qs)
    with capsys.disabled():
        print(
            f"\n问数题集：{len(qs)} 题，读法正确 {len(qs) - len(wrong)} 题（{accuracy:.1%}），"
            f"其中回答并与接口核对 {answered} 题"
        )
        for line in wrong:
            print("  读错：" + line)
    assert accuracy >= 0.95, "\n".join(wrong)


def test_street_user_gets_the_refusal_the_api_gives(demo):
    for question, route in STREET_QUESTIONS:
        got = _ask(demo, question, headers=STREET_USER, record=False)
        if route is None:
            assert got["status"] == "answered", got
            continue
        api = demo.get(route, headers=STREET_USER)
        assert api.status_code in (403, 404), (route, api.status_code)
        assert got["status"] == "refused", (question, got["text"])
        body = api.json()
        assert got["refusal"] == {"status": api.status_code, "error": body["error"], "detail": body["detail"]}, question
    for question in OWN_STREET_QUESTIONS:
        got = _ask(demo, question, headers=STREET_USER, record=False)
        assert got["status"] == "answered", (question, got["text"])


def test_unknown_part_is_named_with_closest_readings(demo):
    got = _ask(demo, "中交大夏今年税收")
    assert got["status"] == "unknown"
    assert "大夏" in got["unknown"]
    assert "中交大厦今年税收" in got["suggestions"]
    assert "您是不是想问" in got["text"]


def test_ambiguous_building_asks_which_one(demo):
    got = _ask(demo, "保利今年税收")
    assert got["status"] == "ambiguous"
    assert sorted(c["question"] for c in got["choices"]) == ["保利广场今年税收", "保利滨江中心今年税收"]
    chosen = _ask(demo, got["choices"][0]["question"])
    assert chosen["status"] == "answered"


def test_a_year_without_figures_says_so(demo):
    got = _ask(demo, "前年全区税收")
    assert got["status"] == "out_of_data"
    assert "2023年还没有税收数据" in got["text"] and "2025年12月" in got["text"]


def test_editing_one_part_rereads_only_that_part(demo):
    first = _ask(demo, "中交大厦今年税收同比多少")
    assert first["reading_text"] == "指标：全口径税收；楼宇：中交大厦；期间：2025年1-12月；比较：同比"
    edited = _ask(demo, "中交大厦今年税收同比多少", edits={"period": "2025年3月"})
    assert edited["reading"]["period"] == "2025-03" and edited["reading"]["code"] == first["reading"]["code"]
    other = _ask(demo, "中交大厦今年税收同比多少", edits={"entity": "积玉桥街道"})
    assert (other["reading"]["level"], other["reading"]["code"]) == ("street", JIYUQIAO)
    assert other["reading"]["metric"] == "tax_total" and other["reading"]["compare"] == "yoy"
    assert other["link"].startswith(f"/dashboard/streets/{JIYUQIAO}")


def test_history_unanswered_and_synonyms_apply_without_restart(demo):
    assert _ask(demo, "交通大楼今年税收")["status"] == "unknown"
    _ask(demo, "全区今年税收")
    mine = _get(demo, "/api/metrics/ask/history")
    assert [i["question"] for i in mine["items"]] == ["全区今年税收", "交通大楼今年税收"]
    unanswered = _get(demo, "/api/metrics/ask/unanswered")
    assert [i["question"] for i in unanswered["items"]] == ["交通大楼今年税收"]
    # The bureau teaches the word; the next question is read with it.
    code = ask_demo.building_codes()["中交大厦"]
    resp = demo.post(
        "/api/metrics/ask/synonyms", json={"word": "交通大楼", "kind": "building", "code": code}, headers=BUREAU
    )
    assert resp.status_code == 201, resp.text
    assert resp.json()["meaning"] == "中交大厦"
    again = _ask(demo, "交通大楼今年税收")
    assert again["status"] == "answered" and again["reading"]["code"] == code
    assert (
        demo.post(
            "/api/metrics/ask/synonyms", json={"word": "交通大楼", "kind": "building", "code": code}, headers=BUREAU
        ).status_code
        == 409
    )
    bad = demo.post(
        "/api/metrics/ask/synonyms", json={"word": "某某", "kind": "building", "code": "NOPE"}, headers=BUREAU
    )
    assert bad.status_code == 422
    # Only the bureau edits synonyms; a street user sees no one else's unanswered questions.
    assert (
        demo.post(
            "/api/metrics/ask/synonyms", json={"word": "中中", "kind": "building", "code": code}, headers=STREET_USER
        ).status_code
        == 403
    )
    assert demo.get("/api/metrics/ask/unanswered", headers=STREET_USER).status_code == 403
    sid = _get(demo, "/api/metrics/ask/synonyms")["items"][0]["id"]
    assert demo.delete(f"/api/metrics/ask/synonyms/{sid}", headers=BUREAU).status_code == 204
    assert _ask(demo, "交通大楼今年税收")["status"] == "unknown"


def test_same_question_same_reading(demo):
    a = _ask(demo, "今年积玉桥街道有几栋亿元楼宇？", record=False)
    b = _ask(demo, "今年积玉桥街道有几栋亿元楼宇？", record=False)
    assert a == b
    assert a["reading_text"] == "指标：亿元楼宇；街道：积玉桥街道；期间：2025年1-12月；方式：计数"
    assert date.fromisoformat("2025-12-10") == TODAY


def _llm_answering(proposal: dict[str, str], calls: list[dict]):
    import json

    import httpx

    from metrics.clients.llm import LlmAdapter

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(json.loads(request.content))
        content = "好的：" + json.dumps(proposal, ensure_ascii=False)
        return httpx.Response(200, json={"choices": [{"message": {"content": content}}]})

    return LlmAdapter(url="http://llm.example/v1", key="k", model="m", transport=httpx.MockTransport(handler))


def test_the_large_model_is_off_by_default_and_only_proposes(demo):
    # Off by default: an unreadable question stays unknown, nothing is sent anywhere.
    assert demo.app.state.settings.metrics_ask_llm_url == ""
    assert _ask(demo, "中交那栋楼去年一共交了多少钱", record=False)["status"] == "unknown"
    # Configured: the model's proposal is read by the parser, checked and run like any reading.
    calls: list[dict] = []
    demo.app.state.ask_llm = _llm_answering({"metric": "全口径税收", "entity": "中交大厦", "period": "去年"}, calls)
    got = _ask(demo, "中交那栋楼去年一共交了多少钱", record=False)
    assert got["status"] == "answered" and got["proposed_by"] == "llm"
    assert (got["reading"]["code"], got["reading"]["period"], got["reading"]["metric"]) == (
        ask_demo.building_codes()["中交大厦"],
        "2024",
        "tax_total",
    )
    assert calls[0]["messages"][-1]["content"] == "中交那栋楼去年一共交了多少钱"
    # A question the parser reads is never sent; a proposal naming nothing known is not used.
    assert _ask(demo, "中交大厦去年税收", record=False)["proposed_by"] == "parser" and len(calls) == 1
    demo.app.state.ask_llm = _llm_answering({"metric": "幸福指数", "entity": "火星大厦"}, calls)
    refused = _ask(demo, "火星上的幸福指数", record=False)
    assert refused["status"] == "unknown" and refused["proposed_by"] == "parser"
    # A street user's proposed reading meets the same refusal as the API.
    demo.app.state.ask_llm = _llm_answering({"metric": "税收", "entity": "水果湖街道", "period": "2025年"}, calls)
    street = _ask(demo, "水果湖那边去年交了多少钱", headers=STREET_USER, record=False)
    assert street["status"] == "refused" and street["refusal"]["error"] == "StreetNotFound"
