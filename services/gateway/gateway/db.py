"""The gateway's declarative base (its own database: accounts, sessions, audit)."""

from sqlalchemy.orm import DeclarativeBase

from louyu_kit.db import UtcDateTime, make_metadata, utcnow

__all__ = ["Base", "UtcDateTime", "utcnow"]


class Base(DeclarativeBase):
    metadata = make_metadata()
