"""/plans: import a plan document (preview or save), read it, its task tree; /goals for metrics."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response, status

from louyu_kit.auth import verify_internal_or_roles
from louyu_kit.db import SessionDep
from louyu_kit.paging import Page, PageDep
from louyu_kit.types import Id
from tasks.access import BureauActor, ReadActor
from tasks.plans import service
from tasks.plans.models import Plan
from tasks.plans.schemas import GoalList, ImportRequest, ImportResult, PlanListItem, PlanRead, PlanSummary
from tasks.work import service as work
from tasks.work.router import Rules, Today
from tasks.work.schemas import TreeNode

router = APIRouter(tags=["工作方案"])


def valid_plan(plan_id: Id, session: SessionDep, actor: ReadActor) -> Plan:
    return service.get(session, plan_id)


PlanDep = Annotated[Plan, Depends(valid_plan)]


@router.post(
    "/plans/import",
    response_model=ImportResult,
    responses={201: {"model": ImportResult, "description": "已保存"}, 200: {"description": "预览（未保存）"}},
)
def import_plan(data: ImportRequest, session: SessionDep, actor: BureauActor, response: Response) -> ImportResult:
    """导入工作方案：save=false 只解析预览，save=true 保存；可带更正后的结构 plan（仅区商务局）。"""
    result = service.import_plan(session, request=data, actor=actor.username)
    if result["saved"]:
        response.status_code = status.HTTP_201_CREATED
    return ImportResult.model_validate(result)


@router.get("/plans", response_model=Page[PlanListItem])
def list_plans(session: SessionDep, actor: ReadActor, page: PageDep) -> Page[PlanListItem]:
    """已导入的工作方案（最新的在前），每个方案带导入的任务数。"""
    plans, total = service.list_page(session, page=page)
    counts = service.task_counts(session, [p.id for p in plans])
    items = [{**PlanSummary.model_validate(p).model_dump(), "task_count": counts.get(p.id, 0)} for p in plans]
    return Page[PlanListItem].model_validate(
        {"items": items, "total": total, "page": page.page, "page_size": page.page_size}
    )


@router.get("/plans/{plan_id}", response_model=PlanRead)
def read_plan(plan: PlanDep, session: SessionDep) -> PlanRead:
    """方案详情：章节、主办协办单位及职责、工作步骤、量化目标、导入提示。"""
    return PlanRead.model_validate(service.read_model(session, plan))


@router.get("/plans/{plan_id}/tree", response_model=list[TreeNode])
def plan_tree(plan: PlanDep, session: SessionDep, actor: ReadActor, today: Today, rules: Rules) -> list[Any]:
    """方案的任务树（分组 → 任务 → 子任务 / 节点），带灯色和进度。"""
    return work.tree(session, plan, actor=actor, today=today, rules=rules)


@router.delete("/plans/{plan_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_plan(plan: PlanDep, session: SessionDep, actor: BureauActor) -> Response:
    """删除误导入的方案及其全部任务、时间线和督办单（仅区商务局）。"""
    service.delete_plan(session, plan, actor=actor.username)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/goals",
    response_model=GoalList,
    dependencies=[Depends(verify_internal_or_roles("leader", "bureau"))],
)
def list_goals(session: SessionDep) -> GoalList:
    """各方案的量化目标（供指标服务跟踪；内部服务、区领导、区商务局可读）。"""
    items = service.goals(session)
    return GoalList.model_validate({"items": items, "total": len(items)})
