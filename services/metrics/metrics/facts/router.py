"""/facts: the bureaus' ingest API (batches with an Idempotency-Key), file uploads, and reading back."""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Header, Path, Query, Request, Response, UploadFile

from louyu_kit import files
from louyu_kit.auth import Principal, allow
from louyu_kit.db import Database, SessionDep, get_database
from louyu_kit.docs import required_header_doc
from louyu_kit.errors import Invalid
from louyu_kit.paging import Page, PageDep
from louyu_kit.types import Id
from metrics.facts import service
from metrics.facts.models import KIND_LABELS
from metrics.facts.schemas import (
    BatchIn,
    BatchRead,
    BatchSummary,
    FactList,
    FactRead,
    RevisionRead,
    Source,
    UnregisteredPage,
    UnregisteredRead,
    UploadReport,
)

router = APIRouter(tags=["数据报送"])

Ingest = Annotated[Principal, allow("bureau", scopes=["facts:write"])]
Bureau = Annotated[Principal, allow("bureau")]
ReadFacts = Annotated[Principal, allow("bureau", "leader")]
DatabaseDep = Annotated[Database, Depends(get_database)]
_KEY = re.compile(r"[\x21-\x7e]{1,200}")

UPLOAD_HEADERS = ["统一社会信用代码", "企业名称", "期间", "指标", "数值"]
UPLOAD_FIELDS = {"统一社会信用代码": "credit_code", "期间": "period", "指标": "kind", "数值": "value"}
# The xlsx template: an example row (skipped on upload), 指标 from a drop-down, and a 说明 sheet.
UPLOAD_TEMPLATE = [
    files.TemplateColumn("统一社会信用代码", "18 位代码", "91420106MA4K000000", required=True, text=True),
    files.TemplateColumn("企业名称", "便于核对，不参与匹配", "武汉示例科技有限公司"),
    files.TemplateColumn("期间", "月度 2025-06；季度合计 2025-Q2；年度合计 2025", "2025-06", required=True, text=True),
    files.TemplateColumn(
        "指标", "税收、营业收入单位为元；从业人员单位为人", "全口径税收", list(KIND_LABELS.values()), required=True
    ),
    files.TemplateColumn("数值", "只填数字，不带单位（元或人）", 125000, required=True),
]
UPLOAD_INSTRUCTIONS = [
    "请在“企业数据”工作表中填写，一行一家企业一个期间一项指标，不要改动第 1 行的表头。",
    "数值的单位：全口径税收、区级税收、营业收入为元，从业人员为人。",
    "建议先“预检”：系统一次列出全部有问题的行，改好后再正式上传。",
]


def _own(principal: Principal) -> str | None:
    """Bureau systems see only their own batches; the commerce bureau sees all."""
    return None if principal.has_role("bureau") else principal.sub


def _audit(response: Response, action: str, obj: str) -> None:
    response.headers["X-Audit-Action"] = action
    response.headers["X-Audit-Object"] = obj


@router.post(
    "/facts/batches",
    response_model=BatchRead,
    status_code=201,
    responses={
        409: {"description": "同一 Idempotency-Key 的批次仍在处理中"},
        422: {"description": "请求格式有误，或 Idempotency-Key 已用于内容不同的批次"},
    },
)
def post_batch(
    body: BatchIn,
    db: DatabaseDep,
    principal: Ingest,
    response: Response,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="必填：每批数据一个唯一的 Key（如 UUID）；重试时使用同一个 Key",
            json_schema_extra=required_header_doc(),
        ),
    ] = None,
) -> Any:
    """报送一批数据（最多 50,000 行）：逐行检查，合格的保存，不合格的列出行号和原因。

    同一 Key 同一内容重复提交得到同样的结果、不会重复保存；同一 Key 不同内容 → 422；
    同一 Key 仍在处理中 → 409。登记库中没有的企业照常保存，并列为“在税不在册”线索。"""
    if idempotency_key is None or not idempotency_key.strip():
        raise Invalid(
            "缺少 Idempotency-Key 请求头：每批数据请附一个唯一的 Key（如 UUID），网络重试时使用同一个 Key",
            fields=[{"field": "Idempotency-Key", "message": "必须填写", "location": "请求头"}],
        )
    key = idempotency_key.strip()
    if not _KEY.fullmatch(key):
        raise Invalid(
            "Idempotency-Key 格式不正确：应为 1–200 个可见的英文字符（字母、数字、- _ 等）",
            fields=[{"field": "Idempotency-Key", "message": "格式不正确", "location": "请求头"}],
        )
    outcome = service.ingest_batch(db, submitted_by=principal.sub, key=key, source=body.source, rows=body.rows)
    if outcome.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    _audit(response, "facts.batch", f"fact_batch:{outcome.batch.id}")
    return outcome.batch


@router.get("/facts/batches", response_model=Page[BatchSummary])
def list_batches(session: SessionDep, principal: Ingest, paging: PageDep) -> Page[BatchSummary]:
    """数据批次列表（最新的在前；报送系统只看到自己的批次）。"""
    items, total = service.list_batches(
        session, submitted_by=_own(principal), offset=paging.offset, limit=paging.page_size
    )
    return Page[BatchSummary](
        items=[BatchSummary.model_validate(b) for b in items], total=total, page=paging.page, page_size=paging.page_size
    )


@router.get("/facts/batches/{batch_id}", response_model=BatchRead, responses={404: {"description": "批次不存在"}})
def get_batch(session: SessionDep, principal: Ingest, batch_id: Annotated[Id, Path(description="批次编号")]) -> Any:
    """查询一个批次的处理状态和结果（含被拒绝的行）。"""
    return service.get_batch(session, batch_id=batch_id, submitted_by=_own(principal))


@router.get("/facts", response_model=FactList)
def list_facts(
    session: SessionDep,
    _: ReadFacts,
    credit_code: Annotated[str, Query(min_length=1, max_length=30, description="统一社会信用代码")],
    year: Annotated[int | None, Query(ge=2000, le=2100, description="只看某年")] = None,
    kind: Annotated[Literal["tax_total", "tax_district", "revenue", "employees"] | None, Query()] = None,
) -> Any:
    """一家企业报送的全部数据，每条带被更正前的历史值。"""
    from louyu_kit.uscc import normalise

    pairs = service.facts_of(session, credit_code=normalise(credit_code), year=year, kind=kind)
    items = []
    for fact, revisions in pairs:
        read = FactRead.model_validate(fact)
        read.revisions = [RevisionRead.model_validate(r) for r in revisions]
        items.append(read)
    return FactList(items=items, total=len(items))


@router.get("/unregistered-taxpayers", response_model=UnregisteredPage)
def unregistered_taxpayers(
    session: SessionDep,
    _: ReadFacts,
    paging: PageDep,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="只统计某年的税收")] = None,
) -> Any:
    """在税不在册：有报送数据、但登记库中没有的企业，按全口径税收从高到低（招商、属地登记的线索）。"""
    items, total, tax_total = service.unregistered_taxpayers(
        session, year=year, offset=paging.offset, limit=paging.page_size
    )
    return UnregisteredPage(
        items=[UnregisteredRead.model_validate(i) for i in items],
        total=total,
        page=paging.page,
        page_size=paging.page_size,
        tax_total=tax_total,
    )


# ----- file upload -------------------------------------------------------------------------------


def _refuse_oversized(request: Request) -> None:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > files.MAX_UPLOAD_BYTES + 64 * 1024:
        size = int(length) / 1024 / 1024
        raise files.FileTooLarge(
            f"上传的文件约 {size:.1f} MB，超过了 {files.MAX_UPLOAD_BYTES // 1024 // 1024} MB 的上限，请拆分后分批上传"
        )


@router.get(
    "/facts/upload/template", response_class=Response, responses=files.download_responses("上传模板（xlsx 或 csv）")
)
def upload_template(
    _: Bureau, format: Annotated[Literal["xlsx", "csv"], Query(description="xlsx 或 csv（UTF-8 带 BOM）")] = "xlsx"
) -> Response:
    """下载数据上传模板（中文表头）。

    期间填 2025-06（季度合计 2025-Q2、年度合计 2025）；指标填 全口径税收 / 区级税收 / 营业收入 / 从业人员；
    数值单位为元（从业人员为人）。"""
    # 期间 and the code are text columns: what is typed there (2025-11, a code) is kept as typed.
    if format == "xlsx":
        content = files.write_template(UPLOAD_TEMPLATE, title="企业数据", instructions=UPLOAD_INSTRUCTIONS)
    else:
        content = files.write_table(
            UPLOAD_HEADERS, [], fmt=format, sheet_title="企业数据", text_columns=("统一社会信用代码", "期间")
        )
    name = files.download_name("企业数据上传模板", format)
    return Response(
        content,
        media_type=files.media_type(format),
        headers={"Content-Disposition": files.content_disposition(name), "Cache-Control": "no-store"},
    )


def _check_headers(headers: list[str], file_name: str) -> None:
    missing = [h for h in UPLOAD_FIELDS if h not in headers]
    if missing:
        raise Invalid(
            f"文件“{file_name}”缺少必填列：{'、'.join(missing)}（请下载模板后按模板填写）",
            fields=[{"field": "文件", "message": f"缺少列：{'、'.join(missing)}"}],
        )


def _rows_of(table: files.Table, file_name: str) -> list[tuple[int, dict[str, Any]]]:
    _check_headers(table.headers, file_name)
    return [
        (number, {field: cells.get(header, "") for header, field in UPLOAD_FIELDS.items()})
        for number, cells in table.rows
    ]


@router.post("/facts/upload", response_model=UploadReport, dependencies=[Depends(_refuse_oversized)])
def upload(
    session: SessionDep,
    principal: Bureau,
    response: Response,
    file: Annotated[UploadFile, File(description="Excel（.xlsx）或 CSV（UTF-8、UTF-8 BOM 或 GBK）")],
    source: Annotated[Source, Query(description="数据来源：tax_bureau 税务局、statistics_bureau 统计局 …")],
    dry_run: Annotated[bool, Query(description="true：只检查不保存（试导入）")] = True,
) -> Any:
    """上传企业数据文件（与批量接口同样的检查）：先试导入看结果，再正式导入；有任何一行被拒绝时整份文件都不保存。"""
    data = file.file.read(files.MAX_UPLOAD_BYTES + 1)
    name = file.filename or "上传文件"
    table = files.read_table(
        data,
        filename=name,
        content_type=file.content_type,
        check_headers=lambda headers: _check_headers(headers, name),
    )
    report = service.upload(
        session,
        rows=_rows_of(table, name),
        source=source,
        dry_run=dry_run,
        submitted_by=principal.sub,
        file_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    if report.applied:
        _audit(response, "facts.upload", f"fact_batch:{report.batch_id}")
    return report
