"""The client's address, as the audit trail and the sign-in throttle record it."""

from __future__ import annotations

from starlette.types import Scope


def client_ip(scope: Scope) -> str | None:
    """The peer address, or the first ``X-Forwarded-For`` hop behind a trusted reverse proxy."""
    settings = scope["app"].state.settings
    if settings.trust_forwarded_for:
        for name, value in scope.get("headers", ()):
            if name == b"x-forwarded-for":
                return value.decode("latin-1").split(",")[0].strip()[:64]
    client = scope.get("client")
    return client[0] if client else None
