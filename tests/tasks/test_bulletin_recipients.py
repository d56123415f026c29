"""Bulletins' recipients: the four bodies of 工作要求(三) by default (or those named), and a send
log: an e-mail through the notification outbox (delivered to a local SMTP sink), or 已打印送达
recorded by hand with who and when."""

from __future__ import annotations

import pytest

from louyu_kit.clock import today_in_china
from tasks.notifications import worker
from tests.tasks.conftest import BUREAU, FGJ, LEADER
from tests.tasks.notify_sinks import SmtpSink
from tests.tasks.test_bulletins_api import wire_metrics

PERIOD = str(today_in_china().year)
FOUR = ["领导小组办公室", "区政府督查室", "区人大财经委", "区人大常委会预算工委"]


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def client(make_client, smtp):
    client = make_client(
        "tasks",
        tasks_supervision_interval_seconds=0,
        tasks_notify_interval_seconds=0,
        tasks_notify_email_enabled=True,
        tasks_notify_smtp_port=smtp.port,
    )
    wire_metrics(client, None)  # metrics down: the bulletin says so, and is issued all the same
    return client


def issue(client, **body):
    resp = client.post("/api/tasks/bulletins", json={"period": PERIOD, **body}, headers=BUREAU)
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


def recipients(client, bulletin_id, headers=BUREAU):
    resp = client.get(f"/api/tasks/bulletins/{bulletin_id}/recipients", headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_the_four_bodies_of_the_plan_by_default(client):
    bulletin = issue(client)
    assert [r["name"] for r in recipients(client, bulletin)] == FOUR
    assert all(r["sends"] == [] for r in recipients(client, bulletin, LEADER))


def test_printed_and_delivered_by_hand_is_recorded_with_who_and_when(client):
    bulletin = issue(client)
    first = recipients(client, bulletin)[0]
    resp = client.post(
        f"/api/tasks/bulletins/{bulletin}/sends",
        json={"recipient_id": first["id"], "method": "printed", "note": "王科长签收"},
        headers=BUREAU,
    )
    assert resp.status_code == 201, resp.text
    [send] = resp.json()[0]["sends"]
    assert (send["method_label"], send["status"], send["recorded_by"], send["note"]) == (
        "已打印送达",
        "recorded",
        "shangwu",
        "王科长签收",
    )
    assert send["recorded_at"]


def test_sent_through_the_outbox_to_the_recipients_address(client, smtp):
    bulletin = issue(
        client, recipients=[{"name": "区政府督查室", "email": "ducha@example.gov.cn"}, {"name": "区人大财经委"}]
    )
    ducha, caiwei = recipients(client, bulletin)
    url = f"/api/tasks/bulletins/{bulletin}/sends"
    no_address = client.post(url, json={"recipient_id": caiwei["id"], "method": "outbox"}, headers=BUREAU)
    assert no_address.status_code == 422 and "打印送达" in no_address.json()["detail"]
    assert client.post(url, json={"recipient_id": ducha["id"], "method": "outbox"}, headers=BUREAU).status_code == 201
    assert recipients(client, bulletin)[0]["sends"][0]["status"] == "queued"
    app = client.app
    assert worker.deliver_due(app.state.db.write_sessions, app.state.notify_channels)["sent"] == 1
    assert smtp.envelopes == [["ducha@example.gov.cn"]] and "工作简报" in smtp.messages[0]["Subject"]
    assert recipients(client, bulletin)[0]["sends"][0]["status"] == "sent"


def test_only_the_bureau_sends_and_a_recipient_of_another_bulletin_is_404(client):
    first, second = issue(client), issue(client)
    other = recipients(client, second)[0]["id"]
    url = f"/api/tasks/bulletins/{first}/sends"
    assert client.post(url, json={"recipient_id": other, "method": "printed"}, headers=BUREAU).status_code == 404
    mine = recipients(client, first)[0]["id"]
    assert client.post(url, json={"recipient_id": mine, "method": "printed"}, headers=LEADER).status_code == 403
    assert client.post(url, json={"recipient_id": mine, "method": "printed"}, headers=FGJ).status_code == 403
