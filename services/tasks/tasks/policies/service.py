"""政策库, 精准推送, 送达 and 申报与兑现.

Who may do what:
- 区商务局 and 区科技创新与人才服务中心 (department users of unit ``kcrc``) manage policies,
  pushes and applications;
- leader and the other departments read everything; a street reads the pushes, deliveries and
  applications of its streets; a 楼长 reads the pushes to their buildings and records deliveries.
Policies themselves (public documents) are read by every business role.
Matching reads registry with the caller's own token, so registry's scope applies.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select, true
from sqlalchemy.orm import Session

from louyu_kit.clock import today_in_china
from louyu_kit.db import utcnow
from louyu_kit.errors import Forbidden, Invalid, NotFound
from louyu_kit.paging import PageParams, paginate
from tasks.access import Actor
from tasks.clients.registry import BlockingRegistry
from tasks.policies import figures
from tasks.policies.match import (
    BuildingFacts,
    EnterpriseFacts,
    Match,
    Targets,
    industry_label,
    match,
    theme_name,
)
from tasks.policies.models import (
    APPLICATION_STATUSES,
    DELIVERY_METHODS,
    LEVELS,
    TAGS,
    Policy,
    PolicyApplication,
    PolicyDelivery,
    PolicyPush,
)
from tasks.policies.schemas import (
    ApplicationCreate,
    ApplicationUpdate,
    DeliveryCreate,
    PolicyCreate,
    PolicyUpdate,
    PushCreate,
    VisitPolicyDelivery,
)

MANAGING_UNIT = "kcrc"  # 区科技创新与人才服务中心
PUSH_DAYS = 14
RULE = (
    "政策列出的行业、主题、企业标签、规模门槛中，列出的每一类都须满足（同一类内满足其一即可）；"
    "未列任何条件的为普惠政策，面向全部企业。行业按 GB/T 4754-2017 代码前缀匹配；主题看企业所在楼宇的主题，"
    "或企业行业属于该主题的行业；规模看从业人数（未填从业人数的不符合规模门槛）。"
)


# ----- access -----------------------------------------------------------------------------


def can_manage(actor: Actor) -> bool:
    return "bureau" in actor.roles or ("department" in actor.roles and MANAGING_UNIT in actor.unit_codes)


def require_manage(actor: Actor) -> None:
    if not can_manage(actor):
        raise Forbidden("只有区商务局和区科技创新与人才服务中心可以管理政策、推送和申报")


def reads_all(actor: Actor) -> bool:
    return bool(actor.roles & {"bureau", "leader", "department"})


def push_filter(actor: Actor) -> ColumnElement[bool]:
    if reads_all(actor):
        return true()
    clauses: list[ColumnElement[bool]] = []
    if "street" in actor.roles and actor.street_codes:
        clauses.append(PolicyPush.street_code.in_(actor.street_codes))
    if "chief" in actor.roles:
        clauses.append(PolicyPush.chief_username == actor.username)
    return or_(*clauses) if clauses else false()


def delivery_filter(actor: Actor) -> ColumnElement[bool]:
    if reads_all(actor):
        return true()
    clauses: list[ColumnElement[bool]] = [PolicyDelivery.delivered_by == actor.username]
    if "street" in actor.roles and actor.street_codes:
        clauses.append(PolicyDelivery.street_code.in_(actor.street_codes))
    if "chief" in actor.roles:
        mine = select(PolicyPush.id).where(
            PolicyPush.id == PolicyDelivery.push_id, PolicyPush.chief_username == actor.username
        )
        clauses.append(mine.exists())
    return or_(*clauses)


def application_filter(actor: Actor) -> ColumnElement[bool]:
    if reads_all(actor):
        return true()
    if "street" in actor.roles and actor.street_codes:
        return PolicyApplication.street_code.in_(actor.street_codes)
    return false()


def require_read_applications(actor: Actor) -> None:
    if not (reads_all(actor) or "street" in actor.roles):
        raise Forbidden("楼长不查看申报与兑现，请到“政策推送”查看本楼宇的政策")


# ----- policies ---------------------------------------------------------------------------


def get(session: Session, policy_id: int) -> Policy:
    policy = session.get(Policy, policy_id)
    if policy is None:
        raise NotFound(f"政策 {policy_id} 不存在")
    return policy


def list_page(session: Session, *, q: str | None, level: str | None, page: PageParams) -> tuple[list[Policy], int]:
    stmt = select(Policy)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Policy.title.ilike(like), Policy.doc_number.ilike(like), Policy.issuer.ilike(like)))
    if level:
        stmt = stmt.where(Policy.level == level)
    stmt = stmt.order_by(Policy.published_on.desc().nulls_last(), Policy.id.desc())
    return paginate(session, stmt, page)


def _counts(session: Session, model: Any, column: Any, ids: list[int], where: Any) -> dict[int, int]:
    if not ids:
        return {}
    rows = session.execute(select(column, func.count()).where(column.in_(ids), where).group_by(column)).all()
    return {k: n for k, n in rows}


def policy_reads(session: Session, policies: list[Policy], *, actor: Actor, today: date) -> list[dict[str, Any]]:
    ids = [p.id for p in policies]
    pushes = _counts(session, PolicyPush, PolicyPush.policy_id, ids, push_filter(actor))
    deliveries = _counts(session, PolicyDelivery, PolicyDelivery.policy_id, ids, delivery_filter(actor))
    apps = _counts(session, PolicyApplication, PolicyApplication.policy_id, ids, application_filter(actor))
    out = []
    for p in policies:
        in_force = (p.valid_from is None or p.valid_from <= today) and (p.valid_until is None or today <= p.valid_until)
        out.append(
            {
                **{
                    c: getattr(p, c)
                    for c in (
                        "id",
                        "title",
                        "issuer",
                        "doc_number",
                        "level",
                        "published_on",
                        "valid_from",
                        "valid_until",
                        "min_employees",
                        "max_employees",
                        "benefit",
                        "apply_from",
                        "apply_until",
                        "link",
                        "is_demo",
                        "created_by",
                        "created_at",
                    )
                },
                "themes": list(p.themes or []),
                "industry_codes": list(p.industry_codes or []),
                "tags": list(p.tags or []),
                "level_label": LEVELS.get(p.level, p.level),
                "theme_labels": [theme_name(t) for t in p.themes or []],
                "industry_labels": [industry_label(c) for c in p.industry_codes or []],
                "tag_labels": [TAGS.get(t, t) for t in p.tags or []],
                "in_force": in_force,
                "pushes": pushes.get(p.id, 0),
                "deliveries": deliveries.get(p.id, 0),
                "applications": apps.get(p.id, 0),
                "can_manage": can_manage(actor),
            }
        )
    return out


def _check_themes(themes: list[str] | None) -> None:
    from tasks.policies.match import themes as known

    for t in themes or []:
        if t not in known():
            raise Invalid(
                f"主题“{t}”不存在", fields=[{"field": "themes", "message": f"可用主题：{'、'.join(known())}"}]
            )


def create(session: Session, *, data: PolicyCreate, actor: Actor) -> Policy:
    require_manage(actor)
    _check_themes(data.themes)
    values = data.model_dump()
    for key in ("themes", "industry_codes", "tags"):
        values[key] = values[key] or []
    for key in ("doc_number", "benefit", "link"):
        values[key] = values[key] or ""
    policy = Policy(**values, created_by=actor.username)
    session.add(policy)
    session.flush()
    return policy


def update(session: Session, policy: Policy, *, data: PolicyUpdate, actor: Actor) -> Policy:
    require_manage(actor)
    changes = data.model_dump(exclude_unset=True)
    _check_themes(changes.get("themes"))
    for key, value in changes.items():
        if key in ("title", "issuer", "level") and value is None:
            raise Invalid(f"{key} 不能为空", fields=[{"field": key, "message": "不能为空"}])
        if key in ("themes", "industry_codes", "tags", "doc_number", "benefit", "link") and value is None:
            value = [] if key in ("themes", "industry_codes", "tags") else ""
        setattr(policy, key, value)
    session.flush()
    return policy


# ----- matching and pushes ----------------------------------------------------------------


def registry_facts(registry: BlockingRegistry, token: str) -> tuple[list[EnterpriseFacts], dict[str, BuildingFacts]]:
    enterprises = registry.enterprise_facts(token=token)
    buildings = {b.code: b for b in registry.building_facts(token=token)}
    return enterprises, buildings


def matches(policy: Policy, enterprises: list[EnterpriseFacts], buildings: dict[str, BuildingFacts]) -> list[Match]:
    return match(Targets.of(policy), enterprises, buildings)


def _delivered_keys(session: Session, policy_id: int) -> set[str]:
    rows = session.execute(
        select(PolicyDelivery.credit_code, PolicyDelivery.enterprise_name).where(PolicyDelivery.policy_id == policy_id)
    ).all()
    return {c for c, _ in rows if c} | {n for _, n in rows}


def _applied_codes(session: Session, policy_id: int) -> set[str]:
    return set(
        session.scalars(
            select(PolicyApplication.credit_code).where(
                PolicyApplication.policy_id == policy_id, PolicyApplication.status.in_(figures.APPLIED)
            )
        )
    )


def _building_out(b: BuildingFacts) -> dict[str, str]:
    return {"code": b.code, "name": b.name, "street_code": b.street_code, "street_name": b.street_name}


def match_read(m: Match, delivered: set[str], applied: set[str]) -> dict[str, Any]:
    e = m.enterprise
    return {
        "credit_code": e.credit_code,
        "name": e.name,
        "industry_code": e.industry_code,
        "buildings": [_building_out(b) for b in m.buildings],
        "reasons": m.reasons,
        "delivered": e.credit_code in delivered or e.name in delivered,
        "applied": e.credit_code in applied,
    }


def matches_read(session: Session, policy: Policy, found: list[Match]) -> dict[str, Any]:
    delivered = _delivered_keys(session, policy.id)
    applied = _applied_codes(session, policy.id)
    buildings: dict[str, BuildingFacts] = {}
    for m in found:
        for b in m.buildings:
            buildings.setdefault(b.code, b)
    return {
        "policy_id": policy.id,
        "items": [match_read(m, delivered, applied) for m in found],
        "total": len(found),
        "buildings": [_building_out(b) for b in sorted(buildings.values(), key=lambda b: b.code)],
        "rule": RULE,
    }


def push(
    session: Session,
    policy: Policy,
    *,
    data: PushCreate,
    actor: Actor,
    registry: BlockingRegistry,
    token: str,
    today: date,
) -> tuple[list[PolicyPush], int]:
    """A push per matched building not yet pushed this policy: to its 楼长, or its street."""
    require_manage(actor)
    enterprises, buildings = registry_facts(registry, token)
    found = matches(policy, enterprises, buildings)
    per_building: dict[str, list[Match]] = defaultdict(list)
    for m in found:
        for b in m.buildings:
            per_building[b.code].append(m)
    wanted = set(data.building_codes) if data.building_codes else set(per_building)
    unknown = sorted(wanted - set(per_building))
    if unknown:
        raise Invalid(
            f"楼宇 {'、'.join(unknown)} 没有符合该政策的企业",
            fields=[{"field": "building_codes", "message": "只能推送到有匹配企业的楼宇"}],
        )
    already = set(session.scalars(select(PolicyPush.building_code).where(PolicyPush.policy_id == policy.id)))
    codes = sorted(wanted - already)
    chiefs = {b.code: b.chief_username for b in registry.buildings(codes, token=token)} if codes else {}
    due = data.due_date or today + timedelta(days=PUSH_DAYS)
    created = []
    for code in codes:
        b = buildings[code]
        row = PolicyPush(
            policy_id=policy.id,
            building_code=code,
            building_name=b.name,
            street_code=b.street_code,
            street_name=b.street_name,
            chief_username=chiefs.get(code),
            enterprises=[
                {"credit_code": m.enterprise.credit_code, "name": m.enterprise.name, "reasons": m.reasons}
                for m in per_building[code]
            ],
            due_date=due,
            created_by=actor.username,
        )
        session.add(row)
        created.append(row)
    session.flush()
    return created, len(wanted & already)


def push_read(session: Session, push_: PolicyPush, policy: Policy | None = None) -> dict[str, Any]:
    policy = policy or session.get(Policy, push_.policy_id)
    delivered = _delivered_keys(session, push_.policy_id)
    applied = _applied_codes(session, push_.policy_id)
    building = {
        "code": push_.building_code,
        "name": push_.building_name,
        "street_code": push_.street_code,
        "street_name": push_.street_name,
    }
    return {
        **{
            c: getattr(push_, c)
            for c in (
                "id",
                "policy_id",
                "building_code",
                "building_name",
                "street_code",
                "street_name",
                "chief_username",
                "due_date",
                "delivered_at",
                "created_by",
                "created_at",
                "is_demo",
            )
        },
        "policy_title": policy.title if policy else "",
        "enterprises": [
            {
                "credit_code": e.get("credit_code", ""),
                "name": e.get("name", ""),
                "industry_code": None,
                "buildings": [building],
                "reasons": e.get("reasons", []),
                "delivered": e.get("credit_code") in delivered or e.get("name") in delivered,
                "applied": e.get("credit_code") in applied,
            }
            for e in push_.enterprises or []
        ],
    }


def list_pushes(
    session: Session,
    *,
    actor: Actor,
    policy_id: int | None = None,
    building: str | None = None,
    pending: bool | None = None,
    page: PageParams,
) -> tuple[list[PolicyPush], int]:
    stmt = select(PolicyPush).where(push_filter(actor))
    if policy_id is not None:
        stmt = stmt.where(PolicyPush.policy_id == policy_id)
    if building:
        stmt = stmt.where(PolicyPush.building_code == building)
    if pending is not None:
        stmt = stmt.where(PolicyPush.delivered_at.is_(None) if pending else PolicyPush.delivered_at.is_not(None))
    return paginate(session, stmt.order_by(PolicyPush.created_at.desc(), PolicyPush.id.desc()), page)


def _close_done_pushes(session: Session, policy_id: int, building_code: str) -> None:
    delivered = _delivered_keys(session, policy_id)
    for p in session.scalars(
        select(PolicyPush).where(
            PolicyPush.policy_id == policy_id,
            PolicyPush.building_code == building_code,
            PolicyPush.delivered_at.is_(None),
        )
    ):
        if all(e.get("credit_code") in delivered or e.get("name") in delivered for e in p.enterprises or []):
            p.delivered_at = utcnow()


def _push_of(session: Session, policy_id: int, building_code: str) -> PolicyPush | None:
    return session.scalar(
        select(PolicyPush).where(PolicyPush.policy_id == policy_id, PolicyPush.building_code == building_code)
    )


def record_from_visit(session: Session, *, visit: Any, items: list[VisitPolicyDelivery], actor: Actor) -> None:
    """A visit's 宣讲已送达 entries (flushed with the visit; refused as a whole if one is wrong)."""
    for i, item in enumerate(items):
        if session.get(Policy, item.policy_id) is None:
            raise Invalid(
                f"政策 {item.policy_id} 不存在",
                fields=[{"field": f"policy_deliveries[{i}].policy_id", "message": "政策不存在"}],
            )
    for item in items:
        push_ = _push_of(session, item.policy_id, visit.building_code)
        session.add(
            PolicyDelivery(
                policy_id=item.policy_id,
                push_id=push_.id if push_ else None,
                visit_id=visit.id,
                method="visit",
                credit_code=item.credit_code,
                enterprise_name=item.enterprise_name,
                building_code=visit.building_code,
                street_code=visit.street_code,
                delivered_on=visit.visit_date,
                delivered_by=actor.username,
                note=item.note,
            )
        )
    session.flush()
    for policy_id in {i.policy_id for i in items}:
        _close_done_pushes(session, policy_id, visit.building_code)
    session.flush()


def record_delivery(
    session: Session,
    policy: Policy,
    *,
    data: DeliveryCreate,
    actor: Actor,
    registry: BlockingRegistry,
    token: str,
) -> PolicyDelivery:
    """A delivery made otherwise; the building is read from registry in the caller's scope."""
    if not (can_manage(actor) or actor.roles & {"street", "chief"}):
        raise Forbidden("只有区商务局、科创人才中心、街道和楼长可以记录政策送达")
    building = registry.building(data.building_code, token=token)
    delivered_on = data.delivered_on or today_in_china()
    if delivered_on > today_in_china():
        raise Invalid("送达日期不能晚于今天", fields=[{"field": "delivered_on", "message": "不能晚于今天"}])
    push_ = _push_of(session, policy.id, building.code)
    row = PolicyDelivery(
        policy_id=policy.id,
        push_id=push_.id if push_ else None,
        method="other",
        credit_code=data.credit_code,
        enterprise_name=data.enterprise_name,
        building_code=building.code,
        street_code=building.street_code,
        delivered_on=delivered_on,
        delivered_by=actor.username,
        note=data.note,
    )
    session.add(row)
    session.flush()
    _close_done_pushes(session, policy.id, building.code)
    session.flush()
    return row


def delivery_reads(session: Session, rows: list[PolicyDelivery]) -> list[dict[str, Any]]:
    titles = dict(
        session.execute(select(Policy.id, Policy.title).where(Policy.id.in_({r.policy_id for r in rows}))).all()
    )
    return [
        {
            **{
                c: getattr(r, c)
                for c in (
                    "id",
                    "policy_id",
                    "push_id",
                    "visit_id",
                    "method",
                    "credit_code",
                    "enterprise_name",
                    "building_code",
                    "street_code",
                    "delivered_on",
                    "delivered_by",
                    "note",
                    "is_demo",
                )
            },
            "policy_title": titles.get(r.policy_id, ""),
            "method_label": DELIVERY_METHODS.get(r.method, r.method),
        }
        for r in rows
    ]


def list_deliveries(
    session: Session, *, actor: Actor, policy_id: int | None, page: PageParams
) -> tuple[list[PolicyDelivery], int]:
    stmt = select(PolicyDelivery).where(delivery_filter(actor))
    if policy_id is not None:
        stmt = stmt.where(PolicyDelivery.policy_id == policy_id)
    return paginate(session, stmt.order_by(PolicyDelivery.delivered_on.desc(), PolicyDelivery.id.desc()), page)


# ----- applications -----------------------------------------------------------------------


def get_application(session: Session, app_id: int, *, actor: Actor) -> PolicyApplication:
    require_read_applications(actor)
    row = session.scalar(select(PolicyApplication).where(PolicyApplication.id == app_id, application_filter(actor)))
    if row is None:
        raise NotFound(f"申报记录 {app_id} 不存在")
    return row


def application_reads(session: Session, rows: list[PolicyApplication]) -> list[dict[str, Any]]:
    titles = dict(
        session.execute(select(Policy.id, Policy.title).where(Policy.id.in_({r.policy_id for r in rows}))).all()
    )
    return [
        {
            **{
                c: getattr(r, c)
                for c in (
                    "id",
                    "policy_id",
                    "credit_code",
                    "enterprise_name",
                    "building_code",
                    "building_name",
                    "street_code",
                    "street_name",
                    "applied_on",
                    "status",
                    "amount_granted",
                    "paid_on",
                    "source",
                    "note",
                    "is_demo",
                    "created_by",
                    "created_at",
                )
            },
            "policy_title": titles.get(r.policy_id, ""),
            "status_label": APPLICATION_STATUSES.get(r.status, r.status),
        }
        for r in rows
    ]


def list_applications(
    session: Session,
    *,
    actor: Actor,
    policy_id: int | None,
    status: str | None,
    street: str | None,
    year: int | None,
    page: PageParams,
) -> tuple[list[PolicyApplication], int]:
    require_read_applications(actor)
    stmt = select(PolicyApplication).where(application_filter(actor))
    if policy_id is not None:
        stmt = stmt.where(PolicyApplication.policy_id == policy_id)
    if status:
        stmt = stmt.where(PolicyApplication.status == status)
    if street:
        stmt = stmt.where(PolicyApplication.street_code == street)
    if year:
        stmt = stmt.where(PolicyApplication.applied_on.between(date(year, 1, 1), date(year, 12, 31)))
    return paginate(session, stmt.order_by(PolicyApplication.applied_on.desc(), PolicyApplication.id.desc()), page)


def check_application(
    status: str, amount: Decimal | None, paid_on: date | None, applied_on: date
) -> list[tuple[str, str]]:
    """Problems (field, Chinese message) of an application's status, amount and dates."""
    problems = []
    if applied_on > today_in_china():
        problems.append(("applied_on", "申报日期不能晚于今天"))
    if status == "paid" and (amount is None or paid_on is None):
        problems.append(("paid_on", "已兑现的申报须填写核定金额和兑现日期"))
    if paid_on is not None and status != "paid":
        problems.append(("status", "填写了兑现日期，状态应为“已兑现”"))
    if paid_on is not None and paid_on < applied_on:
        problems.append(("paid_on", "兑现日期不能早于申报日期"))
    return problems


def _place(enterprise: EnterpriseFacts, buildings: dict[str, BuildingFacts]) -> dict[str, Any]:
    for link in enterprise.current_buildings:
        b = buildings.get(link.code)
        if b is not None:
            return {
                "building_code": b.code,
                "building_name": b.name,
                "street_code": b.street_code,
                "street_name": b.street_name,
            }
    return {"building_code": None, "building_name": "", "street_code": None, "street_name": ""}


def create_application(
    session: Session,
    *,
    data: ApplicationCreate,
    actor: Actor,
    registry: BlockingRegistry,
    token: str,
) -> PolicyApplication:
    require_manage(actor)
    get(session, data.policy_id)
    problems = check_application(data.status, data.amount_granted, data.paid_on, data.applied_on)
    if problems:
        raise Invalid(problems[0][1], fields=[{"field": f, "message": m} for f, m in problems])
    enterprises, buildings = registry_facts(registry, token)
    enterprise = next((e for e in enterprises if e.credit_code == data.credit_code), None)
    if enterprise is None:
        raise Invalid(
            f"企业 {data.credit_code} 不在楼宇登记中",
            fields=[{"field": "credit_code", "message": "请先在楼宇登记中登记该企业"}],
        )
    row = PolicyApplication(
        policy_id=data.policy_id,
        credit_code=enterprise.credit_code,
        enterprise_name=enterprise.name,
        **_place(enterprise, buildings),
        applied_on=data.applied_on,
        status=data.status,
        amount_granted=data.amount_granted,
        paid_on=data.paid_on,
        source="form",
        note=data.note or "",
        created_by=actor.username,
    )
    session.add(row)
    session.flush()
    return row


def update_application(
    session: Session, row: PolicyApplication, *, data: ApplicationUpdate, actor: Actor
) -> PolicyApplication:
    require_manage(actor)
    changes = data.model_dump(exclude_unset=True)
    status = changes.get("status") or row.status
    applied_on = changes.get("applied_on") or row.applied_on
    amount = changes["amount_granted"] if "amount_granted" in changes else row.amount_granted
    paid_on = changes["paid_on"] if "paid_on" in changes else row.paid_on
    problems = check_application(status, amount, paid_on, applied_on)
    if problems:
        raise Invalid(problems[0][1], fields=[{"field": f, "message": m} for f, m in problems])
    row.status, row.applied_on, row.amount_granted, row.paid_on = status, applied_on, amount, paid_on
    if "note" in changes:
        row.note = changes["note"] or ""
    session.flush()
    return row


# ----- totals and coverage ----------------------------------------------------------------


def _app_rows(session: Session, actor: Actor) -> list[tuple[PolicyApplication, figures.AppRow]]:
    rows = session.scalars(select(PolicyApplication).where(application_filter(actor)))
    return [
        (
            r,
            figures.AppRow(
                policy_id=r.policy_id,
                credit_code=r.credit_code,
                status=r.status,
                applied_on=r.applied_on,
                amount_granted=r.amount_granted,
                paid_on=r.paid_on,
                building_code=r.building_code,
                street_code=r.street_code,
            ),
        )
        for r in rows
    ]


def _rows(groups: dict[str, figures.Sums], labels: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"key": k, "label": labels.get(k, k), "applications": s.applications, "granted": s.granted, "paid": s.paid}
        for k, s in sorted(groups.items(), key=lambda kv: (-kv[1].granted, -kv[1].applications, kv[0]))
    ]


def totals(
    session: Session,
    *,
    actor: Actor,
    year: int,
    coverage_inputs: tuple[list[EnterpriseFacts], dict[str, BuildingFacts], set[str] | None] | None,
) -> dict[str, Any]:
    require_read_applications(actor)
    start, end = date(year, 1, 1), date(year, 12, 31)
    pairs = _app_rows(session, actor)
    apps = [a for _, a in pairs]
    policies = {p.id: p for p in session.scalars(select(Policy))}
    b_labels = {r.building_code: r.building_name for r, _ in pairs if r.building_code}
    s_labels = {r.street_code: r.street_name for r, _ in pairs if r.street_code}
    p_labels = {str(k): p.title for k, p in policies.items()}
    t_labels = {t: theme_name(t) for p in policies.values() for t in p.themes or []}
    whole = figures.totals(apps, start, end)
    out: dict[str, Any] = {
        "year": year,
        "start": start,
        "end": end,
        "applications": whole.applications,
        "granted": whole.granted,
        "paid": whole.paid,
        "by_building": _rows(
            figures.grouped(apps, start, end, lambda a: [a.building_code] if a.building_code else []), b_labels
        ),
        "by_street": _rows(
            figures.grouped(apps, start, end, lambda a: [a.street_code] if a.street_code else []), s_labels
        ),
        "by_theme": _rows(
            figures.grouped(
                apps, start, end, lambda a: list(policies[a.policy_id].themes or []) if a.policy_id in policies else []
            ),
            t_labels,
        ),
        "by_policy": _rows(figures.grouped(apps, start, end, lambda a: [str(a.policy_id)]), p_labels),
        "coverage": None,
    }
    if coverage_inputs is not None:
        enterprises, buildings, key = coverage_inputs
        if key is None:
            out["coverage"] = {
                "key_building_rule": figures.KEY_BUILDING_RULE,
                "key_buildings": None,
                "fitting": None,
                "applied": None,
                "rate": None,
                "note": "指标分析服务暂不可用，无法认定重点楼宇，申报覆盖率暂不能计算",
            }
        else:
            active = [
                p
                for p in policies.values()
                if (p.valid_from is None or p.valid_from <= end) and (p.valid_until is None or p.valid_until >= start)
            ]
            fits = {
                p.id: {
                    m.enterprise.credit_code: {b.code for b in m.buildings} for m in matches(p, enterprises, buildings)
                }
                for p in active
            }
            cov = figures.coverage(fits, key, apps, start, end)
            out["coverage"] = {
                "key_building_rule": figures.KEY_BUILDING_RULE,
                "key_buildings": len(key),
                "fitting": cov.fitting,
                "applied": cov.applied,
                "rate": cov.rate,
                "note": "" if cov.fitting else "重点楼宇内没有符合在有效期内政策的企业",
            }
    return out
