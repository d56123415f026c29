"""The nightly job that makes the spaces' statuses agree with the stays (DOMAIN.md → 指标口径).

A stay that starts or ends on a day changes what its spaces are (已租 from the move-in day,
空置 — or 预留 when a later stay is booked — from the day after the move-out). Entering a stay
already sets the statuses for the day it was entered; this job applies the stays whose start
or end date has been reached since, with the same rule (``registry.occupancy.service``), and
records each change in the history like any other. 自用 spaces are the owner's and left as
they are.

Run: ``python -m registry apply-stays`` (once); in the service it runs a minute after start and
then once per China day, right after midnight (the day is checked every
``LOUYU_REGISTRY_APPLY_STAYS_SECONDS`` seconds, 10 minutes by default; off when 0).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

from fastapi import FastAPI
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.db import Database
from louyu_kit.leases import run_leased
from registry.buildings.models import Building
from registry.occupancy.models import Occupancy, OccupancySpace
from registry.occupancy.service import _sync_space_status
from registry.spaces.models import Space

ACTOR = "apply-stays"
log = logging.getLogger("louyu.registry.stays")


def _stays_of_space(*conditions: object) -> object:
    return exists().where(OccupancySpace.space_id == Space.id, OccupancySpace.occupancy_id == Occupancy.id, *conditions)


def candidates(session: Session, on: date) -> list[int]:
    """Spaces whose status disagrees with the stays on ``on``: 空置/预留 with a stay in force,
    已租 with none, 空置 with a stay booked later."""
    in_force = _stays_of_space(Occupancy.start_date <= on, or_(Occupancy.end_date.is_(None), Occupancy.end_date >= on))
    booked = _stays_of_space(Occupancy.start_date > on)
    stmt = (
        select(Space.id)
        .where(
            or_(
                and_(Space.status.in_(("vacant", "reserved")), in_force),
                and_(Space.status == "leased", ~in_force),
                and_(Space.status == "vacant", booked),
            )
        )
        .order_by(Space.id)
    )
    return list(session.scalars(stmt))


def apply_stays(session: Session, *, on: date | None = None) -> int:
    """Bring every space in line with the stays on ``on`` (today); the number of spaces changed."""
    on = on or today_in_china()
    changed = 0
    for space_id in candidates(session, on):
        space = session.get(Space, space_id)
        building = session.get(Building, space.building_id) if space else None
        if space is None or building is None:
            continue
        before = (space.status, space.available_from)
        _sync_space_status(session, space, building, actor=ACTOR, today=on)
        changed += (space.status, space.available_from) != before
    session.flush()
    return changed


def run_once(database: Database, *, on: date | None = None) -> int:
    with database.write_sessions() as session:
        changed = apply_stays(session, on=on)
        session.commit()
    return changed


async def run_periodically(database: Database, *, interval: float, first_delay: float = 60.0) -> None:
    """Once per China day (and once at start), checked every ``interval`` seconds."""
    await asyncio.sleep(first_delay)
    done_for: date | None = None
    while True:
        today = today_in_china()
        if done_for != today:
            try:
                changed = await asyncio.to_thread(run_once, database, on=today)
                done_for = today
                # A day with nothing to change is routine (DEBUG); one that changed spaces is news.
                log.log(
                    logging.INFO if changed else logging.DEBUG,
                    "apply-stays %s: %d spaces brought in line with the stays",
                    today.isoformat(),
                    changed,
                )
            except Exception:  # noqa: BLE001 — a failed run is logged and retried at the next check
                log.exception("apply-stays failed; retried at the next check")
        await asyncio.sleep(interval)


@asynccontextmanager
async def nightly_apply_stays(app: FastAPI) -> AsyncIterator[None]:
    """Started and stopped with the app."""
    interval = app.state.settings.registry_apply_stays_seconds
    task = None
    if interval > 0:
        task = asyncio.create_task(
            run_leased(app.state.lease, lambda: run_periodically(app.state.db, interval=interval), label="apply-stays"),
            name="registry-apply-stays",
        )
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
