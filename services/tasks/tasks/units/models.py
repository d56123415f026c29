"""责任单位 responsible units (departments, streets, committees, groups …) and their aliases."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from louyu_kit.db import UtcDateTime, utcnow
from tasks.db import Base

# kind → 中文 name. A ``collective`` unit is a name such as 各街道办事处 that stands for every
# active unit of ``expands_kind``; it never carries tasks itself.
KINDS = {
    "department": "区直部门",
    "street": "街道办事处",
    "scenic_area": "风景区",
    "committee": "管委会",
    "enterprise": "区属企业",
    "squad": "驻点招商小分队",
    "group": "领导小组及办公室",
    "leadership": "区领导及区政府",
    "congress": "人大及其委员会",
    "city": "市级部门派出机构",
    "collective": "统称",
}


class Unit(Base):
    """A unit tasks are assigned to. Streets' codes are their 统计用区划代码 (420106001 …),
    other units short lowercase ASCII codes (``swj`` 区商务局)."""

    __tablename__ = "unit"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    short_name: Mapped[str] = mapped_column(String(50), default="")
    kind: Mapped[str] = mapped_column(String(20), index=True)
    expands_kind: Mapped[str | None] = mapped_column(String(20))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}


class UnitAlias(Base):
    """Another spelling of a unit's name as documents write it (区科技创新和人才服务中心 …).
    ``key`` is the normalised spelling (see ``tasks.units.names.normalise``), unique."""

    __tablename__ = "unit_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(100), unique=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("unit.code", ondelete="CASCADE"), index=True)
