"""Reference data: the district and its streets, GB/T 4754-2017 industries, 特色 themes."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base


class District(Base):
    """A county-level district (区), e.g. 武昌区 420106."""

    __tablename__ = "district"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    # Next building sequence number in this district (building code = district code + sequence).
    next_building_seq: Mapped[int] = mapped_column(Integer, default=1)


class Street(Base):
    """A street office (街道办事处) with its official 9-digit 统计用区划代码."""

    __tablename__ = "street"

    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    district_code: Mapped[str] = mapped_column(ForeignKey("district.code"), index=True)


class Industry(Base):
    """A GB/T 4754-2017 class: 门类 (section letter) or 大类 (2-digit division)."""

    __tablename__ = "industry"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))
    section: Mapped[str] = mapped_column(String(1), index=True)


class Theme(Base):
    """A 特色 theme (e.g. 金融, 数字经济) and the industry code prefixes that count for it."""

    __tablename__ = "theme"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(30), unique=True)
    industry_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(String(300), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
