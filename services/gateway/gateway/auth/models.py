"""Sign-in sessions, their revocations, and the failed-sign-in throttle."""

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base, UtcDateTime, utcnow


class AuthSession(Base):
    """One sign-in (a person) or one token grant (a bureau system). Access tokens carry its id."""

    __tablename__ = "auth_session"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    subject: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    refresh_jti: Mapped[str | None] = mapped_column(String(32))
    ip: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_refreshed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Revocation(Base):
    """A revoked session, published to the services (they poll ``/api/auth/revocations``)."""

    __tablename__ = "revocation"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    sid: Mapped[str] = mapped_column(String(32))
    # After this moment no access token of the session can still be valid.
    until: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class LoginFailure(Base):
    """Failed sign-ins per name (known or not, so the throttle reveals nothing)."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_name_at", "name", "at"), Index("ix_login_failure_ip_at", "ip", "at"))

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    ip: Mapped[str | None] = mapped_column(String(64))


class AccountLock(Base):
    __tablename__ = "account_lock"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    locked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    locked_until: Mapped[datetime] = mapped_column(UtcDateTime)
