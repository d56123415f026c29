"""How a task's progress, status and light follow from its parts (责任分解). Pure functions.

The rule (also in the README, 责任分解):

1. **Progress** of the task = the parts' progress weighted by ``weight`` (1 each unless the
   bureau sets another), rounded to a whole percent — capped at 99 until the lead unit
   confirms completion: only the 牵头单位 closes a task, and only when every part is at 100
   (reporting its own part complete when the others are, or ``POST /tasks/{id}/complete``).
2. **Status**: ``suspended`` when the bureau suspended the task; ``done`` only after the lead
   confirmed (and stays done while every part is still at 100); otherwise ``in_progress`` when
   any part has begun, else ``not_started``.
3. **Light**: the weakest part sets it. Every part is judged by the task's dates and its own
   progress (tasks.work.lights); the task shows the worst of those lights and of its own
   (99% unconfirmed after the due date is red). Since the light rule only gets worse as
   progress falls, this is the light of ``weakest_progress`` = the lowest progress among the
   unfinished parts, stored on the task so lists filter lights without reading parts.
4. **督办 and 考核** are per part: the daily rule supervises each lagging part's unit (the
   承办单位), so a lagging co-unit gets the notice and a lead on track does not; assessment
   counts each unit's own part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tasks.work.lights import LightRules, light_for

LIGHT_ORDER = {"green": 0, "yellow": 1, "red": 2}
UNCONFIRMED_CAP = 99


@dataclass(frozen=True)
class PartState:
    unit_code: str
    role: str
    progress: int
    status: str = "in_progress"
    weight: int = 1


@dataclass(frozen=True)
class Derived:
    progress: int
    status: str
    weakest_progress: int | None


def part_done(part: PartState) -> bool:
    return part.status == "done" or part.progress >= 100


def derive(parts: Sequence[PartState], *, confirmed: bool, suspended: bool = False) -> Derived:
    """The task's progress, status and weakest progress from its parts (rules 1–3 above)."""
    if not parts:
        return Derived(
            progress=100 if confirmed else 0, status="done" if confirmed else "not_started", weakest_progress=None
        )
    total_weight = sum(max(p.weight, 0) for p in parts) or len(parts)
    weighted = sum(p.progress * max(p.weight, 0) for p in parts) / total_weight if total_weight else 0
    all_done = all(part_done(p) for p in parts)
    done = confirmed and all_done
    progress = 100 if done else min(round(weighted), UNCONFIRMED_CAP)
    unfinished = [p.progress for p in parts if not part_done(p)]
    weakest = min(unfinished) if unfinished else 100
    if suspended:
        status = "suspended"
    elif done:
        status = "done"
    elif any(p.progress > 0 or p.status in ("in_progress", "done") for p in parts):
        status = "in_progress"
    else:
        status = "not_started"
    return Derived(progress=progress, status=status, weakest_progress=weakest)


def part_light(
    part: PartState, *, start_date: date | None, due_date: date | None, today: date, rules: LightRules
) -> str:
    """A part's own light: the task's dates, the part's progress."""
    return light_for(
        due_date=due_date,
        progress=part.progress,
        status="done" if part_done(part) else part.status,
        today=today,
        start_date=start_date,
        rules=rules,
    )


def task_light(
    parts: Sequence[PartState],
    *,
    progress: int,
    status: str,
    start_date: date | None,
    due_date: date | None,
    today: date,
    rules: LightRules,
) -> str:
    """The worst of the parts' lights and the task's own (rule 3)."""
    own = light_for(
        due_date=due_date, progress=progress, status=status, today=today, start_date=start_date, rules=rules
    )
    if status == "done":
        return "green"
    lights = [own] + [part_light(p, start_date=start_date, due_date=due_date, today=today, rules=rules) for p in parts]
    return max(lights, key=LIGHT_ORDER.__getitem__)
