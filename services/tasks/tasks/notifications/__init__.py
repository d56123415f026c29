"""通知: an outbox of events (written in the same transaction as the event), delivered by one
worker through adapters (e-mail over SMTP, a 政务微信 / 钉钉 style webhook), both off by default.

- ``notification``: one row per event, unique ``event_key`` (e.g. ``supervision.issued:12``), so
  recording an event twice is a no-op.
- ``notification_delivery``: one row per event × channel, unique, made by the worker for the
  channels switched on when it first sees the event; it holds the state (pending / sent /
  failed), the attempts and the next attempt's time (back-off doubling from
  LOUYU_TASKS_NOTIFY_RETRY_SECONDS, at most LOUYU_TASKS_NOTIFY_MAX_ATTEMPTS).
- ``notification_attempt``: every send attempt, successful or not (the bureau reads them).

One process sends (the service's lease). A delivery is marked sent in the same transaction that
logs the attempt; a crash between the remote accepting and that commit is the only way a message
can go twice, and the ``Idempotency-Key`` header / ``Message-ID`` carry the delivery's key so a
receiver can recognise it.
"""
