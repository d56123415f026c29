"""预警: rules (区商务局 edits them), the warnings with their dates, evaluation on demand."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from louyu_kit.auth import Principal, allow
from louyu_kit.db import SessionDep
from louyu_kit.paging import Page, PageDep, paginate
from metrics.access import PersonAccess, ScreenAccess
from metrics.warnings import service
from metrics.warnings.models import EarlyWarning
from metrics.warnings.schemas import (
    EvaluationRead,
    Level,
    WarningDetail,
    WarningLevelCounts,
    WarningNoteCreate,
    WarningNoteRead,
    WarningRead,
    WarningRuleRead,
    WarningRulesWrite,
)

router = APIRouter(prefix="/warnings", tags=["预警"])
WarningId = Annotated[int, Path(ge=1, le=2**31 - 1, description="预警编号")]
Bureau = Annotated[Principal, allow("bureau")]
# 处置 notes: the bureau for any warning, a street user for its own street's.
Handler = Annotated[Principal, allow("bureau", "street")]


def warning_read(row: EarlyWarning) -> WarningRead:
    return WarningRead.model_validate(row)


@router.get("/rules", response_model=list[WarningRuleRead])
def list_rules(session: SessionDep, _: PersonAccess) -> list[WarningRuleRead]:
    """预警规则及其阈值。"""
    return [WarningRuleRead.model_validate(r) for r in service.list_rules(session)]


@router.put("/rules", response_model=list[WarningRuleRead])
def put_rules(data: WarningRulesWrite, session: SessionDep, principal: Bureau) -> list[WarningRuleRead]:
    """修改预警规则（区商务局）：启用与否、阈值等；未列出的规则不变。"""
    changes = {item.code: item.model_dump(exclude_unset=True, exclude={"code"}) for item in data.rules}
    rules = service.set_rules(session, changes=changes, actor=principal.sub)
    return [WarningRuleRead.model_validate(r) for r in rules]


@router.get("", response_model=Page[WarningRead], responses={404: {"description": "楼宇不存在或不在可查看范围内"}})
def list_warnings(
    session: SessionDep,
    access: PersonAccess,
    page: PageDep,
    street: Annotated[str | None, Query(pattern=r"^\d{9}$", description="街道代码（9位）")] = None,
    active: Annotated[bool | None, Query(description="true 仅有效预警，false 仅已解除，不填为全部")] = None,
    rule: Annotated[str | None, Query(max_length=30, description="规则代码")] = None,
    building: Annotated[str | None, Query(max_length=20, description="楼宇编号")] = None,
    level: Annotated[Level | None, Query(description="严重程度：severe / major / minor")] = None,
) -> Page[WarningRead]:
    """预警列表（严重的在前，同一程度新的在前），每条带数字、楼宇和首次出现时间；街道用户只看到本街道的预警。"""
    if street is not None:
        access.require_street(street)
    if building is not None:
        access.get_building(session, building)
    stmt = service.warnings_query(
        street_codes=[street] if street else None,
        building_codes=[building] if building else access.visible_building_codes(session),
        active=active,
        rule=rule,
        level=level,
    )
    rows, total = paginate(session, stmt, page)
    return Page[WarningRead](
        items=[warning_read(r) for r in rows], total=total, page=page.page, page_size=page.page_size
    )


@router.post("/evaluate", response_model=EvaluationRead)
def evaluate(session: SessionDep, _: Bureau) -> EvaluationRead:
    """立即按当前规则评估全部预警（区商务局）；重复评估不会产生重复预警。"""
    return EvaluationRead.model_validate(service.evaluate(session))


@router.get("/levels", response_model=WarningLevelCounts)
def level_counts(session: SessionDep, access: ScreenAccess) -> WarningLevelCounts:
    """有效预警按严重程度的条数（街道用户为本街道）。"""
    return WarningLevelCounts(**service.level_counts(session, building_codes=access.visible_building_codes(session)))


@router.get("/{warning_id}", response_model=WarningDetail)
def read_warning(warning_id: WarningId, session: SessionDep, access: PersonAccess) -> WarningDetail:
    """一条预警及其处置记录（谁看过、做了什么）；本人范围以外的预警为 404。"""
    row = service.get_warning(session, warning_id, building_codes=access.visible_building_codes(session))
    notes = [WarningNoteRead.model_validate(n) for n in service.list_notes(session, warning=row)]
    return WarningDetail(**warning_read(row).model_dump(), notes=notes)


@router.post("/{warning_id}/notes", response_model=WarningNoteRead, status_code=201)
def add_note(
    warning_id: WarningId, data: WarningNoteCreate, session: SessionDep, access: PersonAccess, principal: Handler
) -> WarningNoteRead:
    """记录预警的处置情况（区商务局；街道用户限本街道的预警）。"""
    codes = None if principal.has_role("bureau") else access.visible_building_codes(session)
    row = service.get_warning(session, warning_id, building_codes=codes)
    note = service.add_note(session, warning=row, kind=data.kind, text_=data.text, actor=principal.sub)
    return WarningNoteRead.model_validate(note)
