"""Every model of the tasks service, imported in one place so Alembic and tests see them all."""

from tasks.db import Base, feed
from tasks.plans.models import Plan, PlanGoal, PlanPhase, PlanSection, PlanUnit
from tasks.supervision.models import SupervisionNotice
from tasks.units.models import Unit, UnitAlias
from tasks.work.models import Task, TaskAttachment, TaskUnit, TaskUpdate

__all__ = [
    "Base",
    "Plan",
    "PlanGoal",
    "PlanPhase",
    "PlanSection",
    "PlanUnit",
    "SupervisionNotice",
    "Task",
    "TaskAttachment",
    "TaskUnit",
    "TaskUpdate",
    "Unit",
    "UnitAlias",
    "feed",
]
