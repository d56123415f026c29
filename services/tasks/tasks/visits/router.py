"""/visit-rounds and /visits: 扫楼 rounds, coverage, visit records and their photos."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Header, Query, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse

from louyu_kit.auth import bearer_token
from louyu_kit.db import SessionDep
from louyu_kit.docs import file_response_doc
from louyu_kit.errors import Forbidden
from louyu_kit.paging import Page, PageDep
from louyu_kit.types import Id
from tasks.access import ReadActor
from tasks.clients.registry import BlockingRegistry, get_registry
from tasks.demands.router import deadlines_of
from tasks.visits import photos, service
from tasks.visits.models import Visit, VisitRound
from tasks.visits.schemas import (
    Coverage,
    PhotoRead,
    RoundBuildingRead,
    RoundCreate,
    RoundRead,
    VisitCreate,
    VisitRead,
    VisitSummary,
)

router = APIRouter(tags=["扫楼走访"])

RegistryDep = Annotated[BlockingRegistry, Depends(get_registry)]


def valid_round(round_id: Id, session: SessionDep, actor: ReadActor) -> VisitRound:
    return service.get_round(session, round_id)


def valid_visit(visit_id: Id, session: SessionDep, actor: ReadActor) -> Visit:
    return service.get(session, visit_id, actor=actor)


RoundDep = Annotated[VisitRound, Depends(valid_round)]
VisitDep = Annotated[Visit, Depends(valid_visit)]


def photo_url(visit_id: Id, photo_id: Id) -> str:
    return f"/api/tasks/visits/{visit_id}/photos/{photo_id}"


def _round(session: Any, round_: VisitRound, actor: Any) -> RoundRead:
    return RoundRead.model_validate(
        service.round_read(round_, service.round_counts(session, [round_], actor=actor)[round_.id])
    )


@router.post("/visit-rounds", response_model=RoundRead, status_code=status.HTTP_201_CREATED)
def create_round(
    data: RoundCreate, request: Request, session: SessionDep, actor: ReadActor, registry: RegistryDep
) -> RoundRead:
    """新建扫楼轮次（仅区商务局）：指定楼宇，或指定街道（该街道全部楼宇），楼长取自楼宇档案。"""
    round_ = service.create_round(session, data=data, actor=actor, registry=registry, token=bearer_token(request))
    return _round(session, round_, actor)


@router.get("/visit-rounds", response_model=Page[RoundRead])
def list_rounds(session: SessionDep, actor: ReadActor, page: PageDep) -> Page[RoundRead]:
    """扫楼轮次列表（最近的在前），每轮的应走访数和已走访数按本人可见范围计算。"""
    rounds, total = service.list_rounds(session, page=page)
    counts = service.round_counts(session, rounds, actor=actor)
    items = [service.round_read(r, counts[r.id]) for r in rounds]
    return Page[RoundRead].model_validate(
        {"items": items, "total": total, "page": page.page, "page_size": page.page_size}
    )


@router.get("/visit-rounds/{round_id}", response_model=RoundRead)
def read_round(round_: RoundDep, session: SessionDep, actor: ReadActor) -> RoundRead:
    """扫楼轮次。"""
    return _round(session, round_, actor)


@router.get("/visit-rounds/{round_id}/coverage", response_model=Coverage)
def round_coverage(round_: RoundDep, session: SessionDep, actor: ReadActor) -> Coverage:
    """走访覆盖率：按街道、按楼长统计应走访和已走访楼宇数。"""
    return Coverage.model_validate(service.coverage(session, round_, actor=actor))


def _round_buildings(
    round_: VisitRound,
    session: Any,
    actor: Any,
    page: Any,
    street: str | None,
    chief: str | None,
    visited: bool | None,
) -> Page[RoundBuildingRead]:
    filters = service.RoundBuildingFilters(street=street, chief=chief, visited=visited)
    items, total = service.round_buildings(session, round_, actor=actor, filters=filters, page=page)
    return Page[RoundBuildingRead].model_validate(
        {"items": items, "total": total, "page": page.page, "page_size": page.page_size}
    )


StreetQuery = Annotated[str | None, Query(max_length=12, description="街道代码")]
ChiefQuery = Annotated[str | None, Query(max_length=50, description="楼长账号")]


@router.get("/visit-rounds/{round_id}/buildings", response_model=Page[RoundBuildingRead])
def round_buildings(
    round_: RoundDep,
    session: SessionDep,
    actor: ReadActor,
    page: PageDep,
    street: StreetQuery = None,
    chief: ChiefQuery = None,
    visited: Annotated[bool | None, Query(description="true 已走访 / false 未走访")] = None,
) -> Page[RoundBuildingRead]:
    """本轮应走访的楼宇（楼长只看到自己负责的），含是否已走访。"""
    return _round_buildings(round_, session, actor, page, street, chief, visited)


@router.get("/visit-rounds/{round_id}/unvisited", response_model=Page[RoundBuildingRead])
def round_unvisited(
    round_: RoundDep,
    session: SessionDep,
    actor: ReadActor,
    page: PageDep,
    street: StreetQuery = None,
    chief: ChiefQuery = None,
) -> Page[RoundBuildingRead]:
    """本轮尚未走访的楼宇。"""
    return _round_buildings(round_, session, actor, page, street, chief, False)


@router.post(
    "/visits",
    response_model=VisitRead,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": VisitRead, "description": "同一草稿（client_ref / Idempotency-Key）已保存过：返回已保存的走访"},
        503: {"description": "楼宇登记服务不可用：走访未保存，房源未修改（可稍后重发）"},
    },
)
def create_visit(
    data: VisitCreate,
    request: Request,
    session: SessionDep,
    actor: ReadActor,
    registry: RegistryDep,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", max_length=64, description="草稿编号（与 client_ref 相同作用）")
    ] = None,
) -> VisitRead | JSONResponse:
    """记录一次走访：房源空置变化写入楼宇登记，同时保存迁入迁出、招商线索、企业诉求。

    楼宇登记服务不可用或拒绝修改时整次走访不保存（503 / 4xx），已改动的房源会恢复。"""
    if data.client_ref is None and idempotency_key:
        data = data.model_copy(update={"client_ref": idempotency_key.strip() or None})
    existing = service.existing_by_ref(session, data.client_ref, actor=actor)
    if existing is not None:
        body = VisitRead.model_validate(service.read_model(session, existing, photo_url=photo_url))
        return JSONResponse(body.model_dump(mode="json"), status_code=status.HTTP_200_OK)
    visit = service.record(
        session,
        data=data,
        actor=actor,
        registry=registry,
        token=bearer_token(request),
        deadlines=deadlines_of(request),
    )
    return VisitRead.model_validate(service.read_model(session, visit, photo_url=photo_url))


@router.get("/visits", response_model=Page[VisitSummary])
def list_visits(
    session: SessionDep,
    actor: ReadActor,
    page: PageDep,
    round_id: Annotated[Id | None, Query(description="扫楼轮次")] = None,
    building: Annotated[str | None, Query(max_length=20, description="楼宇编码")] = None,
    street: StreetQuery = None,
    chief: ChiefQuery = None,
    date_from: Annotated[date | None, Query(description="走访日期起")] = None,
    date_to: Annotated[date | None, Query(description="走访日期止")] = None,
) -> Page[VisitSummary]:
    """走访记录（最近的在前）。"""
    filters = service.VisitFilters(
        round_id=round_id, building=building, street=street, chief=chief, date_from=date_from, date_to=date_to
    )
    visits, total = service.list_page(session, actor=actor, filters=filters, page=page)
    return Page[VisitSummary].model_validate(
        {"items": service.summaries(session, visits), "total": total, "page": page.page, "page_size": page.page_size}
    )


@router.get("/visits/{visit_id}", response_model=VisitRead)
def read_visit(visit: VisitDep, session: SessionDep) -> VisitRead:
    """走访详情：房源变化、迁入迁出、线索、诉求、照片。"""
    return VisitRead.model_validate(service.read_model(session, visit, photo_url=photo_url))


@router.post("/visits/{visit_id}/photos", response_model=PhotoRead, status_code=status.HTTP_201_CREATED)
def upload_photo(
    visit: VisitDep,
    request: Request,
    session: SessionDep,
    actor: ReadActor,
    file: Annotated[UploadFile, File(description="照片（JPEG / PNG / WebP / HEIC，按内容判断，大小有上限）")],
) -> PhotoRead:
    """上传一张走访照片。"""
    settings = request.app.state.settings
    if not service.can_add_photos(actor, visit):
        raise Forbidden("只有走访人、所在街道或区商务局可以上传走访照片")
    content = file.file.read(settings.tasks_photo_max_bytes + 1)
    content_type, extension = photos.check(content, max_bytes=settings.tasks_photo_max_bytes)
    photo = service.add_photo(
        session,
        visit,
        content=content,
        filename=Path(file.filename or f"photo.{extension}").name[:200],
        content_type=content_type,
        size=len(content),
        sha256=photos.digest(content),
        actor=actor,
    )
    return PhotoRead(
        id=photo.id,
        filename=photo.filename,
        content_type=photo.content_type,
        size=photo.size,
        url=photo_url(visit.id, photo.id),
        uploaded_by=photo.uploaded_by,
        created_at=photo.created_at,
    )


@router.get(
    "/visits/{visit_id}/photos/{photo_id}",
    response_class=Response,
    responses=file_response_doc("image/jpeg", "image/png", "image/webp", "image/heic", description="照片原图"),
)
def download_photo(visit: VisitDep, photo_id: Id, session: SessionDep) -> Response:
    """走访照片原图。"""
    photo = service.get_photo(session, visit, photo_id)
    return Response(
        photo.content,
        media_type=photo.content_type,
        headers={"Cache-Control": "private, max-age=3600", "ETag": f'"{photo.sha256}"'},
    )
