"""The light of a task (红黄绿灯), computed from its due date and progress, never stored.

Rules, first match wins (``today`` is the date in China, Asia/Shanghai):

1. done (status ``done`` or progress 100)                       → green
2. no due date                                                   → green
3. today after the due date                                      → red    (逾期)
4. due within ``near_days`` days (LOUYU_TASKS_LIGHT_NEAR_DAYS, 14) → yellow (临期)
5. progress behind the share of time elapsed from the start date
   to the due date by more than ``behind_points`` percentage points
   (LOUYU_TASKS_LIGHT_BEHIND_POINTS, 20)                         → yellow (进度滞后)
6. otherwise                                                     → green

A task without a start date skips rule 5.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from louyu_kit.clock import CHINA, today_in_china  # noqa: F401  (re-exported for the tasks modules)
from louyu_kit.files import chinese_date

LIGHTS = {"green": "绿灯（正常）", "yellow": "黄灯（临期或滞后）", "red": "红灯（逾期）"}


@dataclass(frozen=True)
class LightRules:
    near_days: int = 14
    behind_points: int = 20

    @classmethod
    def from_settings(cls, settings: object) -> LightRules:
        return cls(
            near_days=int(getattr(settings, "tasks_light_near_days", 14)),
            behind_points=int(getattr(settings, "tasks_light_behind_points", 20)),
        )


def expected_progress(*, start_date: date, due_date: date, today: date) -> float:
    """Percent of the time from start to due that has passed (0–100)."""
    total = (due_date - start_date).days
    if total <= 0:
        return 100.0
    return max(0.0, min(100.0, (today - start_date).days / total * 100))


def light_for(
    *,
    due_date: date | None,
    progress: int,
    status: str,
    today: date,
    start_date: date | None = None,
    rules: LightRules = LightRules(),  # noqa: B008  (frozen, shared default)
) -> str:
    """``green`` / ``yellow`` / ``red`` by the rules in this module's docstring."""
    if status == "done" or progress >= 100:
        return "green"
    if due_date is None:
        return "green"
    if today > due_date:
        return "red"
    if (due_date - today).days <= rules.near_days:
        return "yellow"
    if start_date is not None and start_date < due_date:
        if progress + rules.behind_points < expected_progress(start_date=start_date, due_date=due_date, today=today):
            return "yellow"
    return "green"


def reason_for(
    *,
    due_date: date | None,
    progress: int,
    status: str,
    today: date,
    start_date: date | None = None,
    rules: LightRules = LightRules(),  # noqa: B008
) -> str:
    """Why the light is what it is, in a sentence for a notice or a tooltip."""
    light = light_for(
        due_date=due_date, progress=progress, status=status, today=today, start_date=start_date, rules=rules
    )
    if status == "done" or progress >= 100:
        return "已完成"
    if due_date is None:
        return "未设完成时限"
    if light == "red":
        return f"已逾期 {(today - due_date).days} 天（时限 {chinese_date(due_date)}），当前进度 {progress}%"
    days_left = (due_date - today).days
    if days_left <= rules.near_days:
        return f"距完成时限 {chinese_date(due_date)} 还有 {days_left} 天，当前进度 {progress}%"
    if light == "yellow" and start_date is not None:
        expected = expected_progress(start_date=start_date, due_date=due_date, today=today)
        return f"进度滞后：应完成约 {expected:.0f}%，实际 {progress}%"
    return f"按计划推进（时限 {chinese_date(due_date)}，进度 {progress}%）"
