"""Tasks test helpers: tokens for each role (with a unit), and small data factories that write
straight to the database (not through the API)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from louyu_kit.db import Database
from louyu_kit.tokens import ACCESS, TokenCodec
from tasks.plans.models import Plan, PlanPhase
from tasks.units.service import seed
from tasks.work.models import Task, TaskUnit
from tests.conftest import TEST_SECRET, TEST_TOKEN_SECONDS

DATA = Path(__file__).resolve().parent / "data"
REAL_PLAN = (DATA / "wuchang-plan-2025.txt").read_text(encoding="utf-8")

# Street unit codes are the 统计用区划代码.
JIYUQIAO, YANGYUAN, XUJIAPENG, SHUIGUOHU = "420106001", "420106002", "420106003", "420106012"
STREETS = (
    "420106001",
    "420106002",
    "420106003",
    "420106005",
    "420106006",
    "420106007",
    "420106008",
    "420106009",
    "420106010",
    "420106011",
    "420106012",
    "420106013",
    "420106014",
    "420106015",
)


def token(username: str, *roles: str, streets: tuple[str, ...] = (), org: str | None = None) -> dict[str, str]:
    """Authorization header of a person with ``roles``, ``streets`` and org unit ``org``."""
    codec = TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api")
    claims: dict[str, Any] = {"kind": "user", "sid": f"sid-{username}", "roles": list(roles), "streets": list(streets)}
    if org is not None:
        claims["org"] = org
    issued = codec.issue(sub=username, typ=ACCESS, ttl_seconds=TEST_TOKEN_SECONDS, claims=claims)
    return {"Authorization": f"Bearer {issued.token}"}


def internal_token(service: str = "metrics") -> dict[str, str]:
    """Authorization header of a peer service (internal token)."""
    from louyu_kit.tokens import INTERNAL

    codec = TokenCodec(key=TEST_SECRET, issuer="louyu-gateway", audience="louyu-api")
    issued = codec.issue(sub=f"service:{service}", typ=INTERNAL, ttl_seconds=TEST_TOKEN_SECONDS)
    return {"Authorization": f"Bearer {issued.token}"}


BUREAU = token("shangwu", "bureau", org="swj")
LEADER = token("lingdao", "leader")
FGJ = token("fagai", "department", org="fgj")  # 区发改局
SWUJ = token("shuiwu", "department", org="swuj")  # 区税务局
STREET_SGH = token("shuiguohu", "street", streets=(SHUIGUOHU,))  # 水果湖街道
CHIEF_SGH = token("louzhang", "chief", streets=(SHUIGUOHU,))
AUDITOR = token("shenji", "auditor")


@pytest.fixture
def tasks_db_url(db_urls: Callable[[str], str]) -> str:
    return db_urls("tasks")


@pytest.fixture
def tasks_client(make_client: Callable[..., TestClient]) -> TestClient:
    """The tasks app (lifespan running: the unit directory is seeded)."""
    return make_client("tasks")


@pytest.fixture
def db_session(tasks_db_url: str) -> Callable[[], Any]:
    """``with db_session() as session:`` a session on the test's tasks database (committed on exit)."""

    @contextmanager
    def open_session() -> Iterator[Session]:
        db = Database.from_url(tasks_db_url)
        try:
            with db.write_sessions.begin() as session:
                seed(session)
                yield session
        finally:
            db.dispose()

    return open_session


def new_plan(session: Session, title: str = "测试工作方案", *, phases: int = 1, lead: str | None = "swj") -> Plan:
    """A plan with ``phases`` consecutive phases of 2025 (March, April, …)."""
    plan = Plan(title=title, lead_unit_code=lead, issued_date=date(2025, 3, 1))
    session.add(plan)
    session.flush()
    for i in range(phases):
        month = 3 + i
        end = date(2025, month + 1, 1).replace(day=1)
        session.add(
            PlanPhase(
                plan_id=plan.id,
                name=f"第{i + 1}阶段",
                start_date=date(2025, month, 1),
                end_date=date.fromordinal(end.toordinal() - 1),
                position=i,
            )
        )
    session.flush()
    return plan


def new_task(
    session: Session,
    plan: Plan,
    title: str = "测试任务",
    *,
    lead: str | None = "swj",
    co: tuple[str, ...] = (),
    kind: str = "task",
    parent: Task | None = None,
    due: date | None = None,
    start: date | None = None,
    progress: int = 0,
    status: str = "not_started",
    parts: dict[str, int] | None = None,
) -> Task:
    """A task with its lead unit and co-organisers (written straight to the database), and a part
    per unit (责任分解) at ``progress`` — or at ``parts[unit]`` for the units named there; the
    task's own progress and status then derive from the parts."""
    task = Task(
        plan_id=plan.id,
        parent_id=parent.id if parent else None,
        kind=kind,
        title=title,
        lead_unit_code=lead,
        due_date=due,
        start_date=start,
        progress=progress,
        status=status,
    )
    session.add(task)
    session.flush()
    units = ([lead] if lead else []) + [c for c in co if c != lead]
    for position, code in enumerate(units):
        session.add(TaskUnit(task_id=task.id, unit_code=code, role="lead" if code == lead else "co", position=position))
    session.flush()
    if kind != "section":
        from tasks.parts import service as part_service

        part_service.sync_tasks(session, [task.id])
        rows = part_service.parts_of(session, task.id)
        for part in rows:
            part.progress = (parts or {}).get(part.unit_code, progress)
            part.status = (
                "done" if part.progress >= 100 else "in_progress" if part.progress > 0 else
                "suspended" if status == "suspended" else "not_started"
            )  # fmt: skip
        task.progress, task.status = progress, status
        part_service.recompute(session, task, rows)
        session.flush()
    return task
