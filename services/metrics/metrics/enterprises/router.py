"""/enterprises: 一企一档's figures (tax and revenue by month) and the enterprise list's tax columns."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from louyu_kit.clock import today_in_china
from louyu_kit.db import SessionDep
from louyu_kit.errors import Invalid
from louyu_kit.uscc import normalise
from metrics.access import PersonAccess
from metrics.enterprises import service
from metrics.enterprises.schemas import EnterpriseFigures, EnterpriseTaxList

router = APIRouter(tags=["一企一档"])

YearQuery = Annotated[int | None, Query(ge=2000, le=2100, description="年份（默认最近有数据的年份，没有数据时为今年）")]
MAX_CODES = 200


@router.get("/enterprises/tax", response_model=EnterpriseTaxList)
def enterprises_tax(
    session: SessionDep,
    access: PersonAccess,
    codes: Annotated[
        str, Query(max_length=MAX_CODES * 20, description="统一社会信用代码，多个用逗号分隔（最多 200 个）")
    ],
    year: YearQuery = None,
) -> EnterpriseTaxList:
    """企业列表的税收列：全口径税收年初至今与上年同期（只列本人可查看税收的企业；统计接口不提供）。"""
    access.require_enterprises()
    wanted = [normalise(c) for c in codes.split(",") if c.strip()]
    if len(wanted) > MAX_CODES:
        raise Invalid(
            f"一次最多查询 {MAX_CODES} 家企业", fields=[{"field": "codes", "message": f"最多 {MAX_CODES} 个"}]
        )
    year = year or service.default_year(session, today_year=today_in_china().year)
    return EnterpriseTaxList.model_validate(service.tax_list(session, access=access, codes=wanted, year=year))


@router.get("/enterprises/{credit_code}/figures", response_model=EnterpriseFigures)
def enterprise_figures(
    credit_code: Annotated[str, Path(min_length=1, max_length=30, description="统一社会信用代码")],
    session: SessionDep,
    access: PersonAccess,
    year: YearQuery = None,
) -> EnterpriseFigures:
    """一企一档：企业逐月全口径税收、区级税收和营业收入，含上年同月与同比（街道、楼长只能查看本辖区楼宇内的企业）。"""
    access.require_enterprises()
    enterprise = service.require_enterprise(session, access, normalise(credit_code))
    year = year or service.default_year(session, today_year=today_in_china().year, credit_code=enterprise.credit_code)
    return EnterpriseFigures.model_validate(service.figures(session, enterprise=enterprise, year=year))
