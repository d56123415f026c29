"""Who may see and change which registry objects (checked on the server for every request).

- leader, bureau, department read everything; only bureau writes everything.
- street users read and write the buildings of their streets (and those buildings' spaces,
  tenants and occupancy); 楼长 / 联络员 (chief) the buildings they are chief or liaison of.
- Enterprises, for street users and 楼长: an enterprise is in scope when it has a stay in force
  (not yet ended) in one of the user's buildings, or when the user registered it and it has no
  stay in force in anyone else's building. Neither can be granted by the user: moving an
  enterprise into a building (a new stay) needs the enterprise in scope already, so a street
  that is not the enterprise's can only PROPOSE the move-in (registry.proposals), which the
  bureau confirms. A stay that has ended grants nothing: the enterprise belongs to the street
  it is in now.
- An object outside a user's scope answers 404 and is absent from lists, as if it did not exist.
- Full phone numbers are shown only through the audited reveal action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true

from louyu_kit.auth import Principal, allow
from louyu_kit.clock import today_in_china
from louyu_kit.errors import Forbidden, Invalid
from registry.buildings.models import Building
from registry.clients.gateway import Account
from registry.enterprises.models import Enterprise
from registry.occupancy.models import Occupancy

READ_ROLES = ("leader", "bureau", "department", "street", "chief")
WRITE_ROLES = ("bureau", "street", "chief")
READ_ALL_ROLES = frozenset({"leader", "bureau", "department"})
ASSIGNEE_FIELDS = {"chief_username": "楼长", "liaison_username": "联络员"}


@dataclass(frozen=True)
class Access:
    """The caller's registry scope."""

    username: str
    roles: frozenset[str]
    streets: tuple[str, ...]

    @classmethod
    def of(cls, principal: Principal) -> Access:
        return cls(username=principal.sub, roles=principal.roles, streets=principal.street_codes)

    @property
    def reads_all(self) -> bool:
        return bool(self.roles & READ_ALL_ROLES)

    @property
    def writes_all(self) -> bool:
        return "bureau" in self.roles

    def _own_buildings(self) -> ColumnElement[bool]:
        clauses: list[ColumnElement[bool]] = []
        if "street" in self.roles and self.streets:
            clauses.append(Building.street_code.in_(self.streets))
        if "chief" in self.roles:
            clauses.append(or_(Building.chief_username == self.username, Building.liaison_username == self.username))
        return or_(*clauses) if clauses else false()

    def building_filter(self) -> ColumnElement[bool]:
        """WHERE clause for the buildings this user may read."""
        return true() if self.reads_all else self._own_buildings()

    def building_write_filter(self) -> ColumnElement[bool]:
        return true() if self.writes_all else self._own_buildings()

    def _owns(self, building: Building) -> bool:
        if "street" in self.roles and building.street_code in self.streets:
            return True
        return "chief" in self.roles and self.username in (building.chief_username, building.liaison_username)

    def can_read(self, building: Building) -> bool:
        return self.reads_all or self._owns(building)

    def can_write(self, building: Building) -> bool:
        return self.writes_all or self._owns(building)

    def require_write(self, building: Building) -> None:
        if not self.can_write(building):
            raise Forbidden(f"您没有修改楼宇“{building.name}”的权限")

    def require_create_building(self, street_code: str) -> None:
        if self.writes_all or ("street" in self.roles and street_code in self.streets):
            return
        raise Forbidden("只能在本人负责的街道新建楼宇")

    def require_bureau(self, what: str) -> None:
        if not self.writes_all:
            raise Forbidden(f"仅区商务局可以{what}")

    def enterprise_filter(self, *, write: bool = False) -> ColumnElement[bool]:
        """Enterprises visible to this user: all, or those in scope (see the module's docstring)."""
        if self.writes_all or (self.reads_all and not write):
            return true()
        if not (self.roles & set(WRITE_ROLES)):
            return false()
        today = today_in_china()
        in_force = and_(
            Occupancy.enterprise_id == Enterprise.id, or_(Occupancy.end_date.is_(None), Occupancy.end_date >= today)
        )
        own_ids = select(Building.id).where(self._own_buildings())
        stays_here = exists(select(Occupancy.id).where(in_force, Occupancy.building_id.in_(own_ids)))
        # NOT IN over building ids (never NULL), so a building without a 楼长 still counts as elsewhere.
        stays_elsewhere = exists(select(Occupancy.id).where(in_force, Occupancy.building_id.not_in(own_ids)))
        return or_(stays_here, and_(Enterprise.created_by == self.username, ~stays_elsewhere))

    def check_assignees(
        self,
        *,
        street_code: str,
        values: dict[str, str | None],
        current: Building | None,
        lookup: Callable[[str], Account | None],
    ) -> None:
        """楼长 and 联络员 are assigned by the bureau or the building's street, never by a 楼长
        (who could hand the building to anyone), and only to an existing, active account that
        holds the chief role in the building's street (a 联络员 acts as a 楼长: same rule).
        Only the fields that change are checked; clearing one needs the same right."""
        for field, label in ASSIGNEE_FIELDS.items():
            if field not in values:
                continue
            value = values[field]
            if current is not None and value == getattr(current, field):
                continue
            if not (self.writes_all or ("street" in self.roles and street_code in self.streets)):
                message = f"{label}只能由楼宇所在街道或区商务局指定"
                raise Forbidden(message, error="AssigneeNotYours", fields=[{"field": field, "message": message}])
            if value is None:
                continue
            account = lookup(value)
            problem = None
            if account is None or not account.is_active:
                problem = f"账号 {value} 不存在或已停用"
            elif "chief" not in account.roles:
                problem = f"账号 {value} 不是楼长角色，不能担任{label}"
            elif street_code not in account.street_codes:
                problem = f"账号 {value} 不属于该楼宇所在街道，不能担任{label}"
            if problem:
                raise Invalid(problem, fields=[{"field": field, "message": problem}])

    @property
    def may_reveal_phones(self) -> bool:
        return bool(self.roles & {"leader", "bureau", "street", "chief"})


def _reader(principal: Annotated[Principal, allow(*READ_ROLES)]) -> Access:
    return Access.of(principal)


def _writer(principal: Annotated[Principal, allow(*WRITE_ROLES)]) -> Access:
    return Access.of(principal)


ReadAccess = Annotated[Access, Depends(_reader)]
WriteAccess = Annotated[Access, Depends(_writer)]
