"""Routes describe what a request did; the audit middleware writes it down."""

from __future__ import annotations

from starlette.requests import Request


def note(
    request: Request,
    *,
    action: str,
    obj: str | None = None,
    actor: str | None = None,
    actor_kind: str | None = None,
    detail: str | None = None,
) -> None:
    """Name the audited action of this request (``login``, ``user.create`` …)."""
    state = request.scope.setdefault("state", {})
    state["audit"] = {
        "action": action,
        "object": obj,
        "actor": actor,
        "actor_kind": actor_kind,
        "detail": detail,
    }
