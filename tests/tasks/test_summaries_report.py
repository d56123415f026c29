"""总结验收 and the 办理情况报告: each responsible unit writes, submits and has its summary
returned or accepted (illegal moves are conflicts, a unit writes only its own); the report is a
draft until every summary is accepted, then issued as versions 1, 2, … that never change; its
.docx (opened with python-docx) carries the goals with the very values the metrics service
serves, every task, every unit's summary and every opinion's state."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from docx import Document

from louyu_kit.clock import today_in_china
from tasks.plans.models import PlanPhase
from tests.tasks.conftest import BUREAU, FGJ, LEADER, SWUJ, new_plan, new_task
from tests.tasks.test_bulletins_api import wire_metrics

TODAY = today_in_china()


@pytest.fixture
def plan(db_session) -> dict:
    with db_session() as session:
        plan = new_plan(session, "区十六届人大四次会议一号议案办理工作方案")
        session.add(
            PlanPhase(
                plan_id=plan.id,
                name="总结验收",
                start_date=date(2025, 10, 1),
                end_date=date(2025, 10, 31),
                position=9,
            )
        )
        a = new_task(session, plan, "打造特色楼宇", lead="swj", co=("fgj",), progress=100, status="done")
        b = new_task(session, plan, "建立楼宇信息平台", lead="fgj", progress=80, status="in_progress")
        c = new_task(session, plan, "优化税收服务", lead="swuj", progress=100, status="done")
        return {"id": plan.id, "tasks": {"swj": [a.id], "fgj": [a.id, b.id], "swuj": [c.id]}}


def url(plan: dict, unit: str = "", action: str = "") -> str:
    base = f"/api/tasks/plans/{plan['id']}/summaries"
    return base + (f"/{unit}" if unit else "") + (f"/{action}" if action else "")


def write(client, plan, unit, headers, text="全年围绕一号议案推进楼宇经济工作，完成各项任务。"):
    body = {"text": text, "assessments": [{"task_id": t, "rating": "done"} for t in plan["tasks"][unit]]}
    resp = client.put(url(plan, unit), json=body, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_summary_submit_return_and_accept(tasks_client, plan):
    overview = tasks_client.get(url(plan), headers=BUREAU).json()
    assert {i["unit_code"]: i["status"] for i in overview["items"]} == {
        "swj": "missing",
        "fgj": "missing",
        "swuj": "missing",
    }
    assert overview["phase_name"] == "总结验收" and overview["due_date"] == "2025-10-31"
    # A unit sees only its own row, and reads only its own summary.
    assert [i["unit_code"] for i in tasks_client.get(url(plan), headers=FGJ).json()["items"]] == ["fgj"]
    assert tasks_client.get(url(plan, "swuj"), headers=FGJ).status_code == 404

    # Submitting nothing, or without a self-assessment per task, is refused.
    assert tasks_client.post(url(plan, "fgj", "submit"), headers=FGJ).status_code == 409
    resp = tasks_client.put(
        url(plan, "fgj"),
        json={
            "text": "全年工作总结正文足够长了。",
            "assessments": [{"task_id": plan["tasks"]["fgj"][0], "rating": "done"}],
        },
        headers=FGJ,
    )
    assert resp.json()["status"] == "draft"
    resp = tasks_client.post(url(plan, "fgj", "submit"), headers=FGJ)
    assert resp.status_code == 422 and "未自评" in resp.json()["detail"]
    # Self-assessment only on the unit's own tasks.
    resp = tasks_client.put(
        url(plan, "fgj"),
        json={"text": "x" * 20, "assessments": [{"task_id": plan["tasks"]["swuj"][0], "rating": "done"}]},
        headers=FGJ,
    )
    assert resp.status_code == 422 and "不是区发改局负责的任务" in resp.json()["detail"]
    # Another unit cannot write it.
    assert tasks_client.put(url(plan, "fgj"), json={"text": "越权"}, headers=SWUJ).status_code == 403

    summary = write(tasks_client, plan, "fgj", FGJ)
    assert [t["rating_name"] for t in summary["tasks"]] == ["已完成", "已完成"]
    assert tasks_client.post(url(plan, "fgj", "submit"), headers=FGJ).json()["status"] == "submitted"
    # Submitted: the unit can no longer change it; only the bureau reviews.
    assert tasks_client.put(url(plan, "fgj"), json={"text": "改一下"}, headers=FGJ).status_code == 409
    assert tasks_client.post(url(plan, "fgj", "accept"), json={}, headers=FGJ).status_code == 403
    assert tasks_client.post(url(plan, "fgj", "return"), json={"comment": ""}, headers=BUREAU).status_code == 422
    resp = tasks_client.post(url(plan, "fgj", "return"), json={"comment": "请补充平台建设的量化成效"}, headers=BUREAU)
    assert resp.json()["status"] == "returned" and resp.json()["comment"] == "请补充平台建设的量化成效"
    assert tasks_client.post(url(plan, "fgj", "accept"), json={}, headers=BUREAU).status_code == 409
    write(tasks_client, plan, "fgj", FGJ, text="平台一期上线，归集楼宇 200 栋数据，全年任务完成。")
    tasks_client.post(url(plan, "fgj", "submit"), headers=FGJ)
    resp = tasks_client.post(url(plan, "fgj", "accept"), json={"comment": "同意验收"}, headers=BUREAU)
    assert resp.json()["status"] == "accepted" and resp.json()["reviewed_by"] == "shangwu"
    counts = tasks_client.get(url(plan), headers=LEADER).json()["counts"]
    assert counts["accepted"] == 1 and counts["missing"] == 2


def shown(value) -> str:
    """How a figure reads in the report: the number as served, without trailing zeros."""
    return "—" if value is None else format(Decimal(str(value)).normalize(), "f")


def docx_of(content: bytes) -> tuple[str, list[list[str]]]:
    doc = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    rows = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer  # page numbers in the footer
    return text, rows


def test_report_docx_quotes_metrics_goals_tasks_summaries_and_opinions(tasks_client, make_client, plan):
    metrics = make_client("metrics")
    wire_metrics(tasks_client, metrics.app)
    goals = [
        {"metric": "talent_stations", "metric_name": "人才驿站", "target": 3, "unit": "个",
         "text": "建成人才驿站3个", "year": 2025, "manual_value": 2},
        {"metric": "yiyuan_buildings", "target": 2, "unit": "栋", "text": "新增2栋税收亿元楼宇", "year": 2025},
    ]  # fmt: skip
    for goal in goals:
        assert metrics.post("/api/metrics/goals", json=goal, headers=BUREAU).status_code == 201
    served = metrics.get("/api/metrics/goals", params={"year": 2025}, headers=BUREAU).json()["items"]
    assert len(served) == 2

    inspection = tasks_client.post(
        "/api/tasks/inspections",
        json={
            "kind": "inspection",
            "held_on": "2025-06-10",
            "title": "视察特色楼宇建设",
            "plan_id": plan["id"],
            "deputies": ["王建国", "李红梅"],
            "opinions": [
                {"text": "加快楼宇信息平台建设", "deadline": "2025-09-30", "unit_codes": ["fgj"]},
                {"text": "解决楼宇停车难问题", "deadline": "2025-08-31", "unit_codes": ["swuj"]},
            ],
        },
        headers=BUREAU,
    ).json()
    first, second = inspection["opinion_items"]
    a = first["assignments"][0]
    tasks_client.post(
        f"/api/tasks/opinions/{first['id']}/assignments/{a['id']}/answer", json={"answer": "平台已上线"}, headers=FGJ
    )
    tasks_client.post(f"/api/tasks/opinions/{first['id']}/assignments/{a['id']}/confirm", headers=BUREAU)

    for unit, headers in (("swj", BUREAU), ("fgj", FGJ), ("swuj", SWUJ)):
        write(tasks_client, plan, unit, headers, text=f"{unit}单位全年工作总结：各项任务按期完成。")
        tasks_client.post(url(plan, unit, "submit"), headers=headers)
    tasks_client.post(url(plan, "swj", "accept"), json={}, headers=BUREAU)
    tasks_client.post(url(plan, "fgj", "accept"), json={}, headers=BUREAU)

    # A draft while one summary is not accepted; issuing is refused.
    draft = tasks_client.get(f"/api/tasks/plans/{plan['id']}/report", headers=LEADER).json()
    assert draft["draft"] is True and draft["goals_available"] is True
    resp = tasks_client.post(f"/api/tasks/plans/{plan['id']}/report/issues", headers=BUREAU)
    assert resp.status_code == 409 and "1 个责任单位" in resp.json()["detail"]
    text, _ = docx_of(tasks_client.get(f"/api/tasks/plans/{plan['id']}/report.docx", headers=BUREAU).content)
    assert "草稿" in text
    assert tasks_client.get(f"/api/tasks/plans/{plan['id']}/report", headers=FGJ).status_code == 403

    tasks_client.post(url(plan, "swuj", "accept"), json={}, headers=BUREAU)
    resp = tasks_client.post(f"/api/tasks/plans/{plan['id']}/report/issues", headers=BUREAU)
    assert resp.status_code == 201, resp.text
    issued = resp.json()
    assert issued["version_no"] == 1
    got = tasks_client.get(f"/api/tasks/report-issues/{issued['id']}.docx", params={"red_head": True}, headers=LEADER)
    assert got.status_code == 200 and got.headers["X-Audit-Action"] == "export.report"
    text, rows = docx_of(got.content)
    assert "草稿" not in text and "（第1版）" in text
    assert "武昌区楼宇经济工作领导小组办公室" in text.split("\n")[0]  # 红头
    # The goals, with the values metrics serves.
    for goal in served:
        row = next(r for r in rows if r[0] == goal["metric_name"])
        assert row[4] == shown(goal["current_value"]), (row, goal)
    assert next(r for r in rows if r[0] == "人才驿站")[4] == "2"
    # Every task, every unit's summary, every opinion's state.
    for title in ("打造特色楼宇", "建立楼宇信息平台", "优化税收服务"):
        assert title in text and any(r[1] == title for r in rows)
    for unit in ("swj", "fgj", "swuj"):
        assert f"{unit}单位全年工作总结" in text
    assert "意见1：加快楼宇信息平台建设（承办：区发改局；期限 2025年9月30日；已办结）" in text
    assert "意见2：解决楼宇停车难问题" in text and "待整改（逾期）" in text
    assert "王**、李**等2名代表" in text and "王建国" not in text

    # A new issue is version 2; version 1 stays as it was.
    tasks_client.post(
        f"/api/tasks/opinions/{second['id']}/assignments/{second['assignments'][0]['id']}/answer",
        json={"answer": "已协调停车位"},
        headers=SWUJ,
    )
    again = tasks_client.post(f"/api/tasks/plans/{plan['id']}/report/issues", headers=BUREAU).json()
    assert again["version_no"] == 2
    v1 = tasks_client.get(f"/api/tasks/report-issues/{issued['id']}", headers=BUREAU).json()
    v2 = tasks_client.get(f"/api/tasks/report-issues/{again['id']}", headers=BUREAU).json()
    assert "待整改" in v1["opinion_counts"] and v1["version_no"] == 1
    assert "已反馈待确认 1 条" in v2["opinion_counts"] and "已反馈待确认 0 条" in v1["opinion_counts"]
    listed = tasks_client.get(f"/api/tasks/plans/{plan['id']}/report/issues", headers=LEADER).json()
    assert [i["version_no"] for i in listed["items"]] == [2, 1]


def test_report_with_metrics_down_is_marked_and_not_issued(tasks_client, plan):
    wire_metrics(tasks_client, None)
    draft = tasks_client.get(f"/api/tasks/plans/{plan['id']}/report", headers=BUREAU).json()
    assert draft["goals_available"] is False
    html = tasks_client.get(f"/api/tasks/plans/{plan['id']}/report.html", headers=BUREAU).text
    assert "数据暂不可用" in html and "草稿" in html


def test_inbox_sources(db_session, tasks_client, plan):
    from tasks.access import Actor
    from tasks.inspections import inbox as opinion_inbox
    from tasks.summaries import inbox as summary_inbox

    tasks_client.post(
        "/api/tasks/inspections",
        json={
            "kind": "forum",
            "held_on": str(TODAY - timedelta(days=5)),
            "title": "座谈",
            "opinions": [{"text": "加强楼宇招商", "deadline": str(TODAY - timedelta(days=1)), "unit_codes": ["fgj"]}],
        },
        headers=BUREAU,
    )
    fgj = Actor(username="fagai", roles=frozenset({"department"}), unit_codes=frozenset({"fgj"}))
    with db_session() as session:
        items = opinion_inbox.items(session, actor=fgj, today=TODAY)
        assert [(i.kind, i.overdue) for i in items] == [("opinion", True)]
        assert items[0].link.startswith("/inspections/")
        due = summary_inbox.items(session, actor=fgj, today=TODAY)
        assert [(i.kind, i.link) for i in due] == [("summary", f"/summaries/fgj?plan={plan['id']}")]
        assert "未提交" in due[0].title


def test_demo_has_inspections_opinions_and_summaries_in_several_states(make_client, tasks_db_url):
    from tasks.demo import load_if_empty

    assert load_if_empty(tasks_db_url) is not None
    client = make_client("tasks")
    inspections = client.get("/api/tasks/inspections", headers=BUREAU).json()["items"]
    assert len(inspections) == 2 and all(i["is_demo"] and i["title"].startswith("（演示）") for i in inspections)
    opinions = client.get("/api/tasks/opinions", headers=BUREAU).json()["items"]
    shares = {a["status"] for o in opinions for a in o["assignments"]}
    assert shares == {"open", "answered", "returned", "closed"}
    assert any(a["overdue"] and a["urge_level"] >= 1 for o in opinions for a in o["assignments"])
    assert any(not o["overdue"] and o["status"] == "open" for o in opinions)
    plan_id = inspections[0]["plan_id"]
    counts = client.get(f"/api/tasks/plans/{plan_id}/summaries", headers=BUREAU).json()["counts"]
    assert all(counts[s] >= 1 for s in ("missing", "draft", "submitted", "returned", "accepted")), counts
    report = client.get(f"/api/tasks/plans/{plan_id}/report", headers=BUREAU).json()
    assert report["draft"] is True and len(report["inspections"]) == 2


def test_summary_attachments_while_editable(tasks_client, plan):
    pdf = b"%PDF-1.4\n" + b"0" * 64
    write(tasks_client, plan, "fgj", FGJ)
    files = {"file": ("总结附件.pdf", pdf, "application/pdf")}
    resp = tasks_client.post(url(plan, "fgj", "attachments"), files=files, headers=FGJ)
    assert resp.status_code == 201, resp.text
    assert tasks_client.post(url(plan, "fgj", "attachments"), files=files, headers=SWUJ).status_code == 403
    got = tasks_client.get(f"{url(plan, 'fgj', 'attachments')}/{resp.json()['id']}", headers=BUREAU)
    assert got.status_code == 200 and got.content == pdf
    assert [f["filename"] for f in tasks_client.get(url(plan, "fgj"), headers=FGJ).json()["attachments"]] == [
        "总结附件.pdf"
    ]
    tasks_client.post(url(plan, "fgj", "submit"), headers=FGJ)
    late = tasks_client.post(url(plan, "fgj", "attachments"), files=files, headers=FGJ)
    assert late.status_code == 409 and "区发改局" in late.json()["detail"]
