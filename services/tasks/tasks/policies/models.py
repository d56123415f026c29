"""政策库 and 精准推送: policies, their pushes to buildings' 楼长 / streets, the deliveries
(宣讲送达) and the enterprises' applications and payments (申报与兑现)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from tasks.db import Base

LEVELS = {"national": "国家", "province": "省", "city": "市", "district": "区"}
# Enterprise tags a policy may target (registry's enterprise fields).
TAGS = {
    "global500": "世界500强",
    "china500": "中国500强",
    "regional_hq": "区域总部",
    "listed": "上市企业",
    "above_scale": "规上企业",
    "key": "重点企业",
    "in_statistics": "纳统企业",
    "taxed": "在税企业",
}
APPLICATION_STATUSES = {
    "planned": "拟申报",
    "applied": "已申报",
    "accepted": "已受理",
    "paid": "已兑现",
    "rejected": "未通过",
}
DELIVERY_METHODS = {"visit": "走访送达", "other": "其他方式送达"}


class Policy(Base):
    """One policy document in the 政策库 with what it targets (all groups given must match)."""

    __tablename__ = "policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    issuer: Mapped[str] = mapped_column(String(200))
    doc_number: Mapped[str] = mapped_column(String(100), default="")
    level: Mapped[str] = mapped_column(String(10))
    published_on: Mapped[date | None] = mapped_column(Date)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    themes: Mapped[list] = mapped_column(JSON, default=list)
    industry_codes: Mapped[list] = mapped_column(JSON, default=list)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    min_employees: Mapped[int | None] = mapped_column(Integer)
    max_employees: Mapped[int | None] = mapped_column(Integer)
    benefit: Mapped[str] = mapped_column(Text, default="")
    apply_from: Mapped[date | None] = mapped_column(Date)
    apply_until: Mapped[date | None] = mapped_column(Date)
    link: Mapped[str] = mapped_column(String(500), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class PolicyPush(Base):
    """A policy pushed to one building: its 楼长 (or, without one, its street) delivers it to the
    fitting enterprises (``enterprises``: [{credit_code, name, reasons}] as matched)."""

    __tablename__ = "policy_push"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policy.id", ondelete="CASCADE"), index=True)
    building_code: Mapped[str] = mapped_column(String(20), index=True)
    building_name: Mapped[str] = mapped_column(String(100))
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    street_name: Mapped[str] = mapped_column(String(50), default="")
    chief_username: Mapped[str | None] = mapped_column(String(50), index=True)
    enterprises: Mapped[list] = mapped_column(JSON, default=list)
    due_date: Mapped[date | None] = mapped_column(Date)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PolicyDelivery(Base):
    """A policy delivered to an enterprise (宣讲已送达): who, when, how (a visit or otherwise)."""

    __tablename__ = "policy_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policy.id", ondelete="CASCADE"), index=True)
    push_id: Mapped[int | None] = mapped_column(ForeignKey("policy_push.id", ondelete="SET NULL"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id", ondelete="SET NULL"), index=True)
    method: Mapped[str] = mapped_column(String(10))
    credit_code: Mapped[str | None] = mapped_column(String(18))
    enterprise_name: Mapped[str] = mapped_column(String(200))
    building_code: Mapped[str] = mapped_column(String(20), index=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    delivered_on: Mapped[date] = mapped_column(Date)
    delivered_by: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(String(500), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PolicyApplication(Base):
    """An enterprise's application under a policy and what was granted and paid (申报与兑现)."""

    __tablename__ = "policy_application"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policy.id", ondelete="CASCADE"), index=True)
    credit_code: Mapped[str] = mapped_column(String(18), index=True)
    enterprise_name: Mapped[str] = mapped_column(String(200))
    building_code: Mapped[str | None] = mapped_column(String(20), index=True)
    building_name: Mapped[str] = mapped_column(String(100), default="")
    street_code: Mapped[str | None] = mapped_column(String(12), index=True)
    street_name: Mapped[str] = mapped_column(String(50), default="")
    applied_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10))
    amount_granted: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    paid_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(10), default="form")
    note: Mapped[str] = mapped_column(String(500), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
