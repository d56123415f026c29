"""``GET /api/metrics/definitions``: the 指标口径 catalogue (every figure, defined once)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from metrics.access import ReadAccess
from metrics.catalogue.definitions import DEFINITIONS
from metrics.catalogue.schemas import MetricDefinition

router = APIRouter(tags=["指标口径"])


class DefinitionList(BaseModel):
    items: list[MetricDefinition] = Field(description="全部指标定义（按分类、目录顺序）")
    total: int = Field(description="指标个数")


@router.get("/definitions", response_model=DefinitionList, responses={403: {}})
def list_definitions(_: ReadAccess) -> DefinitionList:
    """指标口径：产品中展示或导出的每个数字的代码、名称、公式、分子分母、包含范围、单位、统计期口径与来源表。"""
    return DefinitionList(items=list(DEFINITIONS), total=len(DEFINITIONS))
