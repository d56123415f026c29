"""``GET /api/auth/internal/users/{username}``: who an account is, for a peer service (service
token only; not in the public API). Registry asks it before a building's 楼长 or 联络员 is set
(the account must exist, be active, hold the right role and street)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field
from sqlalchemy import select

from gateway.accounts.models import User
from louyu_kit.auth import verify_internal
from louyu_kit.db import SessionDep
from louyu_kit.errors import Forbidden, NotFound

router = APIRouter(tags=["内部接口"])
# The services that may look accounts up.
LOOKUP_CALLERS = frozenset({"registry"})


class UserLookup(BaseModel):
    username: str
    display_name: str
    roles: list[str] = Field(description="角色")
    street_codes: list[str] = Field(description="负责的街道代码")
    is_active: bool


def _peer(service: Annotated[str, Depends(verify_internal)]) -> str:
    if service not in LOOKUP_CALLERS:
        raise Forbidden("该服务不能查询账号", error="NotALookupCaller")
    return service


@router.get("/internal/users/{username}", response_model=UserLookup, include_in_schema=False)
def lookup_user(
    session: SessionDep,
    _service: Annotated[str, Depends(_peer)],
    username: Annotated[str, Path(max_length=100)],
) -> UserLookup:
    """An account's roles, streets and state (404 when there is no such account)."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound(f"账号 {username} 不存在", error="UserNotFound")
    return UserLookup(
        username=user.username,
        display_name=user.display_name,
        roles=sorted(user.roles),
        street_codes=list(user.street_codes),
        is_active=user.is_active,
    )
