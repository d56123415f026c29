"""The daily 督办 rule inside the service: a background loop started by the lifespan."""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI
from sqlalchemy.exc import OperationalError

from louyu_kit.leases import run_leased
from tasks.inspections.service import urge_overdue
from tasks.supervision.service import run_rule
from tasks.work.lights import LightRules, today_in_china

log = logging.getLogger("louyu.tasks.supervision")


def run_once(app: FastAPI) -> dict:
    settings = app.state.settings
    with app.state.db.write_sessions.begin() as session:
        result = run_rule(
            session,
            today=today_in_china(),
            rules=LightRules.from_settings(settings),
            respond_days=settings.tasks_supervision_respond_days,
            report_day=settings.tasks_report_day,
            grace_days=settings.tasks_report_grace_days,
        )
        # 整改意见 past their deadline and unanswered: the next 督办 level, once a day.
        result["opinions_urged"] = urge_overdue(session, today=today_in_china())
        return result


async def run_logged(app: FastAPI) -> None:
    try:
        result = await asyncio.to_thread(run_once, app)
        if result["issued"] or result["escalated"] or result["reminded"]:
            log.info(
                "督办规则: issued %d, reminded %d, escalated %d",
                result["issued"],
                result["reminded"],
                result["escalated"],
            )
    except OperationalError as exc:
        log.warning("督办规则 skipped (database unavailable): %s", type(exc).__name__)
    except Exception:  # noqa: BLE001  (the loop must survive one bad run; it is logged)
        log.exception("督办规则 failed")


async def loop(app: FastAPI, interval: float) -> None:
    """Every ``interval`` seconds after the run at start-up (the rule is idempotent per day)."""
    while True:
        await asyncio.sleep(interval)
        await run_logged(app)


async def start(app: FastAPI) -> asyncio.Task[None] | None:
    """Run the rule once before serving (so it never races the first requests), then in the
    background; None when LOUYU_TASKS_SUPERVISION_INTERVAL_SECONDS is 0."""
    interval = float(app.state.settings.tasks_supervision_interval_seconds)
    if interval <= 0:
        return None
    await run_logged(app)
    return asyncio.create_task(
        run_leased(app.state.lease, lambda: loop(app, interval), label="supervision-rule"),
        name="tasks-supervision-rule",
    )
