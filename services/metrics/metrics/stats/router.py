"""GET /stats/aggregates: sums for the statistics bureau (no enterprise detail).

API note: ``GET /api/metrics/stats/aggregates?period=2025&by=street|theme|section|zone|month
&format=json|csv|xlsx&unit=yuan|wan`` (scope ``stats:read``, or leader / bureau) →
``{period, by, by_name, unit, items: [{code, name, kind, buildings, enterprises, tax_total,
tax_district, revenue, previous_tax_total, yoy}], total, total_row: {…, code: "_total", name:
"合计"}, district: {…}, notes}``: the items (groups, then 未入楼企业 ``_unattributed``,
其他/未分类 ``_other`` and for themes 减：重复计入 ``_duplicates``) always sum to ``total_row``,
the district figure. CSV (UTF-8 with BOM) and .xlsx carry the same rows and the 合计 row, the
unit in every money header, amounts exact (元 to the fen, 万元 to six decimals).

``GET /api/metrics/stats/cross-tab?period=&basis=tax_total|tax_district|revenue&format=&unit=``:
街道 × GB/T 4754 门类, with row and column totals adding up to the district figure.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

from fastapi import APIRouter, Query, Response

from louyu_kit import files
from louyu_kit.db import SessionDep
from louyu_kit.docs import CSV_TYPE, XLSX_TYPE, file_response_doc
from metrics.access import StatsAccess
from metrics.catalogue.definitions import export_notes
from metrics.kpis import views
from metrics.stats import service
from metrics.stats.schemas import Aggregates, CrossTab

router = APIRouter(tags=["统计局"])

UnitQuery = Annotated[
    Literal["yuan", "wan"], Query(description="金额单位：yuan 元（精确到分）/ wan 万元（精确到小数点后六位）")
]


@router.get(
    "/stats/aggregates",
    response_model=Aggregates,
    responses=file_response_doc(
        CSV_TYPE,
        XLSX_TYPE,
        description="JSON；format=csv 或 xlsx 时为文件（CSV 以 # 开头的行、xlsx 的“口径说明”工作表说明各列指标）",
    ),
)
def read_aggregates(
    session: SessionDep,
    access: StatsAccess,
    period: Annotated[
        str | None,
        Query(
            max_length=12, description="统计期：2025-06、2025-Q2、2025、2025-06-YTD 或 2025-YTD（默认最近一年年初至今）"
        ),
    ] = None,
    by: Annotated[
        Literal["street", "theme", "section", "zone", "month"],
        Query(description="分组：street 街道 / theme 特色主题 / section 行业门类 / zone 功能区 / month 月份"),
    ] = "street",
    format: Annotated[Literal["json", "csv", "xlsx"], Query(description="json、csv 或 xlsx")] = "json",
    unit: UnitQuery = "yuan",
) -> Aggregates | Response:
    """按统计期和街道、主题、行业门类、功能区或月份汇总的税收与营业收入（仅汇总数，不含企业明细）；
    含未入楼企业、其他/未分类和合计行，各行之和等于合计（全区数）。"""
    rng = views.period_range(session, period)
    answer = service.aggregates(session, rng=rng, by=by)
    if format == "json":
        return Aggregates.model_validate(service.jsonable(answer, unit=unit))
    headers, rows = service.table(answer, unit=unit)
    label = service.unit_label(unit)
    title = f"{rng.label}按{answer['by_name']}汇总（{label}）"
    notes = export_notes(headers, period=rng.label, unit_note=f"金额单位：{label}")
    return _download(headers, rows, format, title, answer["by_name"], f"stats:{by}:{rng.key}:{format}:{unit}", notes)


PeriodQuery = Annotated[
    str | None,
    Query(max_length=12, description="统计期：2025-06、2025-Q2、2025、2025-06-YTD 或 2025-YTD（默认最近一年年初至今）"),
]
FileFormat = Annotated[Literal["xlsx", "csv"], Query(description="xlsx 或 csv")]


@router.get(
    "/stats/aggregates/export",
    response_class=Response,
    responses=file_response_doc(XLSX_TYPE, CSV_TYPE, description="汇总表文件（xlsx 或 csv）"),
)
def export_aggregates(
    session: SessionDep,
    access: StatsAccess,
    period: PeriodQuery = None,
    by: Annotated[
        Literal["street", "theme", "section", "zone", "month"],
        Query(description="分组：street 街道 / theme 特色主题 / section 行业门类 / zone 功能区 / month 月份"),
    ] = "street",
    format: FileFormat = "xlsx",
    unit: UnitQuery = "yuan",
) -> Response:
    """下载汇总表文件（与 GET /stats/aggregates?format=xlsx 相同；供只处理单一答复类型的接口客户端使用）。"""
    return cast(Response, read_aggregates(session, access, period=period, by=by, format=format, unit=unit))


@router.get(
    "/stats/cross-tab",
    response_model=CrossTab,
    responses=file_response_doc(
        CSV_TYPE,
        XLSX_TYPE,
        description="JSON；format=csv 或 xlsx 时为文件（CSV 以 # 开头的行、xlsx 的“口径说明”工作表说明口径）",
    ),
)
def read_cross_tab(
    session: SessionDep,
    access: StatsAccess,
    period: Annotated[
        str | None,
        Query(
            max_length=12, description="统计期：2025-06、2025-Q2、2025、2025-06-YTD 或 2025-YTD（默认最近一年年初至今）"
        ),
    ] = None,
    basis: Annotated[
        Literal["tax_total", "tax_district", "revenue"],
        Query(description="tax_total 全口径税收 / tax_district 区级税收 / revenue 营业收入"),
    ] = "tax_total",
    format: Annotated[Literal["json", "csv", "xlsx"], Query(description="json、csv 或 xlsx")] = "json",
    unit: UnitQuery = "yuan",
) -> CrossTab | Response:
    """街道 × 行业门类交叉表（统计局）：行为各街道、未入楼企业、其他/未分类，列为 GB/T 4754 门类，含行、列合计。"""
    rng = views.period_range(session, period)
    answer = service.cross_tab(session, rng=rng, basis=basis)
    if format == "json":
        return CrossTab.model_validate(service.cross_tab_json(answer, unit=unit))
    headers, rows = service.cross_tab_table(answer, unit=unit)
    names = {"tax_total": "全口径税收", "tax_district": "区级税收", "revenue": "营业收入"}
    label = service.unit_label(unit)
    title = f"{rng.label}{names[basis]}街道×行业门类（{label}）"
    # Every cell of the table is the one figure ``basis``: the 口径说明 explains that column.
    notes = export_notes(
        [f"{names[basis]}（{label}）"], period=rng.label, unit_note=f"金额单位：{label}；各门类列及合计列均为该指标"
    )
    obj = f"stats:cross-tab:{basis}:{rng.key}:{format}:{unit}"
    return _download(headers, rows, format, title, "街道×门类", obj, notes)


def _download(
    headers: list[str], rows: list[list[Any]], format: str, title: str, sheet: str, obj: str, notes: files.ExportNotes
) -> Response:
    chunks = files.stream_table(headers, rows, fmt=format, sheet_title=sheet, notes=notes)  # type: ignore[arg-type]
    response = files.download(chunks, fmt=format, name=title)  # type: ignore[arg-type]
    response.headers["X-Audit-Action"] = "export.stats"
    response.headers["X-Audit-Object"] = obj
    return response


@router.get(
    "/stats/cross-tab/export",
    response_class=Response,
    responses=file_response_doc(XLSX_TYPE, CSV_TYPE, description="交叉表文件（xlsx 或 csv）"),
)
def export_cross_tab(
    session: SessionDep,
    access: StatsAccess,
    period: PeriodQuery = None,
    basis: Annotated[
        Literal["tax_total", "tax_district", "revenue"],
        Query(description="tax_total 全口径税收 / tax_district 区级税收 / revenue 营业收入"),
    ] = "tax_total",
    format: FileFormat = "xlsx",
    unit: UnitQuery = "yuan",
) -> Response:
    """下载交叉表文件（与 GET /stats/cross-tab?format=xlsx 相同）。"""
    return cast(Response, read_cross_tab(session, access, period=period, basis=basis, format=format, unit=unit))
