"""/imports and /exports: Excel and CSV in and out, with templates and an import log."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Path, Query, Request, Response, UploadFile

from louyu_kit.clock import today_in_china
from louyu_kit.db import SessionDep
from registry.access import ReadAccess, WriteAccess
from registry.audit import note
from registry.clients.gateway import BlockingGateway, get_gateway
from registry.imports import files, service, templates
from registry.imports.kinds import KINDS, TEXT_COLUMNS, Kind
from registry.imports.schemas import ImportReport
from registry.spaces import service as spaces
from registry.spaces.router import AvailableFiltersDep

router = APIRouter(tags=["导入导出"])

KindName = Literal["buildings", "spaces", "enterprises", "occupancies"]
Format = Annotated[Literal["xlsx", "csv"], Query(description="xlsx 或 csv（UTF-8 带 BOM）")]
AVAILABLE_HEADERS = [
    "楼宇编码",
    "楼宇名称",
    "街道",
    "楼层",
    "房号",
    "面积(㎡)",
    "状态",
    "可用日期",
    "可用状态",
    "报价租金(元/㎡·月)",
]


def kind_of(
    kind: Annotated[KindName, Path(description="buildings 楼宇 / spaces 房源 / enterprises 企业 / occupancies 入驻")],
) -> Kind:
    return KINDS[kind]


KindDep = Annotated[Kind, Depends(kind_of)]


def _download(content: bytes, name: str, fmt: str) -> Response:
    filename = files.download_name(name, fmt)  # type: ignore[arg-type]
    return Response(
        content,
        media_type=files.media_type(fmt),  # type: ignore[arg-type]
        headers={"Content-Disposition": files.content_disposition(filename), "Cache-Control": "no-store"},
    )


@router.get(
    "/imports/{kind}/template", response_class=Response, responses=files.download_responses("导入模板（xlsx 或 csv）")
)
def template(kind: KindDep, session: SessionDep, _: ReadAccess, format: Format = "xlsx") -> Response:
    """下载导入模板（中文表头；xlsx 另有示例行、下拉选项和“说明”工作表）。"""
    if format == "xlsx":
        content = templates.template(session, kind)
    else:
        content = files.write_table(kind.headers, [], fmt=format, sheet_title=kind.label, text_columns=TEXT_COLUMNS)
    return _download(content, f"{kind.label}导入模板", format)


def _refuse_oversized(request: Request) -> None:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > files.MAX_UPLOAD_BYTES + 64 * 1024:
        size = int(length) / 1024 / 1024
        raise files.FileTooLarge(
            f"上传的文件约 {size:.1f} MB，超过了 {files.MAX_UPLOAD_BYTES // 1024 // 1024} MB 的上限，请拆分后分批导入"
        )


@router.post("/imports/{kind}", response_model=ImportReport, dependencies=[Depends(_refuse_oversized)])
def import_file(
    kind: KindDep,
    session: SessionDep,
    access: WriteAccess,
    gateway: Annotated[BlockingGateway, Depends(get_gateway)],
    file: Annotated[UploadFile, File(description="Excel（.xlsx）或 CSV（UTF-8、UTF-8 BOM 或 GBK）")],
    dry_run: Annotated[bool, Query(description="true：只检查不保存（试导入）")] = True,
) -> Any:
    """导入文件：试导入返回将新建、修改、拒绝的行；正式导入要么全部保存，要么（有任何错误时）全部不保存。"""
    # A plain ``def`` route: reading and importing are CPU and database work, kept off the event loop.
    data = file.file.read(files.MAX_UPLOAD_BYTES + 1)
    name = file.filename or "上传文件"
    table = files.read_table(
        data,
        filename=name,
        content_type=file.content_type,
        check_headers=lambda headers: service.check_headers(kind, headers, name),
    )
    return service.run(
        session,
        kind=kind,
        table=table,
        data=data,
        file_name=name,
        dry_run=dry_run,
        access=access,
        actor=access.username,
        lookup=gateway.account,
    )


@router.get("/imports", response_model=list[ImportReport])
def import_history(
    session: SessionDep, access: WriteAccess, kind: Annotated[KindName | None, Query(description="只看某类")] = None
) -> list[Any]:
    """导入记录（区商务局看全部，其他用户看自己的），最新的在前。"""
    return service.history(session, kind=kind, access=access)


@router.get("/exports/{kind}", response_class=Response, responses=files.download_responses("导出文件（xlsx 或 csv）"))
def export(
    request: Request,
    kind: KindDep,
    session: SessionDep,
    access: ReadAccess,
    format: Format = "xlsx",
    on: Annotated[date | None, Query(description="楼宇导出中入驻率等数字的统计日期（YYYY-MM-DD，默认今天）")] = None,
) -> Response:
    """导出本人可见范围内的全部记录（电话脱敏；可直接修改后再导入）。楼宇导出在模板列之后附入驻率、入驻面积、
    空置面积、在楼企业数及其统计日期（只读，导入时忽略）。"""
    headers, _ = kind.export_table(session, access, on=on)
    # The rows are read while the file is sent, in a session of their own (the request's closes first).
    rows = files.rows_in_session(request.app.state.db.sessions, lambda s: kind.export_table(s, access, on=on)[1])
    chunks = files.stream_table(headers, rows, fmt=format, sheet_title=kind.label, text_columns=TEXT_COLUMNS)
    response = files.download(chunks, fmt=format, name=f"{kind.label}名单")
    note(response, action=f"export.{kind.name}", obj=f"{kind.name}:{format}")
    return response


def _availability(available_from: date | None, today: date) -> str:
    return "即可使用" if available_from is None or available_from <= today else "待可用"


@router.get(
    "/spaces/available/export",
    response_class=Response,
    responses=files.download_responses("可用空间清单（xlsx 或 csv）"),
)
def export_available(
    session: SessionDep, access: ReadAccess, f: AvailableFiltersDep, format: Format = "xlsx"
) -> Response:
    """导出可用空间清单（按可用日期先后）。"""
    items, _ = spaces.available(session, access=access, filters=f, page=None)
    today = today_in_china()
    rows = [
        [
            i["building_code"],
            i["building_name"],
            i["street_name"],
            i["floor"],
            i["unit"],
            i["area"],
            i["status_label"],
            i["available_from"],
            _availability(i["available_from"], today),
            i["asking_rent"],
        ]
        for i in items
    ]
    chunks = files.stream_table(AVAILABLE_HEADERS, rows, fmt=format, sheet_title="可用空间", text_columns=TEXT_COLUMNS)
    response = files.download(chunks, fmt=format, name="可用空间清单")
    note(response, action="export.available_spaces", obj=f"spaces:{format}")
    return response
