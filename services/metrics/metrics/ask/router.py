"""``/api/metrics/ask``: 问数 — a question in Chinese, answered with the figure, its 口径, how the
question was read and a link; the asker's history; the unanswered questions and the synonyms
the bureau keeps (applied on the next question, no restart)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status

from louyu_kit.auth import Principal, allow
from louyu_kit.clock import today_in_china
from louyu_kit.db import SessionDep
from louyu_kit.types import Id
from metrics.access import ReadAccess
from metrics.ask import service
from metrics.ask.models import AskSynonym
from metrics.ask.schemas import AskAnswer, AskRequest, HistoryList, SynonymCreate, SynonymList, SynonymRead
from metrics.ask.vocabulary import VocabularyCache
from metrics.clients.llm import LlmAdapter
from metrics.kpis import cache

router = APIRouter(prefix="/ask", tags=["问数"])
Bureau = Annotated[Principal, allow("bureau")]
Overseers = Annotated[Principal, allow("bureau", "leader")]
UNANSWERED = ("unknown", "ambiguous")
# Questions range over many scopes and periods: their KPI answers are kept longer and more of
# them than the cockpit's (every key names the data version, so new figures are never stale).
ASK_CACHE_SIZE, ASK_CACHE_SECONDS = 2048, 600.0


def ask_today() -> date:
    """The day relative periods (今年, 上个月) are read against: today in China."""
    return today_in_china()


Today = Annotated[date, Depends(ask_today)]


def _vocabularies(request: Request) -> VocabularyCache:
    holder = getattr(request.app.state, "ask_vocabulary", None)
    if holder is None:
        holder = VocabularyCache()
        request.app.state.ask_vocabulary = holder
    return holder


def _llm(request: Request) -> LlmAdapter | None:
    """The large-model adapter when the deployer configured one (off by default)."""
    if not hasattr(request.app.state, "ask_llm"):
        settings = request.app.state.settings
        url = getattr(settings, "metrics_ask_llm_url", "")
        request.app.state.ask_llm = (
            LlmAdapter(
                url=url,
                key=settings.metrics_ask_llm_key,
                model=settings.metrics_ask_llm_model,
                timeout=settings.metrics_ask_llm_timeout_seconds,
            )
            if url
            else None
        )
    return request.app.state.ask_llm


@router.post("", response_model=AskAnswer)
def ask(data: AskRequest, request: Request, session: SessionDep, access: ReadAccess, today: Today) -> AskAnswer:
    """问数：读懂问题（指标、范围、期间、比较、条件），用与各页面相同的接口和权限回答，并给出口径和页面链接。"""
    return service.ask(
        session,
        question=data.question,
        edits=dict(data.edits),
        record=data.record,
        access=access,
        today=today,
        vocabularies=_vocabularies(request),
        cache=cache.of(request.app.state, "ask_cache", size=ASK_CACHE_SIZE, ttl=ASK_CACHE_SECONDS),
        llm=_llm(request),
    )


@router.get("/history", response_model=HistoryList)
def my_history(
    session: SessionDep, access: ReadAccess, limit: Annotated[int, Query(ge=1, le=200, description="条数")] = 30
) -> dict[str, Any]:
    """我问过的问题（最近的在前）。"""
    items, total = service.history(session, username=access.username, limit=limit)
    return {"items": items, "total": total}


@router.get("/unanswered", response_model=HistoryList)
def unanswered(
    session: SessionDep, _: Overseers, limit: Annotated[int, Query(ge=1, le=500, description="条数")] = 100
) -> dict[str, Any]:
    """没能回答的问题（读不懂或有歧义），供区商务局补充同义词。"""
    items, total = service.history(session, username=None, statuses=UNANSWERED, limit=limit)
    return {"items": items, "total": total}


def _read(session: Any, row: AskSynonym) -> SynonymRead:
    return SynonymRead.model_validate(row).model_copy(update={"meaning": service.synonym_meaning(session, row)})


@router.get("/synonyms", response_model=SynonymList)
def list_synonyms(session: SessionDep, _: Overseers) -> dict[str, Any]:
    """区商务局维护的同义词（说法 → 指标、楼宇、街道等）。"""
    rows = service.list_synonyms(session)
    return {"items": [_read(session, r) for r in rows], "total": len(rows)}


@router.post("/synonyms", response_model=SynonymRead, status_code=status.HTTP_201_CREATED)
def add_synonym(data: SynonymCreate, session: SessionDep, principal: Bureau, response: Response) -> SynonymRead:
    """新增同义词（区商务局）；下一个问题即生效，无需重启。"""
    row = service.add_synonym(session, data=data, actor=principal.sub)
    response.headers["X-Audit-Action"] = "ask.synonym.create"
    response.headers["X-Audit-Object"] = f"ask_synonym:{row.id}"
    return _read(session, row)


@router.delete("/synonyms/{synonym_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_synonym(synonym_id: Id, session: SessionDep, _: Bureau, response: Response) -> Response:
    """删除同义词（区商务局）。"""
    service.delete_synonym(session, synonym_id=synonym_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"X-Audit-Action": "ask.synonym.delete"})
