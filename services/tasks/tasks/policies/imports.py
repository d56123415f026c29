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


# ----- 政策库 imported from a spreadsheet ------------------------------------------------------
# The same pattern: every problem of every row at once, a dry run by default, all or nothing. A
# row whose 文号 is already in the library updates that policy. The fields are checked by
# PolicyCreate itself (its errors become row/column reasons), never by a second set of rules here.

POLICY_COLUMNS: dict[str, str] = {
    "政策名称": "title",
    "发文机关": "issuer",
    "文号": "doc_number",
    "层级": "level",
    "发布日期": "published_on",
    "有效期至": "valid_until",
    "申报开始": "apply_from",
    "申报截止": "apply_until",
    "扶持内容": "benefit",
    "链接": "link",
    "行业代码": "industry_codes",
    "特色主题": "themes",
    "企业标签": "tags",
    "从业人数下限": "min_employees",
    "从业人数上限": "max_employees",
}
POLICY_HEADERS = list(POLICY_COLUMNS)
POLICY_REQUIRED = {"政策名称", "发文机关", "层级"}
POLICY_DATES = {"发布日期", "有效期至", "申报开始", "申报截止"}
POLICY_LISTS = {"行业代码", "特色主题", "企业标签"}
POLICY_NUMBERS = {"从业人数下限", "从业人数上限"}
HEADER_BY_FIELD = {field: header for header, field in POLICY_COLUMNS.items()}
# A model-level rule (PolicyFields._ranges) names no field: its message says which column.
RANGE_HEADERS = {"有效期止": "有效期至", "申报截止": "申报截止", "从业人数": "从业人数上限"}


def check_policy_headers(headers: list[str], name: str) -> None:
    missing = [h for h in POLICY_HEADERS if h in POLICY_REQUIRED and h not in headers]
    if missing:
        raise Invalid(
            f"文件“{name}”缺少列：{'、'.join(missing)}（请用导入模板）",
            fields=[{"field": h, "message": "缺少该列"} for h in missing],
        )


def policy_template() -> bytes:
    from tasks.policies.match import themes
    from tasks.policies.models import LEVELS, TAGS

    col = files.TemplateColumn
    columns = [
        col("政策名称", "2–300 字", "关于支持楼宇经济高质量发展的若干措施", required=True),
        col("发文机关", "2–200 字", "武汉市武昌区人民政府", required=True),
        col("文号", "已在政策库中的文号将更新该政策", "武昌政规〔2025〕3号", text=True),
        col("层级", "国家、省、市、区之一", "区", choices=list(LEVELS.values()), required=True),
        col("发布日期", "如 2025-03-18", "2025-03-18", text=True),
        col("有效期至", "如 2027-12-31", "2027-12-31", text=True),
        col("申报开始", "如 2025-04-01", "2025-04-01", text=True),
        col("申报截止", "如 2025-06-30", "2025-06-30", text=True),
        col("扶持内容", "最多 5000 字", "新引进总部企业给予一次性奖励"),
        col("链接", "政策原文链接或附件地址", "https://example.gov.cn/zc/2025/3.html"),
        col("行业代码", "GB/T 4754-2017 代码（2–4 位），多个用“、”分隔", "66、7211", text=True),
        col(
            "特色主题",
            "多个用“、”分隔",
            next(iter(themes().values()))[0],
            choices=[name for name, _ in themes().values()],
            strict=False,
        ),
        col("企业标签", "多个用“、”分隔", "区域总部", choices=list(TAGS.values()), strict=False),
        col("从业人数下限", "非负整数", 10),
        col("从业人数上限", "非负整数，不小于下限", 500),
    ]
    instructions = [
        "每行一项政策；红色列必填。",
        "文号已在政策库中的行更新该政策，其余行新建政策。",
        "先试导入查看问题，全部无误后再确认导入；任何一行有问题则整份不保存。",
    ]
    return files.write_template(columns, title="政策库", instructions=instructions)


def run_policies(session: Session, *, table: files.Table, dry_run: bool, actor: Actor) -> dict[str, Any]:
    from pydantic import ValidationError

    from louyu_kit.errors import chinese_message
    from tasks.policies.match import themes
    from tasks.policies.models import LEVELS, TAGS
    from tasks.policies.schemas import PolicyCreate, PolicyUpdate

    service.require_manage(actor)
    level_by_label = {label: code for code, label in LEVELS.items()}
    theme_by_name = {name: code for code, (name, _) in themes().items()}
    tag_by_label = {label: code for code, label in TAGS.items()}
    by_number = {p.doc_number: p for p in session.scalars(select(Policy)) if p.doc_number}
    problems: list[dict[str, Any]] = []
    planned: list[tuple[int, Policy | None, PolicyCreate]] = []
    seen: dict[str, int] = {}

    for row_no, cells in table.rows:

        def bad(field: str, message: str, row_no: int = row_no) -> None:
            problems.append({"row": row_no, "field": field, "message": message})

        before = len(problems)
        values: dict[str, Any] = {}
        for header, field in POLICY_COLUMNS.items():
            text = (cells.get(header) or "").strip()
            if not text:
                if header in POLICY_REQUIRED:
                    bad(header, "未填写")
                continue
            if header in POLICY_DATES:
                day = parse_date(text)
                if day is None:
                    bad(header, f"“{text}”不是有效日期（应如 2025-03-18）")
                else:
                    values[field] = day
            elif header == "层级":
                values[field] = level_by_label.get(text, text)
                if text not in level_by_label and text not in LEVELS:
                    bad(header, f"“{text}”不是有效层级（应为 {'、'.join(level_by_label)} 之一）")
            elif header in POLICY_LISTS:
                items = [t.strip() for t in re.split(r"[、，,;；\s]+", text) if t.strip()]
                if header == "特色主题":
                    unknown = [t for t in items if t not in theme_by_name and t not in themes()]
                    items = [theme_by_name.get(t, t) for t in items]
                    if unknown:
                        bad(header, f"没有主题“{'、'.join(unknown)}”（可用：{'、'.join(theme_by_name)}）")
                elif header == "企业标签":
                    unknown = [t for t in items if t not in tag_by_label and t not in TAGS]
                    items = [tag_by_label.get(t, t) for t in items]
                    if unknown:
                        bad(header, f"没有企业标签“{'、'.join(unknown)}”（可用：{'、'.join(tag_by_label)}）")
                values[field] = items
            elif header in POLICY_NUMBERS:
                number = text.replace(",", "").replace("，", "").removesuffix("人")
                if re.fullmatch(r"\d+(\.0+)?", number):
                    values[field] = int(float(number))
                else:
                    bad(header, f"“{text}”不是非负整数")
            else:
                values[field] = text
        # PolicyCreate checks the rest (lengths, GB/T 4754 codes, ranges), also on a row already
        # found bad, so that every problem of the row is reported at once; a column already
        # reported above is not reported twice.
        reported = {p["field"] for p in problems[before:]}
        try:
            data = PolicyCreate.model_validate(values)
        except ValidationError as exc:
            for err in exc.errors():
                loc = [str(p) for p in err.get("loc", ())]
                message = chinese_message(dict(err))
                header = HEADER_BY_FIELD.get(loc[0]) if loc else None
                if header is None:
                    header = next((h for key, h in RANGE_HEADERS.items() if key in message), "政策名称")
                if header not in reported:
                    reported.add(header)
                    bad(header, message)
        else:
            if len(problems) == before:
                number = data.doc_number or ""
                if number and number in seen:
                    bad("文号", f"与第 {seen[number]} 行文号相同（同一文号只能有一行）")
                elif number:
                    seen[number] = row_no
            if len(problems) == before:
                planned.append((row_no, by_number.get(number) if number else None, data))

    created = sum(1 for _, existing, _ in planned if existing is None)
    updates = [
        {"row": row_no, "doc_number": existing.doc_number, "title": existing.title}
        for row_no, existing, _ in planned
        if existing is not None
    ]
    save = not dry_run and not problems
    if save:
        for _, existing, data in planned:
            if existing is None:
                service.create(session, data=data, actor=actor)
            else:
                changes = PolicyUpdate.model_validate(data.model_dump(exclude={"valid_from"}))
                service.update(session, existing, data=changes, actor=actor)
        session.flush()
    return {
        "dry_run": dry_run,
        "saved": save,
        "rows": len(table.rows),
        "created": created,
        "updated": len(planned) - created,
        "problems": problems,
        "updates": updates,
    }
