"""企业 enterprises (一企一档), keyed by 统一社会信用代码."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from registry.db import Base

HQ_LEVELS = {"global500": "世界500强", "china500": "中国500强", "regional": "区域总部"}
# Every tag an enterprise can carry, code → the Chinese label screens and exports show: the one
# place these labels live (the read schema carries them; /reference/enums serves HQ_LEVELS).
TAG_LABELS = {
    "registered_in_district": "在册",
    "taxed_in_district": "在税",
    "in_statistics": "纳统",
    "above_scale": "规上",
    "listed": "上市",
    "is_key": "重点",
    **HQ_LEVELS,
}


class Enterprise(Base):
    """An enterprise; flags 在册 / 在税 / 纳统 / 规上 are separate facts the district tracks."""

    __tablename__ = "enterprise"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    industry_code: Mapped[str | None] = mapped_column(String(4), index=True)
    registered_in_district: Mapped[bool] = mapped_column(Boolean, default=False)
    taxed_in_district: Mapped[bool] = mapped_column(Boolean, default=False)
    in_statistics: Mapped[bool] = mapped_column(Boolean, default=False)
    above_scale: Mapped[bool] = mapped_column(Boolean, default=False)
    listed: Mapped[bool] = mapped_column(Boolean, default=False)
    hq_level: Mapped[str | None] = mapped_column(String(20))
    is_key: Mapped[bool] = mapped_column(Boolean, default=False)
    employees: Mapped[int | None] = mapped_column(Integer)
    founded_date: Mapped[date | None] = mapped_column(Date)
    # A real code that fails the GB 32100 check, accepted on someone's explicit word (audited).
    check_override: Mapped[bool] = mapped_column(Boolean, default=False)
    override_reason: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}


class EnterpriseNameGram(Base):
    """One character bigram of an enterprise's name (the substring-search index, see search.py)."""

    __tablename__ = "enterprise_name_gram"
    __table_args__ = {"sqlite_with_rowid": False}

    gram: Mapped[str] = mapped_column(String(2), primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), primary_key=True, index=True
    )
