"""GET /stats/aggregates: sums for the statistics bureau (no enterprise detail).

API note: ``GET /api/metrics/stats/aggregates?period=2025&by=street|theme|section|zone|month
&format=json|csv|xlsx`` (scope ``stats:read``, or leader / bureau) →
``{period, by, by_name, items: [{code, name, buildings, enterprises, tax_total,
tax_district, revenue, previous_tax_total, yoy}], total, district: {tax_total,
tax_district, revenue, unattributed, buildings, occupancy_rate, tenants,
registration_rate, statistics_rate}, notes}``; ``section`` rows are GB/T 4754 门类 letters
(``""`` = industry unknown), ``month`` rows the months of the range. CSV (UTF-8 with BOM)
and .xlsx carry the same rows plus a 全区合计 row, amounts exact to the fen.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from louyu_kit import files
from louyu_kit.db import SessionDep
from metrics.access import StatsAccess
from metrics.catalogue.definitions import export_notes
from metrics.kpis import views
from metrics.stats import service
from metrics.stats.schemas import Aggregates

router = APIRouter(tags=["统计局"])


@router.get(
    "/stats/aggregates",
    response_model=Aggregates,
    responses={
        200: {
            "description": "JSON；format=csv 或 xlsx 时为文件"
            "（CSV 以 # 开头的行、xlsx 的“口径说明”工作表说明各列指标）",
            "content": {files.media_type("csv"): {}, files.media_type("xlsx"): {}},
        }
    },
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
) -> Aggregates | Response:
    """按统计期和街道、主题、行业门类、功能区或月份汇总的税收与营业收入（仅汇总数，不含企业明细）。"""
    rng = views.period_range(session, period)
    answer = service.aggregates(session, rng=rng, by=by)
    if format == "json":
        return Aggregates.model_validate(service.jsonable(answer))
    headers, rows = service.table(answer)
    title = f"{rng.label}按{answer['by_name']}汇总"
    notes = export_notes(headers, period=rng.label)
    content = files.write_table(headers, rows, fmt=format, sheet_title=answer["by_name"], notes=notes)
    filename = files.download_name(title, format)
    response = Response(
        content,
        media_type=files.media_type(format),
        headers={"Content-Disposition": files.content_disposition(filename), "Cache-Control": "no-store"},
    )
    response.headers["X-Audit-Action"] = "export.stats"
    response.headers["X-Audit-Object"] = f"stats:{by}:{rng.key}:{format}"
    return response
