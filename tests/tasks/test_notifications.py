"""通知: an overdue 督办 sends one e-mail and one webhook call to local sinks; a failed send is
retried with back-off and every attempt is logged; nothing is sent twice; both channels are off
by default; a bulletin is reported to its recipients through the same outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from louyu_kit.clock import today_in_china
from louyu_kit.db import Database, utcnow
from tasks.notifications import service as notifications
from tasks.notifications import worker
from tasks.notifications.models import Notification
from tasks.supervision.models import SupervisionNotice
from tests.tasks.conftest import BUREAU, FGJ, new_plan, new_task
from tests.tasks.notify_sinks import SmtpSink, WebhookSink

TODAY = today_in_china()


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def robot():
    sink = WebhookSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def client(make_client, smtp, robot):
    return make_client(
        "tasks",
        tasks_supervision_interval_seconds=0,
        tasks_notify_interval_seconds=0,  # the tests run the worker's rounds themselves
        tasks_notify_email_enabled=True,
        tasks_notify_smtp_port=smtp.port,
        tasks_notify_email_to="ducha@example.gov.cn",
        tasks_notify_email_units="fgj=fagai@example.gov.cn",
        tasks_notify_webhook_enabled=True,
        tasks_notify_webhook_url=robot.url,
        tasks_notify_public_url="https://louyu.example.gov.cn",
        tasks_notify_retry_seconds=60,
        tasks_notify_max_attempts=3,
    )


@pytest.fixture
def overdue_notice(db_session) -> int:
    """A notice to 区发改局 whose deadline passed yesterday, unanswered (written before any event)."""
    with db_session() as session:
        plan = new_plan(session)
        task = new_task(session, plan, "逾期任务", lead="fgj", due=TODAY - timedelta(days=10))
        notice = SupervisionNotice(
            task_id=task.id, unit_code="fgj", level=1, light="red", reason="已逾期",
            respond_by=TODAY - timedelta(days=1), issued_by="shangwu",
        )  # fmt: skip
        session.add(notice)
        session.flush()
        return notice.id


def deliver(client, *, later: timedelta = timedelta(0)) -> dict:
    """One round of the worker (``later``: as if run that much later)."""
    app = client.app
    return worker.deliver_due(app.state.db.write_sessions, app.state.notify_channels, now=utcnow() + later)


def log(client) -> list[dict]:
    resp = client.get("/api/tasks/notifications", headers=BUREAU)
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]


class TestOverdue:
    def test_an_overdue_notice_sends_one_email_and_one_webhook_call(self, client, overdue_notice, smtp, robot):
        assert client.post("/api/tasks/supervision/run", headers=BUREAU).status_code == 200
        assert deliver(client) == {"queued": 2, "sent": 2, "failed": 0}
        [mail] = smtp.messages
        assert mail["Subject"].startswith("【督办超期】区发改局：逾期任务")
        assert smtp.envelopes == [["fagai@example.gov.cn", "ducha@example.gov.cn"]]
        assert "https://louyu.example.gov.cn/supervision?status=open" in mail.get_content()
        [call] = robot.calls
        assert call["msgtype"] == "text" and "督办超期" in call["text"]["content"]
        assert robot.keys == [f"supervision.overdue:{overdue_notice}:{(TODAY - timedelta(days=1)).isoformat()}:webhook"]

        # Nothing is sent twice: another round, the rule again the same day, a week of rounds.
        assert deliver(client) == {"queued": 0, "sent": 0, "failed": 0}
        assert client.post("/api/tasks/supervision/run", headers=BUREAU).status_code == 200
        assert deliver(client, later=timedelta(days=1)) == {"queued": 0, "sent": 0, "failed": 0}
        assert len(smtp.messages) == 1 and len(robot.calls) == 1
        sent = log(client)
        assert {(d["channel"], d["status"], d["attempts"]) for d in sent} == {
            ("email", "sent", 1),
            ("webhook", "sent", 1),
        }

    def test_recording_an_event_twice_keeps_one(self, client, tasks_db_url):
        db = Database.from_url(tasks_db_url)
        try:
            with db.write_sessions.begin() as session:
                for _ in range(2):
                    notifications.record(
                        session, event="supervision.issued", event_key="supervision.issued:99", subject="x", body=""
                    )
            with db.write_sessions() as session:
                assert session.scalar(select(func.count()).select_from(Notification)) == 1
        finally:
            db.dispose()

    def test_a_new_notice_is_announced_in_the_same_transaction(self, client, db_session, smtp, robot):
        with db_session() as session:
            plan = new_plan(session)
            task = new_task(session, plan, "新督办任务", lead="fgj", co=("swj",), due=TODAY - timedelta(days=2))
        resp = client.post(
            "/api/tasks/supervision/notices", json={"task_id": task.id, "unit_code": "fgj"}, headers=BUREAU
        )
        assert resp.status_code == 201, resp.text
        # A refused issue (the same unit again) records nothing.
        again = client.post(
            "/api/tasks/supervision/notices", json={"task_id": task.id, "unit_code": "fgj"}, headers=BUREAU
        )
        assert again.status_code == 409
        deliver(client)
        assert [m["Subject"] for m in smtp.messages] == ["【督办】区发改局：新督办任务"]
        assert len(robot.calls) == 1


class TestRetry:
    def test_a_failed_send_is_retried_with_back_off_and_logged(self, client, overdue_notice, smtp, robot):
        robot.fail_next = 1
        smtp.fail_next = 1
        client.post("/api/tasks/supervision/run", headers=BUREAU)
        assert deliver(client) == {"queued": 2, "sent": 0, "failed": 2}
        pending = log(client)
        assert {d["status"] for d in pending} == {"pending"}
        webhook = next(d for d in pending if d["channel"] == "webhook")
        assert webhook["last_error"].startswith("机器人接口返回 500")
        assert [a["ok"] for a in webhook["log"]] == [False]
        # Not before the back-off (60 s) has passed …
        assert deliver(client, later=timedelta(seconds=30)) == {"queued": 0, "sent": 0, "failed": 0}
        # … then once more, successfully, and never again.
        assert deliver(client, later=timedelta(seconds=61)) == {"queued": 0, "sent": 2, "failed": 0}
        assert deliver(client, later=timedelta(hours=1)) == {"queued": 0, "sent": 0, "failed": 0}
        assert len(robot.calls) == 1 and robot.refused == 1 and len(smtp.messages) == 1
        done = log(client)
        for d in done:
            assert d["status"] == "sent" and [a["ok"] for a in d["log"]] == [False, True]
        mail = next(d for d in done if d["channel"] == "email")
        assert "451" in mail["log"][0]["error"]

    def test_a_send_failing_every_time_stops_after_the_last_attempt(self, client, overdue_notice, robot):
        robot.fail_next = 10
        client.post("/api/tasks/supervision/run", headers=BUREAU)
        later = timedelta(0)
        for _ in range(5):
            deliver(client, later=later)
            later += timedelta(hours=1)
        webhook = next(d for d in log(client) if d["channel"] == "webhook")
        assert (webhook["status"], webhook["attempts"], len(webhook["log"])) == ("failed", 3, 3)
        assert robot.refused == 3 and robot.calls == []
        assert client.get("/api/tasks/notifications", params={"status": "failed"}, headers=BUREAU).json()["total"] == 1

    def test_an_unreachable_webhook_is_a_logged_failure(self, client, overdue_notice, robot):
        robot.stop()
        client.post("/api/tasks/supervision/run", headers=BUREAU)
        deliver(client)
        webhook = next(d for d in log(client) if d["channel"] == "webhook")
        assert webhook["status"] == "pending" and "无法连接" in webhook["last_error"]
        robot.start()  # (stopped servers are restarted so the fixture can stop them)


class TestOffByDefault:
    def test_nothing_is_sent_when_no_channel_is_on(self, make_client, overdue_notice, smtp, robot):
        plain = make_client("tasks", tasks_supervision_interval_seconds=0)
        assert plain.post("/api/tasks/supervision/run", headers=BUREAU).status_code == 200
        assert plain.app.state.notify_channels.adapters == {}
        assert deliver(plain) == {"queued": 0, "sent": 0, "failed": 0}
        assert log(plain) == [] and smtp.messages == [] and robot.calls == []

    def test_only_the_bureau_reads_the_log(self, client):
        assert client.get("/api/tasks/notifications", headers=FGJ).status_code == 403
        assert client.post("/api/tasks/notifications/deliver", headers=FGJ).status_code == 403


def test_the_bureau_sends_what_is_due_now(client, overdue_notice, smtp, robot):
    client.post("/api/tasks/supervision/run", headers=BUREAU)
    resp = client.post("/api/tasks/notifications/deliver", headers=BUREAU)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"queued": 2, "sent": 2, "failed": 0}
    assert len(smtp.messages) == 1 and len(robot.calls) == 1
