"""Every model of the tasks service, imported in one place so Alembic and tests see them all."""

from tasks.assessment.models import AssessmentRun, AssessmentScore, ScoringRule
from tasks.bulletins.models import Bulletin
from tasks.db import Base, feed
from tasks.demands.models import Demand, DemandStep
from tasks.inspections.models import Inspection, Opinion, OpinionAssignment, OversightFile
from tasks.leads.models import Lead, LeadStep
from tasks.plans.models import Plan, PlanGoal, PlanPhase, PlanSection, PlanUnit
from tasks.summaries.models import ReportIssue, UnitSummary
from tasks.supervision.models import SupervisionNotice
from tasks.units.models import Unit, UnitAlias
from tasks.visits.models import (
    Visit,
    VisitPhoto,
    VisitRound,
    VisitRoundBuilding,
    VisitSpaceChange,
    VisitTenant,
    VisitUnit,
)
from tasks.work.models import Task, TaskAttachment, TaskUnit, TaskUpdate

__all__ = [
    "UnitSummary",
    "ReportIssue",
    "OversightFile",
    "OpinionAssignment",
    "Opinion",
    "Inspection",
    "AssessmentRun",
    "AssessmentScore",
    "Base",
    "Bulletin",
    "Demand",
    "DemandStep",
    "Lead",
    "LeadStep",
    "Plan",
    "PlanGoal",
    "PlanPhase",
    "PlanSection",
    "PlanUnit",
    "ScoringRule",
    "SupervisionNotice",
    "Task",
    "TaskAttachment",
    "TaskUnit",
    "TaskUpdate",
    "Unit",
    "UnitAlias",
    "Visit",
    "VisitPhoto",
    "VisitRound",
    "VisitRoundBuilding",
    "VisitSpaceChange",
    "VisitTenant",
    "VisitUnit",
    "feed",
]
