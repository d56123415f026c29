"""Alembic environment of the gateway service (shared logic in louyu_kit.migrations)."""

from alembic import context

from gateway.config import get_settings
from gateway.models import Base
from louyu_kit.migrations import run_env

if not context.config.get_main_option("sqlalchemy.url"):
    context.config.set_main_option("sqlalchemy.url", get_settings().database_url.replace("%", "%%"))
run_env(context, Base.metadata)
