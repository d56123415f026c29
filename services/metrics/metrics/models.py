"""Every model of the metrics service, imported in one place so Alembic and tests see them all."""

from metrics.ask import models as ask_models  # noqa: F401
from metrics.db import Base, feed
from metrics.facts import models as facts_models  # noqa: F401
from metrics.featured import models as featured_models  # noqa: F401
from metrics.goals import models as goals_models  # noqa: F401
from metrics.readmodel import models as readmodel_models  # noqa: F401
from metrics.rollups import models as rollups_models  # noqa: F401
from metrics.warnings import models as warnings_models  # noqa: F401

__all__ = ["Base", "feed"]
