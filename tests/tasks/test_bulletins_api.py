"""工作简报: issued for a period with tasks by unit, 督办, visit coverage, demands and leads, the
headline figures from a (fake) metrics app when it answers and "数据暂不可用" when it does not;
printable HTML and a .docx that python-docx opens again."""

from __future__ import annotations

import io
from datetime import timedelta

import httpx
import pytest
from docx import Document
from fastapi import FastAPI

from louyu_kit.clock import today_in_china
from louyu_kit.http import make_async_client
from tasks.clients.metrics import MetricsClient
from tasks.supervision.models import SupervisionNotice
from tests.conftest import free_port
from tests.tasks.conftest import BUREAU, CHIEF_SGH, FGJ, LEADER, new_plan, new_task
from tests.tasks.field import chief_building, make_stack, space

TODAY = today_in_china()
PERIOD = str(TODAY.year)


def fake_metrics() -> FastAPI:
    """The dashboard part of metrics that a bulletin reads (its documented card shape)."""
    app = FastAPI()

    @app.get("/api/metrics/dashboard")
    def dashboard(period: str) -> dict:
        return {
            "period": {"key": period},
            "as_of": f"{TODAY.year}-{TODAY.month:02d}",
            "cards": [
                {"key": "tax_total", "label": "全口径税收", "value": 1234567890.5, "unit": "元", "yoy": 0.125},
                {"key": "tax_district", "label": "区级税收", "value": 456000000, "unit": "元", "yoy": -0.03},
                {"key": "yiyuan_buildings", "label": "亿元楼宇", "value": 29, "new": 2},
                {"key": "featured_buildings", "label": "特色楼宇", "value": None},
                {"key": "occupancy_rate", "label": "入驻率", "value": 0.8731},
                {"key": "tax_per_m2_gfa", "label": "坪效（按建筑面积）", "value": 4373, "unit": "元/㎡/年"},
            ],
        }

    return app


def wire_metrics(tasks, app: FastAPI | None) -> None:
    url = "http://metrics" if app else f"http://127.0.0.1:{free_port()}"
    transport = httpx.ASGITransport(app=app) if app else None
    tasks.app.state.metrics = MetricsClient(make_async_client(url, timeout=2, transport=transport))


@pytest.fixture
def stack(make_client, db_session):
    # The daily 督办 rule stays off: the only notice is the one written here.
    stack = make_stack(make_client, tasks_supervision_interval_seconds=0)
    with db_session() as session:
        plan = new_plan(session)
        late = new_task(session, plan, "打造特色楼宇", lead="swj", co=("fgj",), due=TODAY - timedelta(days=3))
        new_task(
            session, plan, "建立楼宇信息平台", lead="fgj", status="done", progress=100, due=TODAY + timedelta(days=60)
        )
        new_task(session, plan, "招商共享中心", lead="swj", due=TODAY + timedelta(days=5))
        session.add(
            SupervisionNotice(
                task_id=late.id,
                unit_code="swj",
                level=2,
                light="red",
                reason="逾期未完成",
                respond_by=TODAY + timedelta(days=5),
                issued_by="shangwu",
            )
        )
    building = chief_building(stack.registry)
    leased = space(stack.registry, building["code"])
    start = TODAY.replace(month=1, day=1).isoformat()
    resp = stack.tasks.post(
        "/api/tasks/visit-rounds",
        json={"name": "年度扫楼", "start_date": start, "end_date": f"{TODAY.year}-12-31"},
        headers=BUREAU,
    )
    assert resp.status_code == 201, resp.text
    visit = {
        "building_code": building["code"],
        "spaces": [{"space_id": leased["id"], "status": "vacant"}],
        "leads": [{"company_name": "意向科技有限公司"}],
        "demands": [{"enterprise_name": "在楼企业有限公司", "category": "parking", "text": "停车难"}],
    }
    assert stack.tasks.post("/api/tasks/visits", json=visit, headers=CHIEF_SGH).status_code == 201
    return stack


def issue(client, **body) -> dict:
    resp = client.post("/api/tasks/bulletins", json={"period": PERIOD, **body}, headers=BUREAU)
    assert resp.status_code == 201, resp.text
    return resp.json()


def docx_text(content: bytes) -> tuple[str, list[list[str]]]:
    doc = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    rows = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    return text, rows


def test_a_bulletin_with_metrics_up_renders_as_html_and_docx(stack):
    wire_metrics(stack.tasks, fake_metrics())
    bulletin = issue(stack.tasks)
    assert bulletin["metrics_available"] is True
    assert (bulletin["year"], bulletin["issue_no"], bulletin["title"]) == (
        TODAY.year,
        1,
        f"楼宇经济工作简报（{TODAY.year}年）",
    )
    headings = [s["heading"] for s in bulletin["sections"]]
    assert headings == [
        "一、主要指标",
        "二、重点任务推进情况",
        "三、督办情况",
        "四、扫楼行动",
        "五、企业诉求办理",
        "六、招商线索",
    ]
    figures = bulletin["sections"][0]["paragraphs"][0]
    assert "全口径税收12.35亿元（同比增长12.5%）" in figures
    assert "区级税收4.56亿元（同比下降3%）" in figures
    assert "亿元楼宇29栋（较上年新增2栋）" in figures and "入驻率87.3%" in figures
    assert "特色楼宇" not in figures  # no value: left out, not shown as 0

    tasks_text = bulletin["sections"][1]["paragraphs"][0]
    assert "共3项" in tasks_text and "已完成1项" in tasks_text and "红灯）1项" in tasks_text
    by_unit = {row[0]: row[1:] for row in bulletin["sections"][1]["table"]["rows"]}
    assert by_unit["商务局"] == [2, 0, 0, 1, 1] and by_unit["发改局"] == [2, 1, 0, 0, 1]
    assert "督办单1份（督办1份）" in bulletin["sections"][2]["paragraphs"][0]
    visits = bulletin["sections"][3]
    assert "扫楼走访1次" in visits["paragraphs"][0] and "新发现空置1处" in visits["paragraphs"][0]
    assert visits["table"]["rows"] == [["年度扫楼", "水果湖街道", 1, 1, "100.0%"]]
    assert "新收企业诉求1件" in bulletin["sections"][4]["paragraphs"][0]
    assert "停车类1件" in bulletin["sections"][4]["paragraphs"][0]
    assert "新增招商线索1条" in bulletin["sections"][5]["paragraphs"][0]

    html = stack.tasks.get(f"/api/tasks/bulletins/{bulletin['id']}.html", headers=LEADER)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "<h2>一、主要指标</h2>" in html.text and "全口径税收12.35亿元" in html.text
    assert f"{TODAY.year}年第1期" in html.text and "<script" not in html.text

    docx = stack.tasks.get(f"/api/tasks/bulletins/{bulletin['id']}.docx", headers=FGJ)
    assert docx.status_code == 200
    assert docx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "attachment" in docx.headers["content-disposition"]
    assert docx.headers["x-audit-action"] == "export.bulletin"
    text, rows = docx_text(docx.content)
    assert "楼宇经济工作简报" in text and bulletin["title"] in text
    assert "全口径税收12.35亿元" in text and "六、招商线索" in text
    assert ["责任单位", "任务数", "已完成", "本期完成", "黄灯", "红灯"] in rows
    assert ["年度扫楼", "水果湖街道", "1", "1", "100.0%"] in rows


def test_a_bulletin_with_metrics_down_says_the_figures_are_unavailable(stack):
    wire_metrics(stack.tasks, None)
    bulletin = issue(stack.tasks)
    assert bulletin["metrics_available"] is False
    first = bulletin["sections"][0]["paragraphs"]
    assert len(first) == 1 and first[0].startswith("数据暂不可用")
    assert "扫楼走访1次" in bulletin["sections"][3]["paragraphs"][0]  # the rest is there all the same
    html = stack.tasks.get(f"/api/tasks/bulletins/{bulletin['id']}.html", headers=BUREAU)
    assert "数据暂不可用" in html.text
    docx = stack.tasks.get(f"/api/tasks/bulletins/{bulletin['id']}.docx", headers=BUREAU)
    text, _ = docx_text(docx.content)
    assert "数据暂不可用" in text and "五、企业诉求办理" in text


def test_issues_are_numbered_kept_as_issued_and_checked(stack):
    wire_metrics(stack.tasks, None)
    first = issue(stack.tasks)
    second = issue(stack.tasks, period=f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}")
    assert (first["issue_no"], second["issue_no"]) == (1, 2)
    assert issue(stack.tasks, issue_no=7)["issue_no"] == 7
    duplicate = stack.tasks.post("/api/tasks/bulletins", json={"period": PERIOD, "issue_no": 7}, headers=BUREAU)
    assert duplicate.status_code == 409
    bad = stack.tasks.post("/api/tasks/bulletins", json={"period": "2025年"}, headers=BUREAU)
    assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "period"
    assert stack.tasks.post("/api/tasks/bulletins", json={"period": PERIOD}, headers=LEADER).status_code == 403
    # Issued text does not change when the figures do later.
    stack.tasks.post(
        "/api/tasks/demands",
        json={"enterprise_name": "后来的企业", "category": "policy", "text": "咨询"},
        headers=BUREAU,
    )
    again = stack.tasks.get(f"/api/tasks/bulletins/{first['id']}", headers=LEADER).json()
    assert again["sections"] == first["sections"]
    listed = stack.tasks.get("/api/tasks/bulletins", params={"year": TODAY.year}, headers=FGJ).json()
    assert [b["issue_no"] for b in listed["items"]] == [7, 2, 1]
    assert stack.tasks.get("/api/tasks/bulletins", headers=CHIEF_SGH).status_code == 403


def test_the_real_metrics_service_answers_the_bulletin(stack, make_client):
    """Against the metrics app itself (an empty one): its cards are read, no fake involved."""
    metrics = make_client("metrics")
    wire_metrics(stack.tasks, metrics.app)
    bulletin = issue(stack.tasks)
    assert bulletin["metrics_available"] is True
    first = bulletin["sections"][0]["paragraphs"][0]
    assert "数据暂不可用" not in first
    assert "楼宇0栋" in first, first
