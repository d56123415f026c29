"""The tasks_parts revision gives existing tasks their parts (责任分解) from their units."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from louyu_kit.migrations import upgrade

SERVICE = Path(__file__).resolve().parents[2] / "services" / "tasks"
NOW = "2025-05-01 00:00:00+00:00"


def test_existing_tasks_get_a_part_per_unit_with_the_plans_duty(scratch_db_url):
    upgrade(SERVICE, scratch_db_url, "tasks_goals_forms")
    engine = create_engine(scratch_db_url)
    try:
        with engine.begin() as conn:
            for code, name, kind in (("swj", "区商务局", "department"), ("fgj", "区发改局", "department")):
                conn.execute(
                    text(
                        "INSERT INTO unit (code, name, short_name, kind, sort_order, is_active, note, version, "
                        "created_at, updated_at) VALUES (:c, :n, '', :k, 0, true, '', 1, :t, :t)"
                    ),
                    {"c": code, "n": name, "k": kind, "t": NOW},
                )
            conn.execute(
                text(
                    "INSERT INTO plan (id, title, issuer, doc_number, source_text, warnings, is_demo, created_by, "
                    "version, created_at, updated_at) VALUES (1, '方案', '', '', '', '[]', false, 't', 1, :t, :t)"
                ),
                {"t": NOW},
            )
            conn.execute(
                text(
                    "INSERT INTO plan_unit (plan_id, unit_code, role, duty, written_as, position) "
                    "VALUES (1, 'fgj', 'co', '统筹楼宇经济与产业链招商', '区发改局', 1)"
                )
            )
            for task_id, kind, progress, status in ((1, "task", 60, "in_progress"), (2, "section", 0, "not_started")):
                conn.execute(
                    text(
                        "INSERT INTO task (id, plan_id, kind, number, title, body, lead_unit_code, status, progress, "
                        "position, is_demo, created_by, version, created_at, updated_at) VALUES (:i, 1, :k, '', "
                        "'任务', '', 'swj', :s, :p, :i, false, 't', 1, :t, :t)"
                    ),
                    {"i": task_id, "k": kind, "s": status, "p": progress, "t": NOW},
                )
            for code, role, pos in (("swj", "lead", 0), ("fgj", "co", 1)):
                conn.execute(
                    text(
                        "INSERT INTO task_unit (task_id, unit_code, role, written_as, position) "
                        "VALUES (1, :c, :r, '', :p)"
                    ),
                    {"c": code, "r": role, "p": pos},
                )
        upgrade(SERVICE, scratch_db_url)
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT task_id, unit_code, role, progress, status, duty, duty_source FROM task_part ORDER BY id")
            ).all()
            weakest = conn.execute(text("SELECT weakest_progress FROM task WHERE id = 1")).scalar()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [
        (1, "swj", "lead", 60, "in_progress", "", ""),
        (1, "fgj", "co", 60, "in_progress", "统筹楼宇经济与产业链招商", "plan"),
    ]
    assert weakest == 60
