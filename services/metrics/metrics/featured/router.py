"""特色楼宇: the rule of each theme (区商务局 edits it) and the verdicts per building."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from louyu_kit.auth import Principal, allow
from louyu_kit.clock import today_in_china
from louyu_kit.db import SessionDep
from louyu_kit.paging import PageDep
from metrics.access import PersonAccess, ReadAccess
from metrics.featured import service
from metrics.featured.schemas import RuleRead, RuleWrite, VerdictList, VerdictRead

router = APIRouter(prefix="/featured", tags=["特色楼宇"])
Bureau = Annotated[Principal, allow("bureau")]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="年度（默认今年；往年按12月31日的在驻企业认定）")]
ThemeCode = Annotated[str, Path(max_length=30, description="主题代码，如 finance")]


def _rule_read(rule: service.Rule) -> RuleRead:
    return RuleRead(
        theme_code=rule.theme_code,
        theme_name=rule.theme_name,
        industry_prefixes=list(rule.industry_prefixes),
        measure=rule.measure,  # type: ignore[arg-type]
        threshold=rule.threshold,
        min_gfa=rule.min_gfa,
        tax_basis=rule.tax_basis,  # type: ignore[arg-type]
        is_default=rule.is_default,
        description=rule.describe(),
        updated_at=rule.updated_at,
        updated_by=rule.updated_by,
    )


@router.get("/rules", response_model=list[RuleRead])
def list_rules(session: SessionDep, _: PersonAccess) -> list[RuleRead]:
    """各特色主题的认定规则（未设置的主题使用默认规则）。"""
    return [_rule_read(rule) for rule in service.list_rules(session)]


@router.get("/rules/{theme}", response_model=RuleRead)
def get_rule(theme: ThemeCode, session: SessionDep, _: PersonAccess) -> RuleRead:
    """一个特色主题的认定规则。"""
    return _rule_read(service.get_rule(session, theme))


@router.put("/rules/{theme}", response_model=RuleRead)
def put_rule(theme: ThemeCode, data: RuleWrite, session: SessionDep, principal: Bureau) -> RuleRead:
    """设置一个特色主题的认定规则（区商务局）：口径、占比阈值、建筑面积下限。"""
    rule = service.set_rule(session, theme, **data.model_dump(), actor=principal.sub)
    return _rule_read(rule)


@router.get("", response_model=VerdictList)
def list_verdicts(
    session: SessionDep,
    access: ReadAccess,
    page: PageDep,
    year: Year = None,
    street: Annotated[str | None, Query(pattern=r"^\d{9}$", description="街道代码（9位）")] = None,
    qualifies: Annotated[bool | None, Query(description="只看符合（true）或不符合（false）的楼宇")] = None,
) -> VerdictList:
    """各楼宇的特色楼宇认定结果及理由（按楼宇编号分页；街道用户只看到本街道的楼宇）。"""
    year = year or today_in_china().year
    if street is not None:
        access.require_street(street)
    scope = {
        "building_codes": access.visible_building_codes(session),
        "street_codes": [street] if street else None,
    }
    # Every building is judged (numbers only) for the counts; the page's are explained.
    verdicts = service.evaluate(session, year=year, explain=False, **scope)
    qualifying = sum(1 for v in verdicts if v.qualifies)
    if qualifies is not None:
        verdicts = [v for v in verdicts if v.qualifies is qualifies]
    codes = [v.building_code for v in verdicts[page.offset : page.offset + page.page_size]]
    items = service.evaluate(session, year=year, building_codes=codes) if codes else []
    return VerdictList.model_validate(
        {
            "items": items,
            "total": len(verdicts),
            "page": page.page,
            "page_size": page.page_size,
            "qualifying": qualifying,
            "year": year,
        },
        from_attributes=True,
    )


@router.get("/buildings/{code}", response_model=VerdictRead)
def building_verdict(code: str, session: SessionDep, access: ReadAccess, year: Year = None) -> VerdictRead:
    """一栋楼宇的特色楼宇认定结果及理由。"""
    building = access.get_building(session, code)
    verdict = service.evaluate_one(session, code=building.code, year=year or today_in_china().year)
    return VerdictRead.model_validate(verdict, from_attributes=True)
