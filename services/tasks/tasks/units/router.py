"""/units: the directory of responsible units (责任单位) and their aliases."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status

from louyu_kit.auth import Principal, allow
from louyu_kit.db import SessionDep
from louyu_kit.paging import Page, PageDep
from louyu_kit.types import Id
from louyu_kit.versioning import IfMatch, require_version, set_etag
from tasks.access import READ_ROLES, BureauActor, ReadActor
from tasks.units import service
from tasks.units.models import Unit
from tasks.units.schemas import (
    AliasCreate,
    AliasRead,
    ResolvedName,
    ResolveRequest,
    UnitCreate,
    UnitKind,
    UnitRead,
    UnitSummary,
    UnitUpdate,
)

router = APIRouter(tags=["责任单位"])
# The system administrator picks a user's 所属单位 from this list (账号管理), without any
# right to the tasks themselves.
DirectoryReader = Annotated[Principal, allow(*READ_ROLES, "admin")]


def valid_unit(code: str, session: SessionDep, actor: ReadActor) -> Unit:
    return service.get(session, code)


UnitDep = Annotated[Unit, Depends(valid_unit)]


def _read(session: Any, unit: Unit, response: Response) -> UnitRead:
    set_etag(response, unit.version)
    return UnitRead.model_validate(service.read_model(session, unit))


@router.get("/units", response_model=Page[UnitSummary])
def list_units(
    session: SessionDep,
    _: DirectoryReader,
    page: PageDep,
    kind: Annotated[UnitKind | None, Query(description="单位类别")] = None,
    q: Annotated[str | None, Query(max_length=100, description="名称、别名或编码")] = None,
    active: Annotated[bool | None, Query(description="只看在用（true）或停用（false）")] = None,
) -> Page[UnitSummary]:
    """责任单位目录（按类别、名称或别名筛选）。"""
    items, total = service.list_page(session, kind=kind, q=q, active=active, page=page)
    return Page[UnitSummary].model_validate(
        {"items": items, "total": total, "page": page.page, "page_size": page.page_size}
    )


@router.post("/units", response_model=UnitRead, status_code=status.HTTP_201_CREATED)
def create_unit(data: UnitCreate, session: SessionDep, actor: BureauActor, response: Response) -> UnitRead:
    """新增责任单位（仅区商务局）。"""
    unit = service.create(session, data=data, actor=actor.username)
    return _read(session, unit, response)


@router.post("/units/resolve", response_model=list[ResolvedName])
def resolve_names(data: ResolveRequest, session: SessionDep, actor: ReadActor) -> list[ResolvedName]:
    """按文件中的写法识别单位（别名、统称展开、近似匹配提示）。"""
    directory = service.directory(session)
    out = []
    for name in data.names:
        r = directory.resolve(name)
        out.append(
            ResolvedName.model_validate(
                {
                    "written": r.written,
                    "matched_by": r.matched_by,
                    "collective": r.collective,
                    "units": [{"code": u.code, "name": u.name} for u in r.units],
                    "warning": r.warning,
                }
            )
        )
    return out


@router.get("/units/{code}", response_model=UnitRead)
def read_unit(unit: UnitDep, session: SessionDep, response: Response) -> UnitRead:
    """单位详情：别名，统称包含的单位。"""
    return _read(session, unit, response)


@router.patch("/units/{code}", response_model=UnitRead)
def update_unit(
    unit: UnitDep, data: UnitUpdate, session: SessionDep, actor: BureauActor, if_match: IfMatch, response: Response
) -> UnitRead:
    """修改单位（仅区商务局；需 If-Match）。"""
    require_version(if_match, unit.version, f"单位“{unit.name}”")
    service.update(session, unit, data=data, actor=actor.username)
    return _read(session, unit, response)


@router.post("/units/{code}/aliases", response_model=AliasRead, status_code=status.HTTP_201_CREATED)
def add_alias(unit: UnitDep, data: AliasCreate, session: SessionDep, actor: BureauActor) -> Any:
    """为单位增加别名（仅区商务局；别名已属于其他单位时 409）。"""
    return service.add_alias(session, unit, data=data, actor=actor.username)


@router.delete("/units/{code}/aliases/{alias_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_alias(unit: UnitDep, alias_id: Id, session: SessionDep, actor: BureauActor) -> Response:
    """删除单位的别名（仅区商务局）。"""
    service.delete_alias(session, unit, alias_id, actor=actor.username)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
