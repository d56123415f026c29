"""/tasks: lists with lights, my unit's tasks, detail, progress reports, attachments, timeline."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile, status

from louyu_kit.db import SessionDep
from louyu_kit.docs import file_response_doc
from louyu_kit.files import FileTooLarge, content_disposition
from louyu_kit.paging import Page, PageDep
from louyu_kit.types import Id
from louyu_kit.versioning import IfMatch, require_version, set_etag
from tasks.access import ReadActor
from tasks.work import service
from tasks.work.lights import LightRules, today_in_china
from tasks.work.models import Task
from tasks.work.schemas import (
    AttachmentRead,
    Kind,
    Light,
    ProgressReport,
    Status,
    TaskCreate,
    TaskRead,
    TaskSort,
    TaskSummary,
    TaskUpdateFields,
    TimelineEntry,
    UnitRoleName,
)

router = APIRouter(tags=["任务"])


def light_rules(request: Request) -> LightRules:
    return LightRules.from_settings(request.app.state.settings)


Rules = Annotated[LightRules, Depends(light_rules)]
Today = Annotated[date, Depends(today_in_china)]


def valid_task(task_id: Id, session: SessionDep, actor: ReadActor) -> Task:
    return service.get(session, task_id, actor=actor)


TaskDep = Annotated[Task, Depends(valid_task)]


def filters(
    plan: Annotated[int | None, Query(description="方案编号")] = None,
    unit: Annotated[str | None, Query(max_length=32, description="责任单位编码（牵头或配合）")] = None,
    role: Annotated[UnitRoleName | None, Query(description="与 unit 同用：lead 只看牵头 / co 只看配合")] = None,
    phase: Annotated[int | None, Query(description="阶段编号")] = None,
    status: Annotated[Status | None, Query(description="状态")] = None,
    light: Annotated[Light | None, Query(description="灯色")] = None,
    kind: Annotated[list[Kind] | None, Query(description="类型（可多选）；默认任务、子任务和节点")] = None,
    parent: Annotated[int | None, Query(description="上级任务编号")] = None,
    q: Annotated[str | None, Query(max_length=100, description="标题包含")] = None,
) -> service.TaskFilters:
    return service.TaskFilters(
        plan_id=plan,
        unit=unit,
        role=role,
        phase_id=phase,
        status=status,
        light=light,
        kind=list(kind) if kind else None,
        parent_id=parent,
        q=q,
    )


FiltersDep = Annotated[service.TaskFilters, Depends(filters)]


def _read(session: Any, task: Task, actor: Any, today: date, rules: LightRules, response: Response) -> TaskRead:
    set_etag(response, task.version)
    return TaskRead.model_validate(service.read_model(session, task, actor=actor, today=today, rules=rules))


@router.get("/tasks", response_model=Page[TaskSummary])
def list_tasks(
    session: SessionDep,
    actor: ReadActor,
    page: PageDep,
    f: FiltersDep,
    today: Today,
    rules: Rules,
    sort: Annotated[
        TaskSort, Query(description="排序：due_date 时限 / position 方案顺序 / -updated_at 最近更新")
    ] = "position",
) -> Page[TaskSummary]:
    """任务列表：按方案、单位、阶段、状态、灯色筛选（灯色按当天计算）。"""
    items, total = service.list_page(session, actor=actor, filters=f, sort=sort, page=page, today=today, rules=rules)
    return Page[TaskSummary].model_validate(
        {"items": items, "total": total, "page": page.page, "page_size": page.page_size}
    )


@router.get("/tasks/mine", response_model=Page[TaskSummary])
def my_tasks(
    session: SessionDep,
    actor: ReadActor,
    page: PageDep,
    f: FiltersDep,
    today: Today,
    rules: Rules,
    sort: Annotated[TaskSort, Query(description="排序，默认按完成时限")] = "due_date",
) -> Page[TaskSummary]:
    """本单位的任务（牵头或配合；单位取自账号的所属单位和街道）。"""
    items, total = service.list_page(
        session, actor=actor, filters=f, sort=sort, page=page, today=today, rules=rules, mine=True
    )
    return Page[TaskSummary].model_validate(
        {"items": items, "total": total, "page": page.page, "page_size": page.page_size}
    )


@router.post("/tasks", response_model=TaskRead, status_code=status.HTTP_201_CREATED)
def create_task(
    data: TaskCreate, session: SessionDep, actor: ReadActor, today: Today, rules: Rules, response: Response
) -> TaskRead:
    """新增任务、子任务或节点（区商务局；上级任务的牵头单位可在其下新增子任务、节点）。"""
    task = service.create(session, data=data, actor=actor)
    return _read(session, task, actor, today, rules, response)


@router.get("/tasks/{task_id}", response_model=TaskRead)
def read_task(
    task: TaskDep, session: SessionDep, actor: ReadActor, today: Today, rules: Rules, response: Response
) -> TaskRead:
    """任务详情：责任单位、灯色及原因、下级任务（响应头 ETag 为当前版本）。"""
    return _read(session, task, actor, today, rules, response)


@router.patch("/tasks/{task_id}", response_model=TaskRead)
def update_task(
    task: TaskDep,
    data: TaskUpdateFields,
    session: SessionDep,
    actor: ReadActor,
    if_match: IfMatch,
    today: Today,
    rules: Rules,
    response: Response,
) -> TaskRead:
    """修改任务标题、内容、时限或责任单位（仅区商务局；需 If-Match）。"""
    actor.require_bureau("修改任务")
    require_version(if_match, task.version, f"任务“{task.title}”")
    service.update_fields(session, task, data=data, actor=actor)
    return _read(session, task, actor, today, rules, response)


@router.post("/tasks/{task_id}/updates", response_model=TaskRead, status_code=status.HTTP_201_CREATED)
def report_progress(
    task: TaskDep,
    data: ProgressReport,
    session: SessionDep,
    actor: ReadActor,
    today: Today,
    rules: Rules,
    response: Response,
) -> TaskRead:
    """报送进展：进度、状态、说明（牵头或配合单位；记入时间线，不可修改）。"""
    service.report(session, task, data=data, actor=actor)
    return _read(session, task, actor, today, rules, response)


@router.get("/tasks/{task_id}/updates", response_model=Page[TimelineEntry])
def task_timeline(task: TaskDep, session: SessionDep, page: PageDep) -> Page[TimelineEntry]:
    """任务时间线（最早的在前；只增不改）。"""
    items, total = service.timeline(session, task, page=page)
    return Page[TimelineEntry].model_validate(
        {"items": items, "total": total, "page": page.page, "page_size": page.page_size}
    )


@router.post("/tasks/{task_id}/attachments", response_model=AttachmentRead, status_code=status.HTTP_201_CREATED)
def upload_attachment(
    task: TaskDep,
    session: SessionDep,
    actor: ReadActor,
    request: Request,
    file: Annotated[UploadFile, File(description="图片（JPEG/PNG/WebP/GIF）或 PDF，按内容识别类型")],
    text: Annotated[str, Form(max_length=5000, description="说明")] = "",
) -> AttachmentRead:
    """上传附件（照片或 PDF；按文件内容识别类型，超过大小上限返回 413）。"""
    limit = request.app.state.settings.tasks_attachment_max_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(f"附件“{file.filename or ''}”超过 {limit // (1024 * 1024)} MB 的上限")
    attachment = service.add_attachment(session, task, filename=file.filename or "", data=data, text=text, actor=actor)
    return AttachmentRead.model_validate(attachment)


@router.get(
    "/tasks/{task_id}/attachments/{attachment_id}",
    response_class=Response,
    responses=file_response_doc(*(t for t, _ in service.ATTACHMENT_TYPES), description="附件原文件"),
)
def download_attachment(task: TaskDep, attachment_id: Id, session: SessionDep) -> Response:
    """下载附件。"""
    attachment = service.get_attachment(session, task, attachment_id)
    return Response(
        content=attachment.content,
        media_type=attachment.content_type,
        headers={
            "Content-Disposition": content_disposition(attachment.filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
