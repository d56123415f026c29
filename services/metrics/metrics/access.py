"""Who may read which metrics (checked on the server for every request).

- 区领导 (leader), 区商务局 (bureau) and 协办部门 (department) read every figure.
- 街道 (street) users read the figures of their streets' buildings and of their streets; a
  building or street outside them answers 404, district-wide figures answer 403, and lists
  (rankings, the dashboard) contain only their buildings.
- 楼长 / 联络员 (chief) read the buildings they are chief or liaison of, the same way.
- Bureau systems with scope ``stats:read`` read aggregates (district, street, theme, zone,
  industry section, building totals and rankings) but no enterprise: no tenant lists, no
  names or credit codes of taxpayers, no people.
- Bureau systems with scope ``facts:write`` only post figures and read their own batches
  (``metrics.facts``); every read here refuses them (403).
- The 大屏 kiosk account (``screen``) reads the dashboard, the map and the warning counts
  district-wide, and nothing else (403).
- auditor and admin read no domain data (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from louyu_kit.auth import Principal, allow
from louyu_kit.errors import Forbidden, NotFound
from metrics.readmodel.models import RmBuilding

READ_ROLES = ("leader", "bureau", "department", "street", "chief")
# The 大屏 kiosk (role ``screen``) reads the district's figures on the routes that take
# ``ScreenAccess`` (the dashboard, the map, the warning counts) and nothing else.
SCREEN_ROLE = "screen"
READ_ALL_ROLES = frozenset({"leader", "bureau", "department", SCREEN_ROLE})
STATS_SCOPE = "stats:read"
STATS_ROLES = ("leader", "bureau")


@dataclass(frozen=True)
class MetricsAccess:
    """The caller's metrics scope."""

    username: str
    is_client: bool
    roles: frozenset[str]
    scopes: frozenset[str]
    streets: tuple[str, ...]

    @classmethod
    def of(cls, principal: Principal) -> MetricsAccess:
        return cls(
            username=principal.sub,
            is_client=not principal.is_user,
            roles=principal.roles if principal.is_user else frozenset(),
            scopes=principal.scopes if not principal.is_user else frozenset(),
            streets=principal.street_codes if principal.is_user else (),
        )

    @property
    def reads_all(self) -> bool:
        """Every building, street and the district (people with a district-wide role, stats clients)."""
        return bool(self.roles & READ_ALL_ROLES) or (self.is_client and STATS_SCOPE in self.scopes)

    @property
    def aggregates_only(self) -> bool:
        """A statistics-bureau system: totals, never an enterprise."""
        return self.is_client

    @property
    def sees_enterprises(self) -> bool:
        return not self.is_client and bool(self.roles & set(READ_ROLES))

    def building_filter(self) -> ColumnElement[bool]:
        """WHERE clause on ``rm_building`` for the buildings this caller may read."""
        if self.reads_all:
            return true()
        clauses: list[ColumnElement[bool]] = []
        if "street" in self.roles and self.streets:
            clauses.append(RmBuilding.street_code.in_(self.streets))
        if "chief" in self.roles:
            clauses.append(
                or_(RmBuilding.chief_username == self.username, RmBuilding.liaison_username == self.username)
            )
        return or_(*clauses) if clauses else false()

    def can_read_building(self, building: RmBuilding) -> bool:
        return self.reads_all or self.owns(building.street_code, building.chief_username, building.liaison_username)

    def owns(self, street_code: str, chief: str | None, liaison: str | None) -> bool:
        """A building of the caller's streets, or one the caller is 楼长 / 联络员 of."""
        if "street" in self.roles and street_code in self.streets:
            return True
        return "chief" in self.roles and self.username in (chief, liaison)

    def visible_building_codes(self, session: Session) -> list[str] | None:
        """None: every building; else the codes of the buildings this caller may read."""
        if self.reads_all:
            return None
        return list(
            session.scalars(select(RmBuilding.code).where(self.building_filter(), RmBuilding.deleted.is_(False)))
        )

    def get_building(self, session: Session, code: str) -> RmBuilding:
        """The building if this caller may read it; 404 otherwise (even when it exists)."""
        building = session.get(RmBuilding, code.strip())
        if building is None or building.deleted or not self.can_read_building(building):
            raise NotFound(f"楼宇 {code} 不存在", error="BuildingNotFound")
        return building

    def can_read_street(self, street_code: str) -> bool:
        return self.reads_all or ("street" in self.roles and street_code in self.streets)

    def require_street(self, street_code: str) -> None:
        if not self.can_read_street(street_code):
            raise NotFound(f"街道 {street_code} 不存在或不在您的管辖范围", error="StreetNotFound")

    def require_district(self) -> None:
        """District-wide figures (and theme or zone totals spanning streets)."""
        if not self.reads_all:
            raise Forbidden("您只能查看本人负责的街道或楼宇的数据", error="OutOfScope")

    def require_enterprises(self) -> None:
        if not self.sees_enterprises:
            raise Forbidden("统计接口只提供汇总数据，不提供企业明细", error="AggregatesOnly")


def _reader(principal: Annotated[Principal, allow(*READ_ROLES, scopes=(STATS_SCOPE,))]) -> MetricsAccess:
    return MetricsAccess.of(principal)


def _person(principal: Annotated[Principal, allow(*READ_ROLES)]) -> MetricsAccess:
    return MetricsAccess.of(principal)


def _screen(principal: Annotated[Principal, allow(*READ_ROLES, SCREEN_ROLE)]) -> MetricsAccess:
    return MetricsAccess.of(principal)


def _stats(principal: Annotated[Principal, allow(*STATS_ROLES, scopes=(STATS_SCOPE,))]) -> MetricsAccess:
    return MetricsAccess.of(principal)


ReadAccess = Annotated[MetricsAccess, Depends(_reader)]
"""People with a read role, and ``stats:read`` systems (aggregates)."""
PersonAccess = Annotated[MetricsAccess, Depends(_person)]
"""People with a read role only (enterprise detail, the dashboard)."""
ScreenAccess = Annotated[MetricsAccess, Depends(_screen)]
"""People with a read role and the 大屏 kiosk account (the figures the wall display shows)."""
StatsAccess = Annotated[MetricsAccess, Depends(_stats)]
"""The statistics bureau's exports: ``stats:read`` systems, leader and bureau."""
