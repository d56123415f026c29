"""What the rollups must hear about: new figures, and changed registry dimensions.

The ingest and the read-model consumer call these in their own transaction, so the rollups
never miss a change that was committed. Each call marks what changed (inserts of the changed
keys, in proportion to the change, never waiting for a running refresh); only when everything
pending is tiny is it recomputed right away in the same transaction (visible with the commit),
otherwise the background worker recomputes it within seconds (see
``metrics.rollups.service``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from metrics.rollups import service


def on_facts_changed(session: Session, *, periods: set[str], credit_codes: set[str]) -> None:
    """Figures of ``credit_codes`` for ``periods`` were stored or corrected."""
    if not periods or not credit_codes:
        return
    service.mark_facts(session, periods=periods, credit_codes=credit_codes)
    if len(periods) * len(credit_codes) <= service.INLINE_LIMIT:
        service.refresh_if_small(session)


def on_dimensions_changed(session: Session, *, credit_codes: set[str], building_codes: set[str]) -> None:
    """Registry dimensions (occupancy, buildings, enterprises) of these keys changed."""
    if not credit_codes and not building_codes:
        return
    service.mark_dimensions(session, credit_codes=credit_codes, building_codes=building_codes)
    if len(building_codes) <= service.INLINE_BUILDINGS and len(credit_codes) <= service.INLINE_LIMIT:
        service.refresh_if_small(session)
