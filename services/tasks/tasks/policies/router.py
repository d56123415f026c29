"""/policies, /policy-pushes, /policy-deliveries, /policy-applications: 政策库, 精准推送,
送达 and 申报与兑现."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile, status

from louyu_kit import files
from louyu_kit.auth import bearer_token
from louyu_kit.db import SessionDep
from louyu_kit.docs import file_response_doc
from louyu_kit.paging import Page, PageDep
from louyu_kit.types import Id
from tasks.access import ReadActor
from tasks.clients.metrics import BlockingMetrics, get_metrics
from tasks.clients.registry import BlockingRegistry, get_registry
from tasks.policies import imports, service
from tasks.policies.models import Policy
from tasks.policies.schemas import (
    ApplicationCreate,
    ApplicationRead,
    ApplicationUpdate,
    AppStatus,
    DeliveryCreate,
    DeliveryRead,
    ImportReport,
    Level,
    MatchesRead,
    PolicyCreate,
    PolicyImportReport,
    PolicyRead,
    PolicyUpdate,
    PushCreate,
    PushRead,
    PushResult,
    TotalsRead,
)
from tasks.work.router import Today

router = APIRouter(tags=["政策与申报"])

RegistryDep = Annotated[BlockingRegistry, Depends(get_registry)]
MetricsDep = Annotated[BlockingMetrics, Depends(get_metrics)]
KEY_TIER = "qianwan"


def valid_policy(policy_id: Id, session: SessionDep, actor: ReadActor) -> Policy:
    return service.get(session, policy_id)


PolicyDep = Annotated[Policy, Depends(valid_policy)]


def _policy(session: Any, policy: Policy, actor: Any, today: Any) -> PolicyRead:
    return PolicyRead.model_validate(service.policy_reads(session, [policy], actor=actor, today=today)[0])


@router.get("/policies", response_model=Page[PolicyRead])
def list_policies(
    session: SessionDep,
    actor: ReadActor,
    page: PageDep,
    today: Today,
    q: Annotated[str | None, Query(max_length=100, description="政策名称、文号或发文机关（包含即可）")] = None,
    level: Annotated[Level | None, Query(description="层级")] = None,
) -> Page[PolicyRead]:
    """政策库：新发布的在前。"""
    rows, total = service.list_page(session, q=q, level=level, page=page)
    items = [PolicyRead.model_validate(r) for r in service.policy_reads(session, rows, actor=actor, today=today)]
    return Page[PolicyRead](items=items, total=total, page=page.page, page_size=page.page_size)


@router.get(
    "/policies/import/template",
    response_class=Response,
    responses=file_response_doc(files.media_type("xlsx"), description="政策库导入模板（xlsx，含层级下拉与填写说明）"),
)
def policy_import_template(actor: ReadActor) -> Response:
    """下载政策库导入模板。"""
    service.require_manage(actor)
    filename = files.download_name("政策库导入模板", "xlsx")
    return Response(
        imports.policy_template(),
        media_type=files.media_type("xlsx"),
        headers={"Content-Disposition": files.content_disposition(filename), "Cache-Control": "no-store"},
    )


@router.post("/policies/import", response_model=PolicyImportReport)
def import_policies(
    session: SessionDep,
    actor: ReadActor,
    file: Annotated[UploadFile, File(description="Excel（.xlsx）或 CSV")],
    dry_run: Annotated[bool, Query(description="true：只检查不保存（试导入）")] = True,
) -> PolicyImportReport:
    """导入政策库：试导入列出全部问题及将按文号更新的政策；正式导入有任何问题则整份不保存。"""
    service.require_manage(actor)
    data = file.file.read(files.MAX_UPLOAD_BYTES + 1)
    name = file.filename or "上传文件"
    table = files.read_table(
        data,
        filename=name,
        content_type=file.content_type,
        check_headers=lambda h: imports.check_policy_headers(h, name),
    )
    report = imports.run_policies(session, table=table, dry_run=dry_run, actor=actor)
    return PolicyImportReport.model_validate(report)


@router.post("/policies", response_model=PolicyRead, status_code=status.HTTP_201_CREATED)
def create_policy(data: PolicyCreate, session: SessionDep, actor: ReadActor, today: Today) -> PolicyRead:
    """录入政策（区商务局、科创人才中心）。"""
    return _policy(session, service.create(session, data=data, actor=actor), actor, today)


@router.get("/policies/{policy_id}", response_model=PolicyRead)
def read_policy(policy: PolicyDep, session: SessionDep, actor: ReadActor, today: Today) -> PolicyRead:
    """政策详情。"""
    return _policy(session, policy, actor, today)


@router.patch("/policies/{policy_id}", response_model=PolicyRead)
def update_policy(
    policy: PolicyDep, data: PolicyUpdate, session: SessionDep, actor: ReadActor, today: Today
) -> PolicyRead:
    """修改政策（只改提交的字段）。"""
    return _policy(session, service.update(session, policy, data=data, actor=actor), actor, today)


@router.get("/policies/{policy_id}/matches", response_model=MatchesRead)
def policy_matches(
    policy: PolicyDep, request: Request, session: SessionDep, actor: ReadActor, registry: RegistryDep
) -> MatchesRead:
    """符合政策的企业和楼宇，附符合原因（按调用者可见的楼宇登记数据匹配）。"""
    enterprises, buildings = service.registry_facts(registry, bearer_token(request))
    found = service.matches(policy, enterprises, buildings)
    return MatchesRead.model_validate(service.matches_read(session, policy, found))


@router.post("/policies/{policy_id}/push", response_model=PushResult, status_code=status.HTTP_201_CREATED)
def push_policy(
    policy: PolicyDep,
    data: PushCreate,
    request: Request,
    session: SessionDep,
    actor: ReadActor,
    registry: RegistryDep,
    today: Today,
) -> PushResult:
    """精准推送：把政策推送到匹配楼宇的楼长（无楼长的由街道）送达，列入其待办；已推送的楼宇不重复推送。"""
    created, skipped = service.push(
        session, policy, data=data, actor=actor, registry=registry, token=bearer_token(request), today=today
    )
    items = [PushRead.model_validate(service.push_read(session, p, policy)) for p in created]
    return PushResult(created=len(created), skipped=skipped, items=items)


@router.get("/policy-pushes", response_model=Page[PushRead])
def list_pushes(
    session: SessionDep,
    actor: ReadActor,
    page: PageDep,
    policy_id: Annotated[int | None, Query(ge=1, description="政策编号")] = None,
    building: Annotated[str | None, Query(max_length=20, description="楼宇编码")] = None,
    pending: Annotated[bool | None, Query(description="true 未送达完 / false 已送达完")] = None,
) -> Page[PushRead]:
    """政策推送（楼长看本人楼宇的，街道看本街道的）。"""
    rows, total = service.list_pushes(
        session, actor=actor, policy_id=policy_id, building=building, pending=pending, page=page
    )
    items = [PushRead.model_validate(service.push_read(session, r)) for r in rows]
    return Page[PushRead](items=items, total=total, page=page.page, page_size=page.page_size)


@router.get("/policy-deliveries", response_model=Page[DeliveryRead])
def list_deliveries(
    session: SessionDep,
    actor: ReadActor,
    page: PageDep,
    policy_id: Annotated[int | None, Query(ge=1, description="政策编号")] = None,
) -> Page[DeliveryRead]:
    """政策送达记录：谁、何时、送达哪家企业、走访还是其他方式。"""
    rows, total = service.list_deliveries(session, actor=actor, policy_id=policy_id, page=page)
    items = [DeliveryRead.model_validate(r) for r in service.delivery_reads(session, rows)]
    return Page[DeliveryRead](items=items, total=total, page=page.page, page_size=page.page_size)


@router.post("/policies/{policy_id}/deliveries", response_model=DeliveryRead, status_code=status.HTTP_201_CREATED)
def create_delivery(
    policy: PolicyDep,
    data: DeliveryCreate,
    request: Request,
    session: SessionDep,
    actor: ReadActor,
    registry: RegistryDep,
) -> DeliveryRead:
    """记录政策送达（电话、会议等非走访方式；走访时在走访记录中勾选“宣讲已送达”）。"""
    row = service.record_delivery(
        session, policy, data=data, actor=actor, registry=registry, token=bearer_token(request)
    )
    return DeliveryRead.model_validate(service.delivery_reads(session, [row])[0])


# ----- applications -----------------------------------------------------------------------


@router.get("/policy-applications", response_model=Page[ApplicationRead])
def list_applications(
    session: SessionDep,
    actor: ReadActor,
    page: PageDep,
    policy_id: Annotated[int | None, Query(ge=1, description="政策编号")] = None,
    status_: Annotated[AppStatus | None, Query(alias="status", description="申报状态")] = None,
    street: Annotated[str | None, Query(max_length=12, description="街道代码")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="申报年度")] = None,
) -> Page[ApplicationRead]:
    """申报与兑现（街道只看本街道企业的）。"""
    rows, total = service.list_applications(
        session, actor=actor, policy_id=policy_id, status=status_, street=street, year=year, page=page
    )
    items = [ApplicationRead.model_validate(r) for r in service.application_reads(session, rows)]
    return Page[ApplicationRead](items=items, total=total, page=page.page, page_size=page.page_size)


@router.post("/policy-applications", response_model=ApplicationRead, status_code=status.HTTP_201_CREATED)
def create_application(
    data: ApplicationCreate, request: Request, session: SessionDep, actor: ReadActor, registry: RegistryDep
) -> ApplicationRead:
    """录入一条申报（企业须已在楼宇登记中）。"""
    row = service.create_application(session, data=data, actor=actor, registry=registry, token=bearer_token(request))
    return ApplicationRead.model_validate(service.application_reads(session, [row])[0])


@router.get("/policy-applications/totals", response_model=TotalsRead)
def application_totals(
    request: Request,
    session: SessionDep,
    actor: ReadActor,
    registry: RegistryDep,
    metrics: MetricsDep,
    today: Today,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="统计年度（默认今年）")] = None,
    coverage: Annotated[bool, Query(description="true：同时计算申报覆盖率（读楼宇登记和楼宇分档）")] = False,
) -> TotalsRead:
    """惠企资金合计（按楼宇、街道、主题、政策）与申报覆盖率。"""
    year = year or today.year
    inputs = None
    if coverage:
        token = bearer_token(request)
        enterprises, buildings = service.registry_facts(registry, token)
        inputs = (enterprises, buildings, metrics.tier_buildings(year, KEY_TIER, token=token))
    return TotalsRead.model_validate(service.totals(session, actor=actor, year=year, coverage_inputs=inputs))


@router.get(
    "/policy-applications/import/template",
    response_class=Response,
    responses=file_response_doc(
        files.media_type("xlsx"), files.media_type("csv"), description="申报与兑现导入模板（xlsx 或 csv）"
    ),
)
def import_template(actor: ReadActor, format: files.Format = "xlsx") -> Response:
    """下载申报与兑现导入模板（科创人才中心表格的列）。"""
    service.require_manage(actor)
    content = files.write_table(
        imports.HEADERS, [], fmt=format, sheet_title="申报与兑现", text_columns=imports.TEXT_COLUMNS
    )
    filename = files.download_name("申报与兑现导入模板", format)
    return Response(
        content,
        media_type=files.media_type(format),
        headers={"Content-Disposition": files.content_disposition(filename), "Cache-Control": "no-store"},
    )


@router.post("/policy-applications/import", response_model=ImportReport)
def import_applications(
    request: Request,
    session: SessionDep,
    actor: ReadActor,
    registry: RegistryDep,
    file: Annotated[UploadFile, File(description="Excel（.xlsx）或 CSV")],
    dry_run: Annotated[bool, Query(description="true：只检查不保存（试导入）")] = True,
) -> ImportReport:
    """导入科创人才中心的申报与兑现表：试导入列出全部问题；正式导入有任何问题则整份不保存。"""
    service.require_manage(actor)
    data = file.file.read(files.MAX_UPLOAD_BYTES + 1)
    name = file.filename or "上传文件"
    table = files.read_table(
        data, filename=name, content_type=file.content_type, check_headers=lambda h: imports.check_headers(h, name)
    )
    report = imports.run(
        session, table=table, dry_run=dry_run, actor=actor, registry=registry, token=bearer_token(request)
    )
    return ImportReport.model_validate(report)


@router.get("/policy-applications/{app_id}", response_model=ApplicationRead)
def read_application(app_id: Id, session: SessionDep, actor: ReadActor) -> ApplicationRead:
    """一条申报。"""
    row = service.get_application(session, app_id, actor=actor)
    return ApplicationRead.model_validate(service.application_reads(session, [row])[0])


@router.patch("/policy-applications/{app_id}", response_model=ApplicationRead)
def update_application(app_id: Id, data: ApplicationUpdate, session: SessionDep, actor: ReadActor) -> ApplicationRead:
    """修改申报状态、核定金额、兑现日期。"""
    row = service.get_application(session, app_id, actor=actor)
    row = service.update_application(session, row, data=data, actor=actor)
    return ApplicationRead.model_validate(service.application_reads(session, [row])[0])
