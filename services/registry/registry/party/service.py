"""党建 of a building, read with the building (its scope) and written by those who write the
building (the bureau, the building's street, its 楼长 / 联络员); counts for the building page
and the cockpit.

No change-feed record: metrics keeps no 党建 figure and nothing downstream reads it, so a
change here has no consumer (the building's own feed records are unchanged)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.access import Access
from registry.buildings.models import Building
from registry.party.models import ORGANISATIONS, POSTS, BuildingParty
from registry.party.schemas import PartyWrite

OTHER_POSTS = ("liaison", "safety", "service")


def of(session: Session, building: Building) -> BuildingParty | None:
    return session.get(BuildingParty, building.id)


def filled(party: BuildingParty | None) -> int:
    if party is None:
        return 0
    names = [party.instructor] + [(party.posts or {}).get(k, "") for k in OTHER_POSTS]
    return sum(1 for n in names if n and n.strip())


def read_model(building: Building, party: BuildingParty | None) -> dict[str, Any]:
    posts = (party.posts or {}) if party else {}
    names = {"instructor": party.instructor if party else "", **{k: posts.get(k, "") for k in OTHER_POSTS}}
    organisation = party.organisation if party else "none"
    return {
        "building_code": building.code,
        "building_name": building.name,
        "recorded": party is not None,
        "organisation": organisation,
        "organisation_label": ORGANISATIONS.get(organisation, organisation),
        "instructor": names["instructor"],
        "council": list(party.council or []) if party else [],
        "chamber": party.chamber if party else "",
        "alliance": party.alliance if party else "",
        "liaison": names["liaison"],
        "safety": names["safety"],
        "service": names["service"],
        "posts": [{"key": k, "label": label, "name": names[k]} for k, label in POSTS.items()],
        "posts_filled": filled(party),
        "updated_by": party.updated_by if party else None,
        "updated_at": party.updated_at if party else None,
        "version": party.version if party else 0,
    }


def write(session: Session, building: Building, *, data: PartyWrite, access: Access) -> BuildingParty:
    """Replace the building's 党建 record (the caller checked the version)."""
    access.require_write(building)
    party = of(session, building)
    if party is None:
        party = BuildingParty(building_id=building.id, updated_by=access.username, version=0)
        session.add(party)
    party.organisation = data.organisation
    party.instructor = data.instructor
    party.council = [m.model_dump() for m in data.council]
    party.chamber = data.chamber
    party.alliance = data.alliance
    party.posts = {k: getattr(data, k) for k in OTHER_POSTS}
    party.updated_by = access.username
    party.version = (party.version or 0) + 1
    session.flush()
    return party


def summary(session: Session, *, access: Access, street: str | None = None) -> dict[str, Any]:
    """Counts over the caller's buildings (在建 left out: no tenants, no party organisation yet)."""
    stmt = (
        select(Building, BuildingParty)
        .outerjoin(BuildingParty, BuildingParty.building_id == Building.id)
        .where(access.building_filter(), Building.stage != "under_construction")
    )
    if street:
        stmt = stmt.where(Building.street_code == street)
    rows = session.execute(stmt).all()
    parties = [p for _, p in rows if p is not None]
    buildings = len(rows)
    with_org = sum(1 for p in parties if p.organisation in ("joint_committee", "branch"))
    posts_filled = sum(filled(p) for p in parties)
    total = buildings * len(POSTS)
    return {
        "buildings": buildings,
        "recorded": len(parties),
        "with_organisation": with_org,
        "joint_committees": sum(1 for p in parties if p.organisation == "joint_committee"),
        "branches": sum(1 for p in parties if p.organisation == "branch"),
        "in_chamber": sum(1 for p in parties if p.chamber.strip()),
        "in_alliance": sum(1 for p in parties if p.alliance.strip()),
        "posts_filled": posts_filled,
        "posts_total": total,
        "posts_filled_rate": round(posts_filled / total, 4) if total else None,
        "organisation_rate": round(with_org / buildings, 4) if buildings else None,
    }
