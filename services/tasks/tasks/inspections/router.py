"""/inspections and /opinions: 人大代表视察、座谈, their 整改意见, answers, closure and 督办."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile, status

from louyu_kit.auth import bearer_token
from louyu_kit.db import SessionDep
from louyu_kit.docs import file_response_doc
from louyu_kit.errors import Forbidden
from louyu_kit.files import FileTooLarge, content_disposition
from louyu_kit.types import Id
from tasks.access import ReadActor
from tasks.clients.registry import BlockingRegistry, get_registry
from tasks.inspections import service
from tasks.inspections.models import Inspection, Opinion
from tasks.inspections.schemas import (
    AnswerCreate,
    Deputies,
    FileRead,
    InspectionCreate,
    InspectionList,
    InspectionRead,
    OpinionCreate,
    OpinionFigures,
    OpinionList,
    OpinionRead,
    OpinionStatus,
    SendBack,
    UrgeCreate,
    UrgeResult,
)
from tasks.work.lights import LightRules, today_in_china
from tasks.work.service import ATTACHMENT_TYPES

router = APIRouter(tags=["人大代表视察与整改意见"])


def _rules(request: Request) -> LightRules:
    return LightRules.from_settings(request.app.state.settings)


def valid_inspection(inspection_id: Id, session: SessionDep, actor: ReadActor) -> Inspection:
    return service.get(session, inspection_id)


def valid_opinion(opinion_id: Id, session: SessionDep, actor: ReadActor) -> Opinion:
    return service.get_opinion(session, opinion_id)


InspectionDep = Annotated[Inspection, Depends(valid_inspection)]
OpinionDep = Annotated[Opinion, Depends(valid_opinion)]


def _read_file(request: Request, file: UploadFile) -> bytes:
    limit = request.app.state.settings.tasks_attachment_max_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(f"文件“{file.filename or ''}”超过 {limit // (1024 * 1024)} MB 的上限")
    return data


def _download(content: bytes, content_type: str, filename: str) -> Response:
    return Response(
        content=content,
        media_type=content_type,
        headers={
            "Content-Disposition": content_disposition(filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/inspections", response_model=InspectionList)
def list_inspections(
    session: SessionDep,
    actor: ReadActor,
    plan_id: Annotated[int | None, Query(ge=1, description="工作方案")] = None,
) -> InspectionList:
    """人大代表视察、座谈记录（代表姓名已脱敏）。"""
    items = service.list_inspections(session, plan_id=plan_id, today=today_in_china())
    return InspectionList.model_validate({"items": items, "total": len(items)})


@router.post("/inspections", response_model=InspectionRead, status_code=status.HTTP_201_CREATED)
def create_inspection(
    data: InspectionCreate,
    request: Request,
    session: SessionDep,
    actor: ReadActor,
    registry: Annotated[BlockingRegistry, Depends(get_registry)],
) -> InspectionRead:
    """登记一次视察或座谈及代表提出的整改意见（仅区商务局）；视察楼宇按楼宇编码向楼宇登记服务核对。"""
    actor.require_bureau("登记人大代表视察、座谈")
    codes = list(dict.fromkeys(c.strip() for c in data.building_codes if c.strip()))
    found = registry.buildings(codes, token=bearer_token(request)) if codes else []
    buildings = [{"code": b.code, "name": b.name} for b in found]
    inspection = service.create(session, data=data, buildings=buildings, actor=actor)
    model = service.read_model(session, inspection, actor=actor, today=today_in_china(), rules=_rules(request))
    return InspectionRead.model_validate(model)


@router.get("/inspections/{inspection_id}", response_model=InspectionRead)
def read_inspection(
    inspection: InspectionDep, request: Request, session: SessionDep, actor: ReadActor
) -> InspectionRead:
    """一次视察或座谈：参加人员（代表姓名已脱敏）、视察楼宇、纪要、照片和整改意见的办理情况。"""
    model = service.read_model(session, inspection, actor=actor, today=today_in_china(), rules=_rules(request))
    return InspectionRead.model_validate(model)


@router.post("/inspections/{inspection_id}/deputies/reveal", response_model=Deputies)
def reveal_deputies(inspection: InspectionDep, actor: ReadActor, response: Response) -> Deputies:
    """查看参加代表的完整姓名（仅区商务局和区领导，留痕）。"""
    if not service.may_reveal(actor):
        raise Forbidden("您的账号不能查看人大代表的完整姓名")
    response.headers["X-Audit-Action"] = "deputies.reveal"
    response.headers["X-Audit-Object"] = f"inspection:{inspection.id}"
    return Deputies(inspection_id=inspection.id, deputies=list(inspection.deputies))


@router.post("/inspections/{inspection_id}/opinions", response_model=OpinionRead, status_code=status.HTTP_201_CREATED)
def add_opinion(
    inspection: InspectionDep, data: OpinionCreate, request: Request, session: SessionDep, actor: ReadActor
) -> OpinionRead:
    """补充登记一条整改意见并交办承办单位（仅区商务局）。"""
    opinion = service.add_opinion(session, inspection, data=data, actor=actor)
    return _opinion(session, opinion, actor, request)


@router.post("/inspections/{inspection_id}/photos", response_model=FileRead, status_code=status.HTTP_201_CREATED)
def upload_photo(
    inspection: InspectionDep,
    request: Request,
    session: SessionDep,
    actor: ReadActor,
    file: Annotated[UploadFile, File(description="现场照片（JPEG/PNG/WebP/GIF）或 PDF，按内容识别类型")],
) -> FileRead:
    """上传视察照片（仅区商务局）。"""
    actor.require_bureau("上传视察照片")
    f = service.add_file(
        session, filename=file.filename or "", data=_read_file(request, file), actor=actor, inspection_id=inspection.id
    )
    return FileRead.model_validate(f)


@router.get(
    "/inspections/{inspection_id}/photos/{file_id}",
    response_class=Response,
    responses=file_response_doc(*(t for t, _ in ATTACHMENT_TYPES), description="原文件"),
)
def download_photo(inspection: InspectionDep, file_id: Id, session: SessionDep) -> Response:
    """下载视察照片。"""
    f = service.get_file(session, file_id, inspection_id=inspection.id)
    return _download(f.content, f.content_type, f.filename)


def _opinion(session: SessionDep, opinion: Opinion, actor: ReadActor, request: Request) -> OpinionRead:
    models = service.opinion_models(session, [opinion], actor=actor, today=today_in_china(), rules=_rules(request))
    return OpinionRead.model_validate(models[0])


@router.get("/opinions", response_model=OpinionList)
def list_opinions(
    request: Request,
    session: SessionDep,
    actor: ReadActor,
    status_: Annotated[OpinionStatus | None, Query(alias="status", description="整体状态")] = None,
    mine: Annotated[bool, Query(description="只看本单位承办的")] = False,
    unit: Annotated[str | None, Query(max_length=50, description="承办单位代码")] = None,
    overdue: Annotated[bool | None, Query(description="只看逾期（true）或未逾期（false）")] = None,
) -> OpinionList:
    """整改意见及各承办单位的办理情况（按整改期限排序）。"""
    items = service.list_opinions(
        session,
        actor=actor,
        today=today_in_china(),
        rules=_rules(request),
        status=status_,
        mine=mine,
        unit=unit,
        overdue=overdue,
    )
    return OpinionList.model_validate({"items": items, "total": len(items)})


@router.get("/opinions/figures", response_model=OpinionFigures)
def opinion_figures(session: SessionDep, actor: ReadActor) -> OpinionFigures:
    """驾驶舱：整改意见未办结、逾期、已办结的数量。"""
    return OpinionFigures.model_validate(service.figures(session, today=today_in_china()))


@router.post("/opinions/urge-overdue", response_model=UrgeResult)
def urge_overdue(session: SessionDep, actor: ReadActor) -> UrgeResult:
    """对全部逾期未反馈的整改意见督办（每天至多升级一次；仅区商务局）。"""
    actor.require_bureau("督办整改意见")
    return UrgeResult(urged=service.urge_overdue(session, today=today_in_china()))


@router.get("/opinions/{opinion_id}", response_model=OpinionRead)
def read_opinion(opinion: OpinionDep, request: Request, session: SessionDep, actor: ReadActor) -> OpinionRead:
    """一条整改意见及各承办单位的办理情况。"""
    return _opinion(session, opinion, actor, request)


@router.post("/opinions/{opinion_id}/assignments/{assignment_id}/answer", response_model=OpinionRead)
def answer_opinion(
    opinion: OpinionDep, assignment_id: Id, data: AnswerCreate, request: Request, session: SessionDep, actor: ReadActor
) -> OpinionRead:
    """承办单位反馈整改情况（仅本单位承办的；退回后可再次反馈）。"""
    a = service.get_assignment(session, opinion, assignment_id)
    service.answer(session, opinion, a, text=data.answer, actor=actor)
    return _opinion(session, opinion, actor, request)


@router.post("/opinions/{opinion_id}/assignments/{assignment_id}/confirm", response_model=OpinionRead)
def confirm_opinion(
    opinion: OpinionDep, assignment_id: Id, request: Request, session: SessionDep, actor: ReadActor
) -> OpinionRead:
    """区商务局确认整改到位，办结。"""
    a = service.get_assignment(session, opinion, assignment_id)
    service.confirm(session, opinion, a, actor=actor)
    return _opinion(session, opinion, actor, request)


@router.post("/opinions/{opinion_id}/assignments/{assignment_id}/send-back", response_model=OpinionRead)
def send_back_opinion(
    opinion: OpinionDep, assignment_id: Id, data: SendBack, request: Request, session: SessionDep, actor: ReadActor
) -> OpinionRead:
    """区商务局退回整改情况（写明理由），承办单位重新整改后再反馈。"""
    a = service.get_assignment(session, opinion, assignment_id)
    service.send_back(session, opinion, a, reason=data.reason, actor=actor)
    return _opinion(session, opinion, actor, request)


@router.post("/opinions/{opinion_id}/assignments/{assignment_id}/urge", response_model=OpinionRead)
def urge_opinion(
    opinion: OpinionDep, assignment_id: Id, data: UrgeCreate, request: Request, session: SessionDep, actor: ReadActor
) -> OpinionRead:
    """区商务局督办逾期未反馈的整改意见（提醒 → 督办 → 通报）。"""
    a = service.get_assignment(session, opinion, assignment_id)
    service.urge(session, opinion, a, note=data.note, actor=actor, today=today_in_china())
    return _opinion(session, opinion, actor, request)


@router.post(
    "/opinions/{opinion_id}/assignments/{assignment_id}/evidence",
    response_model=FileRead,
    status_code=status.HTTP_201_CREATED,
)
def upload_evidence(
    opinion: OpinionDep,
    assignment_id: Id,
    request: Request,
    session: SessionDep,
    actor: ReadActor,
    file: Annotated[UploadFile, File(description="整改佐证材料：照片或 PDF，按内容识别类型")],
) -> FileRead:
    """承办单位上传整改佐证材料。"""
    a = service.get_assignment(session, opinion, assignment_id)
    data = _read_file(request, file)
    return FileRead.model_validate(
        service.add_evidence(session, opinion, a, filename=file.filename or "", data=data, actor=actor)
    )


@router.get(
    "/opinions/{opinion_id}/assignments/{assignment_id}/evidence/{file_id}",
    response_class=Response,
    responses=file_response_doc(*(t for t, _ in ATTACHMENT_TYPES), description="原文件"),
)
def download_evidence(opinion: OpinionDep, assignment_id: Id, file_id: Id, session: SessionDep) -> Response:
    """下载整改佐证材料。"""
    a = service.get_assignment(session, opinion, assignment_id)
    f = service.get_file(session, file_id, assignment_id=a.id)
    return _download(f.content, f.content_type, f.filename)
