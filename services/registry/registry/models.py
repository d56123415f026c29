"""Every model of the registry service, imported in one place so Alembic and tests see them all."""

from registry.db import Base, feed

__all__ = ["Base", "feed"]
