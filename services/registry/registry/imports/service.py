"""Run an import: every row through the same services as the API, inside one savepoint.

A dry run, or a file with any rejected row, is rolled back whole (all-or-nothing per file);
each row runs in its own nested savepoint so one bad row is reported without hiding the
others. Re-importing the same file finds every record unchanged (natural keys: building
code or street + name, floor + unit, credit code, enterprise + building + start date).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from louyu_kit.changes import savepoint
from louyu_kit.errors import Invalid
from registry.access import Access
from registry.clients.gateway import Account
from registry.imports.files import Table
from registry.imports.kinds import Context, Kind, RowError
from registry.imports.models import ImportRun

MAX_REPORTED = 2000


def check_headers(kind: Kind, headers: list[str], file_name: str) -> None:
    """The header row fits the kind's template (called by the reader before any data row)."""
    known = set(kind.headers)
    present = set(headers)
    missing = [c.header for c in kind.columns if c.required and c.header not in present]
    if not present & known:
        raise Invalid(
            f"文件“{file_name}”的表头与{kind.label}模板不符，请下载模板后按模板填写",
            fields=[
                {"field": "文件", "message": f"应包含列：{'、'.join(c.header for c in kind.columns if c.required)}"}
            ],
        )
    if missing:
        raise Invalid(
            f"文件“{file_name}”缺少必填列：{'、'.join(missing)}",
            fields=[{"field": "文件", "message": f"缺少列：{'、'.join(missing)}"}],
        )


def run(
    session: Session,
    *,
    kind: Kind,
    table: Table,
    data: bytes,
    file_name: str,
    dry_run: bool,
    access: Access,
    actor: str,
    lookup: Callable[[str], Account | None] | None = None,
) -> ImportRun:
    """Import ``table`` (already read safely); returns the logged outcome. ``lookup`` asks the
    gateway who an account is (楼长 / 联络员 columns)."""
    check_headers(kind, table.headers, file_name)
    ctx = Context.build(session, access, actor, dry_run=dry_run, lookup=lookup)
    counts: Counter[str] = Counter()
    rejected: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    key_header = kind.columns[0].header
    valid: list[tuple[int, dict[str, Any]]] = []
    # Every problem of every row at once: all unreadable cells, unknown names, duplicates; the
    # rows without any then go through the services (which may find more).
    for row_number, cells in table.rows:
        values, problems = kind.parse_all(cells)
        problems += kind.precheck(ctx, values)
        if not problems:
            key = kind.key_of(values)
            if key in seen:
                problems.append((key_header, f"与第 {seen[key]} 行重复"))
            else:
                seen[key] = row_number
        if problems:
            rejected += [{"row": row_number, "column": c, "message": m} for c, m in problems]
        else:
            valid.append((row_number, values))
    with savepoint(session) as whole:
        for row_number, result in kind.apply_rows(ctx, valid):
            if isinstance(result, RowError):
                rejected += [{"row": row_number, "column": c, "message": m} for c, m in result.problems]
            else:
                counts[result.action] += 1
        applied = not dry_run and not rejected
        if not applied:
            whole.discard()
    rejected.sort(key=lambda r: r["row"])
    entry = ImportRun(
        kind=kind.name,
        file_name=file_name[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        dry_run=dry_run,
        applied=applied,
        rows_total=len(table.rows),
        created=counts["create"],
        updated=counts["update"],
        unchanged=counts["unchanged"],
        rejected_count=len({r["row"] for r in rejected}),
        rejected=rejected[:MAX_REPORTED],
        actor=actor,
    )
    session.add(entry)
    session.flush()
    return entry


def history(session: Session, *, kind: str | None, access: Access, limit: int = 100) -> list[ImportRun]:
    stmt = select(ImportRun).order_by(ImportRun.id.desc()).limit(limit)
    if kind:
        stmt = stmt.where(ImportRun.kind == kind)
    if not access.writes_all:
        stmt = stmt.where(ImportRun.actor == access.username)
    return list(session.scalars(stmt))
