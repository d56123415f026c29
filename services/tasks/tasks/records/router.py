"""/enterprises/{credit_code}/record: 一企一档's visits, demands, leads, policies, events and centre stays."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from louyu_kit.auth import bearer_token
from louyu_kit.clock import today_in_china
from louyu_kit.db import SessionDep
from louyu_kit.uscc import normalise
from tasks.access import ReadActor
from tasks.clients.registry import BlockingRegistry, get_registry
from tasks.records import service
from tasks.records.schemas import EnterpriseRecord

router = APIRouter(tags=["一企一档"])


@router.get("/enterprises/{credit_code}/record", response_model=EnterpriseRecord)
def enterprise_record(
    credit_code: Annotated[str, Path(min_length=1, max_length=30, description="统一社会信用代码")],
    session: SessionDep,
    actor: ReadActor,
    request: Request,
    registry: Annotated[BlockingRegistry, Depends(get_registry)],
) -> EnterpriseRecord:
    """一企一档：企业的走访、诉求、招商线索、符合条件的政策（附理由）、申报与兑现、政策送达、受邀参加的活动和
    招商共享中心经历（企业须在本人可见范围内，否则 404；各项再按本人权限筛选）。"""
    token = bearer_token(request)
    enterprise = registry.enterprise(normalise(credit_code), token=token)
    codes = [b.code for b in enterprise.current_buildings]
    buildings = {b.code: b for b in registry.buildings_facts(codes, token=token)} if codes else {}
    found = service.record(session, enterprise=enterprise, buildings=buildings, actor=actor, today=today_in_china())
    return EnterpriseRecord.model_validate(found)
