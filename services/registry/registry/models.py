"""Every model of the registry service, imported in one place so Alembic and tests see them all."""

from registry.buildings.models import Building, BuildingTheme
from registry.db import Base, feed
from registry.enterprises.models import Enterprise, EnterpriseNameGram
from registry.history.models import ChangeRecord
from registry.imports.models import ImportRun
from registry.occupancy.models import Occupancy, OccupancySpace
from registry.party.models import BuildingParty
from registry.proposals.models import OccupancyProposal
from registry.reference.models import District, Industry, Street, Theme
from registry.spaces.models import Space

__all__ = [
    "Base",
    "Building",
    "BuildingTheme",
    "BuildingParty",
    "ChangeRecord",
    "District",
    "Enterprise",
    "EnterpriseNameGram",
    "ImportRun",
    "Industry",
    "Occupancy",
    "OccupancyProposal",
    "OccupancySpace",
    "Space",
    "Street",
    "Theme",
    "feed",
]
