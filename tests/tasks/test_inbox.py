"""待办: what each role must do on the demo plan (with a week's work on it: a 督办 to 区发改局,
demands assigned to units, a 扫楼 round for a 楼长), each item linking to a real SPA page,
and the badge count going down once the user acts. The demo's parts (责任分解) also ask their
units for reports (its reports are dated 2025, so every cycle since is due): those items are
checked on their own, and the week's kinds are counted apart from them."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from louyu_kit.clock import today_in_china
from tasks import demo
from tasks.demands.models import Demand, DemandStep
from tasks.supervision.models import SupervisionNotice
from tasks.visits.models import Visit, VisitRound, VisitRoundBuilding
from tasks.work.models import Task, TaskUnit
from tests.tasks.conftest import AUDITOR, BUREAU, FGJ, JIYUQIAO, LEADER, SWUJ, token

TODAY = today_in_china()
ROOT = Path(__file__).resolve().parents[2]
STREET_JYQ = token("jiyuqiao", "street", streets=(JIYUQIAO,))
CHIEF = token("louzhang", "chief", streets=(JIYUQIAO,))


@pytest.fixture
def client(make_client):
    return make_client("tasks", tasks_supervision_interval_seconds=0)


def _demand(session, name: str, *, unit: str, due_in: int, status: str = "assigned", street: str | None = None) -> int:
    demand = Demand(
        enterprise_name=name,
        category="policy",
        text="（演示）政策咨询",
        unit_code=unit,
        status=status,
        due_date=TODAY + timedelta(days=due_in),
        street_code=street,
        created_by="shangwu",
    )
    session.add(demand)
    session.flush()
    return demand.id


@pytest.fixture
def week(client, db_session):
    """The demo plan as `make run` loads it and a week's work on top."""
    with db_session() as session:
        demo.load(session)
        # The demo's own demands (one in every state) are set aside: the counts below are this week's.
        session.execute(delete(DemandStep))
        session.execute(delete(Demand))
        # A 督办 to a co-unit: 区发改局 on an unfinished task of theirs (from the demo plan).
        task = session.scalar(
            select(Task)
            .join(TaskUnit, TaskUnit.task_id == Task.id)
            .where(TaskUnit.unit_code == "fgj", Task.status != "done", Task.kind == "task")
            .order_by(Task.id)
        )
        assert task is not None, "the demo plan has no unfinished task of 区发改局"
        notice = SupervisionNotice(
            task_id=task.id, unit_code="fgj", level=2, light="red", reason="（演示）进度滞后",
            respond_by=TODAY + timedelta(days=3), issued_by="shangwu",
        )  # fmt: skip
        session.add(notice)
        near = _demand(session, "（演示）临期企业", unit="fgj", due_in=2)
        _demand(session, "（演示）期限尚早企业", unit="fgj", due_in=20)
        late = _demand(session, "（演示）超期企业", unit=JIYUQIAO, due_in=-4, status="in_progress", street=JIYUQIAO)
        _demand(session, "（演示）已答复企业", unit="fgj", due_in=-1, status="answered")
        round_ = VisitRound(
            name="（演示）本季度扫楼", start_date=TODAY - timedelta(days=10), end_date=TODAY + timedelta(days=20),
            created_by="shangwu",
        )  # fmt: skip
        old = VisitRound(
            name="（演示）上一轮", start_date=TODAY - timedelta(days=200), end_date=TODAY - timedelta(days=100),
            created_by="shangwu",
        )  # fmt: skip
        session.add_all([round_, old])
        session.flush()
        for r in (round_, old):
            for code, chief in (("JYQ-001", "louzhang"), ("JYQ-002", "louzhang"), ("JYQ-003", "another")):
                session.add(
                    VisitRoundBuilding(
                        round_id=r.id, building_code=code, building_name=f"演示大厦{code[-1]}",
                        street_code=JIYUQIAO, chief_username=chief,
                    )
                )  # fmt: skip
        session.flush()
        session.add(
            Visit(
                round_id=round_.id, building_code="JYQ-002", building_name="演示大厦2", street_code=JIYUQIAO,
                visit_date=TODAY, chief_username="louzhang", created_by="louzhang",
            )
        )  # fmt: skip
        session.flush()
        return {"notice": notice.id, "near": near, "late": late, "round": round_.id}


WEEK_KINDS = {"supervision", "demand", "visit"}


def inbox(client, headers, kinds=WEEK_KINDS):
    """The inbox, its items and counts kept to ``kinds`` (None: all)."""
    resp = client.get("/api/tasks/inbox", headers=headers)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    if kinds is not None:
        body["items"] = [i for i in body["items"] if i["kind"] in kinds]
        body["counts"] = [c for c in body["counts"] if c["kind"] in kinds]
        body["total"] = len(body["items"])
        body["overdue"] = sum(i["overdue"] for i in body["items"])
    return body


def counts(body) -> dict[str, int]:
    return {c["kind"]: c["count"] for c in body["counts"]}


def badge(client, headers) -> int:
    return client.get("/api/tasks/inbox/count", headers=headers).json()["total"]


class TestPerRole:
    def test_counts_per_role_on_the_demo(self, client, week):
        assert counts(inbox(client, FGJ)) == {"supervision": 1, "demand": 1}
        assert counts(inbox(client, STREET_JYQ)) == {"demand": 1}
        assert counts(inbox(client, CHIEF)) == {"visit": 1}
        assert inbox(client, LEADER)["total"] == 0  # leaders read, they do not act
        assert inbox(client, SWUJ)["total"] == 0
        # The bureau (督办单位) closes answered notices: none answered yet.
        assert inbox(client, BUREAU)["total"] == 0
        assert client.get("/api/tasks/inbox", headers=AUDITOR).status_code == 403

    def test_items_say_what_to_do_with_due_dates_and_overdue_first(self, client, week):
        street = inbox(client, STREET_JYQ)
        [item] = street["items"]
        assert item["title"] == "答复企业诉求：（演示）超期企业（政策咨询）"
        assert item["overdue"] is True and street["overdue"] == 1
        assert item["due_date"] == (TODAY - timedelta(days=4)).isoformat()
        dept = inbox(client, FGJ)["items"]
        assert [i["kind"] for i in dept] == ["demand", "supervision"]  # due in 2 days, then 3
        assert dept[1]["title"].startswith("回复督办单：")
        [visit] = inbox(client, CHIEF)["items"]
        assert visit["title"] == "走访演示大厦1（（演示）本季度扫楼）"  # 2 was visited, 3 is another chief's
        assert visit["due_date"] == (TODAY + timedelta(days=20)).isoformat() and not visit["overdue"]

    def test_parts_due_for_report_ask_their_units(self, client, week):
        parts = inbox(client, FGJ, kinds={"part"})["items"]
        assert parts, "区发改局 holds parts of the demo plan whose reports are due"
        assert all(i["link"].startswith("/tasks/") and i["title"].startswith("报送分项进展：") for i in parts)
        assert any(i["overdue"] for i in parts)  # the demo's last reports are from 2025
        assert inbox(client, LEADER, kinds=None)["total"] == 0  # leaders hold no part

    def test_count_matches_the_list(self, client, week):
        for headers in (FGJ, STREET_JYQ, CHIEF, LEADER):
            body = inbox(client, headers, kinds=None)
            assert client.get("/api/tasks/inbox/count", headers=headers).json() == {
                "total": body["total"],
                "overdue": body["overdue"],
            }


def spa_routes() -> list[re.Pattern[str]]:
    """Every path of the SPA's router (sections.js and the phone routes) as a regular expression."""
    src = ROOT / "frontend" / "src"
    paths = re.findall(r"path: '([^']*)'", (src / "router" / "sections.js").read_text("utf-8"))
    mobile = re.findall(r"path: '([^']*)'", (src / "mobile" / "routes.js").read_text("utf-8"))
    paths += ["/m"] + [f"/m/{p}" for p in mobile if p and not p.startswith("/")]

    def pattern(path: str) -> re.Pattern[str]:
        path = path.replace("\\\\", "\\")
        out = re.sub(r":\w+\(([^)]*)\)", r"(\1)", path)
        out = re.sub(r":\w+", r"[^/]+", out)
        return re.compile(f"^{out}$")

    return [pattern(p) for p in paths]


class TestLinks:
    def test_every_item_links_to_a_route_of_the_spa(self, client, week):
        routes = spa_routes()
        assert any(r.match("/inbox") for r in routes) and any(r.match("/m/inbox") for r in routes)
        with_answered = client.post(
            f"/api/tasks/supervision/notices/{week['notice']}/response", json={"response": "已整改"}, headers=FGJ
        )
        assert with_answered.status_code == 200
        links = [i["link"] for h in (FGJ, STREET_JYQ, CHIEF, BUREAU) for i in inbox(client, h, kinds=None)["items"]]
        assert {link.split("?")[0] for link in links} >= {
            "/supervision",
            f"/demands/{week['near']}",
            "/m/visit/JYQ-001",
        }
        for link in links:
            path = link.split("?")[0]
            assert any(r.match(path) for r in routes), f"{link} is not a page of the SPA"

    def test_a_link_that_is_not_a_route_is_caught(self):
        assert not any(r.match("/supervisions") for r in spa_routes())
        assert not any(r.match("/demands/abc") for r in spa_routes())


class TestActing:
    def test_badge_goes_down_after_answering_a_notice_and_a_demand(self, client, week):
        before = badge(client, FGJ)
        assert before == inbox(client, FGJ, kinds=None)["total"] and inbox(client, FGJ)["total"] == 2
        url = f"/api/tasks/supervision/notices/{week['notice']}/response"
        assert client.post(url, json={"response": "已召开专题会，月底前完成"}, headers=FGJ).status_code == 200
        assert badge(client, FGJ) == before - 1
        answer = client.post(f"/api/tasks/demands/{week['near']}/answer", json={"answer": "已答复企业"}, headers=FGJ)
        assert answer.status_code == 200, answer.text
        assert badge(client, FGJ) == before - 2
        assert inbox(client, FGJ)["total"] == 0
        # The answered notice is now the bureau's to close; closing it empties the bureau's 待办.
        bureau = inbox(client, BUREAU)["items"]
        assert [(i["kind"], i["link"]) for i in bureau] == [("supervision", "/supervision?status=responded")]
        assert "区发改局" in bureau[0]["title"]
        close = client.post(f"/api/tasks/supervision/notices/{week['notice']}/close", json={}, headers=BUREAU)
        assert close.status_code == 200
        assert inbox(client, BUREAU)["total"] == 0

    def test_a_visit_leaves_the_chiefs_inbox(self, client, week, db_session):
        before = badge(client, CHIEF)
        assert inbox(client, CHIEF)["total"] == 1
        with db_session() as session:
            session.add(
                Visit(
                    round_id=week["round"], building_code="JYQ-001", building_name="演示大厦1",
                    street_code=JIYUQIAO, visit_date=TODAY, chief_username="louzhang", created_by="louzhang",
                )
            )  # fmt: skip
        assert badge(client, CHIEF) == before - 1
        assert inbox(client, CHIEF)["total"] == 0

    def test_a_round_that_ended_shows_its_unvisited_buildings_overdue(self, client, db_session):
        with db_session() as session:
            r = VisitRound(
                name="刚结束的一轮", start_date=TODAY - timedelta(days=40), end_date=TODAY - timedelta(days=1),
                created_by="shangwu",
            )  # fmt: skip
            session.add(r)
            session.flush()
            session.add(
                VisitRoundBuilding(
                    round_id=r.id, building_code="JYQ-009", building_name="逾期大厦", street_code=JIYUQIAO,
                    chief_username="louzhang",
                )
            )  # fmt: skip
        [item] = inbox(client, CHIEF)["items"]
        assert item["overdue"] is True and item["title"].startswith("走访逾期大厦")
