"""申报与兑现 imported from the 科技创新与人才服务中心's Excel (or CSV).

The pattern of registry's imports: the file is read by louyu_kit.files (safe, capped), every
row is checked and every problem reported at once with its Excel row number and a Chinese
reason; a dry run (the default) saves nothing; a real run saves all rows or, when any row has a
problem, none. A row whose enterprise already applied under the same policy updates it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from louyu_kit import files
from louyu_kit.errors import Invalid
from tasks.access import Actor
from tasks.clients.registry import BlockingRegistry
from tasks.policies import service
from tasks.policies.models import APPLICATION_STATUSES, Policy, PolicyApplication

HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "政策名称或文号",
    "申报日期",
    "申报状态",
    "核定金额（元）",
    "兑现日期",
    "备注",
]
REQUIRED = {"统一社会信用代码", "政策名称或文号", "申报日期", "申报状态"}
TEXT_COLUMNS = {"统一社会信用代码"}
STATUS_BY_LABEL = {label: code for code, label in APPLICATION_STATUSES.items()}


def check_headers(headers: list[str], name: str) -> None:
    missing = [h for h in HEADERS if h in REQUIRED and h not in headers]
    if missing:
        raise Invalid(
            f"文件“{name}”缺少列：{'、'.join(missing)}（请用导入模板）",
            fields=[{"field": h, "message": "缺少该列"} for h in missing],
        )


def parse_date(text: str) -> date | None:
    text = text.strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def parse_amount(text: str) -> Decimal | None:
    cleaned = text.replace(",", "").replace("，", "").replace("元", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        return None
    return value


def run(
    session: Session,
    *,
    table: files.Table,
    dry_run: bool,
    actor: Actor,
    registry: BlockingRegistry,
    token: str,
) -> dict[str, Any]:
    service.require_manage(actor)
    enterprises, buildings = service.registry_facts(registry, token)
    by_code = {e.credit_code: e for e in enterprises}
    policies = list(session.scalars(select(Policy)))
    by_title = {p.title: p for p in policies}
    by_number = {p.doc_number: p for p in policies if p.doc_number}
    problems: list[dict[str, Any]] = []
    planned: list[dict[str, Any]] = []
    seen: dict[tuple[int, str], int] = {}

    for row_no, cells in table.rows:

        def bad(field: str, message: str, row_no: int = row_no) -> None:
            problems.append({"row": row_no, "field": field, "message": message})

        before = len(problems)
        code = (cells.get("统一社会信用代码") or "").strip().upper()
        enterprise = by_code.get(code)
        if not code:
            bad("统一社会信用代码", "未填写")
        elif enterprise is None:
            bad("统一社会信用代码", f"“{code}”不在楼宇登记的企业中，请先登记企业或核对代码")
        name = (cells.get("企业名称") or "").strip()
        if enterprise is not None and name and name != enterprise.name:
            bad("企业名称", f"“{name}”与楼宇登记中的名称“{enterprise.name}”不一致")
        ref = (cells.get("政策名称或文号") or "").strip()
        policy = by_title.get(ref) or by_number.get(ref)
        if not ref:
            bad("政策名称或文号", "未填写")
        elif policy is None:
            bad("政策名称或文号", f"政策库中没有“{ref}”，请先录入政策或核对名称、文号")
        applied_text = (cells.get("申报日期") or "").strip()
        applied_on = parse_date(applied_text) if applied_text else None
        if not applied_text:
            bad("申报日期", "未填写")
        elif applied_on is None:
            bad("申报日期", f"“{applied_text}”不是有效日期（应如 2025-03-18）")
        status_text = (cells.get("申报状态") or "").strip()
        status = STATUS_BY_LABEL.get(status_text)
        if status is None:
            bad("申报状态", f"“{status_text}”不是有效状态（应为 {'、'.join(STATUS_BY_LABEL)} 之一）")
        amount_text = (cells.get("核定金额（元）") or "").strip()
        amount = parse_amount(amount_text) if amount_text else None
        if amount_text and amount is None:
            bad("核定金额（元）", f"“{amount_text}”不是有效金额（非负数，最多两位小数）")
        paid_text = (cells.get("兑现日期") or "").strip()
        paid_on = parse_date(paid_text) if paid_text else None
        if paid_text and paid_on is None:
            bad("兑现日期", f"“{paid_text}”不是有效日期（应如 2025-09-30）")
        if status and applied_on and len(problems) == before:
            labels = {"applied_on": "申报日期", "paid_on": "兑现日期", "status": "申报状态"}
            for field, message in service.check_application(status, amount, paid_on, applied_on):
                bad(labels.get(field, field), message)
        if policy is not None and enterprise is not None:
            key = (policy.id, enterprise.credit_code)
            if key in seen:
                bad("统一社会信用代码", f"与第 {seen[key]} 行重复（同一企业同一政策只能有一行）")
            seen.setdefault(key, row_no)
        if len(problems) == before and enterprise is not None and policy is not None:
            planned.append(
                {
                    "policy": policy,
                    "enterprise": enterprise,
                    "applied_on": applied_on,
                    "status": status,
                    "amount": amount,
                    "paid_on": paid_on,
                    "note": (cells.get("备注") or "").strip()[:500],
                }
            )

    existing = {
        (a.policy_id, a.credit_code): a
        for a in session.scalars(
            select(PolicyApplication).where(
                PolicyApplication.credit_code.in_({p["enterprise"].credit_code for p in planned})
            )
        )
    }
    created = sum(1 for p in planned if (p["policy"].id, p["enterprise"].credit_code) not in existing)
    updated = len(planned) - created
    save = not dry_run and not problems
    if save:
        for p in planned:
            e = p["enterprise"]
            row = existing.get((p["policy"].id, e.credit_code))
            if row is None:
                row = PolicyApplication(
                    policy_id=p["policy"].id, credit_code=e.credit_code, source="import", created_by=actor.username
                )
                session.add(row)
            row.enterprise_name = e.name
            for key, value in service._place(e, buildings).items():
                setattr(row, key, value)
            row.applied_on, row.status = p["applied_on"], p["status"]
            row.amount_granted, row.paid_on, row.note = p["amount"], p["paid_on"], p["note"]
        session.flush()
    return {
        "dry_run": dry_run,
        "saved": save,
        "rows": len(table.rows),
        "created": created,
        "updated": updated,
        "problems": problems,
    }
