"""What the rollups must hear about: new figures, and changed registry dimensions.

The ingest and the read-model consumer call these in their own transaction, so the rollups
never miss a change that was committed."""

from __future__ import annotations

from sqlalchemy.orm import Session


def on_facts_changed(session: Session, *, periods: set[str], credit_codes: set[str]) -> None:
    """Figures of ``credit_codes`` for ``periods`` were stored or corrected."""


def on_dimensions_changed(session: Session, *, credit_codes: set[str], building_codes: set[str]) -> None:
    """Registry dimensions (occupancy, buildings, enterprises) of these keys changed."""
