"""``GET /api/auth/chiefs``: the 楼长 accounts a building's 楼长 or 联络员 may be chosen from."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from gateway.chiefs import service
from gateway.chiefs.schemas import ChiefAccount, ChiefList
from louyu_kit.auth import Principal, allow
from louyu_kit.db import SessionDep
from louyu_kit.errors import Forbidden

router = APIRouter(tags=["楼长账号"])
# Who assigns 楼长: the bureau anywhere, a street within its own streets (registry.access.check_assignees).
Assigner = Annotated[Principal, allow("bureau", "street")]


@router.get("/chiefs", response_model=ChiefList)
def list_chiefs(
    session: SessionDep,
    principal: Assigner,
    street: Annotated[str | None, Query(pattern=r"^\d{9}$", description="街道代码（楼宇所在街道）")] = None,
    q: Annotated[str | None, Query(max_length=50, description="按姓名或登录名查找")] = None,
) -> ChiefList:
    """可担任楼长、联络员的账号（在职的楼长角色账号；街道只看本街道的）。"""
    streets: set[str] | None = {street} if street else None
    if not principal.has_role("bureau"):
        own = set(principal.street_codes)
        if street and street not in own:
            raise Forbidden("只能查看本街道的楼长账号", error="StreetNotYours")
        streets = streets or own
    users = service.list_chiefs(session, streets=streets, q=q)
    items = [
        ChiefAccount(username=u.username, display_name=u.display_name, street_codes=list(u.street_codes)) for u in users
    ]
    return ChiefList(items=items, total=len(items))
