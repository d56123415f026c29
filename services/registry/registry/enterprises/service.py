"""Enterprises (一企一档): create with the credit-code check, read, search, update, delete."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, insert, select
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.db import utcnow
from louyu_kit.errors import Conflict, Forbidden, Invalid, NotFound
from louyu_kit.paging import PageParams
from registry.access import Access
from registry.buildings.models import Building
from registry.buildings.service import current_on
from registry.enterprises import search, uscc
from registry.enterprises.models import HQ_LEVELS, TAG_LABELS, Enterprise
from registry.enterprises.schemas import EnterpriseCreate, EnterpriseUpdate
from registry.history import service as history
from registry.occupancy.models import Occupancy
from registry.reference.service import divisions_of, industry_names

FLAGS = ("registered_in_district", "taxed_in_district", "in_statistics", "above_scale", "listed", "is_key")


def snapshot(e: Enterprise) -> dict[str, Any]:
    return {
        "credit_code": e.credit_code,
        "name": e.name,
        "industry_code": e.industry_code,
        "registered_in_district": e.registered_in_district,
        "taxed_in_district": e.taxed_in_district,
        "in_statistics": e.in_statistics,
        "above_scale": e.above_scale,
        "listed": e.listed,
        "hq_level": e.hq_level,
        "is_key": e.is_key,
        "employees": e.employees,
        "founded_date": e.founded_date.isoformat() if e.founded_date else None,
        "check_override": e.check_override,
        "override_reason": e.override_reason,
        "note": e.note,
        "is_demo": e.is_demo,
    }


def code_problems(code: str, *, override: bool, reason: str) -> list[dict[str, str]]:
    """Field errors for a credit code (empty when it is valid or validly overridden)."""
    problem = uscc.problem(code)
    if problem is None:
        return []
    if not override:
        return [{"field": "credit_code", "message": problem}]
    if len(code) != 18 or any(ch not in uscc.VALUES for ch in code):
        return [{"field": "credit_code", "message": f"{problem}（长度或字符错误不能例外放行）"}]
    if len(reason.strip()) < 4:
        return [{"field": "override_reason", "message": "校验例外必须填写理由（至少4个字）"}]
    return []


def get(session: Session, credit_code: str, *, access: Access) -> Enterprise:
    code = uscc.normalise(credit_code)
    enterprise = session.scalar(select(Enterprise).where(Enterprise.credit_code == code, access.enterprise_filter()))
    if enterprise is None:
        raise NotFound(f"统一社会信用代码为 {code} 的企业不存在", error="EnterpriseNotFound")
    return enterprise


def get_by_code(session: Session, credit_code: str) -> Enterprise | None:
    return session.scalar(select(Enterprise).where(Enterprise.credit_code == uscc.normalise(credit_code)))


def can_edit(session: Session, enterprise: Enterprise, access: Access) -> bool:
    if access.writes_all:
        return True
    stmt = select(Enterprise.id).where(Enterprise.id == enterprise.id, access.enterprise_filter(write=True))
    return session.scalar(stmt) is not None


def prepare(data: EnterpriseCreate, *, actor: str, is_demo: bool = False) -> Enterprise:
    """A new, not yet added Enterprise with every field set (its code already checked)."""
    values = {flag: False for flag in FLAGS} | {"note": ""} | data.model_dump(exclude_none=True)
    valid = uscc.problem(data.credit_code) is None
    values["check_override"] = not valid
    values["override_reason"] = "" if valid else data.override_reason
    return Enterprise(created_by=actor, is_demo=is_demo, **values)


def check_new(session: Session, data: EnterpriseCreate) -> None:
    """The credit code is valid (or validly overridden) and not registered yet."""
    problems = code_problems(data.credit_code, override=data.check_override, reason=data.override_reason)
    if problems:
        raise Invalid(f"统一社会信用代码 {data.credit_code}：{problems[0]['message']}", fields=problems)
    existing = get_by_code(session, data.credit_code)
    if existing is not None:
        raise Conflict(
            f"统一社会信用代码 {data.credit_code} 已登记为“{existing.name}”，请勿重复录入",
            error="DuplicateCreditCode",
        )


def create(
    session: Session, *, data: EnterpriseCreate, access: Access, actor: str, is_demo: bool = False
) -> Enterprise:
    """Register an enterprise (the credit code checked, duplicates refused)."""
    check_new(session, data)
    enterprise = prepare(data, actor=actor, is_demo=is_demo)
    session.add(enterprise)
    session.flush()
    search.index(session, [(enterprise.id, enterprise.name)])
    history.record(
        session,
        entity="enterprise",
        entity_id=enterprise.credit_code,
        op="create",
        before=None,
        after=snapshot(enterprise),
        actor=actor,
    )
    return enterprise


def create_many(session: Session, prepared: list[Enterprise], *, actor: str) -> None:
    """Insert checked, prepared enterprises in bulk (imports): one statement per few thousand rows."""
    if not prepared:
        return
    columns = [c.key for c in Enterprise.__table__.columns if c.key != "id"]
    rows = [{key: getattr(e, key) for key in columns} for e in prepared]
    now = utcnow()
    for row in rows:
        row.update(version=1, created_at=now, updated_at=now)
    ids: dict[str, int] = {}
    for start in range(0, len(rows), 2000):
        result = session.execute(
            insert(Enterprise).returning(Enterprise.id, Enterprise.credit_code),
            rows[start : start + 2000],
            # Statements of 100 rows have one text, which the driver converts once and reuses.
            execution_options={"insertmanyvalues_page_size": 100},
        )
        ids.update((code, eid) for eid, code in result)
    search.index(session, [(ids[e.credit_code], e.name) for e in prepared])
    history.record_many(
        session,
        entity="enterprise",
        items=[(e.credit_code, None, snapshot(e)) for e in prepared],
        op="create",
        actor=actor,
    )


def update(
    session: Session,
    enterprise: Enterprise,
    *,
    data: EnterpriseUpdate,
    access: Access,
    actor: str,
    flush: bool = True,
) -> Enterprise:
    """Change the fields sent (``flush=False`` in bulk imports, which flush once at the end)."""
    if not can_edit(session, enterprise, access):
        raise_forbidden(enterprise)
    values = data.model_dump(exclude_unset=True)
    before = snapshot(enterprise)
    for key, value in values.items():
        if value is None and key in ("name", *FLAGS):
            continue
        if value is None and key == "note":
            value = ""
        setattr(enterprise, key, value)
    after = snapshot(enterprise)
    if after["name"] != before["name"]:
        search.reindex(session, enterprise.id, enterprise.name)
    if after != before:
        if flush:
            session.flush()
        history.record(
            session,
            entity="enterprise",
            entity_id=enterprise.credit_code,
            op="update",
            before=before,
            after=after,
            actor=actor,
        )
    return enterprise


def raise_forbidden(enterprise: Enterprise) -> None:
    raise Forbidden(f"您没有修改企业“{enterprise.name}”的权限")


def delete(session: Session, enterprise: Enterprise, *, access: Access, actor: str) -> None:
    access.require_bureau("删除企业")
    if session.scalar(select(exists().where(Occupancy.enterprise_id == enterprise.id))):
        raise Conflict(f"企业“{enterprise.name}”有入驻记录，不能删除")
    before = snapshot(enterprise)
    session.delete(enterprise)
    session.flush()
    history.record(
        session,
        entity="enterprise",
        entity_id=before["credit_code"],
        op="delete",
        before=before,
        after=None,
        actor=actor,
    )


@dataclass(frozen=True)
class EnterpriseFilters:
    q: str | None = None
    industry: str | None = None
    street: list[str] | None = None
    building: str | None = None
    registered: bool | None = None
    taxed: bool | None = None
    in_statistics: bool | None = None
    above_scale: bool | None = None
    is_key: bool | None = None


def _looks_like_code(text: str) -> bool:
    """Four or more letters and digits, at least two digits: the beginning of a credit code."""
    code = uscc.normalise(text)
    return len(code) >= 4 and code.isascii() and code.isalnum() and sum(ch.isdigit() for ch in code) >= 2


def _filtered(session: Session, access: Access, filters: EnterpriseFilters) -> tuple[Any, str | None]:
    """The filtered query, and how a broad search should be read: "name" (a common word: walk
    the names in order) or "code" (a short code prefix: walk the codes in order); None otherwise."""
    stmt = select(Enterprise).where(access.enterprise_filter())
    broad: str | None = None
    if filters.q:
        text = filters.q.strip()
        code = uscc.normalise(text)
        if _looks_like_code(text):
            # A credit code or its beginning: a range on the unique index (the alphabet ends at Y).
            stmt = stmt.where(Enterprise.credit_code >= code, Enterprise.credit_code < code + "Z")
            broad = "code" if len(code) < 12 else None
        else:
            query = search.name_query(session, text)
            stmt, broad = stmt.where(query.where), ("name" if query.broad else None)
    if filters.industry:
        code = filters.industry.strip().upper()
        if len(code) == 1 and code.isalpha():
            stmt = stmt.where(func.substr(Enterprise.industry_code, 1, 2).in_(divisions_of(code)))
        else:
            stmt = stmt.where(Enterprise.industry_code.startswith(code))
    for attr, column in (
        ("registered", Enterprise.registered_in_district),
        ("taxed", Enterprise.taxed_in_district),
        ("in_statistics", Enterprise.in_statistics),
        ("above_scale", Enterprise.above_scale),
        ("is_key", Enterprise.is_key),
    ):
        value = getattr(filters, attr)
        if value is not None:
            stmt = stmt.where(column.is_(value))
    if filters.street or filters.building:
        today = today_in_china()
        inner = (
            select(Occupancy.id)
            .join(Building, Building.id == Occupancy.building_id)
            .where(Occupancy.enterprise_id == Enterprise.id, *current_on(today))
        )
        if filters.street:
            inner = inner.where(Building.street_code.in_(filters.street))
        if filters.building:
            inner = inner.where(Building.code == filters.building)
        stmt = stmt.where(exists(inner))
    return stmt, broad


def list_page(
    session: Session, *, access: Access, filters: EnterpriseFilters, page: PageParams
) -> tuple[list[dict[str, Any]], int, bool]:
    """One page (in name order; a code search in code order), the total, and whether the
    total was capped (a broad search)."""
    stmt, broad = _filtered(session, access, filters)
    if broad:
        # Count only up to the cap, and read the page in index order: a common word's or a
        # short prefix's first matches come after a few hundred rows, with nothing to sort.
        capped = stmt.order_by(None).limit(search.COUNT_CAP + 1).subquery()
        total = session.scalar(select(func.count()).select_from(capped)) or 0
    else:
        total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    if broad == "name":
        stmt = stmt.with_hint(Enterprise, "INDEXED BY ix_enterprise_name", "sqlite")
    order = (Enterprise.credit_code,) if filters.q and _looks_like_code(filters.q) else (Enterprise.name, Enterprise.id)
    rows = list(session.scalars(stmt.order_by(*order).limit(page.page_size).offset(page.offset)))
    capped_total = bool(broad) and total > search.COUNT_CAP
    return summaries(session, rows), min(total, search.COUNT_CAP) if capped_total else total, capped_total


def current_buildings(session: Session, enterprise_ids: list[int]) -> dict[int, list[dict[str, str]]]:
    if not enterprise_ids:
        return {}
    stmt = (
        select(Occupancy.enterprise_id, Building.code, Building.name)
        .join(Building, Building.id == Occupancy.building_id)
        .where(Occupancy.enterprise_id.in_(enterprise_ids), *current_on(today_in_china()))
        .order_by(Building.code)
    )
    out: dict[int, list[dict[str, str]]] = {}
    for eid, code, name in session.execute(stmt):
        refs = out.setdefault(eid, [])
        if all(r["code"] != code for r in refs):
            refs.append({"code": code, "name": name})
    return out


def tags_of(e: Enterprise) -> list[dict[str, str]]:
    """The enterprise's tags with their Chinese labels (flags that hold, then the HQ level)."""
    codes = [flag for flag in FLAGS if getattr(e, flag)] + ([e.hq_level] if e.hq_level else [])
    return [{"code": c, "label": TAG_LABELS.get(c, c)} for c in codes]


def summaries(session: Session, rows: list[Enterprise]) -> list[dict[str, Any]]:
    where = current_buildings(session, [e.id for e in rows])
    names = industry_names()
    out = []
    for e in rows:
        data = snapshot(e)
        data["industry_name"] = names.get(e.industry_code[:2]) if e.industry_code else None
        data["current_buildings"] = where.get(e.id, [])
        data["founded_date"] = e.founded_date
        data["hq_level_label"] = HQ_LEVELS.get(e.hq_level) if e.hq_level else None
        data["tags"] = tags_of(e)
        out.append(data)
    return out


def read_model(session: Session, enterprise: Enterprise, *, access: Access) -> dict[str, Any]:
    data = summaries(session, [enterprise])[0]
    data.update(
        version=enterprise.version,
        created_at=enterprise.created_at,
        updated_at=enterprise.updated_at,
        can_edit=can_edit(session, enterprise, access),
    )
    return data
