"""Recording events in the outbox (services call ``record`` inside their own transaction)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from louyu_kit.paging import PageParams, paginate
from tasks.notifications.models import Notification, NotificationAttempt, NotificationDelivery


def record(
    session: Session,
    *,
    event: str,
    event_key: str,
    subject: str,
    body: str,
    link: str = "",
    unit_code: str | None = None,
    email_to: str = "",
    actor: str = "",
) -> Notification:
    """The event in the outbox, once: a second call with the same ``event_key`` returns the first."""
    existing = session.scalar(select(Notification).where(Notification.event_key == event_key))
    if existing is not None:
        return existing
    notification = Notification(
        event=event,
        event_key=event_key,
        subject=subject[:200],
        body=body,
        link=link[:300],
        unit_code=unit_code,
        email_to=email_to[:500],
        created_by=actor,
    )
    session.add(notification)
    session.flush()
    return notification


def list_page(session: Session, *, status: str | None, page: PageParams) -> tuple[list[NotificationDelivery], int]:
    stmt = select(NotificationDelivery)
    if status:
        stmt = stmt.where(NotificationDelivery.status == status)
    return paginate(session, stmt.order_by(NotificationDelivery.id.desc()), page)


def read_many(session: Session, deliveries: list[NotificationDelivery]) -> list[dict]:
    ids = [d.id for d in deliveries]
    events = {
        n.id: n
        for n in session.scalars(
            select(Notification).where(Notification.id.in_({d.notification_id for d in deliveries}))
        )
    }
    attempts: dict[int, list[NotificationAttempt]] = {}
    if ids:
        for a in session.scalars(
            select(NotificationAttempt).where(NotificationAttempt.delivery_id.in_(ids)).order_by(NotificationAttempt.id)
        ):
            attempts.setdefault(a.delivery_id, []).append(a)
    out = []
    for d in deliveries:
        n = events[d.notification_id]
        out.append(
            {
                "id": d.id,
                "event": n.event,
                "event_key": n.event_key,
                "subject": n.subject,
                "unit_code": n.unit_code,
                "channel": d.channel,
                "target": d.target,
                "status": d.status,
                "attempts": d.attempts,
                "next_attempt_at": d.next_attempt_at if d.status == "pending" else None,
                "sent_at": d.sent_at,
                "last_error": d.last_error,
                "created_at": n.created_at,
                "log": [
                    {"attempt": a.attempt, "ok": a.ok, "error": a.error, "attempted_at": a.attempted_at}
                    for a in attempts.get(d.id, [])
                ],
            }
        )
    return out
