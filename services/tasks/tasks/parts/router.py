"""/tasks/{id}/parts, /parts/{id}: 责任分解 — each unit's part, its reports, the reporting cycle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile, status
from sqlalchemy import select

from louyu_kit.db import SessionDep
from louyu_kit.files import FileTooLarge
from louyu_kit.paging import Page, PageDep
from tasks.access import ReadActor
from tasks.parts import service
from tasks.parts.dependencies import CycleDep, PartDep
from tasks.parts.models import ReportCycle
from tasks.parts.schemas import (
    CycleRead,
    CycleSet,
    DuePartRead,
    PartReportCreate,
    PartReportRead,
    PartUpdate,
    TaskPartsRead,
)
from tasks.plans.router import PlanDep
from tasks.work import service as work
from tasks.work.router import Rules, TaskDep, Today
from tasks.work.schemas import AttachmentRead

router = APIRouter(tags=["责任分解"])


def _parts(session: SessionDep, task, actor, today, rules, cycle) -> TaskPartsRead:  # noqa: ANN001
    return TaskPartsRead.model_validate(
        service.read_parts(
            session,
            task,
            actor=actor,
            today=today,
            rules=rules,
            grace_days=cycle.grace_days,
            default_day=cycle.default_day,
        )  # fmt: skip
    )


@router.get("/tasks/{task_id}/parts", response_model=TaskPartsRead)
def task_parts(
    task: TaskDep, session: SessionDep, actor: ReadActor, today: Today, rules: Rules, cycle: CycleDep
) -> TaskPartsRead:
    """任务的责任分解：各责任单位的职责、进度、灯色、最近报送和下次报送日期。"""
    return _parts(session, task, actor, today, rules, cycle)


@router.post("/tasks/{task_id}/complete", response_model=TaskPartsRead)
def confirm_task(
    task: TaskDep, session: SessionDep, actor: ReadActor, today: Today, rules: Rules, cycle: CycleDep
) -> TaskPartsRead:
    """牵头单位确认任务完成（各分项均已完成后）。"""
    service.confirm(session, task, actor=actor)
    return _parts(session, task, actor, today, rules, cycle)


@router.get("/parts/due", response_model=list[DuePartRead])
def my_due_parts(
    session: SessionDep,
    actor: ReadActor,
    today: Today,
    cycle: CycleDep,
    within_days: Annotated[int, Query(ge=0, le=60, description="含未来几天内到期的")] = 7,
) -> list[DuePartRead]:
    """本单位待报送的分项（已到期、超过宽限期，及几天内到期的）。"""
    units = None if actor.manages_all or "leader" in actor.roles else service.reportable_units(actor)
    names = work.unit_names(session)
    return [
        DuePartRead(
            part_id=d.part_id,
            task_id=d.task_id,
            task_title=d.task_title,
            unit_code=d.unit_code,
            unit_name=names.get(d.unit_code, d.unit_code),
            due_date=d.due_date,
            state=d.state,  # type: ignore[arg-type]
            overdue=d.overdue,
        )  # fmt: skip
        for d in service.due_parts(
            session,
            unit_codes=units,
            today=today,
            within_days=within_days,
            grace_days=cycle.grace_days,
            default_day=cycle.default_day,
        )  # fmt: skip
    ]


@router.patch("/parts/{part_id}", response_model=TaskPartsRead)
def update_part(
    found: PartDep,
    data: PartUpdate,
    session: SessionDep,
    actor: ReadActor,
    today: Today,
    rules: Rules,
    cycle: CycleDep,
) -> TaskPartsRead:
    """修改单位职责或权重（仅区商务局）。"""
    part, task = found
    service.update_part(session, part, data=data, actor=actor)
    return _parts(session, task, actor, today, rules, cycle)


@router.post("/parts/{part_id}/reports", response_model=TaskPartsRead, status_code=status.HTTP_201_CREATED)
def report_part(
    found: PartDep,
    data: PartReportCreate,
    session: SessionDep,
    actor: ReadActor,
    today: Today,
    rules: Rules,
    cycle: CycleDep,
) -> TaskPartsRead:
    """报送本单位分项的进展（只能报送本单位的分项；楼长只能报送所属街道的分项）。"""
    part, task = found
    service.report(session, part, task, data=data, actor=actor)
    return _parts(session, task, actor, today, rules, cycle)


@router.get("/parts/{part_id}/reports", response_model=Page[PartReportRead])
def part_reports(found: PartDep, session: SessionDep, page: PageDep) -> Page[PartReportRead]:
    """分项的报送记录（最新的在前），含附件。"""
    items, total = service.report_page(session, found[0], page=page)
    return Page[PartReportRead].model_validate(
        {"items": items, "total": total, "page": page.page, "page_size": page.page_size}
    )


@router.post("/parts/{part_id}/attachments", response_model=AttachmentRead, status_code=status.HTTP_201_CREATED)
def upload_part_attachment(
    found: PartDep,
    session: SessionDep,
    actor: ReadActor,
    request: Request,
    file: Annotated[UploadFile, File(description="图片（JPEG/PNG/WebP/GIF）或 PDF，按内容识别类型")],
    text: Annotated[str, Form(max_length=5000, description="说明")] = "",
) -> AttachmentRead:
    """随分项报送上传附件（照片或 PDF；记入任务时间线）。"""
    limit = request.app.state.settings.tasks_attachment_max_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(f"附件“{file.filename or ''}”超过 {limit // (1024 * 1024)} MB 的上限")
    part, task = found
    attachment = service.add_attachment(
        session, part, task, filename=file.filename or "", data=data, text=text, actor=actor
    )
    return AttachmentRead.model_validate(attachment)


@router.get("/plans/{plan_id}/report-cycle", response_model=CycleRead)
def plan_cycle(plan: PlanDep, session: SessionDep, cycle: CycleDep) -> CycleRead:
    """方案的报送周期（未设置时为默认：每月）。"""

    row = session.scalar(select(ReportCycle).where(ReportCycle.plan_id == plan.id))
    if row is None:
        return CycleRead(months=1, day=cycle.default_day, scope="default", grace_days=cycle.grace_days)
    return CycleRead(months=row.months, day=row.day, scope="plan", grace_days=cycle.grace_days)


@router.put("/plans/{plan_id}/report-cycle", response_model=CycleRead)
def set_plan_cycle(plan: PlanDep, data: CycleSet, session: SessionDep, actor: ReadActor, cycle: CycleDep) -> CycleRead:
    """设置方案各任务的报送周期（仅区商务局）。"""
    row = service.set_cycle(session, plan_id=plan.id, data=data, actor=actor)
    return CycleRead(months=row.months, day=row.day, scope="plan", grace_days=cycle.grace_days)


@router.put("/tasks/{task_id}/report-cycle", response_model=CycleRead)
def set_task_cycle(task: TaskDep, data: CycleSet, session: SessionDep, actor: ReadActor, cycle: CycleDep) -> CycleRead:
    """设置本任务的报送周期（仅区商务局；优先于方案的设置）。"""
    row = service.set_cycle(session, task_id=task.id, data=data, actor=actor)
    return CycleRead(months=row.months, day=row.day, scope="task", grace_days=cycle.grace_days)
