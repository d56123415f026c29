"""Lights (红黄绿灯) over due dates and progress: one table, the rules in tasks.work.lights."""

from __future__ import annotations

from datetime import date

import pytest

from tasks.work.lights import LightRules, expected_progress, light_for, reason_for

TODAY = date(2025, 6, 15)
START = date(2025, 3, 1)
RULES = LightRules(near_days=14, behind_points=20)

# due date, start, progress, status, expected light, why
TABLE = [
    # 2025-03-01 → 2025-09-30 is 213 days; on 06-15, 106 have passed: ~49.8% expected.
    (date(2025, 9, 30), START, 55, "in_progress", "green", "ahead of the time elapsed"),
    (date(2025, 9, 30), START, 30, "in_progress", "green", "behind by ~20 points: within the margin"),
    (date(2025, 9, 30), START, 29, "in_progress", "yellow", "behind by more than 20 points"),
    (date(2025, 9, 30), START, 0, "not_started", "yellow", "not started at mid-term"),
    (date(2025, 9, 30), None, 0, "not_started", "green", "no start date: lag not judged"),
    (date(2025, 6, 29), START, 90, "in_progress", "yellow", "due in 14 days: near"),
    (date(2025, 6, 30), START, 90, "in_progress", "green", "due in 15 days, on track"),
    (date(2025, 6, 15), START, 99, "in_progress", "yellow", "due today"),
    (date(2025, 6, 14), START, 99, "in_progress", "red", "due yesterday"),
    (date(2024, 12, 31), START, 0, "not_started", "red", "long overdue"),
    (date(2025, 6, 14), START, 100, "in_progress", "green", "100% counts as done"),
    (date(2025, 6, 1), START, 60, "done", "green", "done, even after the due date"),
    (None, START, 0, "not_started", "green", "no due date"),
    (date(2025, 6, 1), START, 30, "suspended", "red", "suspended is still overdue"),
    (date(2025, 3, 1), date(2025, 3, 1), 0, "not_started", "red", "start equals due, past"),
]


@pytest.mark.parametrize(("due", "start", "progress", "status", "light", "why"), TABLE, ids=[t[-1] for t in TABLE])
def test_light_table(due, start, progress, status, light, why):
    got = light_for(due_date=due, progress=progress, status=status, today=TODAY, start_date=start, rules=RULES)
    assert got == light, why


@pytest.mark.parametrize(
    ("rules", "light"),
    [
        (LightRules(near_days=30, behind_points=20), "yellow"),  # 15 days left is now "near"
        (LightRules(near_days=7, behind_points=20), "green"),
        (LightRules(near_days=7, behind_points=0), "yellow"),  # 80% < ~94% elapsed with no margin
    ],
)
def test_rules_are_configurable(rules, light):
    got = light_for(
        due_date=date(2025, 6, 30), progress=80, status="in_progress", today=TODAY, start_date=START, rules=rules
    )
    assert got == light


def test_settings_feed_the_rules(tmp_path):
    from tests.conftest import settings_for

    settings = settings_for("tasks", "sqlite://", tmp_path, tasks_light_near_days=3, tasks_light_behind_points=5)
    assert LightRules.from_settings(settings) == LightRules(near_days=3, behind_points=5)


def test_expected_progress_is_clamped():
    assert expected_progress(start_date=START, due_date=date(2025, 3, 11), today=date(2025, 3, 6)) == 50
    assert expected_progress(start_date=START, due_date=date(2025, 3, 11), today=date(2025, 1, 1)) == 0
    assert expected_progress(start_date=START, due_date=date(2025, 3, 11), today=date(2025, 5, 1)) == 100


def test_reasons_are_sentences():
    overdue = reason_for(due_date=date(2025, 6, 10), progress=30, status="in_progress", today=TODAY, rules=RULES)
    assert overdue.startswith("已逾期 5 天")
    behind = reason_for(
        due_date=date(2025, 9, 30), progress=10, status="in_progress", today=TODAY, start_date=START, rules=RULES
    )
    assert behind.startswith("进度滞后")
