"""Lead ↔ space matches: turn leads and registry's available spaces into the pure matching
inputs, score them, and keep the strong ones for the 楼长's 待办 (source 线索匹配)."""

from __future__ import annotations

import logging
from dataclasses import asdict, replace
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from tasks.access import Actor
from tasks.clients.registry import AvailableSpaceRef
from tasks.leads import matching
from tasks.leads.models import STAGES, Lead, LeadMatch
from tasks.leads.service import FINAL, NEEDS, lead_filter

# Spaces shown (and kept for the 待办) per lead.
LIMIT = 20

log = logging.getLogger(__name__)


def needs_of(lead: Lead) -> matching.Needs:
    """A lead's needs; the old single 意向面积 counts as 80–120% of it when no range is given."""
    low, high = lead.area_min, lead.area_max
    if low is None and high is None and lead.area_wanted:
        low, high = round(lead.area_wanted * 0.8, 2), round(lead.area_wanted * 1.2, 2)
    return matching.Needs(
        area_min=low,
        area_max=high,
        industry_code=lead.industry_code,
        needed_by=lead.needed_by,
        budget_rent=lead.budget_rent,
        budget_total=lead.budget_total,
        floor_min=lead.floor_min,
        floor_max=lead.floor_max,
    )


def has_needs(lead: Lead) -> bool:
    return lead.area_wanted is not None or any(getattr(lead, name) is not None for name in NEEDS)


def candidate_of(space: AvailableSpaceRef) -> matching.Candidate:
    return matching.Candidate(
        space_id=space.id,
        building_code=space.building_code,
        building_name=space.building_name,
        floor=space.floor,
        unit=space.unit,
        area=space.area,
        available_from=space.available_from,
        asking_rent=space.asking_rent,
        theme_names=tuple(space.theme_names),
        industry_prefixes=tuple(space.industry_prefixes),
        street_code=space.street_code,
        chief_username=space.chief_username,
    )


def whole_floors(spaces: list[AvailableSpaceRef]) -> list[matching.Candidate]:
    """整层: a floor of several spaces that can all be let, offered as one candidate (its area
    the sum, available when the last of them is, the rent area-weighted)."""
    groups: dict[tuple[str, int], list[AvailableSpaceRef]] = {}
    for s in spaces:
        if s.floor_whole_available and s.floor_units >= 2:
            groups.setdefault((s.building_code, s.floor), []).append(s)
    out = []
    for units in groups.values():
        if len(units) != units[0].floor_units:
            continue  # not every space of the floor came back (another page, or out of scope)
        first = min(units, key=lambda s: s.id)
        dates = [s.available_from for s in units if s.available_from is not None]
        area = round(sum(s.area for s in units), 2)
        rents = [s.asking_rent for s in units]
        rent = (
            round(sum(r * s.area for r, s in zip(rents, units, strict=True)) / area, 2)
            if area and all(r is not None for r in rents)
            else None
        )
        out.append(
            replace(
                candidate_of(first),
                unit=f"整层（{len(units)}间合计）",
                area=area,
                available_from=max(dates) if dates else None,
                asking_rent=rent,
                whole_floor=True,
                space_ids=tuple(sorted(s.id for s in units)),
            )
        )
    return out


def _reasons(m: matching.Match) -> list[dict[str, Any]]:
    return [asdict(r) for r in m.reasons]


def _keep(session: Session, lead: Lead, matches: list[matching.Match], seen: list[int] | None = None) -> None:
    """Remember the matches at or above the threshold (replacing the lead's earlier ones for the
    spaces ``seen``, by default those matched), so each building's 楼长 finds them in the 待办."""
    try:
        # Two views of one lead read at the same moment (the desktop and the phone, two clerks)
        # keep the same matches: the first one's stand, and the second still answers.
        with session.begin_nested():
            _replace(session, lead, matches, seen)
    except (IntegrityError, OperationalError) as exc:
        log.info("lead %s: matches kept by another request (%s)", lead.id, type(exc).__name__)


def _replace(session: Session, lead: Lead, matches: list[matching.Match], seen: list[int] | None) -> None:
    space_ids = seen if seen is not None else [m.candidate.space_id for m in matches]
    if space_ids:
        session.execute(delete(LeadMatch).where(LeadMatch.lead_id == lead.id, LeadMatch.space_id.in_(space_ids)))
    for m in matches:
        if m.score < matching.INBOX_THRESHOLD or m.candidate.whole_floor:
            continue  # a whole floor shows on the lead's page; its spaces reach the 待办 one by one
        c = m.candidate
        session.add(
            LeadMatch(
                lead_id=lead.id,
                space_id=c.space_id,
                building_code=c.building_code,
                building_name=c.building_name[:100],
                space_label=f"{c.floor}层 {c.unit}"[:60],
                chief_username=c.chief_username,
                score=m.score,
            )
        )
    session.flush()


def spaces_for_lead(
    session: Session, lead: Lead, *, spaces: list[AvailableSpaceRef], today: date, limit: int = LIMIT
) -> dict[str, Any]:
    """The best ``limit`` available spaces for ``lead``, best first, with reasons (only these go
    to the 楼长s' 待办: a lead with needs loosely filled must not flood every building's)."""
    demo = {s.id: s.is_demo for s in spaces}
    candidates = [candidate_of(s) for s in spaces] + whole_floors(spaces)
    ranked = matching.rank(needs_of(lead), candidates, today=today, limit=limit)
    if lead.stage not in FINAL:
        _keep(session, lead, ranked, seen=[s.id for s in spaces])
    return {
        "lead_id": lead.id,
        "has_needs": has_needs(lead),
        "threshold": matching.INBOX_THRESHOLD,
        "items": [
            {
                **{k: getattr(m.candidate, k) for k in ("building_code", "building_name", "floor", "unit", "area")},
                "space_id": m.candidate.space_id,
                "available_from": m.candidate.available_from,
                "asking_rent": m.candidate.asking_rent,
                "theme_names": list(m.candidate.theme_names),
                "is_demo": demo.get(m.candidate.space_id, False),
                "whole_floor": m.candidate.whole_floor,
                "space_ids": list(m.candidate.space_ids) or [m.candidate.space_id],
                "score": m.score,
                "reasons": _reasons(m),
            }
            for m in ranked
        ],
    }


def leads_for_space(
    session: Session, *, actor: Actor, space_id: int, space: AvailableSpaceRef | None, today: date
) -> dict[str, Any]:
    """Open leads with needs that ``space`` can serve, best first: the leads the caller may read,
    and those matched to it earlier when the caller is the building's 楼长."""
    result: dict[str, Any] = {
        "space_id": space_id,
        "available": space is not None,
        "threshold": matching.INBOX_THRESHOLD,
        "items": [],
    }
    if space is None:
        return result
    readable = set(session.scalars(select(Lead.id).where(lead_filter(actor), Lead.stage.not_in(FINAL))))
    matched = set(session.scalars(select(LeadMatch.lead_id).where(LeadMatch.space_id == space_id)))
    allowed = readable | (matched if actor.username == space.chief_username else set())
    if not allowed:
        return result
    candidate = candidate_of(space)
    rows = []
    for lead in session.scalars(select(Lead).where(Lead.id.in_(allowed), Lead.stage.not_in(FINAL))):
        if not has_needs(lead):
            continue
        m = matching.score(needs_of(lead), candidate, today=today)
        if m.excluded:
            continue
        _keep(session, lead, [m])
        rows.append(
            {
                "lead_id": lead.id,
                "company_name": lead.company_name,
                "industry": lead.industry,
                "industry_code": lead.industry_code,
                "area_min": lead.area_min,
                "area_max": lead.area_max,
                "needed_by": lead.needed_by,
                "stage_label": STAGES[lead.stage],
                "readable": lead.id in readable,
                "score": m.score,
                "reasons": _reasons(m),
            }
        )
    rows.sort(key=lambda r: (-r["score"], r["lead_id"]))
    result["items"] = rows
    return result


def inbox_items(session: Session, *, chief_username: str) -> list[tuple[LeadMatch, Lead]]:
    """Kept matches in the buildings of a 楼长, open leads only, best first."""
    return list(
        session.execute(
            select(LeadMatch, Lead)
            .join(Lead, Lead.id == LeadMatch.lead_id)
            .where(
                LeadMatch.chief_username == chief_username,
                LeadMatch.score >= matching.INBOX_THRESHOLD,
                Lead.stage.not_in(FINAL),
            )
            .order_by(LeadMatch.score.desc(), LeadMatch.id)
        ).tuples()
    )
