"""Every model of the metrics service, imported in one place so Alembic and tests see them all."""

from metrics.db import Base, feed

__all__ = ["Base", "feed"]
