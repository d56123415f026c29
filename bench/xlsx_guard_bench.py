"""What a big-but-legal .xlsx costs before it is refused (issue 14 item 8): numbers to report,
not a test. Generates a workbook of 600,000 rows × 10 columns (6M cells, within the 20 MB upload
limit), then reads it with louyu_kit.files as an import does: once with a header the import
does not accept, once with an accepted header (refused by the cell cap). Prints seconds, rows
touched, and the process's resident memory before, at peak and after.

    PYTHONPATH=services/kit .venv/bin/python bench/xlsx_guard_bench.py [--rows 600000]
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import time
import zipfile
from pathlib import Path

from louyu_kit import files
from louyu_kit.errors import Invalid

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def make_xlsx(headers: list[str], rows: int) -> bytes:
    rng = random.Random(1)
    head = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in headers)
    body = [f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}"><sheetData><row>{head}</row>']
    for _ in range(rows):
        body.append("<row>" + "".join(f"<c><v>{rng.randint(0, 99)}</v></c>" for _ in headers) + "</row>")
    body.append("</sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PKG}/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}" xmlns:r="{_REL}">'
            f'<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", "".join(body))
    return out.getvalue()


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(label: str, data: bytes, check) -> None:  # type: ignore[no-untyped-def]
    seen = {"rows": 0}
    original = files._Collector.add

    def add(self, row_number, cells):  # type: ignore[no-untyped-def]
        seen["rows"] += 1
        return original(self, row_number, cells)

    files._Collector.add = add  # type: ignore[method-assign]
    before = rss_mb()
    started = time.perf_counter()
    outcome = "read"
    try:
        files.read_table(data, filename="big.xlsx", check_headers=check)
    except Invalid as exc:
        outcome = f"refused: {exc.detail[:60]}"
    finally:
        files._Collector.add = original  # type: ignore[method-assign]
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label}: {seconds:.2f} s, {seen['rows']:,} rows touched, RSS {before:.0f} → {rss_mb():.0f} MB "
        f"(peak so far {peak:.0f} MB); {outcome}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=600_000)
    args = parser.parse_args()
    headers = [f"列{n}" for n in range(1, 11)]
    data = make_xlsx(headers, args.rows)
    print(f"workbook: {len(data) / 1024 / 1024:.1f} MB, {args.rows:,} rows × {len(headers)} columns")

    def wrong(found: list[str]) -> None:
        raise Invalid("表头与模板不符")

    measure("wrong header", data, wrong)
    measure("accepted header", data, lambda found: None)


if __name__ == "__main__":
    main()
