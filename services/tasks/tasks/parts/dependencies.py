"""Shared dependencies of the parts routes: the part the caller may read, settings of the cycle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from louyu_kit.db import SessionDep
from louyu_kit.types import Id
from tasks.access import ReadActor
from tasks.parts import service
from tasks.parts.models import TaskPart
from tasks.work.models import Task


@dataclass(frozen=True)
class CycleSettings:
    default_day: int
    grace_days: int


def cycle_settings(request: Request) -> CycleSettings:
    settings = request.app.state.settings
    return CycleSettings(default_day=settings.tasks_report_day, grace_days=settings.tasks_report_grace_days)


def valid_part(part_id: Id, session: SessionDep, actor: ReadActor) -> tuple[TaskPart, Task]:
    return service.get_part(session, part_id, actor=actor)


PartDep = Annotated[tuple[TaskPart, Task], Depends(valid_part)]
CycleDep = Annotated[CycleSettings, Depends(cycle_settings)]
