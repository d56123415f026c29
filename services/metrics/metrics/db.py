"""The metrics service's declarative base (its own database) and its change feed."""

from sqlalchemy.orm import DeclarativeBase

from louyu_kit.changes import ChangeFeed
from louyu_kit.db import make_metadata


class Base(DeclarativeBase):
    metadata = make_metadata()


feed = ChangeFeed(Base.metadata)
