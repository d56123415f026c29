"""The notification worker: fans events out to the channels switched on, sends what is due,
logs every attempt, backs off on failure. One process runs it (the service's lease)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from louyu_kit.db import utcnow
from louyu_kit.leases import run_leased
from tasks.config import Settings
from tasks.notifications.adapters import EmailAdapter, Message, SendFailed, WebhookAdapter
from tasks.notifications.models import Notification, NotificationAttempt, NotificationDelivery

log = logging.getLogger("louyu.tasks.notifications")

BATCH = 50
MAX_BACKOFF = timedelta(hours=6)
# Events older than this when the worker first sees them (the channels were off) are not sent:
# switching e-mail on must not mail a year of old notices.
STALE = timedelta(days=7)


class Adapter(Protocol):
    channel: str

    def send(self, message: Message) -> None: ...


def _addresses(text: str) -> list[str]:
    return [a.strip() for a in text.split(",") if a.strip()]


def unit_addresses(text: str) -> dict[str, list[str]]:
    """``fgj=a@x,swj=b@y`` → unit code → addresses (one unit may be named twice)."""
    out: dict[str, list[str]] = {}
    for part in text.split(","):
        code, _, address = part.partition("=")
        if code.strip() and address.strip():
            out.setdefault(code.strip(), []).append(address.strip())
    return out


@dataclass
class Channels:
    """The adapters switched on and where each sends by default."""

    adapters: dict[str, Adapter] = field(default_factory=dict)
    email_to: list[str] = field(default_factory=list)
    email_units: dict[str, list[str]] = field(default_factory=dict)
    public_url: str = ""
    retry_seconds: float = 60.0
    max_attempts: int = 6

    @classmethod
    def from_settings(cls, settings: Settings) -> Channels:
        adapters: dict[str, Adapter] = {}
        if settings.tasks_notify_email_enabled:
            adapters["email"] = EmailAdapter.from_settings(settings)
        if settings.tasks_notify_webhook_enabled:
            adapters["webhook"] = WebhookAdapter.from_settings(settings)
        return cls(
            adapters=adapters,
            email_to=_addresses(settings.tasks_notify_email_to),
            email_units=unit_addresses(settings.tasks_notify_email_units),
            public_url=settings.tasks_notify_public_url.rstrip("/"),
            retry_seconds=settings.tasks_notify_retry_seconds,
            max_attempts=settings.tasks_notify_max_attempts,
        )

    def target(self, channel: str, notification: Notification) -> str:
        if channel == "email":
            if notification.email_to:
                return notification.email_to
            own = self.email_units.get(notification.unit_code or "", [])
            return ", ".join(dict.fromkeys([*own, *self.email_to]))
        return "机器人"


def fan_out(session: Session, channels: Channels, *, now: datetime) -> int:
    """A delivery per switched-on channel for every recent event not yet dispatched."""
    made = 0
    events = session.scalars(select(Notification).where(Notification.dispatched.is_(False)).limit(BATCH)).all()
    for event in events:
        have = set(
            session.scalars(
                select(NotificationDelivery.channel).where(NotificationDelivery.notification_id == event.id)
            )
        )
        for channel in channels.adapters:
            if channel in have or event.created_at < now - STALE:
                continue
            session.add(
                NotificationDelivery(
                    notification_id=event.id,
                    channel=channel,
                    target=channels.target(channel, event)[:500],
                    next_attempt_at=now,
                )
            )
            made += 1
        event.dispatched = True
    session.flush()
    return made


def _backoff(channels: Channels, attempts: int) -> timedelta:
    return min(timedelta(seconds=channels.retry_seconds * 2 ** (attempts - 1)), MAX_BACKOFF)


def send_one(session: Session, delivery: NotificationDelivery, channels: Channels, *, now: datetime) -> bool:
    """One attempt of one delivery, logged; the caller commits."""
    event = session.get(Notification, delivery.notification_id)
    assert event is not None
    adapter = channels.adapters.get(delivery.channel)
    delivery.attempts += 1
    error = ""
    if adapter is None:
        error = "该通知渠道已关闭"
    else:
        link = f"{channels.public_url}{event.link}" if event.link else ""
        message = Message(
            key=f"{event.event_key}:{delivery.channel}",
            subject=event.subject,
            body=event.body,
            link=link,
            to=tuple(_addresses(delivery.target)) if delivery.channel == "email" else (),
        )
        try:
            adapter.send(message)
        except SendFailed as exc:
            error = str(exc)[:300]
        except Exception as exc:  # noqa: BLE001  (an adapter's unexpected failure is a failed attempt, logged)
            log.exception("notification %s: adapter %s failed", delivery.id, delivery.channel)
            error = f"发送出错：{type(exc).__name__}"
    session.add(NotificationAttempt(delivery_id=delivery.id, attempt=delivery.attempts, ok=not error, error=error))
    if not error:
        delivery.status = "sent"
        delivery.sent_at = now
        delivery.last_error = ""
    else:
        delivery.last_error = error
        if delivery.attempts >= channels.max_attempts:
            delivery.status = "failed"
        else:
            delivery.next_attempt_at = now + _backoff(channels, delivery.attempts)
    session.flush()
    return not error


def deliver_due(sessions: sessionmaker[Session], channels: Channels, *, now: datetime | None = None) -> dict[str, int]:
    """Fan out new events, then send every due delivery (each in its own transaction)."""
    now = now or utcnow()
    with sessions.begin() as session:
        made = fan_out(session, channels, now=now)
        due = list(
            session.scalars(
                select(NotificationDelivery.id)
                .where(NotificationDelivery.status == "pending", NotificationDelivery.next_attempt_at <= now)
                .order_by(NotificationDelivery.id)
                .limit(BATCH)
            )
        )
    sent = failed = 0
    for delivery_id in due:
        with sessions.begin() as session:
            delivery = session.get(NotificationDelivery, delivery_id, with_for_update=True)
            if delivery is None or delivery.status != "pending":
                continue  # sent meanwhile: never twice
            if send_one(session, delivery, channels, now=now):
                sent += 1
            else:
                failed += 1
    return {"queued": made, "sent": sent, "failed": failed}


async def run_logged(app: FastAPI) -> dict[str, Any] | None:
    try:
        result = await asyncio.to_thread(deliver_due, app.state.db.write_sessions, app.state.notify_channels)
        if result["sent"] or result["failed"]:
            log.info("通知: sent %d, failed %d", result["sent"], result["failed"])
        return result
    except OperationalError as exc:
        log.warning("通知 skipped (database unavailable): %s", type(exc).__name__)
    except Exception:  # noqa: BLE001  (the loop must survive one bad round; it is logged)
        log.exception("通知 round failed")
    return None


async def loop(app: FastAPI, interval: float) -> None:
    while True:
        await run_logged(app)
        await asyncio.sleep(interval)


def start(app: FastAPI) -> asyncio.Task[None] | None:
    """The worker in the background (under the lease); None when no channel is on or the interval is 0."""
    settings = app.state.settings
    app.state.notify_channels = Channels.from_settings(settings)
    interval = float(settings.tasks_notify_interval_seconds)
    if interval <= 0 or not app.state.notify_channels.adapters:
        return None
    return asyncio.create_task(
        run_leased(app.state.lease, lambda: loop(app, interval), label="notifications"),
        name="tasks-notifications",
    )
