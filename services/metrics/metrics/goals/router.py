"""Goals of the work plan: their progress, the copy from tasks on demand, goals entered by hand."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status

from louyu_kit.auth import Principal, allow
from louyu_kit.clock import today_in_china
from louyu_kit.db import SessionDep
from louyu_kit.errors import Unavailable
from metrics.access import MetricsAccess, PersonAccess
from metrics.goals import service
from metrics.goals.schemas import GoalCreate, GoalList, GoalRead, GoalSyncRead, GoalUpdate, GoalValue, SyncResult

router = APIRouter(prefix="/goals", tags=["工作目标"])
Bureau = Annotated[Principal, allow("bureau")]


def _visible(item: service.GoalProgress, access: MetricsAccess, session: Any) -> service.GoalProgress:
    """Street users and 楼长 see the district's goal, but only their own buildings named."""
    if not access.reads_all:
        codes = set(access.visible_building_codes(session) or ())
        item.buildings = [b for b in item.buildings if b["code"] in codes]
    return item


@router.get("", response_model=GoalList)
def list_goals(
    session: SessionDep,
    access: PersonAccess,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="目标年度（默认今年）")] = None,
) -> dict[str, Any]:
    """某年度的量化目标：基线、目标、当前值、完成比例及计算方法。"""
    year = year or today_in_china().year
    items = [_visible(item, access, session) for item in service.goal_progress(session, year=year)]
    state = service.sync_state(session)
    return {"items": items, "total": len(items), "year": year, "sync": state}


@router.post("", response_model=GoalRead, status_code=status.HTTP_201_CREATED)
def create_goal(data: GoalCreate, session: SessionDep, principal: Bureau) -> Any:
    """手工录入一个目标（区商务局），如工作方案之外的目标。"""
    goal = service.create(session, data=data.model_dump(), actor=principal.sub)
    return service.progress_of(session, goal)


def _audit(response: Response, action: str, goal_id: int) -> None:
    response.headers["X-Audit-Action"] = action
    response.headers["X-Audit-Object"] = f"goal:{goal_id}"


@router.patch("/{goal_id}", response_model=GoalRead, responses={404: {"description": "目标不存在"}})
def update_goal(goal_id: int, data: GoalUpdate, session: SessionDep, principal: Bureau, response: Response) -> Any:
    """修改目标（区商务局）；来自工作方案的目标只能填报当前值（manual_value / manual_note / manual_as_of）。"""
    goal = service.get(session, goal_id)
    values = data.model_dump(exclude_unset=True)
    service.update(session, goal, values=values, actor=principal.sub)
    _audit(response, "goals.value" if "manual_value" in values else "goals.update", goal.id)
    return service.progress_of(session, goal)


@router.patch(
    "/{goal_id}/value",
    response_model=GoalRead,
    responses={404: {"description": "目标不存在"}, 422: {"description": "该目标由指标服务计算，不能填报"}},
)
def enter_value(goal_id: int, data: GoalValue, session: SessionDep, principal: Bureau, response: Response) -> Any:
    """区商务局填报无法由数据计算的目标（如 招商共享中心）的当前值：数值、截至日期、说明；记录填报人并审计。"""
    goal = service.get(session, goal_id)
    values = {"manual_value": data.value, "manual_as_of": data.as_of, "manual_note": data.note}
    service.enter_value(session, goal, values=values, actor=principal.sub)
    _audit(response, "goals.value", goal.id)
    return service.progress_of(session, goal)


@router.delete("/{goal_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_goal(goal_id: int, session: SessionDep, _: Bureau) -> Response:
    """删除手工录入的目标（区商务局）。"""
    service.delete(session, service.get(session, goal_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/sync", response_model=SyncResult, responses={503: {"description": "任务服务不可用，目标保持上次同步的版本"}}
)
async def sync_goals(request: Request, _: Bureau) -> dict[str, Any]:
    """立即从任务服务同步工作方案的目标（区商务局）；任务服务不可用时返回 503，已有目标不变。"""
    client = getattr(request.app.state, "tasks", None)
    if client is None:
        raise Unavailable("任务服务客户端尚未就绪，请稍后重试")
    db = request.app.state.db
    count = await service.pull(db, client)
    with db.sessions() as session:
        state = service.sync_state(session)
        return {"synced": count, "sync": GoalSyncRead.model_validate(state)}
