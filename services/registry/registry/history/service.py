"""Record one change of one object: the field-level history row and the change-feed event."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from louyu_kit.db import utcnow
from louyu_kit.requestid import current_request_id
from registry.db import feed
from registry.history.models import ChangeRecord

LABELS: dict[str, str] = {
    # buildings
    "code": "编码",
    "name": "名称",
    "aliases": "别名",
    "street_code": "所属街道",
    "address": "地址",
    "lng": "经度",
    "lat": "纬度",
    "gfa": "建筑面积",
    "leasable_area": "可出租面积",
    "floors_above": "地上层数",
    "floors_below": "地下层数",
    "stage": "建设阶段",
    "ownership": "产权类型",
    "owner": "产权单位",
    "operator": "运营商",
    "property_manager": "物业公司",
    "property_star": "物业星级",
    "zone": "功能区",
    "themes": "特色主题",
    "completion_year": "竣工年份",
    "chief_username": "楼长账号",
    "chief_name": "楼长姓名",
    "chief_phone": "楼长电话",
    "liaison_username": "联络员账号",
    "liaison_name": "联络员姓名",
    "liaison_phone": "联络员电话",
    "note": "备注",
    "is_demo": "演示数据",
    # spaces
    "building_code": "楼宇编码",
    "floor": "楼层",
    "unit": "房号",
    "area": "面积",
    "status": "状态",
    "available_from": "可用日期",
    "asking_rent": "报价租金",
    # enterprises
    "credit_code": "统一社会信用代码",
    "industry_code": "行业代码",
    "registered_in_district": "在册",
    "taxed_in_district": "在税",
    "in_statistics": "纳统",
    "above_scale": "规上",
    "listed": "上市",
    "hq_level": "总部层级",
    "is_key": "重点企业",
    "employees": "从业人数",
    "founded_date": "成立日期",
    "check_override": "校验位例外",
    "override_reason": "例外理由",
    # occupancy
    "spaces": "房源",
    "start_date": "入驻日期",
    "end_date": "迁出日期",
}
# Phone numbers never enter the history or the feed in clear: only whether they changed.
MASKED_FIELDS = frozenset({"chief_phone", "liaison_phone"})


EMPTY: tuple[Any, ...] = (None, "", [], False)


def _diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[dict[str, Any]]:
    creating = before is None
    before, after = before or {}, after or {}
    changes = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if old == new or (creating and new in EMPTY):
            continue
        if key in MASKED_FIELDS:
            old, new = ("(已设置)" if old else None), ("(已修改)" if new else None)
        changes.append({"field": key, "label": LABELS.get(key, key), "old": old, "new": new})
    return changes


def record(
    session: Session,
    *,
    entity: str,
    entity_id: str | int,
    op: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    actor: str | None,
) -> None:
    """Write the history row and queue the change-feed event (both commit with the change)."""
    changes = _diff(before, after)
    if op == "update" and not changes:
        return
    session.add(
        ChangeRecord(
            entity=entity,
            entity_id=str(entity_id),
            op=op,
            changes=changes,
            actor=actor,
            request_id=current_request_id() or None,
        )
    )
    data = dict(after if op != "delete" else before or {})
    for key in MASKED_FIELDS & data.keys():
        data.pop(key)
    feed.record(session, entity=entity, entity_id=entity_id, op=op, data=data, actor=actor)


def record_many(
    session: Session,
    *,
    entity: str,
    items: list[tuple[str | int, dict[str, Any] | None, dict[str, Any] | None]],
    op: str,
    actor: str | None,
) -> None:
    """``record`` for many objects at once (bulk imports): one insert for the history rows."""
    rows = []
    request_id = current_request_id() or None
    now = utcnow()
    for entity_id, before, after in items:
        changes = _diff(before, after)
        if op == "update" and not changes:
            continue
        rows.append(
            {
                "entity": entity,
                "entity_id": str(entity_id),
                "op": op,
                "changes": changes,
                "actor": actor,
                "request_id": request_id,
                "at": now,
            }
        )
        data = dict(after if op != "delete" else before or {})
        for key in MASKED_FIELDS & data.keys():
            data.pop(key)
        feed.record(session, entity=entity, entity_id=entity_id, op=op, data=data, actor=actor)
    for start in range(0, len(rows), 2000):
        session.execute(insert(ChangeRecord), rows[start : start + 2000])


def list_for(session: Session, *, entity: str, entity_id: str | int, limit: int = 500) -> list[ChangeRecord]:
    """The history of one object, newest first."""
    stmt = (
        select(ChangeRecord)
        .where(ChangeRecord.entity == entity, ChangeRecord.entity_id == str(entity_id))
        .order_by(ChangeRecord.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
