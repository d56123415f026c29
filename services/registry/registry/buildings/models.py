"""楼宇 buildings (一楼一档) and their 特色 themes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from louyu_kit.db import UtcDateTime, utcnow
from registry.db import Base

STAGES = {"under_construction": "在建", "new": "新建成", "operating": "存量"}
OWNERSHIPS = {"single": "自持", "strata": "散售", "mixed": "混合"}


class Building(Base):
    """A commercial office building; ``code`` is the district code plus a sequence (420106-0001)."""

    __tablename__ = "building"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Lower-cased name and aliases joined by "|", for substring search.
    search_text: Mapped[str] = mapped_column(String(600), default="")
    street_code: Mapped[str] = mapped_column(ForeignKey("street.code"), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    lng: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    gfa: Mapped[float | None] = mapped_column(Float, index=True)
    leasable_area: Mapped[float | None] = mapped_column(Float)
    floors_above: Mapped[int | None] = mapped_column(Integer)
    floors_below: Mapped[int | None] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(20), default="operating", index=True)
    ownership: Mapped[str | None] = mapped_column(String(10))
    owner: Mapped[str] = mapped_column(String(100), default="")
    operator: Mapped[str] = mapped_column(String(100), default="")
    property_manager: Mapped[str] = mapped_column(String(100), default="")
    property_star: Mapped[int | None] = mapped_column(Integer)
    zone: Mapped[str] = mapped_column(String(50), default="", index=True)
    completion_year: Mapped[int | None] = mapped_column(Integer)
    chief_username: Mapped[str | None] = mapped_column(String(50), index=True)
    chief_name: Mapped[str] = mapped_column(String(50), default="")
    chief_phone: Mapped[str] = mapped_column(String(20), default="")
    liaison_username: Mapped[str | None] = mapped_column(String(50), index=True)
    liaison_name: Mapped[str] = mapped_column(String(50), default="")
    liaison_phone: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    theme_links: Mapped[list[BuildingTheme]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="BuildingTheme.theme_code"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def themes(self) -> list[str]:
        return [link.theme_code for link in self.theme_links]


class BuildingTheme(Base):
    """A 特色 theme a building is designated for (a building may carry several)."""

    __tablename__ = "building_theme"

    building_id: Mapped[int] = mapped_column(ForeignKey("building.id", ondelete="CASCADE"), primary_key=True)
    theme_code: Mapped[str] = mapped_column(ForeignKey("theme.code"), primary_key=True, index=True)
