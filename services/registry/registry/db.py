"""The registry service's declarative base (its own database) and its change feed."""

from sqlalchemy.orm import DeclarativeBase

from louyu_kit.changes import ChangeFeed
from louyu_kit.db import make_metadata


class Base(DeclarativeBase):
    metadata = make_metadata()


# Read by metrics (its read model of buildings, spaces, enterprises and stays: metrics.sync).
feed = ChangeFeed(Base.metadata, consumers=("metrics",))
