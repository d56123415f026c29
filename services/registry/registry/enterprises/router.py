"""/enterprises: 一企一档."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status

from louyu_kit.db import SessionDep
from louyu_kit.paging import Page, PageDep
from louyu_kit.versioning import IfMatch, require_version, set_etag
from registry.access import ReadAccess, WriteAccess
from registry.audit import note
from registry.enterprises import service
from registry.enterprises.models import Enterprise
from registry.enterprises.schemas import EnterpriseCreate, EnterpriseRead, EnterpriseSummary, EnterpriseUpdate
from registry.history import service as history
from registry.history.schemas import ChangeRead

router = APIRouter(tags=["企业"])


def valid_enterprise(credit_code: str, session: SessionDep, access: ReadAccess) -> Enterprise:
    return service.get(session, credit_code, access=access)


EnterpriseDep = Annotated[Enterprise, Depends(valid_enterprise)]


def filters(
    q: Annotated[
        str | None, Query(max_length=100, description="企业名称（包含即可）或统一社会信用代码（前缀）")
    ] = None,
    industry: Annotated[str | None, Query(max_length=4, description="行业：门类字母或代码前缀")] = None,
    street: Annotated[str | None, Query(description="当前所在街道代码，多个用逗号分隔")] = None,
    building: Annotated[str | None, Query(description="当前所在楼宇编码")] = None,
    registered: Annotated[bool | None, Query(description="在册")] = None,
    taxed: Annotated[bool | None, Query(description="在税")] = None,
    in_statistics: Annotated[bool | None, Query(description="纳统")] = None,
    above_scale: Annotated[bool | None, Query(description="规上")] = None,
    is_key: Annotated[bool | None, Query(description="重点企业")] = None,
) -> service.EnterpriseFilters:
    return service.EnterpriseFilters(
        q=q,
        industry=industry,
        street=[s.strip() for s in street.split(",") if s.strip()] if street else None,
        building=building,
        registered=registered,
        taxed=taxed,
        in_statistics=in_statistics,
        above_scale=above_scale,
        is_key=is_key,
    )


@router.get("/enterprises", response_model=Page[EnterpriseSummary])
def list_enterprises(
    session: SessionDep, access: ReadAccess, page: PageDep, f: Annotated[service.EnterpriseFilters, Depends(filters)]
) -> Page[EnterpriseSummary]:
    """企业列表：按名称或信用代码搜索，按行业、在册/在税/纳统/规上、所在街道或楼宇筛选。"""
    items, total, capped = service.list_page(session, access=access, filters=f, page=page)
    return Page[EnterpriseSummary].model_validate(
        {"items": items, "total": total, "page": page.page, "page_size": page.page_size, "total_capped": capped}
    )


@router.post("/enterprises", response_model=EnterpriseRead, status_code=status.HTTP_201_CREATED)
def create_enterprise(
    data: EnterpriseCreate, session: SessionDep, access: WriteAccess, response: Response
) -> EnterpriseRead:
    """登记企业（校验统一社会信用代码；重复登记返回 409 并指明已有企业）。"""
    enterprise = service.create(session, data=data, access=access, actor=access.username)
    if enterprise.check_override:
        note(response, action="enterprise.check_override", obj=f"enterprise:{enterprise.credit_code}")
    set_etag(response, enterprise.version)
    return EnterpriseRead.model_validate(service.read_model(session, enterprise, access=access))


@router.get("/enterprises/{credit_code}", response_model=EnterpriseRead)
def read_enterprise(
    enterprise: EnterpriseDep, session: SessionDep, access: ReadAccess, response: Response
) -> EnterpriseRead:
    """企业档案（ETag 为当前版本）。"""
    set_etag(response, enterprise.version)
    return EnterpriseRead.model_validate(service.read_model(session, enterprise, access=access))


@router.patch("/enterprises/{credit_code}", response_model=EnterpriseRead)
def update_enterprise(
    enterprise: EnterpriseDep,
    data: EnterpriseUpdate,
    session: SessionDep,
    access: WriteAccess,
    if_match: IfMatch,
    response: Response,
) -> EnterpriseRead:
    """修改企业（需 If-Match；信用代码不可修改）。"""
    if not service.can_edit(session, enterprise, access):
        service.raise_forbidden(enterprise)
    require_version(if_match, enterprise.version, f"企业“{enterprise.name}”")
    service.update(session, enterprise, data=data, access=access, actor=access.username)
    set_etag(response, enterprise.version)
    return EnterpriseRead.model_validate(service.read_model(session, enterprise, access=access))


@router.delete("/enterprises/{credit_code}", status_code=status.HTTP_204_NO_CONTENT)
def delete_enterprise(enterprise: EnterpriseDep, session: SessionDep, access: WriteAccess) -> Response:
    """删除误录的企业（仅区商务局；有入驻记录的不能删除）。"""
    service.delete(session, enterprise, access=access, actor=access.username)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/enterprises/{credit_code}/history", response_model=list[ChangeRead])
def enterprise_history(enterprise: EnterpriseDep, session: SessionDep) -> list[Any]:
    """企业的修改记录，最新的在前。"""
    return history.list_for(session, entity="enterprise", entity_id=enterprise.credit_code)
