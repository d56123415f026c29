"""Request ids: accepted from ``X-Request-ID`` when well formed, generated otherwise,
kept in a context variable for logs, error bodies and outgoing calls."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_current: ContextVar[str] = ContextVar("louyu_request_id", default="")


def current_request_id() -> str:
    return _current.get()


def set_request_id(value: str) -> None:
    _current.set(value)


def accept_or_generate(incoming: str | None) -> str:
    """Keep a caller's id only when it is safe to log and echo."""
    if incoming and _VALID.match(incoming):
        return incoming
    return uuid.uuid4().hex
