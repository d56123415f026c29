"""Every model of the gateway, imported in one place so Alembic and tests see them all."""

from gateway.accounts.models import ServiceClient, User
from gateway.audit.models import AuditEvent
from gateway.auth.models import AccountLock, AuthSession, LoginFailure, Revocation
from gateway.db import Base

__all__ = ["AccountLock", "AuditEvent", "AuthSession", "Base", "LoginFailure", "Revocation", "ServiceClient", "User"]
