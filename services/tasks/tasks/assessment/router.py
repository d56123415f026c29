"""/assessment: scoring rules per unit, and each unit's score for a period with its breakdown."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from louyu_kit.auth import bearer_token
from louyu_kit.db import SessionDep
from louyu_kit.errors import Forbidden
from louyu_kit.types import Id
from louyu_kit.versioning import IfMatch, require_version, set_etag
from tasks.access import Actor, BureauActor, ReadActor
from tasks.assessment import service
from tasks.assessment.schemas import Kind, RuleRead, RunCreate, RunRead, ScoringWeights
from tasks.bulletins import periods
from tasks.clients.metrics import BlockingMetrics, get_metrics
from tasks.work.lights import today_in_china

router = APIRouter(prefix="/assessment", tags=["绩效考核"])

TargetPath = Annotated[
    str, Path(max_length=40, description="适用对象：* 全部单位 / kind:street、kind:department 某类单位 / 单位编码")
]


def _reader(actor: ReadActor) -> Actor:
    if not actor.roles & {"leader", "bureau", "department", "street"}:
        raise Forbidden("您的账号不能查看绩效考核")
    return actor


AssessmentReader = Annotated[Actor, Depends(_reader)]


def _visible(actor: Actor, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Leader and bureau see every unit; a department or street only its own."""
    if actor.roles & {"leader", "bureau"}:
        return items
    return [i for i in items if i["unit_code"] in actor.unit_codes]


@router.get("/rules", response_model=list[RuleRead])
def list_rules(session: SessionDep, actor: AssessmentReader) -> list[RuleRead]:
    """计分规则（最具体的适用：单位 > 单位类别 > 全部单位）。"""
    return [RuleRead.model_validate(rule) for rule in service.rules(session)]


@router.put("/rules/{target}", response_model=RuleRead)
def put_rule(
    target: TargetPath,
    weights: ScoringWeights,
    session: SessionDep,
    actor: BureauActor,
    if_match: IfMatch,
    response: Response,
) -> RuleRead:
    """设置计分规则（仅区商务局；修改已有规则需 If-Match）。"""
    existing = service.get_rule(session, target.strip())
    if existing is not None:
        require_version(if_match, existing.version, f"计分规则“{target}”")
    rule = service.put_rule(session, target=target, weights=weights, actor=actor.username)
    set_etag(response, rule.version)
    return RuleRead(
        target=rule.target,
        target_name=service.target_name(session, rule.target),
        weights=ScoringWeights.model_validate(rule.weights),
        version=rule.version,
        updated_by=rule.updated_by,
        updated_at=rule.updated_at,
    )


@router.delete("/rules/{target}", status_code=status.HTTP_204_NO_CONTENT)
def delete_rule(target: TargetPath, session: SessionDep, actor: BureauActor) -> Response:
    """删除计分规则（该对象改用更一般的规则；删除 * 则恢复系统默认）。"""
    service.delete_rule(session, target.strip())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/runs", response_model=RunRead, status_code=status.HTTP_201_CREATED)
def create_run(
    data: RunCreate,
    request: Request,
    session: SessionDep,
    actor: BureauActor,
    metrics: Annotated[BlockingMetrics, Depends(get_metrics)],
) -> RunRead:
    """计算一个考核期间各单位的得分（仅区商务局；同一期间以最近一次计算为准）。"""
    period = periods.parse(data.period)
    news = metrics.street_news(period.year, token=bearer_token(request))
    record, results = service.run(session, period, today=today_in_china(), news=news, actor=actor.username)
    return RunRead.model_validate(service.run_read(record, results))


@router.get("/runs/{run_id}", response_model=RunRead)
def read_run(run_id: Id, session: SessionDep, actor: AssessmentReader) -> RunRead:
    """一次考核计算的结果。"""
    record = service.get_run(session, run_id)
    return RunRead.model_validate(service.run_read(record, _visible(actor, service.stored_scores(session, record))))


@router.get("/scores", response_model=RunRead)
def read_scores(
    session: SessionDep,
    actor: AssessmentReader,
    period: Annotated[str, Query(max_length=10, description="考核期间：2025、2025-Q2 或 2025-06")],
    kind: Annotated[Kind | None, Query(description="只看街道（street）或部门（department）")] = None,
) -> RunRead:
    """某考核期间最近一次计算的得分和明细（部门、街道只看到本单位）。"""
    record = service.latest_run(session, periods.parse(period))
    items = _visible(actor, service.stored_scores(session, record))
    if kind:
        items = [i for i in items if i["unit_kind"] == kind]
    return RunRead.model_validate(service.run_read(record, items))
