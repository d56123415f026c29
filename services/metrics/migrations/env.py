"""Alembic environment of the metrics service (shared logic in louyu_kit.migrations)."""

from alembic import context

from louyu_kit.migrations import run_env
from metrics.config import get_settings
from metrics.models import Base

if not context.config.get_main_option("sqlalchemy.url"):
    context.config.set_main_option("sqlalchemy.url", get_settings().database_url.replace("%", "%%"))
run_env(context, Base.metadata)
