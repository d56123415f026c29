"""Every model of the tasks service, imported in one place so Alembic and tests see them all."""

from tasks.db import Base, feed

__all__ = ["Base", "feed"]
