"""Name an action for the gateway's audit trail (it records and strips these headers)."""

from __future__ import annotations

from fastapi import Response


def note(response: Response, *, action: str, obj: str) -> None:
    response.headers["X-Audit-Action"] = action
    response.headers["X-Audit-Object"] = obj
