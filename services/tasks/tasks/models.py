"""Every model of the tasks service, imported in one place so Alembic and tests see them all."""

from tasks.assessment.models import AssessmentRun, AssessmentScore, ScoringRule
from tasks.bulletins.models import Bulletin, BulletinRecipient, BulletinSend
from tasks.centres.models import CentreStay, SharingCentre
from tasks.db import Base, feed
from tasks.demands.models import Demand, DemandStep
from tasks.events.models import BuildingEvent, EventInvitee, EventOutcome, EventUnit
from tasks.inspections.models import Inspection, Opinion, OpinionAssignment, OversightFile
from tasks.leads.models import Lead, LeadMatch, LeadStep
from tasks.notifications.models import Notification, NotificationAttempt, NotificationDelivery
from tasks.parts.models import PartReport, ReportCycle, TaskPart
from tasks.plans.models import Plan, PlanGoal, PlanPhase, PlanSection, PlanUnit
from tasks.policies.models import Policy, PolicyApplication, PolicyDelivery, PolicyPush
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
    "BuildingEvent",
    "EventInvitee",
    "EventOutcome",
    "EventUnit",
    "CentreStay",
    "SharingCentre",
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
    "BulletinRecipient",
    "BulletinSend",
    "Demand",
    "DemandStep",
    "Lead",
    "LeadMatch",
    "LeadStep",
    "Notification",
    "NotificationAttempt",
    "NotificationDelivery",
    "PartReport",
    "Plan",
    "Policy",
    "PolicyApplication",
    "PolicyDelivery",
    "PolicyPush",
    "PlanGoal",
    "PlanPhase",
    "PlanSection",
    "PlanUnit",
    "ReportCycle",
    "ScoringRule",
    "SupervisionNotice",
    "Task",
    "TaskAttachment",
    "TaskPart",
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
