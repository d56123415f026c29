"""Who the caller is in the tasks service and which units they act for.

- bureau (区商务局) manages everything: plans, units, tasks, supervision.
- leader reads everything and writes nothing.
- department users act for their ``org_unit``; street users for their street units (the
  unit code of a street is its 统计用区划代码, so ``street_codes`` are unit codes), plus
  ``org_unit`` when the gateway gives one. Both read every plan task and update only tasks
  where one of their units is lead or co-organiser, and answer notices addressed to them.
- chief (楼长) reads, and reports progress on, the tasks of their street units (if any): the
  楼长 is a street leader, and the phone pages offer a quick progress update.
- a bureau user's ``org_unit`` (区商务局) makes "my unit's tasks" work for the bureau too.
- auditor and admin read no domain data.

``org_unit`` may hold a unit code or (older accounts) a unit name or alias; both resolve.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from sqlalchemy import ColumnElement, exists, false, select, true
from sqlalchemy.orm import Session

from louyu_kit.auth import Principal, allow
from louyu_kit.db import SessionDep
from louyu_kit.errors import Forbidden
from tasks.units.models import Unit, UnitAlias
from tasks.units.names import normalise
from tasks.work.models import Task, TaskUnit

READ_ROLES = ("leader", "bureau", "department", "street", "chief")
UNIT_ROLES = frozenset({"department", "street", "chief"})
READ_ALL_ROLES = frozenset({"leader", "bureau", "department", "street"})


def resolve_unit_code(session: Session, value: str | None) -> str | None:
    """A unit code from an ``org_unit`` claim that holds a code, a name or an alias."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if session.get(Unit, value) is not None:
        return value
    return session.scalar(select(UnitAlias.unit_code).where(UnitAlias.key == normalise(value)))


@dataclass(frozen=True)
class Actor:
    """The verified caller with the units they act for."""

    username: str
    roles: frozenset[str]
    unit_codes: frozenset[str]
    street_codes: tuple[str, ...] = ()

    @classmethod
    def of(cls, session: Session, principal: Principal) -> Actor:
        units: set[str] = set()
        if principal.roles & (UNIT_ROLES | {"bureau"}):
            org = resolve_unit_code(session, principal.org_unit)
            if org:
                units.add(org)
            if principal.roles & {"street", "chief"} and principal.street_codes:
                known = session.scalars(select(Unit.code).where(Unit.code.in_(principal.street_codes)))
                units.update(known)
        return cls(
            username=principal.sub,
            roles=principal.roles,
            unit_codes=frozenset(units),
            street_codes=principal.street_codes,
        )

    @property
    def manages_all(self) -> bool:
        return "bureau" in self.roles

    @property
    def reads_all(self) -> bool:
        return bool(self.roles & READ_ALL_ROLES)

    @property
    def writes_for_units(self) -> bool:
        return bool(self.roles & UNIT_ROLES) and bool(self.unit_codes)

    @property
    def primary_unit(self) -> str | None:
        """The unit a timeline entry is written for (the single one, or the first by code)."""
        return sorted(self.unit_codes)[0] if self.unit_codes else None

    def task_filter(self) -> ColumnElement[bool]:
        """WHERE clause on ``Task`` for the tasks this caller may read."""
        if self.reads_all:
            return true()
        if not self.unit_codes:
            return false()
        return exists(
            select(TaskUnit.task_id).where(TaskUnit.task_id == Task.id, TaskUnit.unit_code.in_(self.unit_codes))
        )

    def own_units_of(self, task_units: set[str]) -> set[str]:
        return set(task_units) & set(self.unit_codes)

    def can_read_task(self, task_units: set[str]) -> bool:
        return self.reads_all or bool(self.own_units_of(task_units))

    def can_update_task(self, task_units: set[str]) -> bool:
        return self.manages_all or (bool(self.roles & UNIT_ROLES) and bool(self.own_units_of(task_units)))

    def require_update_task(self, task_units: set[str], title: str) -> None:
        if not self.can_update_task(task_units):
            raise Forbidden(f"只有任务“{title}”的牵头或配合单位可以更新进展")

    def require_bureau(self, what: str) -> None:
        if not self.manages_all:
            raise Forbidden(f"仅区商务局可以{what}")


def _reader(session: SessionDep, principal: Annotated[Principal, allow(*READ_ROLES)]) -> Actor:
    return Actor.of(session, principal)


def _bureau(session: SessionDep, principal: Annotated[Principal, allow("bureau")]) -> Actor:
    return Actor.of(session, principal)


ReadActor = Annotated[Actor, Depends(_reader)]
BureauActor = Annotated[Actor, Depends(_bureau)]
